// Annual data intake (规划实施监测 年度数据报送): reads the template sheets 矿山名录, 矿山年报 and 勘查成果
// (CSV or XLSX; docs/monitoring.md), validates every row and either returns all of it or throws an
// InputError listing every bad row with file, sheet, row and column. Nothing is written on error.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "monitor/annual.hpp"
#include "monitor/indicators.hpp"
#include "standards/loader.hpp"

namespace minplan::monitor {

struct IntakeContext {
    std::set<std::string> known_mines;  // mine_register and monitor_mines of the database
    AnnualData existing;                // already stored: duplicates against it are errors unless replacing
    bool replace = false;               // rows for a mine+year / project+year already stored are replaced
    int first_year = 2021, last_year = 2025;  // plan period (plan.json period)
    const ::minplan::standards::Standards* standards = nullptr;
    const IndicatorSet* indicators = nullptr;
};

// Reads and validates `files`; throws InputError listing all problems. Only new rows are returned.
AnnualData read_intake(const std::vector<std::filesystem::path>& files, const IntakeContext& ctx);

// Context from a plan database (known mines, stored data).
IntakeContext context_from_store(const store::PlanStore& store);

struct IntakeSummary {
    std::size_t mines = 0, mine_years = 0, exploration = 0;
};

// Validates `files` against the database `db` and stores them all-or-nothing.
IntakeSummary intake_into_db(store::PlanDatabase& db, const std::vector<std::filesystem::path>& files, bool replace);
IntakeSummary intake_into_db(const std::filesystem::path& db, const std::vector<std::filesystem::path>& files,
                             bool replace);

}  // namespace minplan::monitor

namespace minplan::monitor {

// The intake template (docs/monitoring.md): a 说明 sheet and the three sheets with their Chinese
// column headers (unit in brackets, * = required), header in row 1.
void write_template_xlsx(const std::filesystem::path& file);

}  // namespace minplan::monitor
