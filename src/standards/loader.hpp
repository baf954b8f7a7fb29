// The reference tables of a plan: mineral names (minerals.csv), mine size classes (mine_size_classes.csv)
// and the 三率 minimums (sanlv_thresholds.csv). `minplan build` copies them from the plan folder (or the
// shared data/ folder it references) into the plan database; every command reads them from there.
#pragma once

#include <filesystem>
#include <string>

#include "standards/mineral_names.hpp"
#include "standards/sanlv.hpp"
#include "standards/size_classes.hpp"

namespace minplan::store {
class PlanStore;
}

namespace minplan::standards {

struct Standards {
    MineralNames minerals;
    SizeClassTable sizes;
    SanlvTable sanlv;

    static Standards load(const std::filesystem::path& minerals_csv, const std::filesystem::path& sizes_csv,
                          const std::filesystem::path& sanlv_csv);
    // The three files' contents; the package names (core/package.hpp) name them in messages.
    static Standards parse(const std::string& minerals_csv, const std::string& sizes_csv, const std::string& sanlv_csv);
    // The tables stored in the plan database; InputError when the database has none (built before).
    static Standards from_store(const store::PlanStore& store);
};

}  // namespace minplan::standards
