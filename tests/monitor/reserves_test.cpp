// The reserves ledger over three years of fictional intake, every balance worked by hand in the comments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "../rules/shipped_package.hpp"
#include "../server/running_portal.hpp"
#include "core/error.hpp"
#include "monitor/annual.hpp"
#include "monitor/reserves.hpp"
#include "store/gpkg_store.hpp"

namespace minplan {
namespace {

using testing::TempDir;

Feature row(std::map<std::string, Value> attrs) {
    Feature f;
    f.attributes = std::move(attrs);
    return f;
}

Feature exploration(int year, const char* id, const char* mineral, double amount, const char* unit) {
    return monitor::to_feature(monitor::ExplorationResult{year, id, "", mineral, amount, unit, "", "测试"});
}

Feature mine_year(int year, const char* mine, const char* mineral, double consumed, const char* unit) {
    monitor::MineYear y;
    y.year = year;
    y.mine_id = mine;
    y.mineral = mineral;
    y.reserves_consumed = consumed;
    y.reserves_unit = unit;
    return monitor::to_feature(y);
}

// 专栏1 (base year 2020): 煤炭 1000 万吨, 铜矿 500 吨 (金属量), 稀土 in two measures. Chapter 1's text: 煤 1000
// (agrees), 铜矿 520 (disagrees with 专栏1), 石墨 全部 100 = 30 + 60? (no: 90).
class ReservesTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto reg = testing::shipped_schemas();
        store::GpkgWriter w(dir / "plan.gpkg");
        w.set_metadata("id", "reserves-test-plan");
        w.set_metadata("base_year", "2020");
        store_shipped_package(w);
        auto zl01 = [](const char* mineral, const char* measure, const char* unit, double v) {
            return row({{"category", std::string("测试")}, {"mineral", std::string(mineral)}, {"measure", std::string(measure)},
                        {"unit", std::string(unit)}, {"reserves", v}});
        };
        w.write_layer(reg.find("zl01_resources_by_mineral"),
                      {zl01("煤炭", "", "万吨", 1000), zl01("铜矿", "金属量", "吨", 500), zl01("稀土", "矿石量", "万吨", 48),
                       zl01("稀土", "稀土总量", "万吨", 0.8)});
        auto text = [](const char* mineral, const char* scope, double v, const char* unit) {
            return row({{"mineral", std::string(mineral)}, {"figure", std::string("保有资源量")}, {"scope", std::string(scope)}, {"value", v},
                        {"unit", std::string(unit)}});
        };
        w.write_layer(reg.find("ch1_resources_text"),
                      {text("煤", "全部", 1000, "万吨"), text("铜矿", "上山西省矿产资源量简表", 520, "吨"), text("石墨", "全部", 100, "万吨"),
                       text("石墨", "上山西省矿产资源量简表", 30, "万吨"), text("石墨", "未上山西省矿产资源简表", 60, "万吨")});
        w.write_layer(reg.find("monitor_mines"), {});
        w.write_layer(reg.find("monitor_exploration"),
                      {exploration(2021, "P1", "煤", 50, "万吨"),     // 2021 煤 +50
                       exploration(2023, "P2", "金", 5, "吨"),        // 专栏1 has no 金
                       exploration(2023, "P3", "稀土", 10, "万吨"),   // two 稀土 measures, no basis given
                       exploration(2023, "P4", "煤炭", 80, "万吨")}); // 2023 煤 +80
        w.write_layer(reg.find("monitor_mine_years"),
                      {mine_year(2021, "A", "煤", 30, "万吨"),          // 2021 煤 −30
                       mine_year(2022, "A", "煤", 1000000, "吨"),       // 2022 煤 −1 000 000 吨 = −100 万吨
                       mine_year(2022, "B", "铜矿", 600, "吨"),         // 2022 铜 −600
                       mine_year(2023, "A", "煤", 20, "立方米")});      // a volume for a mass: not counted
        w.commit();
        store = store::open_store((dir / "plan.gpkg").string());
    }

    static const monitor::LedgerLine& line(const monitor::ReservesLedger& l, int year, const std::string& mineral) {
        const auto* y = l.year(year);
        if (!y) throw std::runtime_error("no year");
        for (const auto& x : y->lines)
            if (x.mineral == mineral) return x;
        throw std::runtime_error("no line " + mineral);
    }
    static int count(const monitor::ReservesLedger& l, const std::string& kind) {
        int n = 0;
        for (const auto& d : l.discrepancies) n += d.kind == kind;
        return n;
    }

    TempDir dir;
    std::unique_ptr<store::PlanStore> store;
};

TEST_F(ReservesTest, RollsForwardYearByYear) {
    const auto l = monitor::reserves_ledger(*store, 2024);
    ASSERT_EQ(l.years.size(), 4u);  // 2021 … 2024
    // 煤炭: 2021 1000 + 50 − 30 = 1020; 2022 1020 − 100 = 920; 2023 920 + 80 = 1000 (the 立方米 row left out); 2024 unchanged.
    EXPECT_DOUBLE_EQ(*line(l, 2021, "煤炭").opening, 1000);
    EXPECT_DOUBLE_EQ(line(l, 2021, "煤炭").discovered, 50);
    EXPECT_DOUBLE_EQ(line(l, 2021, "煤炭").consumed, 30);
    EXPECT_DOUBLE_EQ(*line(l, 2021, "煤炭").closing, 1020);
    EXPECT_DOUBLE_EQ(line(l, 2022, "煤炭").consumed, 100);
    EXPECT_DOUBLE_EQ(*line(l, 2022, "煤炭").closing, 920);
    EXPECT_DOUBLE_EQ(*line(l, 2023, "煤炭").closing, 1000);
    EXPECT_DOUBLE_EQ(*line(l, 2024, "煤炭").opening, 1000);
    EXPECT_DOUBLE_EQ(*line(l, 2024, "煤炭").closing, 1000);
    // 铜矿: 500 − 600 = −100 in 2022: shown as it is, and listed (2022, 2023, 2024).
    EXPECT_DOUBLE_EQ(*line(l, 2022, "铜矿").closing, -100);
    EXPECT_EQ(count(l, "negative"), 3);
    // 金: no opening balance, the year's flow kept apart.
    EXPECT_FALSE(line(l, 2023, "金").opening.has_value());
    EXPECT_DOUBLE_EQ(line(l, 2023, "金").discovered, 5);
    EXPECT_EQ(count(l, "unknown_mineral"), 1);
    // 稀土 (which measure?) and 煤 in 立方米: not absorbed.
    EXPECT_DOUBLE_EQ(line(l, 2023, "稀土").discovered, 0);
    EXPECT_EQ(count(l, "unit"), 2);
    // The seed: 铜矿 专栏1 500 ≠ text 520; 石墨 全部 100 ≠ 30 + 60 = 90; 煤 agrees.
    EXPECT_EQ(count(l, "seed"), 2);
}

TEST_F(ReservesTest, CliPrintsTheYearAndRefusesAYearBeforeTheBase) {
    const std::string db = (dir / "plan.gpkg").string();
    auto r = testing::run_cli({"--db", db, "reserves", "2022", "--xlsx", (dir / "ledger.xlsx").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("2022年末"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("920"), std::string::npos) << r.out;
    EXPECT_TRUE(std::filesystem::exists(dir / "ledger.xlsx"));
    r = testing::run_cli({"--db", db, "--json", "reserves"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["years"].back()["year"], 2023);  // the last year with data
    EXPECT_EQ(testing::run_cli({"--db", db, "reserves", "2020"}).code, 3);
    // The API answers as the CLI (one service).
    testing::RunningPortal portal(dir / "plan.gpkg");
    auto [status, api] = portal.get_json("/api/reserves");
    ASSERT_EQ(status, 200);
    EXPECT_EQ(api, j);
    EXPECT_EQ(portal.get_json("/api/reserves?year=2020").first, 400);
    EXPECT_EQ(portal.get_json("/api/reserves?year=abc").first, 400);
}

// The intake refuses a year that takes a balance below zero (a balance already below zero is the ledger's).
TEST_F(ReservesTest, AnIntakeTakingABalanceBelowZeroNamesItsRows) {
    const auto before = monitor::load_annual(*store);
    auto after = before;
    monitor::MineYear y;
    y.year = 2024;
    y.mine_id = "A";
    y.mineral = "煤炭";
    y.reserves_consumed = 1500;  // 2024: 1000 − 1500 = −500 万吨
    y.reserves_unit = "万吨";
    after.years.push_back(y);
    const auto problems = monitor::new_negative_balances(*store, before, after);
    ASSERT_EQ(problems.size(), 1u);  // 铜矿 was below zero before: not this intake's doing
    EXPECT_NE(problems[0].find("矿山年报 A 2024年 动用 1500 万吨"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("1000 + 0 − 1500 = -500"), std::string::npos) << problems[0];
    y.reserves_consumed = 1000;  // exactly the balance: 0, allowed
    after.years.back() = y;
    EXPECT_TRUE(monitor::new_negative_balances(*store, before, after).empty());
}

// 核减/重算 (矿山年报 核减重算资源储量, signed) enter the balance: 煤炭 opens 2024 at 1000 万吨 (2023's closing).
TEST_F(ReservesTest, WriteDownsAndReestimatesEnterTheBalance) {
    auto data = monitor::load_annual(*store);
    monitor::MineYear a;
    a.year = 2024;
    a.mine_id = "A";
    a.mineral = "煤炭";
    a.reserves_consumed = 100;
    a.reserves_adjusted = -300;  // 核减 300
    a.reserves_unit = "万吨";
    data.years.push_back(a);
    monitor::MineYear b = a;
    b.year = 2025;
    b.mine_id = "B";
    b.reserves_consumed.reset();
    b.reserves_adjusted = 500000;  // 重算 +500 000 吨 = +50 万吨
    b.reserves_unit = "吨";
    data.years.push_back(b);
    const auto l = monitor::reserves_ledger(*store, data, 2025);
    // 2024: 1000 + 0 − 100 − 300 = 600; 2025: 600 + 50 = 650.
    EXPECT_DOUBLE_EQ(line(l, 2024, "煤炭").adjusted, -300);
    EXPECT_DOUBLE_EQ(*line(l, 2024, "煤炭").closing, 600);
    EXPECT_DOUBLE_EQ(line(l, 2025, "煤炭").adjusted, 50);
    EXPECT_DOUBLE_EQ(*line(l, 2025, "煤炭").closing, 650);
    EXPECT_EQ(monitor::reserves_json(l, 2025)["years"][0]["lines"][0]["adjusted"], 50);
}

// A 核减 that takes a balance below zero is refused naming its row: 1000 + 0 − 100 − 1000 = −100.
TEST_F(ReservesTest, AWriteDownTakingABalanceBelowZeroNamesItsRow) {
    const auto before = monitor::load_annual(*store);
    auto after = before;
    monitor::MineYear y;
    y.year = 2024;
    y.mine_id = "A";
    y.mineral = "煤炭";
    y.reserves_consumed = 100;
    y.reserves_adjusted = -1000;
    y.reserves_unit = "万吨";
    after.years.push_back(y);
    const auto problems = monitor::new_negative_balances(*store, before, after);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("矿山年报 A 2024年 核减 1000 万吨"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("1000 + 0 − 100 − 1000 = -100"), std::string::npos) << problems[0];
}

}  // namespace
}  // namespace minplan
