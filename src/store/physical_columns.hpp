// The columns of a layer's table as the database declares them (not the schema minplan stored), for the
// quality check of field types (services/qc structure checks). Each store answers from its own catalogue:
// a GeoPackage from PRAGMA table_info (the declared SQLite types GDAL wrote), PostGIS from
// information_schema.columns of the plan's schema. A free function over PlanStore, so that the store
// interface every backend implements stays as it is; a store it does not know answers nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "store/plan_store.hpp"

namespace minplan::store {

struct PhysicalColumn {
    std::string name;      // the column's name in the database (the field code)
    std::string declared;  // as declared: GeoPackage TEXT, INTEGER, REAL, DATE, BOOLEAN …; PostGIS text, bigint …
    std::optional<FieldType> type;  // the field type it stores; nullopt for a type minplan does not write
};

// Without the feature id and geometry columns; nullopt for a store that cannot tell (the check is skipped).
std::optional<std::vector<PhysicalColumn>> physical_columns(const PlanStore& store, const std::string& layer);

}  // namespace minplan::store
