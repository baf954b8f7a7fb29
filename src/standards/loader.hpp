// The reference tables at their default places in a source tree: data/schema/minerals.csv,
// data/standards/mine_size_classes.csv and data/standards/sanlv_thresholds.csv.
#pragma once

#include <filesystem>

#include "standards/mineral_names.hpp"
#include "standards/sanlv.hpp"
#include "standards/size_classes.hpp"

namespace minplan::standards {

// Paths under `root`; without one, under the source tree minplan was built from (core/schema.hpp
// source_dir(), MINPLAN_HOME overrides).
std::filesystem::path minerals_csv_path();
std::filesystem::path minerals_csv_path(const std::filesystem::path& root);
std::filesystem::path size_classes_csv_path();
std::filesystem::path size_classes_csv_path(const std::filesystem::path& root);
std::filesystem::path sanlv_csv_path();
std::filesystem::path sanlv_csv_path(const std::filesystem::path& root);

struct Standards {
    MineralNames minerals;
    SizeClassTable sizes;
    SanlvTable sanlv;
    static Standards load(const std::filesystem::path& root);
    static const Standards& builtin();  // load(source_dir()), once
};

}  // namespace minplan::standards
