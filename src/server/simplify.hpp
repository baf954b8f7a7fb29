// Simplification by zoom for /api/layers/{id}/features: a map at zoom Z cannot show detail finer than a
// pixel, so large layers are thinned with GEOS's topology-preserving simplification (each geometry stays
// valid, holes stay inside shells) at a tolerance of half a pixel. Zoom is that of the web map's
// OpenLayers view in EPSG:4490: resolution = 360 / (256 · 2^zoom) degrees per pixel.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/value.hpp"
#include "server/api.hpp"

namespace minplan::server {

inline constexpr double kMaxZoom = 24;

struct Simplification {
    std::optional<double> zoom;        // as requested
    double resolution_deg = 0;         // degrees per pixel (from zoom, or the `resolution` parameter)
    double tolerance_deg = 0;          // half a pixel
};

struct SimplifyStats {
    std::size_t vertices_before = 0, vertices_after = 0, geometries_changed = 0;
};

// Degrees per pixel at an OpenLayers EPSG:4490 zoom level.
double resolution_at_zoom(double zoom);

// From the `zoom` or `resolution` parameter; nullopt when neither is given. Throws HttpError 400 for a
// value that is not a number, out of range, or both parameters at once.
std::optional<Simplification> simplification_from_params(const Params& params);

// Simplifies every geometry of `features` in place (WKB in, WKB out); points are left as they are.
SimplifyStats simplify_features(std::vector<Feature>& features, double tolerance_deg);

}  // namespace minplan::server
