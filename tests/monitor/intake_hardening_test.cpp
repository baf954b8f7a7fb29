// Intake of damaged and hostile files (issue 11): a file that ends early, a NaN cell, a non-zip workbook or
// a UTF-16 text is refused with its reason and the database is left unchanged; never a partial import.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/error.hpp"
#include "monitor/intake.hpp"
#include "plan/builder.hpp"

namespace fs = std::filesystem;
using namespace minplan;
using namespace minplan::monitor;

namespace {

const fs::path kData = fs::path(MINPLAN_TEST_DATA) / "monitor";

std::string bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class IntakeHardening : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("minplan-intake-hard-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        db_ = dir_ / "plan.gpkg";
        fs::copy_file(plan::ensure_default_database(), db_, fs::copy_options::overwrite_existing);
        before_ = bytes(db_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    // The InputError's message; fails the test if the file imports or throws anything else.
    std::string refused(const fs::path& file) {
        try {
            intake_into_db(db_, {file}, false);
            ADD_FAILURE() << file << " was imported";
        } catch (const InputError& e) {
            EXPECT_TRUE(bytes(db_) == before_) << "the database changed";
            return e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << file << ": not an InputError: " << e.what();
        }
        return {};
    }
    fs::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return dir_ / name;
    }
    fs::path dir_, db_;
    std::string before_;
};

TEST_F(IntakeHardening, WorksheetCutInHalfIsRefusedNotPartlyImported) {
    const std::string msg = refused(kData / "bad_truncated_sheet.xlsx");
    EXPECT_NE(msg.find("矿山年报"), std::string::npos) << msg;
    EXPECT_NE(msg.find("unclosed token"), std::string::npos) << "GDAL's reason: " << msg;
}

TEST_F(IntakeHardening, BrokenOrNonZipWorkbookNamesTheReason) {
    for (const char* name : {"bad_truncated_zip.xlsx", "bad_not_zip.xlsx"}) {
        const std::string msg = refused(kData / name);
        EXPECT_EQ(msg.find("（）"), std::string::npos) << msg;
        EXPECT_NE(msg.find(name), std::string::npos) << msg;
        EXPECT_NE(msg.find("ZIP"), std::string::npos) << msg;
    }
}

TEST_F(IntakeHardening, NanOrInfiniteNumberIsRefusedWithRowAndColumn) {
    const std::string good = bytes(kData / "good_one_row.csv");
    const std::string cell = ",100,万吨";  // 矿石产量 (column D) of row 2
    ASSERT_NE(good.find(cell), std::string::npos);
    for (const char* bad : {"NaN", "-nan", "inf", "-Infinity"}) {
        std::string text = good;
        text.replace(text.find(cell), cell.size(), std::string(",") + bad + ",万吨");
        const std::string msg = refused(write("nan.csv", text));
        EXPECT_NE(msg.find("nan.csv［nan］第2行 D列（矿石产量）"), std::string::npos) << bad << ": " << msg;
        EXPECT_NE(msg.find(bad), std::string::npos) << msg;
    }
}

TEST_F(IntakeHardening, GbkCsvIsDecodedUtf16IsRefusedNamingTheEncoding) {
    EXPECT_EQ(intake_into_db(db_, {kData / "good_one_row_gbk.csv"}, false).mine_years, 1u);
    before_ = bytes(db_);
    for (const char* name : {"bad_utf16.csv", "bad_utf16_no_bom.csv"}) {
        const std::string msg = refused(kData / name);
        EXPECT_NE(msg.find(name), std::string::npos) << msg;
        EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("无法识别的工作表"), std::string::npos) << msg;
    }
}

TEST_F(IntakeHardening, ProblemsListedAreTheFirstFiftyWithACountOfTheRest) {
    std::string text = bytes(kData / "good_one_row.csv");
    const std::string header = text.substr(0, text.find('\n') + 1);
    text = header;
    for (int i = 0; i < 1000; ++i) text += "2022,GM-01,煤炭,-" + std::to_string(i + 1) + ",万吨,,,,82,,78,,,,,,,,测试\n";
    const std::string msg = refused(write("many.csv", text));
    // Each row is negative (D列) and, after the first, a duplicate mine-year: 1000 + 999 problems.
    EXPECT_NE(msg.find("1999 处错误"), std::string::npos) << msg.substr(0, 200);
    EXPECT_NE(msg.find("其余 1949 处"), std::string::npos) << msg.substr(msg.size() - 200);
    EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 51) << "summary, 50 problems, the count of the rest";
}

TEST_F(IntakeHardening, OversizedFileIsRefusedBeforeReading) {
    const fs::path big = write("big.csv", "");
    fs::resize_file(big, 17ull * 1024 * 1024);  // sparse: nothing is read
    const std::string msg = refused(big);
    EXPECT_NE(msg.find("17.0 MiB"), std::string::npos) << msg;
    EXPECT_NE(msg.find("16 MiB"), std::string::npos) << msg;
}

TEST_F(IntakeHardening, MoreRowsThanTheLimitAreRefused) {
    std::string text = "年度*,矿山编号*,矿种*\n";
    for (int i = 0; i < 200'001; ++i) text += "2022,M,煤\n";  // 200,001 data rows + the header
    const std::string msg = refused(write("rows.csv", text));
    EXPECT_NE(msg.find("200000 行"), std::string::npos) << msg.substr(0, 300);
}

TEST_F(IntakeHardening, ProblemsBeyondTheFirstThousandAreCountedNotKept) {
    std::string text = "年度*,矿山编号*,矿种*,矿石产量,产量单位\n";
    for (int i = 0; i < 5000; ++i) text += "2022,NO-" + std::to_string(i) + ",煤炭,100,万吨\n";  // unknown mine each
    try {
        intake_into_db(db_, {write("unknown.csv", text)}, false);
        FAIL();
    } catch (const ProblemsError& e) {
        EXPECT_EQ(e.total(), 5000u);
        EXPECT_EQ(e.problems().size(), 1000u);
        EXPECT_NE(std::string(e.what()).find("其余 4950 处"), std::string::npos);
    }
}

}  // namespace
