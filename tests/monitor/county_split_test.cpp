// The county split (指标分解, chapter 7 一): the allocation table's checks and every indicator per county,
// on hand-made mines whose expected values are worked out in the comments from the shipped indicators.json
// (E01 原煤 cap 9000 万吨, base 9917, linear path; M01 煤炭矿山个数 cap 50, flat, band 10 %; Q01 三率 ≥ 95 %,
// 约束性; L01 大中型比例 ≥ 95 %; R01 新增查明 煤) and sanlv_thresholds.csv (coal 中厚煤层: 回采率 80 %, 综合利用率 75 %).
#include <gtest/gtest.h>

#include <fstream>

#include "../plan/plan_fixture.hpp"
#include "../shipped_plan.hpp"
#include "core/error.hpp"
#include "monitor/county_split.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "monitor/report.hpp"
#include "services/monitoring.hpp"
#include <nlohmann/json.hpp>
#include "store/plan_database.hpp"

namespace fs = std::filesystem;
using namespace minplan;
using namespace minplan::monitor;
using minplan::testing::TempDir;

namespace {

const IndicatorResult& result(const YearEvaluation& ev, const std::string& id) {
    for (const auto& r : ev.results)
        if (r.def->id == id) return r;
    throw std::runtime_error("no indicator " + id);
}

// An underground coal mine of 中厚煤层 reporting in 2023.
void coal(AnnualData& d, const std::string& id, const std::string& county, double output, double capacity, double recovery) {
    d.mines.push_back({id, "测试煤矿" + id, county, "煤炭", "井工", "中厚煤层", false, std::nullopt, "", "", std::nullopt});
    MineYear y;
    y.year = 2023;
    y.mine_id = id;
    y.mineral = "煤炭";
    y.output = output;
    y.output_unit = "万吨";
    y.capacity = capacity;
    y.capacity_unit = "万吨/年";
    y.mining_recovery = recovery;
    y.utilisation = 80;
    d.years.push_back(y);
}

// 左云县: A (100 万吨, 120 万吨/年 = 大型, 回采率 85 → passes), B (50 万吨, 30 万吨/年 = 小型, 回采率 70 < 80 → fails);
// 新荣区: C (300 万吨, 240 万吨/年 = 大型, passes).
AnnualData three_mines() {
    AnnualData d;
    coal(d, "A", "左云县", 100, 120, 85);
    coal(d, "B", "左云县", 50, 30, 70);
    coal(d, "C", "新荣区", 300, 240, 85);
    return d;
}

CountySplit split_of(std::vector<CountyTarget> rows) { return CountySplit{std::move(rows)}; }

std::string problems_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ProblemsError& e) {
        std::string all = e.what();
        for (const auto& p : e.problems()) all += "\n" + p;
        return all;
    }
    return "";
}

const std::vector<std::string> kCounties = {"左云县", "新荣区", "云冈区"};

}  // namespace

TEST(CountySplit, ACountyIsJudgedAgainstItsOwnTargets) {
    // 左云县 gets E01 ≤ 120 万吨 (base 200) and M01 ≤ 1 mine.
    const auto split = split_of({{2, "E01", "左云县", 120, 200, "测试分解"}, {3, "M01", "左云县", 1, std::nullopt, "测试分解"}});
    const auto ce = evaluate_county(shipped_indicators(), shipped_standards(), three_mines(), 2023, "左云县", split);
    // E01: 100 + 50 = 150 万吨. Path 2023: the base 200 exceeds the cap 120, so it declines linearly:
    // 200 + (120 − 200)·(2023 − 2020)/5 = 200 − 48 = 152. 120 < 150 ≤ 152 → 按进度 (on track).
    const auto& e01 = result(ce.ev, "E01");
    EXPECT_DOUBLE_EQ(*e01.actual, 150.0);
    EXPECT_DOUBLE_EQ(e01.path_value, 152.0);
    EXPECT_EQ(e01.status, Status::OnTrack);
    // M01: 2 mines against ≤ 1 (flat): 2 > 1·(1 + 10 %) → 未达标.
    EXPECT_DOUBLE_EQ(*result(ce.ev, "M01").actual, 2.0);
    EXPECT_EQ(result(ce.ev, "M01").status, Status::Breached);
    // Q01 (a share: the city's 95 % holds): A passes, B fails (70 < 80) → 1/2 = 50 % < 95, 约束性 → 未达标.
    EXPECT_DOUBLE_EQ(*result(ce.ev, "Q01").actual, 50.0);
    EXPECT_EQ(result(ce.ev, "Q01").status, Status::Breached);
    // L01: A 大型 (120 ≥ 120), B 小型 (30 < 45) → 50 %.
    EXPECT_DOUBLE_EQ(*result(ce.ev, "L01").actual, 50.0);
    EXPECT_FALSE(ce.unallocated.count("E01"));
    EXPECT_TRUE(ce.unallocated.count("E05"));  // 银矿: not split to the county
}

TEST(CountySplit, AnIndicatorNotSplitToTheCountyNeedsAManualCheckNeverTheCitysCap) {
    const auto split = split_of({{2, "E01", "左云县", 120, 200, "测试分解"}});
    const auto ce = evaluate_county(shipped_indicators(), shipped_standards(), three_mines(), 2023, "新荣区", split);
    // 新荣区: C alone, 300 万吨. Against the city's 9000 it would be 已达成: without its own target it is 需人工核查.
    const auto& e01 = result(ce.ev, "E01");
    EXPECT_DOUBLE_EQ(*e01.actual, 300.0);
    EXPECT_EQ(e01.status, Status::Manual);
    EXPECT_NE(e01.rule.find("未分解到新荣区"), std::string::npos) << e01.rule;
    EXPECT_EQ(result(ce.ev, "M01").status, Status::Manual);
    // Q01: 1/1 = 100 % ≥ 95 → 已达成 (a share: the city's target applies).
    EXPECT_DOUBLE_EQ(*result(ce.ev, "Q01").actual, 100.0);
    EXPECT_EQ(result(ce.ev, "Q01").status, Status::Met);
}

TEST(CountySplit, ExplorationResultsCarryNoCountySoNewResourcesNeedAManualCheckPerCounty) {
    auto data = three_mines();
    data.exploration.push_back({2022, "P1", "测试勘查", "煤炭", 1, "亿吨", "", "测试"});
    const auto split = split_of({{2, "R01", "左云县", 1, std::nullopt, "测试分解"}});
    const auto ce = evaluate_county(shipped_indicators(), shipped_standards(), data, 2023, "左云县", split);
    EXPECT_EQ(result(ce.ev, "R01").status, Status::Manual);
    EXPECT_NE(result(ce.ev, "R01").rule.find("不带行政区"), std::string::npos);
}

TEST(CountySplit, CountySharesAboveTheCityTargetAreRefusedNamingTheRows) {
    // E01: 5000 + 4500 = 9500 万吨 > the city's 9000.
    const auto split = split_of({{2, "E01", "左云县", 5000, std::nullopt, ""}, {3, "E01", "新荣区", 4500, std::nullopt, ""}});
    const auto msg = problems_of([&] { validate_split(split, shipped_indicators(), kCounties, "分解.csv"); });
    EXPECT_NE(msg.find("第2行、第3行"), std::string::npos) << msg;
    EXPECT_NE(msg.find("9500"), std::string::npos) << msg;
    EXPECT_NE(msg.find("9000"), std::string::npos) << msg;
    // 5000 + 4000 = 9000: exactly the city's target is allowed.
    EXPECT_NO_THROW(validate_split(split_of({{2, "E01", "左云县", 5000, std::nullopt, ""}, {3, "E01", "新荣区", 4000, std::nullopt, ""}}),
                                   shipped_indicators(), kCounties, "分解.csv"));
}

TEST(CountySplit, BadRowsAreNamed) {
    const auto split = split_of({{2, "X99", "左云县", 1, std::nullopt, ""},
                                 {3, "E01", "不存在县", 1, std::nullopt, ""},
                                 {4, "Q01", "左云县", 120, std::nullopt, ""},
                                 {5, "M01", "云冈区", 3, std::nullopt, ""},
                                 {6, "M01", "云冈区", 4, std::nullopt, ""}});
    const auto msg = problems_of([&] { validate_split(split, shipped_indicators(), kCounties, "分解.csv"); });
    EXPECT_NE(msg.find("第2行“指标编号”列：规划没有指标“X99”"), std::string::npos) << msg;
    EXPECT_NE(msg.find("第3行“县区”列：“不存在县”不是本规划的县区"), std::string::npos) << msg;
    EXPECT_NE(msg.find("第4行“分解目标”列：Q01 是百分比，应在 0–100 之间"), std::string::npos) << msg;
    EXPECT_NE(msg.find("第6行：指标 M01 在“云冈区”已有分解目标"), std::string::npos) << msg;
}

TEST(CountySplit, ImportChecksAgainstThePlanAndWritesNothingOnABadRow) {
    TempDir dir;
    const fs::path db_file = minplan::testing::copy_of_plan(dir);
    auto db = store::open_database(db_file.string());
    EXPECT_TRUE(load_split(*db->snapshot()).rows.empty());  // the plan text gives no county figure
    const auto before = db->version();
    {
        std::ofstream f(dir / "bad.csv");
        f << "指标编号,县区,分解目标,基期值,来源\nE01,左云县,5000,,测试\nE01,新荣区,4500,,测试\n";
    }
    EXPECT_THROW(import_split(*db, dir / "bad.csv"), ProblemsError);
    EXPECT_EQ(db->version(), before);
    EXPECT_TRUE(load_split(*db->snapshot()).rows.empty());
    {
        std::ofstream f(dir / "good.csv");
        f << "指标编号,县区,分解目标,基期值,来源\nE01,左云县,5000,6000,测试\nM01,新荣区,3,,测试\n";
    }
    import_split(*db, dir / "good.csv");
    const auto stored = load_split(*db->snapshot());
    ASSERT_EQ(stored.rows.size(), 2u);
    ASSERT_NE(stored.find("E01", "左云县"), nullptr);
    EXPECT_DOUBLE_EQ(stored.find("E01", "左云县")->target, 5000.0);
    EXPECT_DOUBLE_EQ(*stored.find("E01", "左云县")->base, 6000.0);
    EXPECT_FALSE(stored.find("M01", "新荣区")->base.has_value());
}

// The sample data (data/samples, mines in several counties): the report's 分县监测 sheet holds every county of a
// reporting mine, and for each extraction indicator the counties' actuals add up to the city's (every sample mine
// names its county). The CLI prints the same and refuses a bad split with exit 3, naming the rows.
TEST(CountySplit, TheReportAndTheCliShowEveryCountyAndTheCountiesAddUpToTheCity) {
    TempDir dir;
    const fs::path db_file = minplan::testing::copy_of_plan(dir);
    intake_into_db(db_file, {minplan::source_dir() / "data" / "samples" / "sample_2021-2023_annual.xlsx"}, false);
    auto store = store::open_store(db_file.string());
    const auto in = services::monitoring_input(*store, 2023);
    const auto ev = evaluate_year(*in.indicators, *in.standards, in.data, 2023, in.external);
    const auto tables = report_tables(in, ev);
    const TableView* county = nullptr;
    bool split_sheet = false;
    for (const auto& t : tables) {
        if (t.sheet_name == "分县监测") county = &t;
        split_sheet |= t.sheet_name == "指标分解";
    }
    ASSERT_NE(county, nullptr);
    EXPECT_TRUE(split_sheet);
    std::set<std::string> counties;
    for (const auto& m : in.data.mines) counties.insert(m.county);
    std::set<std::string> shown;
    std::map<std::string, double> summed;
    for (const auto& row : county->rows) {
        shown.insert(row[0].text);
        if (row[1].text.rfind("E", 0) == 0 && row[5].number) summed[row[1].text] += *row[5].number;
    }
    EXPECT_EQ(shown, counties);
    int compared = 0;
    for (const auto& r : ev.results)
        if (r.def->measure == "extraction" && r.actual && r.status != Status::Manual) {
            EXPECT_NEAR(summed[r.def->id], *r.actual, 1e-9 * *r.actual) << r.def->id;
            ++compared;
        }
    EXPECT_GT(compared, 0);

    const std::string c = *counties.begin();
    auto out = minplan::testing::run_cli({"--db", db_file.string(), "--json", "monitor", "--year", "2023", "--county", c});
    ASSERT_EQ(out.code, 0) << out.err;
    const auto j = nlohmann::json::parse(out.out);
    EXPECT_EQ(j["county"], c);
    EXPECT_EQ(j, services::county_year_evaluation(in, c));
    {
        std::ofstream f(dir / "bad.csv");
        f << "指标编号,县区,分解目标\nM01,左云县,30\nM01,新荣区,30\n";  // 60 > the city's 50 coal mines
    }
    out = minplan::testing::run_cli({"--db", db_file.string(), "allocation", "import", (dir / "bad.csv").string()});
    EXPECT_EQ(out.code, 3);
    EXPECT_NE(out.err.find("第2行、第3行"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("超过全市目标 50"), std::string::npos) << out.err;
}
