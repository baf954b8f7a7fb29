// Features as GeoJSON (RFC 7946, lon/lat in EPSG:4490). Properties use internal field names; the
// schematic flag (geometry_source) is always included for spatial layers.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"

namespace minplan::geo {

nlohmann::json value_to_json(const Value& v);
nlohmann::json feature_to_geojson(const TableSchema& schema, const Feature& f);
nlohmann::json features_to_geojson(const TableSchema& schema, const std::vector<Feature>& features);

}  // namespace minplan::geo
