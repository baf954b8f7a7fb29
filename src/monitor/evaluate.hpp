// Yearly evaluation (规划实施情况评估): every indicator of indicators.json computed from the annual data,
// never typed in, with the status and the rule that decided it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "monitor/annual.hpp"
#include "monitor/indicators.hpp"
#include "standards/loader.hpp"

namespace minplan::monitor {

// The reference tables are the conformance review's (src/standards); monitor:: keeps their names for its
// callers (src/server, src/cli).
using standards::SanlvCheck;
using standards::SanlvMine;
using standards::SanlvResult;
using standards::Standards;
using standards::to_zh;

struct IndicatorResult {
    const IndicatorDef* def = nullptr;
    int year = 0;
    std::optional<double> actual;  // in def->unit; nullopt when not computable
    double path_value = 0;
    Status status = Status::NoData;
    std::string rule;                // the rule that decided the status
    std::vector<std::string> notes;  // refused conversions, mines needing a manual check, counts
};

struct MineSanlv {
    std::string mine_id, name, mineral;
    std::optional<double> mining_recovery, processing_recovery, utilisation;
    SanlvCheck check;
};

struct YearEvaluation {
    int year = 0;
    std::vector<IndicatorResult> results;
    std::vector<MineSanlv> sanlv;  // one per mine reporting in the year
    bool leader_tier_configured = false;
};

// A mine's year as the 三率 table reads it: mineral, method, 开采条件 items and size class, the three rates.
SanlvMine sanlv_mine(const MineYear& y, const MineInfo* info, const Standards& st);
// 大型 / 中型 / 小型 from the year's capacity (standards/size_classes.hpp); empty when it cannot be decided.
std::string mine_size_class(const MineYear& y, const MineInfo* info, const Standards& st);

// The value of an indicator computed from data other than the annual reports (the geo-environment
// layers and the green-mine register of the plan database: services/geoenv). `manual` with its reason
// makes the status 需人工核查 whatever the value.
struct MeasureValue {
    std::optional<double> actual;
    bool manual = false;
    std::string manual_why;
    std::vector<std::string> notes;
};
// nullopt when the measure is not the caller's: the annual data then decide as before.
using ExternalMeasure = std::function<std::optional<MeasureValue>(const IndicatorDef&, int year, const AnnualData&)>;

YearEvaluation evaluate_year(const IndicatorSet& set, const Standards& std, const AnnualData& data, int year,
                             const ExternalMeasure& external = {});

// Extraction of one indicator for one year (used for the yearly charts); nullopt when no data.
std::optional<double> extraction_total(const IndicatorDef& d, const IndicatorSet& set, const AnnualData& data, int year,
                                       std::vector<std::string>* notes = nullptr);

}  // namespace minplan::monitor
