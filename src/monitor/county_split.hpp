// The county split of the plan's targets (指标分解): chapter 7 一 asks the city to "分解规划确定的主要指标并纳入
// 年度计划指标体系", and the counties carry the targets out. The split is a plan-package table the planner
// edits (tables/county_allocation.csv, stored as county_allocation; `minplan allocation import` replaces it):
// one row per indicator and county with the county's 2025 target (and its base-year figure when known).
//
// Per county, every indicator is computed from the data that carry a county (the mines of the annual data,
// and through ExternalMeasure the geo-environment sites and projects) against:
//   - the county's own target when the table gives one;
//   - for a share or average (大中型矿山比例, 三率达标率, 新建绿色矿山比例, 平均单井规模) the city's target,
//     which holds for every part of the city alike;
//   - otherwise nothing: the status is 需人工核查 (未分解到本县), the county's figure is shown for reference.
// An indicator whose data carry no county (exploration results, remote-sensing coverage) is 需人工核查 per
// county, never a silent pass.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/value.hpp"
#include "formats/sheet_reader.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/table_view.hpp"

namespace minplan::store {
class PlanStore;
class PlanDatabase;
}

namespace minplan::monitor {

inline constexpr const char* kCountyAllocationTable = "county_allocation";

struct CountyTarget {
    int row = 0;  // the row of the file it came from (for messages)
    std::string indicator_id, county;
    double target = 0;
    std::optional<double> base;
    std::string source;
};

struct CountySplit {
    std::vector<CountyTarget> rows;
    const CountyTarget* find(const std::string& indicator_id, const std::string& county) const;
};

// True for a measure whose value is a share or an average (the city's target applies to each county).
bool is_intensive_measure(const std::string& measure);

// Checks the split against the plan (every bad row named, nothing kept): a known indicator id and
// county (`counties`: the plan's county names; empty: not checked), a number ≥ 0 (≤ 100 for a %), no
// indicator+county twice, and for an additive indicator the county targets summed not above the city
// target. ProblemsError naming `where` and the rows otherwise.
void validate_split(const CountySplit& split, const IndicatorSet& set, const std::vector<std::string>& counties,
                    const std::string& where);

// A CSV/XLSX allocation table (指标编号, 县区, 分解目标, 基期值, 来源; English names indicator_id, county,
// target, base, source also work), read and checked as above.
CountySplit read_split_file(const std::filesystem::path& file, const IndicatorSet& set, const std::vector<std::string>& counties);
// The table stored in the plan database (empty when the database predates it).
CountySplit load_split(const store::PlanStore& store);
std::vector<Feature> to_features(const CountySplit& split);
// Reads `file`, checks it against the plan in `db` and replaces the stored table in one transaction
// (audit action allocation.import); ProblemsError and nothing written on any bad row. The new version.
std::int64_t import_split(store::PlanDatabase& db, const std::filesystem::path& file, const std::string& actor = {});
// The plan's county names (the admin_counties layer, field name_zh), in the layer's order.
std::vector<std::string> plan_counties(const store::PlanStore& store);

// The annual data of one county: its mines and their yearly rows. Exploration results carry no county
// and are left out.
AnnualData county_data(const AnnualData& all, const std::string& county);

// The counties a year's county views cover: the plan's counties that have mines or split rows (in the
// plan's order), then any other county a mine names.
std::vector<std::string> monitored_counties(const AnnualData& data, const CountySplit& split,
                                            const std::vector<std::string>& plan_counties);

struct CountyEvaluation {
    std::string county;
    std::shared_ptr<const IndicatorSet> set;  // the county's targets; ev.results point into it
    std::set<std::string> unallocated;        // additive indicators the split gives this county no target for
    YearEvaluation ev;
};

// One county's year. `external` is the county's (see services::county_input); `all` the whole city's data,
// used only to tell whether county-less data (exploration results) exist.
CountyEvaluation evaluate_county(const IndicatorSet& set, const Standards& st, const AnnualData& all, int year,
                                 const std::string& county, const CountySplit& split, const ExternalMeasure& external = {});

// The allocation table as the report and `allocation show` print it.
TableView split_table(const CountySplit& split, const IndicatorSet& set);
// Every county's indicators of one year in one table (county, indicator, target, actual, status, rule).
TableView county_table(const std::vector<CountyEvaluation>& counties);

}  // namespace minplan::monitor
