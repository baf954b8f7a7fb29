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

struct Feature {
    std::int64_t fid = 0;
    std::map<std::string, Value> attributes;  // keyed by the schema's internal field name
    std::vector<unsigned char> wkb;           // EPSG:4490 lon/lat; empty for attribute tables

    const Value& get(const std::string& field) const;
    std::string text(const std::string& field) const { return to_display(get(field)); }
};

}  // namespace minplan
