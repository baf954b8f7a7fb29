// An application polygon given as GeoJSON text (RFC 7946 or with the 2008 `crs` member): a Feature, a
// FeatureCollection holding one polygonal feature, or a bare Polygon/MultiPolygon geometry. Coordinates
// are returned as written; the CRS, when declared, as an EPSG code. Like the other readers here, nothing
// includes GEOS or PROJ; InputErrors are Chinese first and say what to fix.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/coordinate_input.hpp"
#include "formats/geojson_limits.hpp"

namespace minplan::formats {

struct GeoJsonPolygon {
    // polygons → rings (first = shell) → positions (x = easting/longitude, y = northing/latitude)
    std::vector<std::vector<std::vector<Point>>> polygons;
    std::optional<int> epsg;         // from `crs` (EPSG:n, urn:ogc:def:crs:EPSG::n; CRS84 → 4326); none = not declared
    std::map<std::string, std::string> properties;  // the feature's properties, as text
};

// True when the text (after a UTF-8 BOM and white space) starts like a JSON object.
bool looks_like_json(std::string_view text);

// Checks the limits (formats::check_geojson) first, then reads the polygon; more than max_parts polygons
// is an InputError naming the limit.
GeoJsonPolygon parse_geojson_polygon(const std::string& text, const std::string& name,
                                     const InputLimits& limits = kDefaultInputLimits);

}  // namespace minplan::formats
