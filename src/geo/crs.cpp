#include "geo/crs.hpp"

#include <geodesic.h>
#include <proj.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace minplan::geo {

int cgcs2000_gk3_epsg(int zone, bool prefixed) {
    if (zone < 25 || zone > 45) {
        throw InputError("高斯-克吕格3度带带号应在25–45之间，实际为 " + std::to_string(zone) +
                         " / 3-degree zone must be 25..45");
    }
    return prefixed ? 4488 + zone : 4509 + zone;
}

int gk3_zone_of(double lon) { return static_cast<int>(std::lround(lon / 3.0)); }

namespace {
struct ProjContext {
    PJ_CONTEXT* ctx = proj_context_create();
    ~ProjContext() { proj_context_destroy(ctx); }
    ProjContext() = default;
    ProjContext(const ProjContext&) = delete;
    ProjContext& operator=(const ProjContext&) = delete;
};
PJ_CONTEXT* proj_ctx() {
    thread_local ProjContext c;
    return c.ctx;
}
}  // namespace

std::string crs_wkt(int epsg) {
    std::unique_ptr<PJ, decltype(&proj_destroy)> crs(
        proj_create_from_database(proj_ctx(), "EPSG", std::to_string(epsg).c_str(), PJ_CATEGORY_CRS, 0, nullptr), proj_destroy);
    const char* wkt = crs ? proj_as_wkt(proj_ctx(), crs.get(), PJ_WKT2_2019, nullptr) : nullptr;
    if (!wkt) throw InputError("PROJ 数据库中没有坐标系 EPSG:" + std::to_string(epsg) + " / unknown CRS");
    return wkt;
}

struct Transformer::Impl {
    PJ* pj = nullptr;
    ~Impl() {
        if (pj) proj_destroy(pj);
    }
};

Transformer::Transformer(int from_epsg, int to_epsg) : impl_(std::make_unique<Impl>()), from_(from_epsg), to_(to_epsg) {
    std::string a = "EPSG:" + std::to_string(from_epsg);
    std::string b = "EPSG:" + std::to_string(to_epsg);
    PJ* raw = proj_create_crs_to_crs(proj_ctx(), a.c_str(), b.c_str(), nullptr);
    if (!raw) throw InternalError("PROJ cannot transform " + a + " -> " + b);
    impl_->pj = proj_normalize_for_visualization(proj_ctx(), raw);
    proj_destroy(raw);
    if (!impl_->pj) throw InternalError("PROJ cannot normalise axis order for " + a + " -> " + b);
}
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;
Transformer::~Transformer() = default;

Coord Transformer::apply(Coord c) const {
    PJ_COORD in = proj_coord(c.x, c.y, 0, 0);
    PJ_COORD out = proj_trans(impl_->pj, PJ_FWD, in);
    if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y) || out.xy.x == HUGE_VAL) {
        throw InputError("坐标 (" + std::to_string(c.x) + ", " + std::to_string(c.y) + ") 无法从 EPSG:" +
                         std::to_string(from_) + " 转换到 EPSG:" + std::to_string(to_) +
                         " / coordinate cannot be transformed");
    }
    return {out.xy.x, out.xy.y};
}

Geometry Transformer::apply(const Geometry& g) const {
    return g.transformed([this](Coord c) { return apply(c); });
}

const Transformer& cached_transformer(int from_epsg, int to_epsg) {
    thread_local std::map<std::pair<int, int>, Transformer> cache;
    auto key = std::make_pair(from_epsg, to_epsg);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, Transformer(from_epsg, to_epsg)).first;
    return it->second;
}

double ellipsoidal_area_km2(const Geometry& lonlat) {
    // CGCS2000 ellipsoid: a = 6378137 m, f = 1/298.257222101.
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1.0 / 298.257222101);
    double total = 0;
    for (const auto& polygon : lonlat.polygons()) {
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const Ring& ring = polygon[r];
            std::vector<double> lats, lons;
            std::size_t n = ring.size();
            if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
            for (std::size_t i = 0; i < n; ++i) {
                lons.push_back(ring[i].x);
                lats.push_back(ring[i].y);
            }
            double area = 0, perimeter = 0;
            geod_polygonarea(&geod, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
            total += (r == 0 ? 1 : -1) * std::fabs(area);
        }
    }
    return total / 1e6;
}

double plane_polygon_ellipsoidal_area_km2(const Geometry& plane, int plane_epsg) {
    if (plane.is_null() || plane.is_empty()) return 0;
    return ellipsoidal_area_km2(cached_transformer(plane_epsg, kCgcs2000Geographic).apply(plane.densify(20.0)));
}

double round_km2(double km2) { return std::round(km2 * 1e4) / 1e4; }

}  // namespace minplan::geo
