// The repository the tests were built from (MINPLAN_SOURCE_DIR): its data/ folder holds the source files
// of the shipped plan. Tests that compute expectations from those files read them here, independently of
// the plan database under test.
#pragma once

#include <filesystem>

#include "monitor/indicators.hpp"
#include "standards/loader.hpp"

namespace minplan {

inline std::filesystem::path source_dir() { return MINPLAN_SOURCE_DIR; }
inline std::filesystem::path shipped_plan_dir() { return source_dir() / "data" / "plans" / "datong-2021-2025"; }
inline std::filesystem::path shipped_rules() { return shipped_plan_dir() / "rules.json"; }

inline const standards::Standards& shipped_standards() {
    static const auto s = standards::Standards::load(source_dir() / "data" / "schema" / "minerals.csv",
                                                     source_dir() / "data" / "standards" / "mine_size_classes.csv",
                                                     source_dir() / "data" / "standards" / "sanlv_thresholds.csv");
    return s;
}

inline const monitor::IndicatorSet& shipped_indicators() {
    static const auto s = monitor::IndicatorSet::load(shipped_plan_dir() / "indicators.json");
    return s;
}

}  // namespace minplan
