// Builds a plan database (GeoPackage) from a plan folder (docs/plan-folder.md): typed tables from CSV or
// GeoJSON, administrative boundaries, schematic polygons for the spatial objects the plan gives without
// coordinates, and the plan package (plan.json, rules, indicators, reference standards) that every command
// reads back from the database. All-or-nothing: the output appears only when every file is correct.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/gpkg_store.hpp"

namespace minplan::plan {

struct BuildOptions {
    std::filesystem::path plan_dir;    // docs/plan-folder.md
    std::filesystem::path schema_dir;  // overrides plan.json "schema" (default @schema/tables) when set
    std::filesystem::path output;
    std::filesystem::path shared_dir;  // what "@schema/…", "@standards/…" refer to; default home_dir()/data
    // Runs on the finished database before it replaces `output` (build's quality check): throwing writes
    // nothing; what it returns is recorded in the metadata and the change log.
    store::PublishCheck before_publish{};
};

struct BuildSummary {
    int tables = 0;
    int features = 0;
    int schematic_features = 0;
};

// Throws ProblemsError listing every missing or malformed file of the folder; writes nothing then.
BuildSummary build_plan(const BuildOptions& options);

// The default plan folder, shipped with minplan (home_dir()/data/plans/<kDefaultPlan>), and its database,
// built on first use.
inline constexpr const char* kDefaultPlan = "datong-2021-2025";
std::filesystem::path default_plan_dir();
std::filesystem::path default_database_path();
// Returns the default database, building it first when it is missing or older than its sources.
std::filesystem::path ensure_default_database();

}  // namespace minplan::plan
