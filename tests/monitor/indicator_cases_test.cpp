// Indicators on small hand-made data sets, one per status, and the sample data's statuses pinned to values
// worked out by hand from data/samples/*.csv, data/standards/*.csv and the plan's indicators.json. Every
// expected value is derived in the comments; none is taken from the code under test.
#include <gtest/gtest.h>

#include "../shipped_plan.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "plan/builder.hpp"
#include "store/gpkg_store.hpp"

namespace fs = std::filesystem;
using namespace minplan;
using namespace minplan::monitor;

namespace {

const IndicatorResult& result(const YearEvaluation& ev, const std::string& id) {
    for (const auto& r : ev.results)
        if (r.def->id == id) return r;
    throw std::runtime_error("no indicator " + id);
}

YearEvaluation evaluate(const AnnualData& d, int year) {
    return evaluate_year(::minplan::shipped_indicators(), ::minplan::shipped_standards(), d, year);
}

// An underground coal mine with its 三率 (开采回采率, 综合利用率) and capacity.
struct CoalMine {
    std::string id, condition;  // 薄煤层 / 中厚煤层 / 厚煤层
    std::optional<double> recovery, utilisation;
    double capacity = 100;
};

AnnualData coal_mines(int year, const std::vector<CoalMine>& mines) {
    AnnualData d;
    for (const auto& m : mines) {
        d.mines.push_back({m.id, "测试煤矿" + m.id, "", "煤炭", "井工", m.condition, false, std::nullopt, "", "", std::nullopt});
        MineYear y;
        y.year = year;
        y.mine_id = m.id;
        y.mineral = "煤炭";
        y.output = 10;
        y.output_unit = "万吨";
        y.capacity = m.capacity;
        y.capacity_unit = "万吨/年";
        y.mining_recovery = m.recovery;
        y.utilisation = m.utilisation;
        d.years.push_back(y);
    }
    return d;
}

}  // namespace

// ---- Q01 三率达标率 (floor 95 %, 约束性: band 0). Coal minimums (sanlv_thresholds.csv, valid 2012–2023):
// 开采回采率 中厚煤层 80 %, 综合利用率 75 %.

TEST(IndicatorCases, SanlvAllMinesCompliantIsMet) {
    // 2 mines at or above both minimums (80 exactly is compliant): 2/2 = 100 % ≥ 95 → 已达成.
    auto ev = evaluate(coal_mines(2022, {{"A", "中厚煤层", 80, 75}, {"B", "中厚煤层", 85, 80}}), 2022);
    EXPECT_DOUBLE_EQ(*result(ev, "Q01").actual, 100.0);
    EXPECT_EQ(result(ev, "Q01").status, Status::Met);
}

TEST(IndicatorCases, SanlvOneBelowMinimumIsBreached) {
    // 79.99 < 80: 1/2 = 50 % < 95, no tolerance for a 约束性 rate → 未达标 even before 2025.
    auto ev = evaluate(coal_mines(2022, {{"A", "中厚煤层", 79.99, 75}, {"B", "中厚煤层", 85, 80}}), 2022);
    EXPECT_DOUBLE_EQ(*result(ev, "Q01").actual, 50.0);
    EXPECT_EQ(result(ev, "Q01").status, Status::Breached);
}

TEST(IndicatorCases, SanlvMineNeedingReviewIsNotCountedAsCompliant) {
    // 20 mines: 19 compliant, 1 without its 综合利用率 (→ 需人工核查). Compliant share 19/20 = 95 % → 已达成;
    // counting the unreported mine as compliant would not change this, so 19 compliant + 1 failing is next.
    std::vector<CoalMine> mines;
    for (int i = 0; i < 19; ++i) mines.push_back({"C" + std::to_string(i), "中厚煤层", 85, 80});
    mines.push_back({"M", "中厚煤层", 85, std::nullopt});
    auto ev = evaluate(coal_mines(2022, mines), 2022);
    EXPECT_DOUBLE_EQ(*result(ev, "Q01").actual, 95.0);
    EXPECT_EQ(result(ev, "Q01").status, Status::Met);

    // 10 mines: 9 compliant, 1 unreported. 9/10 = 90 % < 95, but 10/10 would be ≥ 95: the review could change
    // the verdict → 需人工核查, with the actual still 90 (the unreported mine is not counted as compliant).
    mines.resize(9);
    mines.push_back({"M", "中厚煤层", 85, std::nullopt});
    ev = evaluate(coal_mines(2022, mines), 2022);
    EXPECT_DOUBLE_EQ(*result(ev, "Q01").actual, 90.0);
    EXPECT_EQ(result(ev, "Q01").status, Status::Manual);

    // 4 mines: 2 compliant, 1 unreported, 1 failing: 2/4 = 50 %; even with the review 3/4 = 75 % < 95 → 未达标.
    ev = evaluate(coal_mines(2022, {{"A", "中厚煤层", 85, 80}, {"B", "中厚煤层", 85, 80}, {"M", "中厚煤层", 85, std::nullopt},
                                    {"F", "中厚煤层", 70, 80}}),
                  2022);
    EXPECT_DOUBLE_EQ(*result(ev, "Q01").actual, 50.0);
    EXPECT_EQ(result(ev, "Q01").status, Status::Breached);
}

TEST(IndicatorCases, NoReportingMineIsNoData) {
    // Only exploration in 2022, no mine reports: nothing to compute for Q01, M01, L01 → 无数据.
    AnnualData d;
    d.exploration.push_back({2022, "KC", "测试勘查", "煤炭", 0.5, "亿吨", "", ""});
    auto ev = evaluate(d, 2022);
    for (const char* id : {"Q01", "M01", "L01", "S03"}) {
        EXPECT_FALSE(result(ev, id).actual.has_value()) << id;
        EXPECT_EQ(result(ev, id).status, Status::NoData) << id;
    }
}

// ---- L01 大中型矿山比例（煤炭）: floor 95 %, flat path, band 100 % (behind before 2025 = 有风险, never 未达标).
// Underground coal size classes (mine_size_classes.csv): 大型 ≥ 120, 中型 ≥ 45 万吨/年.

TEST(IndicatorCases, LargeMediumShareAtEachClassBoundary) {
    // 45 is 中型 (≥ 45), 44.99 小型, 120 大型: {45, 120} → 2/2 = 100 % → 已达成; {44.99, 120} → 50 % → 有风险.
    auto at = evaluate(coal_mines(2022, {{"A", "中厚煤层", 85, 80, 45}, {"B", "中厚煤层", 85, 80, 120}}), 2022);
    EXPECT_DOUBLE_EQ(*result(at, "L01").actual, 100.0);
    EXPECT_EQ(result(at, "L01").status, Status::Met);
    auto below = evaluate(coal_mines(2022, {{"A", "中厚煤层", 85, 80, 44.99}, {"B", "中厚煤层", 85, 80, 120}}), 2022);
    EXPECT_DOUBLE_EQ(*result(below, "L01").actual, 50.0);
    EXPECT_EQ(result(below, "L01").status, Status::AtRisk);
    // The same 50 % in 2025 is 未达标.
    auto final_year = evaluate(coal_mines(2025, {{"A", "中厚煤层", 85, 80, 44.99}, {"B", "中厚煤层", 85, 80, 120}}), 2025);
    EXPECT_EQ(result(final_year, "L01").status, Status::Breached);
}

TEST(IndicatorCases, LargeMediumShareWithoutCapacityIsManual) {
    AnnualData d = coal_mines(2022, {{"A", "中厚煤层", 85, 80, 200}});
    d.years[0].capacity.reset();  // no 生产规模 → no class → 需人工核查
    EXPECT_EQ(result(evaluate(d, 2022), "L01").status, Status::Manual);
}

// ---- Band edges on both sides, through IndicatorSet::evaluate with the shipped definitions.

TEST(IndicatorCases, FloorBandOfOneHundredPercentKeepsAnythingBehindAtRisk) {
    // G01 restoration, floor 50 km² cumulative, even path: 2022 → 50 × 2/5 = 20; band 1.0 → at risk down to 0.
    const auto& set = ::minplan::shipped_indicators();
    const IndicatorDef* g01 = nullptr;
    for (const auto& d : set.indicators())
        if (d.id == "G01") g01 = &d;
    ASSERT_NE(g01, nullptr);
    EXPECT_EQ(set.evaluate(*g01, 2022, 20.0).status, Status::OnTrack);
    EXPECT_EQ(set.evaluate(*g01, 2022, 19.99).status, Status::AtRisk);
    EXPECT_EQ(set.evaluate(*g01, 2022, 0.5).status, Status::AtRisk);  // a band read as 1 % would breach below 19.8
    EXPECT_EQ(set.evaluate(*g01, 2022, 0.0).status, Status::AtRisk);  // exactly path × (1 − 1) = 0
}

TEST(IndicatorCases, CapBandOfFivePercentOnBothSides) {
    // E07 cement limestone, cap 500, base 623.5, linear: 2022 path = 623.5 − 123.5 × 2/5 = 574.1;
    // at-risk limit 574.1 × 1.05 = 602.805.
    const auto& set = ::minplan::shipped_indicators();
    const IndicatorDef* e07 = nullptr;
    for (const auto& d : set.indicators())
        if (d.id == "E07") e07 = &d;
    ASSERT_NE(e07, nullptr);
    EXPECT_NEAR(set.path_value(*e07, 2022), 574.1, 1e-9);
    EXPECT_EQ(set.evaluate(*e07, 2022, 500.0).status, Status::Met);
    EXPECT_EQ(set.evaluate(*e07, 2022, 574.1).status, Status::OnTrack);
    EXPECT_EQ(set.evaluate(*e07, 2022, 574.2).status, Status::AtRisk);
    EXPECT_EQ(set.evaluate(*e07, 2022, 602.8).status, Status::AtRisk);
    EXPECT_EQ(set.evaluate(*e07, 2022, 602.81).status, Status::Breached);
    // 2025: the path is the cap and there is no at-risk band in the final year.
    EXPECT_EQ(set.evaluate(*e07, 2025, 500.0).status, Status::Met);
    EXPECT_EQ(set.evaluate(*e07, 2025, 500.01).status, Status::Breached);
}

// ---- The SAMPLE data (data/samples/sample_2021-2023_*.csv), worked by hand.

namespace {

const AnnualData& sample() {
    static const AnnualData d = [] {
        auto store = store::GpkgStore::open(plan::ensure_default_database());
        const fs::path s = fs::path(MINPLAN_SOURCE_DIR) / "data" / "samples";
        return read_intake({s / "sample_2021-2023_mines.csv", s / "sample_2021-2023_mine_years.csv",
                            s / "sample_2021-2023_exploration.csv"},
                           context_from_store(*store));
    }();
    return d;
}

struct Expect {
    const char* id;
    int year;
    double actual;
    Status status;
};

}  // namespace

TEST(SampleIndicators, YearlyValuesAndStatusesWorkedByHand) {
    const Expect cases[] = {
        // Q01 三率 (floor 95, band 0). 2021, 11 mines: compliant C01 (中厚 82 ≥ 80, 78 ≥ 75), C03 (厚 76 ≥ 75),
        // C04 (薄 86 ≥ 85), C05 (中厚 80 = 80), F02 (井工 稳固-倾斜 82 ≥ 81, 磁铁矿-中细粒 95.5 ≥ 95) = 5;
        // failing C02 (78 < 80); 需人工核查 F01 (no 选矿回收率 row for its conditions), L01, L02 (石灰岩),
        // G01 (石墨), A01 (银) — not retrieved = 5. 5/11 = 45.45 %; even (5 + 5)/11 = 90.9 % < 95 → 未达标.
        {"Q01", 2021, 100.0 * 5 / 11, Status::Breached},
        // 2022, 12 mines (+D01 白云岩, not configured): compliant C01–C05 (C02 80.5) = 5; failing F02 (80 < 81);
        // review F01, L01, L02, G01, A01, D01 = 6: 5/12 = 41.67 %, (5 + 6)/12 = 91.7 % < 95 → 未达标.
        {"Q01", 2022, 100.0 * 5 / 12, Status::Breached},
        // 2023, 13 mines (+B01 建筑石料用灰岩): compliant C01–C04, F02 = 5; failing C05 (79.5 < 80); review 7.
        // 5/13 = 38.46 %, 12/13 = 92.3 % < 95 → 未达标. (2023 is the last year of the 2012–2015 minimums.)
        {"Q01", 2023, 100.0 * 5 / 13, Status::Breached},
        // L01 coal large+medium share (floor 95, flat, band 1.0): capacities 1500, 1000, 800, 400 (≥ 120: 大型),
        // 30 (< 45: 小型) → 4/5 = 80 % < 95 → 有风险 before 2025 (≥ 95 × (1 − 1.0) = 0).
        {"L01", 2021, 80.0, Status::AtRisk},
        // R01 coal new resources (floor 5 亿吨 cumulative, even path 1/yr, band 1.0): 2021 0.8 → path 1 → 有风险;
        // 2022 0.8 + 6000 万吨 = 1.4 → path 2 → 有风险; 2023 still 1.4 → path 3 → 有风险.
        {"R01", 2021, 0.8, Status::AtRisk},
        {"R01", 2022, 1.4, Status::AtRisk},
        {"R01", 2023, 1.4, Status::AtRisk},
        // G01 restoration (floor 50 km² cumulative, path 10/yr): 2021 300+200+150+100+50 = 800 公顷 = 8 km² < 10
        // → 有风险; 2022 +450+350+250+150+100 = 21 km² ≥ 20 → 按进度; 2023 +350+300+200+100+50 = 31 ≥ 30 → 按进度.
        {"G01", 2021, 8.0, Status::AtRisk},
        {"G01", 2022, 21.0, Status::OnTrack},
        {"G01", 2023, 31.0, Status::OnTrack},
        // G02 reclamation (floor 45, path 9/yr): 2021 350+250+200+100+50 = 9.5 km² ≥ 9 → 按进度;
        // 2022 +250+200+150+100+50 = 17 < 18 → 有风险; 2023 +400+300+250+100+50 = 28 ≥ 27 → 按进度.
        {"G02", 2021, 9.5, Status::OnTrack},
        {"G02", 2022, 17.0, Status::AtRisk},
        {"G02", 2023, 28.0, Status::OnTrack},
        // E01 coal (cap 9000, base 9917, linear: path 9733.6 / 9550.2 / 9366.8): 2021 3300+2500+2050+1700+150 =
        // 9700 → 按进度; 2022 3250+2480+2020+1700+150 = 9600 (≤ 9550.2 × 1.05) → 有风险; 2023 9100 → 按进度.
        {"E01", 2021, 9700.0, Status::OnTrack},
        {"E01", 2022, 9600.0, Status::AtRisk},
        {"E01", 2023, 9100.0, Status::OnTrack},
        // E07 cement limestone (cap 500, base 623.5: path 598.8 / 574.1 / 549.4, band 5 %): 2021 330+230 = 560 →
        // 按进度; 2022 350+250 = 600 ≤ 602.805 → 有风险; 2023 360+260 = 620 > 549.4 × 1.05 = 576.87 → 未达标.
        {"E07", 2021, 560.0, Status::OnTrack},
        {"E07", 2022, 600.0, Status::AtRisk},
        {"E07", 2023, 620.0, Status::Breached},
        // M01 coal mines (cap 50): 5 → 已达成. S03 mean coal capacity (floor 170): 3730/5 = 746 → 已达成.
        {"M01", 2021, 5.0, Status::Met},
        {"S03", 2021, 746.0, Status::Met},
        // S09 coal capacity (cap 12000 万吨/年, flat): the same five capacities summed, 3730 ≤ 12000 → 已达成.
        {"S09", 2021, 3730.0, Status::Met},
        // T28 green new mines (floor 100, band 0): 2022 D01 省级 → 1/1 = 100 % → 已达成; 2023 D01 省级, B01 在建
        // (not on a green-mine list) → 50 % → 未达标.
        {"T28", 2022, 100.0, Status::Met},
        {"T28", 2023, 50.0, Status::Breached},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.id) + " " + std::to_string(c.year));
        const auto ev = evaluate(sample(), c.year);
        const auto& r = result(ev, c.id);
        ASSERT_TRUE(r.actual.has_value()) << r.rule;
        EXPECT_NEAR(*r.actual, c.actual, 1e-9 * std::max(1.0, c.actual));
        EXPECT_EQ(to_zh(r.status), to_zh(c.status)) << r.rule;
    }
    // T28 in 2021: no new mine has reported yet → 无数据.
    EXPECT_EQ(result(evaluate(sample(), 2021), "T28").status, Status::NoData);
}
