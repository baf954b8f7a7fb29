#include "geo/crs.hpp"

#include <geodesic.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "core/error.hpp"
#include "geo/geodesic_area.hpp"
#include "geo/local_cubic_map.hpp"

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

// A PJ is used by one thread only, so each thread has its own; but creating one from EPSG codes
// (proj_create_crs_to_crs: proj.db queried, candidate operations ranked) costs ~1.3 ms, which each of the
// server's HTTP threads paid on its first check (10 % of the CPU in the 64-client benchmark's first second).
// The first thread to ask creates the original here; every thread then gets a clone in its own context
// (~0.07 ms), or its own creation where PROJ cannot clone the object.
class SharedOriginals {
public:
    static SharedOriginals& instance() {
        static SharedOriginals originals;
        return originals;
    }
    PJ* own_copy(const std::string& key, const std::function<PJ*(PJ_CONTEXT*)>& make) {
        {
            std::lock_guard lock(mutex_);  // the originals and their context are used under the lock only
            auto it = originals_.find(key);
            if (it == originals_.end()) it = originals_.emplace(key, make(ctx_)).first;
            if (PJ* copy = it->second ? proj_clone(proj_ctx(), it->second) : nullptr) return copy;
        }
        return make(proj_ctx());
    }
    ~SharedOriginals() {
        for (auto& [key, pj] : originals_)
            if (pj) proj_destroy(pj);
        proj_context_destroy(ctx_);
    }
    SharedOriginals(const SharedOriginals&) = delete;
    SharedOriginals& operator=(const SharedOriginals&) = delete;

private:
    SharedOriginals() = default;
    std::mutex mutex_;
    PJ_CONTEXT* ctx_ = proj_context_create();
    std::map<std::string, PJ*> originals_;
};

// The transformation from `from` to `to` with x = easting/longitude, y = northing/latitude; null if PROJ has none.
PJ* normalised_crs_to_crs(PJ_CONTEXT* ctx, const std::string& from, const std::string& to) {
    PJ* raw = proj_create_crs_to_crs(ctx, from.c_str(), to.c_str(), nullptr);
    if (!raw) return nullptr;
    PJ* normalised = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    return normalised;
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
    impl_->pj = SharedOriginals::instance().own_copy(a + " -> " + b, [&](PJ_CONTEXT* ctx) { return normalised_crs_to_crs(ctx, a, b); });
    if (!impl_->pj) throw InternalError("PROJ cannot transform " + a + " -> " + b);
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

void prepare_thread() { proj_context_get_database_path(proj_ctx()); }

const Transformer& cached_transformer(int from_epsg, int to_epsg) {
    thread_local std::map<std::pair<int, int>, Transformer> cache;
    auto key = std::make_pair(from_epsg, to_epsg);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, Transformer(from_epsg, to_epsg)).first;
    return it->second;
}

double ellipsoidal_area_km2(const Geometry& lonlat) {
    // CGCS2000 ellipsoid: a = 6378137 m, f = 1/298.257222101. Initialised once (its series coefficients;
    // read-only afterwards, so shared by threads): the batch audit asks for 0.7 M areas.
    static const struct geod_geodesic geod = [] {
        struct geod_geodesic g;
        geod_init(&g, 6378137.0, 1.0 / 298.257222101);
        return g;
    }();
    // The coordinates as PROJ wants them, in this thread's buffers (no allocation per ring).
    thread_local std::vector<double> lats, lons;
    double total = 0;
    for (const auto& polygon : lonlat.polygons()) {
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const Ring& ring = polygon[r];
            std::size_t n = ring.size();
            if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
            lats.clear();
            lons.clear();
            for (std::size_t i = 0; i < n; ++i) {
                lons.push_back(ring[i].x);
                lats.push_back(ring[i].y);
            }
            // Short edges (every overlap of an audit but the largest) by Green's theorem on the authalic
            // function, about ten times cheaper than a geodesic per edge (geodesic_area.hpp); the rest by PROJ.
            // Below kGeodesicBelowM2, geod_polygonarea's own rounding (a few 1e-4 m²) exceeds 1e-7 of the
            // area: such rings are measured as PostGIS measures them, so that an area compared with
            // ST_Area(geography) differs by the overlay only, not by two roundings.
            double area = 0, perimeter = 0;
            auto short_edges = short_ring_area_m2(lons.data(), lats.data(), n);
            if (short_edges && std::fabs(*short_edges) >= kGeodesicBelowM2) area = *short_edges;
            else geod_polygonarea(&geod, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
            total += (r == 0 ? 1 : -1) * std::fabs(area);
        }
    }
    return total / 1e6;
}

namespace {

// From the plane `plane_epsg` to PROJ's cylindrical equal-area projection on the CGCS2000 ellipsoid (lon_0 = 0,
// standard parallel the equator), as one PROJ pipeline: the plane's inverse projection as PROJ defines it (the
// same operation as cached_transformer(plane_epsg, 4490)), then the equal-area map, which keeps areas exactly
// (y = a·q(φ)/2, the authalic function; Snyder 1987 §10): the ellipsoidal area of a region is the plane area of
// its image there. One per thread and plane. `smooth`: the pipeline uses no grid (a datum shift by grid is only
// piecewise smooth), so a local polynomial may stand in for it (LocalCubicMap).
struct EqualAreaPipeline {
    PJ* pj;
    bool smooth;
};
EqualAreaPipeline equal_area_pj(int plane_epsg) {
    struct Holder {
        PJ* pj = nullptr;
        bool smooth = false;
        ~Holder() {
            if (pj) proj_destroy(pj);
        }
        Holder() = default;
        Holder(Holder&& o) noexcept : pj(o.pj), smooth(o.smooth) { o.pj = nullptr; }
        Holder(const Holder&) = delete;
        Holder& operator=(const Holder&) = delete;
    };
    thread_local std::map<int, Holder> cache;
    auto it = cache.find(plane_epsg);
    if (it != cache.end()) return {it->second.pj, it->second.smooth};
    const std::string from = "EPSG:" + std::to_string(plane_epsg);
    std::string failure;
    Holder h;
    h.pj = SharedOriginals::instance().own_copy("equal-area " + from, [&](PJ_CONTEXT* ctx) -> PJ* {
        std::unique_ptr<PJ, decltype(&proj_destroy)> to_lonlat(normalised_crs_to_crs(ctx, from, "EPSG:4490"), proj_destroy);
        const char* def = to_lonlat ? proj_as_proj_string(ctx, to_lonlat.get(), PJ_PROJ_5, nullptr) : nullptr;
        if (!def) {
            failure = "PROJ cannot describe " + from + " -> EPSG:4490 as a pipeline";
            return nullptr;
        }
        std::string pipeline = def;
        if (pipeline.rfind("+proj=pipeline", 0) != 0) pipeline = "+proj=pipeline +step " + pipeline;
        pipeline += " +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cea +lon_0=0 +lat_ts=0 +a=6378137 +rf=298.257222101";
        PJ* pj = proj_create(ctx, pipeline.c_str());
        if (!pj) failure = "PROJ cannot create the equal-area pipeline " + pipeline;
        return pj;
    });
    if (!h.pj) throw InternalError(failure.empty() ? "PROJ cannot create the equal-area pipeline for " + from : failure);
    const char* def = proj_as_proj_string(proj_ctx(), h.pj, PJ_PROJ_5, nullptr);
    h.smooth = def && std::string_view(def).find("grid") == std::string_view::npos;
    const Holder& held = cache.emplace(plane_epsg, std::move(h)).first->second;
    return {held.pj, held.smooth};
}

// The interior nodes and weights of the 3-point Gauss–Lobatto (Simpson) rule on [0, 1]: the deviation D of a
// piece's image from its chord vanishes at both ends, so only the middle is evaluated, and the rule is exact
// while D is a cubic. D's next terms are smaller by (L / R)² per degree (R ≈ the earth's radius): for pieces of at
// most 1 km at the edge of a 3° zone the rule's error stays below 1e-12 of the area (the tests bound it at 1e-9).
constexpr int kNodes = 1;
constexpr double kNode[kNodes] = {0.5};
constexpr double kWeight[kNodes] = {2.0 / 3};
constexpr double kPieceMetres = 1000.0;

// Derivative, at the interior nodes, of the polynomial through (0, 0), (t_i, d_i), (1, 0): the Lagrange
// differentiation matrix of the nodes {0, t_1..t_n, 1} (barycentric form), restricted to what is used.
struct Differentiation {
    double m[kNodes][kNodes] = {};
    Differentiation() {
        double x[kNodes + 2];
        x[0] = 0;
        for (int i = 0; i < kNodes; ++i) x[i + 1] = kNode[i];
        x[kNodes + 1] = 1;
        double w[kNodes + 2];
        for (int j = 0; j < kNodes + 2; ++j) {
            w[j] = 1;
            for (int k = 0; k < kNodes + 2; ++k)
                if (k != j) w[j] /= x[j] - x[k];
        }
        for (int i = 1; i <= kNodes; ++i) {
            double diag = 0;
            for (int j = 0; j < kNodes + 2; ++j) {
                if (j == i) continue;
                const double mij = w[j] / w[i] / (x[i] - x[j]);
                diag -= mij;
                if (j >= 1 && j <= kNodes) m[i - 1][j - 1] = mij;
            }
            m[i - 1][i - 1] = diag;
        }
    }
};

struct EqualAreaMap {
    PJ* pj;
    Coord operator()(Coord plane) const {
        PJ_COORD out = proj_trans(pj, PJ_FWD, proj_coord(plane.x, plane.y, 0, 0));
        if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y) || out.xy.x == HUGE_VAL) {
            throw InputError("坐标 (" + std::to_string(plane.x) + ", " + std::to_string(plane.y) +
                             ") 无法换算到等积投影 / coordinate cannot be mapped to the equal-area projection");
        }
        return {out.xy.x, out.xy.y};
    }
};

// ∮ (X − xr) dY over the image of a ring whose edges are straight in the plane: for each piece p(t) =
// a + t(b − a), t ∈ [0, 1], with image C(t) = L(t) + D(t) (L the chord between the images of the ends, D = 0
// at both ends), ∫ (X − xr) dY = (X̄ − xr)·ΔY + ΔY∫Dx − ΔX∫Dy + ∫Dx·Dy' (parts integrated; exact), the
// integrals by the quadrature above on D, the small last one with D' from D's interpolating polynomial.
template <class Map>
double ring_equal_area_m2(const Ring& ring, const Map& map) {
    static const Differentiation diff;
    std::size_t n = ring.size();
    if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
    if (n < 3) return 0;
    const Coord first = map(ring[0]);
    const double xr = first.x;
    double sum = 0;
    Coord ca = first;
    for (std::size_t i = 0; i < n; ++i) {
        const Coord a = ring[i], b = ring[(i + 1) % n];
        const Coord cb_end = (i + 1 == n) ? first : map(b);
        // sqrt, not hypot: plane ordinates cannot overflow a square, and hypot was 0.7 % of a server check.
        const double len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
        const int pieces = std::max(1, static_cast<int>(std::ceil(len / kPieceMetres)));
        for (int k = 0; k < pieces; ++k) {
            const double t0 = static_cast<double>(k) / pieces, t1 = static_cast<double>(k + 1) / pieces;
            const Coord pb = {a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y)};
            const Coord cb = (k + 1 == pieces) ? cb_end : map(pb);
            const double dx = cb.x - ca.x, dy = cb.y - ca.y;
            double ddx[kNodes], ddy[kNodes];
            for (int j = 0; j < kNodes; ++j) {
                const double t = t0 + kNode[j] * (t1 - t0);
                const Coord c = map({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
                ddx[j] = c.x - (ca.x + kNode[j] * dx);
                ddy[j] = c.y - (ca.y + kNode[j] * dy);
            }
            double int_dx = 0, int_dy = 0, cross = 0;
            for (int j = 0; j < kNodes; ++j) {
                double ddy_dt = 0;
                for (int m = 0; m < kNodes; ++m) ddy_dt += diff.m[j][m] * ddy[m];
                int_dx += kWeight[j] * ddx[j];
                int_dy += kWeight[j] * ddy[j];
                cross += kWeight[j] * ddx[j] * ddy_dt;
            }
            sum += ((ca.x - xr) + (cb.x - xr)) / 2 * dy + dy * int_dx - dx * int_dy + cross;
            ca = cb;
        }
    }
    return std::fabs(sum);
}

// The local polynomial of the equal-area map for a polygon of the plane, or nothing where PROJ is to be called
// point by point. Polygons up to 2 km across share the polynomial of the 2 km grid cell their envelope's centre
// falls in (fitted with a 1 km step, so every vertex is within 2.9 km of its centre): a check's pieces (patches,
// clipped slivers) then cost no PROJ call after the first. Polygons up to 6 km across with enough vertices to
// repay the 14 calls get their own; larger ones, and pipelines with grids, go point by point. Each polynomial
// is checked against PROJ at one point off its stencil (the truncation there is below 1e-8 m; 1e-6 m catches a
// map that is not smooth), and one that fails is remembered as such.
constexpr double kCellMetres = 2000.0;
constexpr double kOwnFitMaxMetres = 6000.0;
constexpr std::size_t kOwnFitMinVertices = 16;
constexpr double kFitCheckMetres = 1e-6;
constexpr std::size_t kCellCacheEntries = 1024;  // ≈ 200 KB a thread

std::optional<LocalCubicMap> checked_fit(const EqualAreaMap& direct, Coord centre, double step) {
    LocalCubicMap local = LocalCubicMap::fit(direct, centre, step);
    const Coord probe = {centre.x + 1.37 * step, centre.y - 0.83 * step};
    const Coord exact = direct(probe), origin = direct(centre), approx = local.offset(probe);
    if (std::fabs(exact.x - origin.x - approx.x) > kFitCheckMetres || std::fabs(exact.y - origin.y - approx.y) > kFitCheckMetres)
        return std::nullopt;
    return local;
}

std::optional<LocalCubicMap> local_map_for(const PolygonRings& polygon, int plane_epsg, const EqualAreaMap& direct, bool allowed) {
    if (!allowed || polygon.empty() || polygon[0].empty()) return std::nullopt;
    double minx = polygon[0][0].x, maxx = minx, miny = polygon[0][0].y, maxy = miny;
    for (const Coord& c : polygon[0]) {
        minx = std::min(minx, c.x), maxx = std::max(maxx, c.x);
        miny = std::min(miny, c.y), maxy = std::max(maxy, c.y);
    }
    const double extent = std::max(maxx - minx, maxy - miny);
    const Coord middle = {(minx + maxx) / 2, (miny + maxy) / 2};
    if (extent <= kCellMetres) {
        using Key = std::tuple<int, double, double>;  // the plane, the cell's column and row
        thread_local std::map<Key, std::optional<LocalCubicMap>> cells;
        const Key key{plane_epsg, std::floor(middle.x / kCellMetres), std::floor(middle.y / kCellMetres)};
        auto it = cells.find(key);
        if (it != cells.end()) return it->second;
        if (cells.size() >= kCellCacheEntries) cells.clear();
        const Coord centre = {(std::get<1>(key) + 0.5) * kCellMetres, (std::get<2>(key) + 0.5) * kCellMetres};
        return cells.emplace(key, checked_fit(direct, centre, kCellMetres / 2)).first->second;
    }
    std::size_t vertices = 0;
    for (const Ring& r : polygon) vertices += r.size();
    if (extent > kOwnFitMaxMetres || vertices < kOwnFitMinVertices) return std::nullopt;
    return checked_fit(direct, middle, extent / 3);
}

}  // namespace

double plane_polygon_ellipsoidal_area_km2(const Geometry& plane, int plane_epsg, PlaneAreaPoints points) {
    if (plane.is_null() || plane.is_empty()) return 0;
    const EqualAreaPipeline pipeline = equal_area_pj(plane_epsg);
    const bool polynomial_allowed = points == PlaneAreaPoints::local_polynomial && pipeline.smooth;
    const EqualAreaMap direct{pipeline.pj};
    double total = 0;
    for (const auto& polygon : plane.polygons()) {
        const std::optional<LocalCubicMap> local = local_map_for(polygon, plane_epsg, direct, polynomial_allowed);
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const double m2 = local ? ring_equal_area_m2(polygon[r], [&](Coord p) { return local->offset(p); })
                                    : ring_equal_area_m2(polygon[r], direct);
            total += (r == 0 ? 1 : -1) * m2;
        }
    }
    return total / 1e6;
}

double round_km2(double km2) { return std::round(km2 * 1e4) / 1e4; }

}  // namespace minplan::geo
