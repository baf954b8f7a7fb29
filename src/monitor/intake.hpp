// Annual data intake (规划实施监测 年度数据报送): reads the template sheets 矿山名录, 矿山年报 and 勘查成果
// (CSV or XLSX; docs/monitoring.md), validates every row and either returns all of it or throws an
// InputError listing every bad row with file, sheet, row and column. Nothing is written on error.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "monitor/annual.hpp"
#include "monitor/county_split.hpp"
#include "monitor/indicators.hpp"
#include "standards/loader.hpp"

namespace minplan::monitor {

struct IntakeContext {
    std::set<std::string> known_mines;  // mine_register and monitor_mines of the database
    AnnualData existing;                // already stored: duplicates against it are errors unless replacing
    bool replace = false;               // rows for a mine+year / project+year already stored are replaced
    int first_year = 2021, last_year = 2025;  // plan period (plan.json period)
    // The plan's reference tables, indicators (mineral units) and monitoring table schemas, from its database.
    std::shared_ptr<const ::minplan::standards::Standards> standards;
    std::shared_ptr<const IndicatorSet> indicators;
    std::map<std::string, TableSchema> schemas;  // kMinesTable, kMineYearsTable, kExplorationTable
    CountySplit county_split;                  // the targets split to counties (table county_allocation)
    std::vector<std::string> plan_counties;    // the plan's counties (admin_counties), for the county views
};

// Reads and validates `files`; throws InputError listing all problems. Only new rows are returned.
AnnualData read_intake(const std::vector<std::filesystem::path>& files, const IntakeContext& ctx);

// Context from a plan database (known mines, stored data, the plan's tables).
IntakeContext context_from_store(const store::PlanStore& store);

struct IntakeSummary {
    std::size_t mines = 0, mine_years = 0, exploration = 0;
};

// Validates `files` against the database `db` and stores them all-or-nothing.
// `actor` goes into the change log (default: the operating-system user).
IntakeSummary intake_into_db(store::PlanDatabase& db, const std::vector<std::filesystem::path>& files, bool replace,
                             const std::string& actor = {});
IntakeSummary intake_into_db(const std::filesystem::path& db, const std::vector<std::filesystem::path>& files,
                             bool replace);
// The dry run of intake_into_db: the same validation against the database, the same problems thrown, and
// the counts an intake would store, with nothing written (the portal's preview before confirming).
IntakeSummary preview_intake(store::PlanDatabase& db, const std::vector<std::filesystem::path>& files, bool replace);

}  // namespace minplan::monitor

namespace minplan::monitor {

// The intake template (docs/monitoring.md) of the plan in `store`: a 说明 sheet naming the plan and its
// period, and the three sheets with their Chinese column headers (unit in brackets, * = required).
void write_template_xlsx(const store::PlanStore& store, const std::filesystem::path& file);

}  // namespace minplan::monitor
