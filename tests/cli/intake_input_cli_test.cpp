// `minplan intake` on damaged files (issue 11), in-process: bad data is exit 3 with the reason, a missing
// file exit 4 (README), and the database file is left as it was.
#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

TEST(IntakeInput, DamagedFilesAreBadInputAndMissingFilesUnreadable) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const std::string before = read_bytes(db);
    const fs::path data = test_data_dir() / "monitor";
    for (const char* name : {"bad_truncated_sheet.xlsx", "bad_truncated_zip.xlsx", "bad_not_zip.xlsx", "bad_utf16.csv"}) {
        CliResult r = run_cli({"intake", (data / name).string(), "--db", db.string()});
        EXPECT_EQ(r.code, cli::kInputError) << name << ": " << r.err;
        EXPECT_EQ(r.err.find("（）"), std::string::npos) << name << ": " << r.err;
    }
    EXPECT_EQ(run_cli({"intake", (dir / "nope.csv").string(), "--db", db.string()}).code, cli::kIoError);
    EXPECT_TRUE(read_bytes(db) == before) << "the database changed";
}

}  // namespace
}  // namespace minplan::testing
