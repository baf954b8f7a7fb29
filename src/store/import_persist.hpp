// The one place where an import is written to the plan database. Everything before it (reading, mapping,
// validating) produces the complete list of features; this call either writes all of them or nothing.
// Kept apart so that the store's transactional write can replace it without touching the import logic.
#pragma once

#include <filesystem>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"

namespace minplan::store {

// Replaces the features of `target` in the GeoPackage at `db` with `features`, or with the layer's existing
// features followed by `features` when `append`. Returns the layer's feature count afterwards.
std::size_t persist_import(const std::filesystem::path& db, const TableSchema& target,
                           const std::vector<Feature>& features, bool append);

}  // namespace minplan::store
