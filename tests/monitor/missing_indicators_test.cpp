// The indicators issue 15 found unmonitored, each from its plan clause in the shipped indicators.json:
// C20 (第四章第三节: 2022年底前关闭非煤矿山20座以上), W01/W02 (第六章三: 矿山可利用废弃物平均利用率 2023年 ≥ 50 %,
// 2025年 ≥ 80 %), E10–E12 (第四章第二节: 锰矿 10 万吨, 玄武岩 21 万立方米, 片麻岩 200 万立方米左右). Every
// expected value is worked out in the comments.
#include <gtest/gtest.h>

#include "../shipped_plan.hpp"
#include "monitor/county_split.hpp"
#include "monitor/evaluate.hpp"

using namespace minplan;
using namespace minplan::monitor;

namespace {

const IndicatorResult& result(const YearEvaluation& ev, const std::string& id) {
    for (const auto& r : ev.results)
        if (r.def->id == id) return r;
    throw std::runtime_error("no indicator " + id);
}

YearEvaluation evaluate(const AnnualData& d, int year) { return evaluate_year(shipped_indicators(), shipped_standards(), d, year); }

void mine(AnnualData& d, const std::string& id, const std::string& mineral, std::optional<int> closed, const std::string& county = "") {
    MineInfo m{id, "测试矿山" + id, county, mineral, "露天", "", false, std::nullopt, "", "测试", std::nullopt};
    m.closed_year = closed;
    d.mines.push_back(m);
}

MineYear year_of(const std::string& id, const std::string& mineral, int year) {
    MineYear y;
    y.year = year;
    y.mine_id = id;
    y.mineral = mineral;
    return y;
}

}  // namespace

TEST(MissingIndicators, NonCoalClosuresCountTheClosuresOfThePlanPeriodOnly) {
    AnnualData d;
    mine(d, "N1", "铁", 2021);
    mine(d, "N2", "石墨", 2022);
    mine(d, "N3", "水泥用灰岩", 2020);  // before the period (base year 2020): not counted
    mine(d, "K1", "煤炭", 2021);        // a coal mine: not a 非煤矿山
    mine(d, "N4", "铁", std::nullopt);  // still open
    // 2021: N1 → 1. Path to the 2022 deadline, cumulative: 20 × (2021 − 2020)/(2022 − 2020) = 10. Behind it before the
    // deadline with a 100 % band → 有风险.
    const auto& y2021 = result(evaluate(d, 2021), "C20");
    EXPECT_DOUBLE_EQ(*y2021.actual, 1.0);
    EXPECT_DOUBLE_EQ(y2021.path_value, 10.0);
    EXPECT_EQ(y2021.status, Status::AtRisk);
    // 2022 (the deadline): N1, N2 → 2 < 20 → 未达标.
    const auto& y2022 = result(evaluate(d, 2022), "C20");
    EXPECT_DOUBLE_EQ(*y2022.actual, 2.0);
    EXPECT_EQ(y2022.status, Status::Breached);
    // 20 more non-coal mines closed in 2022: 22 ≥ 20 → 已达成, and still in 2024 (2023 and later count on).
    for (int i = 0; i < 20; ++i) mine(d, "M" + std::to_string(i), "建筑石料用灰岩", 2022);
    EXPECT_DOUBLE_EQ(*result(evaluate(d, 2022), "C20").actual, 22.0);
    EXPECT_EQ(result(evaluate(d, 2022), "C20").status, Status::Met);
    EXPECT_EQ(result(evaluate(d, 2024), "C20").status, Status::Met);
    // Without any mine in the data there is nothing to count: 无数据; mines none of which carries a 关闭年度
    // (the column not reported): 需人工核查, never a silent 0.
    EXPECT_EQ(result(evaluate(AnnualData{}, 2022), "C20").status, Status::NoData);
    AnnualData unreported;
    mine(unreported, "N9", "铁", std::nullopt);
    EXPECT_EQ(result(evaluate(unreported, 2022), "C20").status, Status::Manual);
}

TEST(MissingIndicators, WasteUtilisationIsWeightedByQuantity) {
    AnnualData d;
    mine(d, "A", "煤炭", std::nullopt);
    mine(d, "B", "铁", std::nullopt);
    auto a = year_of("A", "煤炭", 2023);
    a.waste_produced = 100;
    a.waste_used = 40;
    a.waste_unit = "万吨";
    auto b = year_of("B", "铁", 2023);
    b.waste_produced = 1000000;  // 吨 = 100 万吨
    b.waste_used = 700000;       // 70 万吨
    b.waste_unit = "吨";
    d.years = {a, b};
    // (40 + 70) / (100 + 100) = 55 %. W01 (≥ 50 by 2023): 已达成. W02 (≥ 80 by 2025, flat, 100 % band before 2025): 有风险.
    const auto ev = evaluate(d, 2023);
    EXPECT_DOUBLE_EQ(*result(ev, "W01").actual, 55.0);
    EXPECT_EQ(result(ev, "W01").status, Status::Met);
    EXPECT_DOUBLE_EQ(*result(ev, "W02").actual, 55.0);
    EXPECT_EQ(result(ev, "W02").status, Status::AtRisk);
    // 2023 is W01's deadline: 49.5 % (99/200) is 未达标 there, not 有风险.
    d.years[0].waste_used = 29;
    EXPECT_EQ(result(evaluate(d, 2023), "W01").status, Status::Breached);
    // A volume for waste cannot be summed with tonnes: 需人工核查.
    d.years[0].waste_unit = "立方米";
    EXPECT_EQ(result(evaluate(d, 2023), "W01").status, Status::Manual);
}

TEST(MissingIndicators, ManganeseBasaltAndGneissCaps) {
    AnnualData d;
    mine(d, "MN", "锰", std::nullopt);
    mine(d, "GN", "片麻岩", std::nullopt);
    mine(d, "BS", "玄武岩", std::nullopt);
    auto mn = year_of("MN", "锰", 2023);
    mn.output = 10.4;  // > 10, ≤ 10 × 1.05 = 10.5 before 2025 → 有风险
    mn.output_unit = "万吨";
    auto gn = year_of("GN", "片麻岩", 2023);
    gn.output = 30000;  // 立方米 = 3 万立方米 ≤ 200 → 已达成
    gn.output_unit = "立方米";
    auto bs = year_of("BS", "玄武岩", 2023);
    bs.output = 25;  // 万立方米 > 21 × 1.05 = 22.05 → 未达标
    bs.output_unit = "万立方米";
    d.years = {mn, gn, bs};
    const auto ev = evaluate(d, 2023);
    EXPECT_DOUBLE_EQ(*result(ev, "E10").actual, 10.4);
    EXPECT_EQ(result(ev, "E10").status, Status::AtRisk);
    EXPECT_DOUBLE_EQ(*result(ev, "E12").actual, 3.0);
    EXPECT_EQ(result(ev, "E12").status, Status::Met);
    EXPECT_DOUBLE_EQ(*result(ev, "E11").actual, 25.0);
    EXPECT_EQ(result(ev, "E11").status, Status::Breached);
}

TEST(MissingIndicators, ClosuresAreSplitByCountyAndTheWasteRateTakesTheCitysTarget) {
    AnnualData d;
    mine(d, "N1", "铁", 2021, "灵丘县");
    mine(d, "N2", "铁", 2022, "灵丘县");
    mine(d, "N3", "铁", 2022, "浑源县");
    const CountySplit split{{{2, "C20", "灵丘县", 2, std::nullopt, "测试分解"}}};
    // 灵丘县: 2 closures against its own 2 → 已达成; 浑源县: 1 closure, no share of the 20 → 需人工核查.
    const auto lq = evaluate_county(shipped_indicators(), shipped_standards(), d, 2022, "灵丘县", split);
    EXPECT_DOUBLE_EQ(*result(lq.ev, "C20").actual, 2.0);
    EXPECT_EQ(result(lq.ev, "C20").status, Status::Met);
    const auto hy = evaluate_county(shipped_indicators(), shipped_standards(), d, 2022, "浑源县", split);
    EXPECT_DOUBLE_EQ(*result(hy.ev, "C20").actual, 1.0);
    EXPECT_EQ(result(hy.ev, "C20").status, Status::Manual);
    EXPECT_FALSE(hy.unallocated.count("W01"));  // a share: the city's 50 % holds
}
