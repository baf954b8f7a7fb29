// Builds a plan database (GeoPackage) from a plan's source directory: typed tables from CSV, real
// administrative boundaries, and schematic polygons for the spatial objects the plan gives without
// coordinates. All-or-nothing: the output appears only when every file has been read without error.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace minplan::plan {

struct BuildOptions {
    std::filesystem::path plan_dir;
    std::filesystem::path schema_dir;  // data/schema/tables
    std::filesystem::path output;
};

struct BuildSummary {
    int tables = 0;
    int features = 0;
    int schematic_features = 0;
};

BuildSummary build_plan(const BuildOptions& options);

// The embedded default: the Datong 2021–2025 plan built from the source tree into the build tree.
std::filesystem::path default_plan_dir();
std::filesystem::path default_database_path();
// Returns the default database, building it first when it is missing or older than its sources.
std::filesystem::path ensure_default_database();

}  // namespace minplan::plan
