// A plan folder (docs/plan-folder.md): plan.json, the files it names, and shared files it references as
// "@schema/…" or "@standards/…" (under the shared data folder, data/ of minplan's home). Reading checks
// every file it can and collects every problem, so that a bureau fixes its folder in one round.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/schema.hpp"

namespace minplan::plan {

struct PlanFolder {
    nlohmann::json manifest = nlohmann::json::object();          // plan.json
    SchemaRegistry schemas;                                       // every layer/table of the database
    std::map<std::string, std::filesystem::path> table_sources;  // table id → source file the plan provides
    std::map<std::string, std::string> package;                  // package name (core/package.hpp) → content
};

// Reads and checks the folder; appends one line per problem (file, line/key, what) to `problems` and
// returns what could be read. `schema_dir` overrides plan.json's "schema" (one folder or a list) when set.
PlanFolder read_plan_folder(const std::filesystem::path& dir, const std::filesystem::path& shared_dir,
                            const std::filesystem::path& schema_dir, std::vector<std::string>& problems);

// "@name/rest" → shared_dir/name/rest; anything else relative to the plan folder.
std::filesystem::path resolve_source(const std::string& source, const std::filesystem::path& dir,
                                     const std::filesystem::path& shared_dir);

}  // namespace minplan::plan
