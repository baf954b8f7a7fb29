// The files of a plan package as `minplan build` stores them in the plan database (table minplan_package)
// and every command reads them back: the names are fixed here, whatever the plan folder calls its files
// (docs/plan-folder.md). A database built before the package existed has none of them.
#pragma once

#include <optional>
#include <string>

#include "core/error.hpp"

namespace minplan::package {

inline constexpr const char* kManifest = "plan.json";
inline constexpr const char* kRules = "rules.json";
inline constexpr const char* kIndicators = "indicators.json";
inline constexpr const char* kMinerals = "standards/minerals.csv";
inline constexpr const char* kSizeClasses = "standards/mine_size_classes.csv";
inline constexpr const char* kSanlv = "standards/sanlv_thresholds.csv";
inline constexpr const char* kStyles = "styles.json";  // the map style (core/map_style.hpp)
// Optional: the quality-check configuration (docs/qc.md); a plan without one is checked with the defaults.
inline constexpr const char* kQc = "qc.json";

// The content of a package file, or an InputError telling how to get a database that has it.
inline std::string required(const std::optional<std::string>& content, const std::string& name,
                            const std::string& database) {
    if (content) return *content;
    throw InputError("规划数据库 " + database + " 中没有规划包文件 " + name +
                     "（数据库生成于规划包入库之前或不是由 minplan build 生成），请用 minplan build --plan 规划目录 重新生成 / "
                     "the database has no " + name + ": rebuild it with minplan build");
}

}  // namespace minplan::package
