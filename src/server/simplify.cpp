#include "server/simplify.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "geo/geometry.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

double parse_number(const std::string& key, const std::string& s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
        throw HttpError(400, "参数 " + key + " 应为数字，实际为 \"" + s + "\"");
    return v;
}

}  // namespace

double resolution_at_zoom(double zoom) { return 360.0 / 256.0 / std::pow(2.0, zoom); }

std::optional<Simplification> simplification_from_params(const Params& params) {
    auto z = params.find("zoom");
    auto r = params.find("resolution");
    if (z == params.end() && r == params.end()) return std::nullopt;
    if (z != params.end() && r != params.end())
        throw HttpError(400, "zoom 与 resolution 只能给出其一（resolution = 每像素度数）");
    Simplification s;
    if (z != params.end()) {
        double zoom = parse_number("zoom", z->second);
        if (zoom < 0 || zoom > kMaxZoom)
            throw HttpError(400, "参数 zoom 应在 0～" + std::to_string(static_cast<int>(kMaxZoom)) + " 之间，实际为 " + z->second);
        s.zoom = zoom;
        s.resolution_deg = resolution_at_zoom(zoom);
    } else {
        double res = parse_number("resolution", r->second);
        if (res <= 0 || res > 1)
            throw HttpError(400, "参数 resolution（每像素度数）应大于 0 且不超过 1，实际为 " + r->second);
        s.resolution_deg = res;
    }
    s.tolerance_deg = s.resolution_deg / 2;
    return s;
}

SimplifyStats simplify_features(std::vector<Feature>& features, double tolerance_deg) {
    SimplifyStats stats;
    for (auto& f : features) {
        if (f.wkb.empty()) continue;
        auto g = geo::Geometry::from_wkb(f.wkb);
        std::size_t before = g.vertex_count();
        stats.vertices_before += before;
        std::string type = g.type_name();
        if (type == "Point" || type == "MultiPoint") {
            stats.vertices_after += before;
            continue;
        }
        auto simple = g.simplify(tolerance_deg);
        std::size_t after = simple.vertex_count();
        // A geometry the simplifier could not thin (or emptied) is served as stored.
        if (after == 0 || after >= before) {
            stats.vertices_after += before;
            continue;
        }
        f.wkb = simple.to_wkb();
        stats.vertices_after += after;
        ++stats.geometries_changed;
    }
    return stats;
}

}  // namespace minplan::server
