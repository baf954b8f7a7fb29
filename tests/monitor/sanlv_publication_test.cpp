// The yearly 三率 publication: every verdict at, just below and just above its threshold, and the share of
// large and medium mines against the plan's 95 % target, all worked by hand.
//
// Thresholds: the shipped table (real values: 煤炭 井工 中厚煤层 开采回采率 ≥ 80, 综合利用率 ≥ 75, 2012–2023;
// 石灰岩 not retrieved) plus two fictional 领跑者 rows for coal (90 and 85) appended by this test: the real
// leading tier (DZ/T 0462.x-2023) was not retrieved. Size classes: shipped (煤炭 井工 大型 ≥ 120, 中型 ≥ 45
// 万吨/年; 石灰岩 大型 ≥ 100).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "../plan/plan_fixture.hpp"
#include "../shipped_plan.hpp"
#include "monitor/intake.hpp"
#include "monitor/sanlv_list.hpp"
#include "../server/running_portal.hpp"

namespace minplan {
namespace {

using testing::TempDir;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class SanlvPublicationTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto root = source_dir() / "data";
        std::string sanlv = slurp(root / "standards" / "sanlv_thresholds.csv");
        sanlv += "煤炭,井工,中厚煤层,开采回采率,领跑者,90,2012,2023,configured,测试用虚构值,minplan 测试（虚构）\n"
                 "煤炭,,,综合利用率,领跑者,85,2012,2023,configured,测试用虚构值,minplan 测试（虚构）\n";
        std::ofstream(dir / "sanlv.csv") << sanlv;
        standards = monitor::Standards::load(root / "schema" / "minerals.csv", root / "standards" / "mine_size_classes.csv", dir / "sanlv.csv");
        indicators = monitor::IndicatorSet::load(testing::plan_source_dir() / "indicators.json");
    }

    // A coal underground mine (中厚煤层) reporting in 2022.
    void coal(const char* id, double capacity, double recovery, double utilisation) {
        add(id, "煤炭", "井工", "中厚煤层", capacity, recovery, utilisation);
    }
    void add(const char* id, const char* mineral, const char* method, const char* condition, double capacity, std::optional<double> recovery,
             std::optional<double> utilisation) {
        monitor::MineInfo m;
        m.mine_id = id;
        m.name = std::string(id) + "矿";
        m.county = "某县";
        m.mineral = mineral;
        m.method = method;
        m.condition = condition;
        data.mines.push_back(m);
        monitor::MineYear y;
        y.year = 2022;
        y.mine_id = id;
        y.mineral = mineral;
        y.capacity = capacity;
        y.capacity_unit = "万吨/年";
        y.mining_recovery = recovery;
        y.utilisation = utilisation;
        data.years.push_back(y);
    }
    const monitor::SanlvListedMine& mine(const monitor::SanlvPublication& p, const std::string& id) {
        for (const auto& m : p.mines)
            if (m.mine_id == id) return m;
        throw std::runtime_error("no mine " + id);
    }

    TempDir dir;
    monitor::Standards standards;
    monitor::IndicatorSet indicators;
    monitor::AnnualData data;
};

using R = monitor::SanlvResult;

TEST_F(SanlvPublicationTest, EachThresholdAtJustBelowAndJustAbove) {
    coal("C1", 150, 80, 75);        // 大型; minimum: at both (80, 75) → pass; leading: below → fail
    coal("C2", 120, 79.99, 75);     // 大型 (at 120); 开采回采率 just below 80 → fail
    coal("C3", 45, 80.01, 75.01);   // 中型 (at 45); just above → pass
    coal("C4", 44.99, 70, 70);      // 小型 (just below 45): below, but not a large or medium mine
    coal("C5", 200, 90, 85);        // leading: at both → pass
    coal("C6", 200, 89.99, 85);     // leading: just below → fail (minimum: pass)
    coal("C7", 200, 90.01, 85.01);  // leading: just above → pass
    add("L1", "石灰岩", "露天", "", 150, 95, 95);  // 大型 limestone: thresholds not retrieved → 需人工核查
    const auto p = monitor::sanlv_publication(indicators, standards, data, 2022);
    EXPECT_EQ(mine(p, "C1").minimum.result, R::Pass);
    EXPECT_EQ(mine(p, "C1").leading.result, R::Fail);
    EXPECT_EQ(mine(p, "C2").size_class, "大型");
    EXPECT_EQ(mine(p, "C2").minimum.result, R::Fail);
    EXPECT_EQ(mine(p, "C3").size_class, "中型");
    EXPECT_EQ(mine(p, "C3").minimum.result, R::Pass);
    EXPECT_EQ(mine(p, "C4").size_class, "小型");
    EXPECT_EQ(mine(p, "C4").minimum.result, R::Fail);
    EXPECT_EQ(mine(p, "C5").leading.result, R::Pass);
    EXPECT_EQ(mine(p, "C6").minimum.result, R::Pass);
    EXPECT_EQ(mine(p, "C6").leading.result, R::Fail);
    EXPECT_EQ(mine(p, "C7").leading.result, R::Pass);
    const auto& l1 = mine(p, "L1");
    EXPECT_EQ(l1.minimum.result, R::Manual);
    ASSERT_FALSE(l1.minimum.details.empty());
    EXPECT_NE(l1.minimum.details.front().find("石灰岩“三率”指标未取得"), std::string::npos) << l1.minimum.details.front();
    // Large and medium: C1 C3 C5 C6 C7 pass, C2 fails, L1 undecided: 5/7 = 71.43 %, at best 6/7 = 85.71 % < 95 %.
    EXPECT_EQ(p.pass, 5);
    EXPECT_EQ(p.fail, 1);
    EXPECT_EQ(p.manual, 1);
    EXPECT_NEAR(*p.share_low, 100.0 * 5 / 7, 1e-9);
    EXPECT_NEAR(*p.share_high, 100.0 * 6 / 7, 1e-9);
    EXPECT_DOUBLE_EQ(*p.target_pct, 95);  // the plan's indicator (专栏8 序号29)
    EXPECT_EQ(p.status, monitor::Status::Breached);
    // The lists: below the minimum C2 only (C4 is small); at the leading level C5 and C7.
    const auto tables = monitor::sanlv_publication_tables(p);
    ASSERT_EQ(tables.size(), 4u);
    ASSERT_EQ(tables[1].rows.size(), 1u);
    EXPECT_EQ(tables[1].rows[0][1].text, "C2");
    ASSERT_EQ(tables[2].rows.size(), 2u);
    EXPECT_EQ(tables[2].rows[0][1].text, "C5");
    EXPECT_EQ(tables[2].rows[1][1].text, "C7");
    EXPECT_EQ(tables[3].rows.size(), 8u);
}

TEST_F(SanlvPublicationTest, TheShareAtJustBelowAndUndecidedAgainstNinetyFivePercent) {
    for (int i = 0; i < 19; ++i) coal(("P" + std::to_string(i)).c_str(), 150, 80, 75);
    coal("F1", 150, 79, 75);
    auto p = monitor::sanlv_publication(indicators, standards, data, 2022);
    EXPECT_NEAR(*p.share_low, 95, 1e-9);  // 19 / 20 = 95 %: at the target
    EXPECT_EQ(p.status, monitor::Status::Met);
    coal("F2", 150, 79, 75);  // 19 / 21 = 90.48 % < 95 %
    p = monitor::sanlv_publication(indicators, standards, data, 2022);
    EXPECT_EQ(p.status, monitor::Status::Breached);
    data.years.back().utilisation.reset();  // F2 undecided (综合利用率 not reported): 19/21 now, 20/21 = 95.24 % at best
    data.years.back().mining_recovery = 80;
    p = monitor::sanlv_publication(indicators, standards, data, 2022);
    EXPECT_EQ(p.manual, 1);
    EXPECT_NEAR(*p.share_high, 100.0 * 20 / 21, 1e-9);
    EXPECT_EQ(p.status, monitor::Status::Manual);
}

TEST_F(SanlvPublicationTest, TheLeadingTierOfTheShippedTableIsNotRetrieved) {
    std::ofstream(dir / "shipped.csv") << slurp(source_dir() / "data" / "standards" / "sanlv_thresholds.csv");
    const auto root = source_dir() / "data";
    standards = monitor::Standards::load(root / "schema" / "minerals.csv", root / "standards" / "mine_size_classes.csv", dir / "shipped.csv");
    coal("C1", 150, 99, 99);
    data.years.back().year = 2024;
    const auto p = monitor::sanlv_publication(indicators, standards, data, 2024);
    EXPECT_EQ(mine(p, "C1").leading.result, R::Manual);
    EXPECT_NE(mine(p, "C1").leading.details.front().find("领跑者"), std::string::npos);
    EXPECT_NE(monitor::sanlv_publication_html(p, "测试规划").find("2024年度矿山“三率”指标公布"), std::string::npos);
}

// The CLI and the API are one service: the same publication through both, on the shipped plan with the
// sample data; the HTML and XLSX files are written.
TEST_F(SanlvPublicationTest, ApiAnswersAsTheCli) {
    const auto db = testing::copy_of_plan(dir);
    const auto samples = source_dir() / "data" / "samples";
    monitor::intake_into_db(db, {samples / "sample_2021-2023_mines.csv", samples / "sample_2021-2023_mine_years.csv",
                                 samples / "sample_2021-2023_exploration.csv"},
                            false);
    auto cli = testing::run_cli({"--db", db.string(), "--json", "sanlv", "2022"});
    ASSERT_EQ(cli.code, 0) << cli.err;
    testing::RunningPortal portal(db);
    auto [status, api] = portal.get_json("/api/sanlv?year=2022");
    ASSERT_EQ(status, 200);
    EXPECT_EQ(api, nlohmann::json::parse(cli.out));
    EXPECT_EQ(portal.get_json("/api/sanlv?year=2030").first, 400);
    cli = testing::run_cli({"--db", db.string(), "sanlv", "2022", "--html", (dir / "s.html").string(), "--xlsx", (dir / "s.xlsx").string()});
    ASSERT_EQ(cli.code, 0) << cli.err;
    EXPECT_NE(testing::read_bytes(dir / "s.html").find("2022年度“三率”低于最低指标（底线）的大中型矿山"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir / "s.xlsx"));
}

}  // namespace
}  // namespace minplan
