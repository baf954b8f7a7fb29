// "The plan at a glance": counts of zones, blocks, rights and mines, and the indicator set, computed
// from whatever plan database is open (the shipped default or any other).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/plan_store.hpp"

namespace minplan::plan {

struct SummaryLine {
    std::string group;   // 规划分区 / 规划区块 / 矿业权 / 矿山 / 规划指标 / 几何
    std::string label;   // Chinese label
    std::int64_t count = 0;
    std::string detail;  // breakdown, e.g. "省部级 45，市县级 55"
};

struct PlanSummary {
    std::string name;
    std::string period;
    std::string base_year;
    std::string outlook_year;
    std::vector<SummaryLine> lines;
};

PlanSummary summarize(const store::PlanStore& store);

}  // namespace minplan::plan
