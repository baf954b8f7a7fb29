// Limits on an application read from a file, checked before GDAL builds anything: an attacker's or a
// careless user's file must be refused by size, nesting or vertex count, not after it has filled memory
// (a 10⁶-vertex polygon took 575 MB; a 200 MB file 762 MB). The defaults are documented in docs/review.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace minplan::formats {

struct InputLimits {
    std::uintmax_t max_file_bytes = 50ull * 1024 * 1024;  // any application file (coordinates, GeoJSON, Shapefile…)
    std::size_t max_vertices = 1'000'000;                 // positions in one application (closing ones included)
    std::size_t max_parts = 10'000;                       // polygons (parts of a multipolygon) in one application
    int max_json_depth = 64;                              // a MultiPolygon in a FeatureCollection needs 8
};
inline constexpr InputLimits kDefaultInputLimits{};

// Throws InputError when `size` bytes exceed the limit; the message names the file, the size and the limit.
void check_file_size(std::uintmax_t size, const std::string& name, const InputLimits& limits = kDefaultInputLimits);

// Reads GeoJSON text once with a streaming parser (no document is built): refuses bad syntax (with line
// and column, e.g. a NaN coordinate, which JSON does not allow), nesting deeper than max_json_depth and
// more than max_vertices positions. Returns the number of positions (arrays of numbers) found.
std::size_t check_geojson(const std::string& text, const std::string& name, const InputLimits& limits = kDefaultInputLimits);

}  // namespace minplan::formats
