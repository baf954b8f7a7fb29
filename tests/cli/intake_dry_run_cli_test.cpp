// `minplan intake --dry-run`: the portal's preview from the command line (monitor::preview_intake, one
// service for both): counts what would be imported, leaves the database file as it was, and refuses bad
// data with the same exit code as a real intake.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/app.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

// Data rows of a template CSV: neither the "#" note, the header nor blank.
int data_rows(const fs::path& csv) {
    std::ifstream in(csv);
    int rows = -1;  // the header
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line != "\r" && line[0] != '#') ++rows;
    return rows;
}

TEST(IntakeDryRun, CountsTheRowsAndWritesNothing) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const std::string before = read_bytes(db);
    const fs::path samples = source_dir() / "data" / "samples";
    CliResult r = run_cli({"intake", (samples / "sample_2021-2023_annual.xlsx").string(), "--db", db.string(), "--dry-run"});
    ASSERT_EQ(r.code, 0) << r.err;
    // The workbook holds the rows of the three sample CSVs.
    const std::string expected = "将导入矿山名录 " + std::to_string(data_rows(samples / "sample_2021-2023_mines.csv")) + " 条，矿山年报 " +
                                 std::to_string(data_rows(samples / "sample_2021-2023_mine_years.csv")) + " 条，勘查成果 " +
                                 std::to_string(data_rows(samples / "sample_2021-2023_exploration.csv")) + " 条";
    EXPECT_NE(r.out.find(expected), std::string::npos) << r.out;
    EXPECT_TRUE(read_bytes(db) == before) << "a dry run changed the database";

    CliResult bad = run_cli({"intake", (test_data_dir() / "monitor" / "bad_utf16.csv").string(), "--db", db.string(), "--dry-run"});
    EXPECT_EQ(bad.code, cli::kInputError) << bad.err;
    EXPECT_TRUE(read_bytes(db) == before);
}

}  // namespace
}  // namespace minplan::testing
