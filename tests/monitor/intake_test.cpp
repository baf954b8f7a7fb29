// Annual data intake: every bad-input case of tests/data/monitor/bad_input_cases.txt is rejected with
// file, row and column in the message and leaves the database unchanged; good data (CSV and XLSX,
// the sample set) is stored and read back.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "../shipped_plan.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "monitor/sheet.hpp"
#include "plan/builder.hpp"
#include "store/gpkg_store.hpp"

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

std::string strip(std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

class IntakeTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("minplan-monitor-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        db_ = dir_ / "plan.gpkg";
        fs::copy_file(plan::ensure_default_database(), db_, fs::copy_options::overwrite_existing);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_, db_;
};

}  // namespace

TEST_F(IntakeTest, EveryBadInputCaseIsReportedWithFileRowColumnAndNothingIsWritten) {
    std::ifstream cases(kData / "bad_input_cases.txt");
    std::string line;
    int n = 0;
    const std::string before = bytes(db_);
    while (std::getline(cases, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> parts;
        std::stringstream ss(line);
        for (std::string p; std::getline(ss, p, '|');) parts.push_back(strip(p));
        ++n;
        SCOPED_TRACE(parts[0]);
        try {
            intake_into_db(db_, {kData / parts[0]}, false);
            ADD_FAILURE() << "accepted bad input " << parts[0];
        } catch (const InputError& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find("未导入任何数据"), std::string::npos) << msg;
            for (std::size_t i = 1; i < parts.size(); ++i) EXPECT_NE(msg.find(parts[i]), std::string::npos) << parts[i] << "\n" << msg;
        }
        EXPECT_EQ(bytes(db_), before) << "database changed by " << parts[0];
    }
    EXPECT_GE(n, 8);
    // The database's own WAL and shared-memory files stay beside it (persistent WAL: store/sqlite_db.cpp).
    for (const auto& e : fs::directory_iterator(dir_))
        if (e.path() != db_.string() + "-wal" && e.path() != db_.string() + "-shm") {
            EXPECT_EQ(e.path(), db_) << "left a temporary file";
        }
}

TEST_F(IntakeTest, GoodRowIsStoredAndASecondImportOfTheSameMineYearIsADuplicate) {
    auto s = intake_into_db(db_, {kData / "good_one_row.csv"}, false);
    EXPECT_EQ(s.mine_years, 1u);
    auto store = store::GpkgStore::open(db_);
    auto data = load_annual(*store);
    ASSERT_EQ(data.years.size(), 1u);
    EXPECT_EQ(data.years[0].mine_id, "GM-01");
    EXPECT_DOUBLE_EQ(*data.years[0].mining_recovery, 82.0);
    EXPECT_NE(data.years[0].source.find("good_one_row.csv"), std::string::npos);
    store.reset();
    const std::string before = bytes(db_);
    EXPECT_THROW(intake_into_db(db_, {kData / "good_one_row.csv"}, false), InputError);
    EXPECT_EQ(bytes(db_), before);
    EXPECT_NO_THROW(intake_into_db(db_, {kData / "good_one_row.csv"}, true));  // --replace
    EXPECT_EQ(load_annual(*store::GpkgStore::open(db_)).years.size(), 1u);
}

// The columns the county split and the missing indicators need: 关闭年度 (矿山名录), 核减重算资源储量 and the
// 可利用废弃物 quantities (矿山年报), stored and read back as written.
TEST_F(IntakeTest, ClosureWriteDownAndWasteColumnsAreStored) {
    intake_into_db(db_, {kData / "good_closure_mines.csv", kData / "good_closure_years.csv"}, false);
    auto data = load_annual(*store::GpkgStore::open(db_));
    const MineInfo* m = data.mine("CL-01");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->closed_year, 2022);
    EXPECT_EQ(m->county, "灵丘县");
    ASSERT_EQ(data.years.size(), 1u);
    EXPECT_DOUBLE_EQ(*data.years[0].reserves_adjusted, -5.0);
    EXPECT_DOUBLE_EQ(*data.years[0].waste_produced, 2.0);
    EXPECT_DOUBLE_EQ(*data.years[0].waste_used, 1.5);
    EXPECT_EQ(data.years[0].waste_unit, "万吨");
}

TEST_F(IntakeTest, XlsxErrorsNameTheSheetRowAndColumn) {
    TableView t;
    t.sheet_name = "矿山年报";
    t.headers = {"年度*", "矿山编号*", "矿种*", "矿石产量", "产量单位"};
    t.rows = {{Cell::of("2022"), Cell::of("GM-01"), Cell::of("煤炭"), Cell::of("100"), Cell::of("万吨")},
              {Cell::of("2022"), Cell::of("GM-02"), Cell::of("煤炭"), Cell::of("-1"), Cell::of("万吨")}};
    auto file = dir_ / "bad.xlsx";
    formats::write_xlsx(file, {t});
    const std::string before = bytes(db_);
    try {
        intake_into_db(db_, {file}, false);
        ADD_FAILURE() << "accepted a negative output";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.xlsx［矿山年报］第3行 D列（矿石产量）"), std::string::npos) << e.what();
    }
    EXPECT_EQ(bytes(db_), before);
}

TEST_F(IntakeTest, TemplateRoundTripsThroughTheXlsxReader) {
    auto file = dir_ / "template.xlsx";
    write_template_xlsx(*store::GpkgStore::open(db_), file);
    auto sheets = read_sheets(file);
    ASSERT_EQ(sheets.size(), 4u);
    EXPECT_EQ(sheets[2].name, "矿山年报");
    EXPECT_EQ(sheets[2].header.at(0), "年度*");
    EXPECT_EQ(sheets[2].header.at(8), "开采回采率（%）");
    EXPECT_TRUE(sheets[2].rows.empty());
    auto s = intake_into_db(db_, {file}, false);  // an empty template imports nothing, without error
    EXPECT_EQ(s.mines + s.mine_years + s.exploration, 0u);
}

TEST_F(IntakeTest, SampleCsvAndXlsxGiveTheSameData) {
    const fs::path samples = fs::path(MINPLAN_SOURCE_DIR) / "data" / "samples";
    auto csv = intake_into_db(db_, {samples / "sample_2021-2023_mines.csv", samples / "sample_2021-2023_mine_years.csv",
                                    samples / "sample_2021-2023_exploration.csv"}, false);
    auto db2 = dir_ / "plan2.gpkg";
    fs::copy_file(plan::ensure_default_database(), db2);
    auto xlsx = intake_into_db(db2, {samples / "sample_2021-2023_annual.xlsx"}, false);
    EXPECT_EQ(csv.mines, 13u);
    EXPECT_EQ(csv.mine_years, xlsx.mine_years);
    EXPECT_EQ(csv.exploration, xlsx.exploration);
    auto a = load_annual(*store::GpkgStore::open(db_));
    auto b = load_annual(*store::GpkgStore::open(db2));
    // The sample drives the statuses: coal on track in 2021, at risk in 2022 (just above the path), on track in 2023.
    const auto& set = ::minplan::shipped_indicators();
    const auto& st = ::minplan::shipped_standards();
    auto coal = [&](const AnnualData& d, int y) {
        for (const auto& r : evaluate_year(set, st, d, y).results)
            if (r.def->id == "E01") return r.status;
        return Status::NoData;
    };
    for (const auto* d : {&a, &b}) {
        EXPECT_EQ(coal(*d, 2021), Status::OnTrack);
        EXPECT_EQ(coal(*d, 2022), Status::AtRisk);
        EXPECT_EQ(coal(*d, 2023), Status::OnTrack);
    }
}
