// Status rules at their edges: exactly at a cap, just above, on the yearly path, past the tolerance.
// (三率 minimums, size classes and unit conversions: tests/standards.)
#include <gtest/gtest.h>

#include "../shipped_plan.hpp"
#include "core/error.hpp"
#include "monitor/evaluate.hpp"

using namespace minplan::monitor;

namespace {

const IndicatorDef& def(const std::string& id) {
    for (const auto& d : ::minplan::shipped_indicators().indicators())
        if (d.id == id) return d;
    throw std::runtime_error("no indicator " + id);
}

Status status(const std::string& id, int year, double actual) { return ::minplan::shipped_indicators().evaluate(def(id), year, actual).status; }

AnnualData coal(int year, double output, std::string unit = "万吨") {
    AnnualData d;
    d.mines.push_back({"T-C1", "测试煤矿", "", "煤炭", "井工", "中厚煤层", false, std::nullopt, "", "", std::nullopt});
    MineYear y;
    y.year = year;
    y.mine_id = "T-C1";
    y.mineral = "煤炭";
    y.output = output;
    y.output_unit = std::move(unit);
    d.years.push_back(y);
    return d;
}

Status evaluated(const AnnualData& d, int year, const std::string& id) {
    auto ev = evaluate_year(::minplan::shipped_indicators(), ::minplan::shipped_standards(), d, year);
    for (const auto& r : ev.results)
        if (r.def->id == id) return r.status;
    return Status::NoData;
}

}  // namespace

TEST(MonitorStatus, CoalCapExactlyAtCapIsMetJustAboveIsBreachedIn2025) {
    // 专栏8 原煤 ≤9000 万吨/年.
    EXPECT_EQ(status("E01", 2025, 9000.0), Status::Met);
    EXPECT_EQ(status("E01", 2025, 9000.01), Status::Breached);
    EXPECT_EQ(evaluated(coal(2025, 9000), 2025, "E01"), Status::Met);
    EXPECT_EQ(evaluated(coal(2025, 9000.01), 2025, "E01"), Status::Breached);
    // 0.9 亿吨 reported in 亿吨 is normalised to 万吨: exactly the cap.
    EXPECT_EQ(evaluated(coal(2025, 0.9, "亿吨"), 2025, "E01"), Status::Met);
}

TEST(MonitorStatus, CoalPathDeclinesLinearlyFromThe2020Base) {
    // Base 9917 (专栏4), cap 9000: path 2022 = 9917 − 917 × 2/5 = 9550.2.
    const auto& set = ::minplan::shipped_indicators();
    EXPECT_NEAR(set.path_value(def("E01"), 2022), 9550.2, 1e-9);
    EXPECT_EQ(status("E01", 2022, 9550.2), Status::OnTrack);
    EXPECT_EQ(status("E01", 2022, 9550.3), Status::AtRisk);                 // above the path, within 5 %
    EXPECT_EQ(status("E01", 2022, 9550.2 * 1.05), Status::AtRisk);          // exactly at the tolerance
    EXPECT_EQ(status("E01", 2022, 9550.2 * 1.05 + 0.01), Status::Breached);  // just past it
}

TEST(MonitorStatus, BindingFloorHasNoTolerance) {
    // 三率 达标率 ≥95 % (约束性): exactly 95 is met, just below is breached even before 2025.
    EXPECT_EQ(status("Q01", 2022, 95.0), Status::Met);
    EXPECT_EQ(status("Q01", 2022, 94.99), Status::Breached);
}

TEST(MonitorStatus, CumulativeFloorIsAtRiskBefore2025AndBreachedIn2025) {
    // Restoration 50 km² over 2021–2025, even path: 2023 → 30.
    EXPECT_EQ(status("G01", 2023, 30.0), Status::OnTrack);
    EXPECT_EQ(status("G01", 2023, 29.99), Status::AtRisk);
    EXPECT_EQ(status("G01", 2025, 50.0), Status::Met);
    EXPECT_EQ(status("G01", 2025, 49.99), Status::Breached);
}

TEST(MonitorStatus, VolumeReportedForATonnageIndicatorIsManualNotPassed) {
    AnnualData d = coal(2023, 100, "万立方米");
    d.years[0].mineral = "水泥用灰岩";
    EXPECT_EQ(evaluated(d, 2023, "E07"), Status::Manual);
}
