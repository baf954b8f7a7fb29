// The shipped plan's rule set and reference tables stored in a test plan database, as `minplan build`
// stores them (for test plans built with GpkgWriter directly).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../shipped_plan.hpp"
#include "core/package.hpp"
#include "store/gpkg_store.hpp"

namespace minplan {

inline void store_shipped_package(store::GpkgWriter& w) {
    auto file = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    w.set_package_file(package::kRules, file(shipped_rules()));
    w.set_package_file(package::kMinerals, file(source_dir() / "data" / "schema" / "minerals.csv"));
    w.set_package_file(package::kSizeClasses, file(source_dir() / "data" / "standards" / "mine_size_classes.csv"));
    w.set_package_file(package::kSanlv, file(source_dir() / "data" / "standards" / "sanlv_thresholds.csv"));
    w.set_package_file(package::kStyles, file(source_dir() / "data" / "schema" / "styles.json"));
}

}  // namespace minplan
