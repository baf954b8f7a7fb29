// Attribute values and features as the core sees them: no GDAL, no GEOS.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace minplan {

// null = the source is silent (never a default value).
using Value = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }
std::string to_display(const Value& v);               // "" for null
std::optional<double> as_number(const Value& v);      // integers and reals
std::optional<std::string> as_text(const Value& v);   // strings only

// What the import's reader measured on a row's geometry (store/import_reader.cpp, derive_geometry_values):
// the exact ellipsoidal area in m² (unrounded), GEOS validity, vertex count and envelope. The store records
// them as they are (minplan_geodesy) instead of reading the row back and computing them again.
struct GeometryFacts {
    double area_m2 = 0;
    bool valid = false;
    std::int64_t vertices = 0;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct Feature {
    std::int64_t fid = 0;
    std::map<std::string, Value> attributes;  // keyed by the schema's internal field name
    std::vector<unsigned char> wkb;           // EPSG:4490 lon/lat; empty for attribute tables
    std::optional<GeometryFacts> facts;       // set by the import's reader only; never by other writers

    const Value& get(const std::string& field) const;
    std::string text(const std::string& field) const { return to_display(get(field)); }
};

}  // namespace minplan
