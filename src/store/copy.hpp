// Copies a whole plan between stores (`minplan copy`): a GeoPackage into a PostGIS schema and back.
#pragma once

#include <string>

#include "store/plan_store.hpp"

namespace minplan::store {

// Writes every layer, its features, the metadata and the plan package files read from `from` into the plan
// database at `to` ("PG:…" or a .gpkg path), all or nothing. An existing plan at `to` is refused unless
// `replace`. Returns the number of features copied.
std::size_t copy_plan(const PlanStore& from, const std::string& to, bool replace);

}  // namespace minplan::store
