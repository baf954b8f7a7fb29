// RP6 of the release check: zone quotas (专栏12/13 拟设矿业权数) against this year's plan, the stored plans of
// other years in the plan period and the rights granted since the period began (release_quota.cpp).
#pragma once

#include <string>
#include <vector>

#include "services/release.hpp"
#include "standards/mineral_names.hpp"

namespace minplan::services {

struct QuotaInputs {
    const store::PlanStore& store;
    const ReleasePlan& plan;
    const std::vector<ReleasePlan>& stored;  // every year stored in the database (plan.year's own is ignored)
    const standards::MineralNames& names;
    int first_year = 0, last_year = 9999;    // the plan period
    std::string clause_zh;                   // settings.release.clauses.RP6
    std::string rights_layer = "mineral_rights";
};

// One finding per zone that this year's plan releases into, plus a 需人工核查 line for the extraction totals
// when the plan releases mining blocks.
std::vector<ReleaseFinding> check_release_quotas(const QuotaInputs& in);
// The caps of the plan's indicators (extraction, total_capacity, mine_count) against the latest reported year plus
// the capacity (one mine for the counts) that this year's mining releases would add (release_caps.cpp).
std::vector<ReleaseFinding> check_release_caps(const QuotaInputs& in);

}  // namespace minplan::services
