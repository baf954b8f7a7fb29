// short_ring_area_m2 against PROJ's geod_polygonarea (GeographicLib's geodesic polygon area, what PostGIS's
// ST_Area(geography) computes): random rings over the whole latitude range of China, from 1 m to 5 km,
// round, flat and sliver-shaped, with the longest edges it measures.
#include <gtest/gtest.h>

#include <geodesic.h>

#include <cmath>
#include <random>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geodesic_area.hpp"
#include "geo/geometry.hpp"

namespace minplan::geo {
namespace {

struct Ring {
    std::vector<double> lon, lat;
    void add(double lon0, double lat0, double east_m, double north_m) {
        lat.push_back(lat0 + north_m / 111000.0);
        lon.push_back(lon0 + east_m / (111000.0 * std::cos(lat0 * M_PI / 180)));
    }
};

double geod_area_m2(const Ring& r) {
    static const geod_geodesic g = [] {
        geod_geodesic x;
        geod_init(&x, 6378137.0, 1.0 / 298.257222101);
        return x;
    }();
    std::vector<double> lat = r.lat, lon = r.lon;
    double area = 0, perimeter = 0;
    geod_polygonarea(&g, lat.data(), lon.data(), static_cast<int>(lat.size()), &area, &perimeter);
    return area;
}

// geod_polygonarea's own rounding is a few 1e-4 m² (it sums each edge's area down to the equator); the
// two agree to that, and to 1e-9 relative beyond it. (Against the same formula in long double, the double
// one stays within 3e-8 relative and 5e-6 m² on these rings, while geod_polygonarea moves by 1.5e-4 m²:
// the difference is the oracle's rounding, not the formula's.)
void expect_agree(const Ring& r, int case_no) {
    const auto fast = short_ring_area_m2(r.lon.data(), r.lat.data(), r.lon.size());
    ASSERT_TRUE(fast) << "case " << case_no;
    const double oracle = geod_area_m2(r);
    EXPECT_NEAR(*fast, oracle, 5e-4 + 1e-9 * std::fabs(oracle)) << "case " << case_no << ", " << r.lon.size() << " vertices";
}

TEST(ShortRingArea, RandomRingsAcrossChinaAgreeWithGeodPolygonArea) {
    std::mt19937_64 rng(20261202);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 20000; ++i) {
        const double lon0 = 73 + 62 * u(rng), lat0 = 18 + 35 * u(rng);
        const int n = 3 + static_cast<int>(u(rng) * 40);
        const double size = std::pow(10, 3.3 * u(rng)), aspect = std::pow(10, -3 * u(rng)), turn = u(rng) * M_PI;
        const bool clockwise = u(rng) < 0.5;
        Ring r;
        for (int k = 0; k < n; ++k) {
            const double t = 2 * M_PI * (clockwise ? n - k : k) / n, radius = 1 + 0.3 * (u(rng) - 0.5);
            const double x = radius * std::cos(t) * size, y = radius * std::sin(t) * size * aspect;
            r.add(lon0, lat0, x * std::cos(turn) - y * std::sin(turn), x * std::sin(turn) + y * std::cos(turn));
        }
        expect_agree(r, i);
        if (HasFailure()) return;
    }
}

// A triangle with one long edge and a small height: the geodesic's bow on the long edge is a large share
// of its area (a 5 km edge at 50° N bows ~0.5 m from the straight line in lon/lat).
TEST(ShortRingArea, SliversWithEdgesUpToFiveKilometresAgreeWithGeodPolygonArea) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 20000; ++i) {
        const double lon0 = 73 + 62 * u(rng), lat0 = 18 + 35 * u(rng);
        const double length = std::pow(10, 2 + 1.65 * u(rng)), height = std::pow(10, 2 * u(rng)), turn = u(rng) * M_PI;
        const double dx = length * std::cos(turn), dy = length * std::sin(turn), at = u(rng);
        Ring r;
        r.add(lon0, lat0, 0, 0);
        r.add(lon0, lat0, dx, dy);
        r.add(lon0, lat0, at * dx - dy / length * height, at * dy + dx / length * height);
        expect_agree(r, i);
        if (HasFailure()) return;
    }
}

TEST(ShortRingArea, LongEdgesAndPolarCapsAreLeftToGeodPolygonArea) {
    Ring wide;  // a 10 km square at 40° N
    for (auto [x, y] : {std::pair{0.0, 0.0}, {10000.0, 0.0}, {10000.0, 10000.0}, {0.0, 10000.0}}) wide.add(113, 40, x, y);
    EXPECT_FALSE(short_ring_area_m2(wide.lon.data(), wide.lat.data(), 4));
    Ring polar;  // 100 m at 85° N
    for (auto [x, y] : {std::pair{0.0, 0.0}, {100.0, 0.0}, {100.0, 100.0}, {0.0, 100.0}}) polar.add(113, 85, x, y);
    EXPECT_FALSE(short_ring_area_m2(polar.lon.data(), polar.lat.data(), 4));
    // ellipsoidal_area_km2 then measures them with PROJ: the same as geod_polygonarea.
    Ring box;
    box.lon = {wide.lon[0], wide.lon[2], wide.lon[2], wide.lon[0]};
    box.lat = {wide.lat[0], wide.lat[0], wide.lat[2], wide.lat[2]};
    EXPECT_NEAR(ellipsoidal_area_km2(Geometry::rectangle({wide.lon[0], wide.lat[0], wide.lon[2], wide.lat[2]})) * 1e6,
                std::fabs(geod_area_m2(box)), 1e-3);
    const double nan = std::nan("");
    const double lon[] = {113, 113.001, nan}, lat[] = {40, 40, 40.001};
    EXPECT_FALSE(short_ring_area_m2(lon, lat, 3));
}

}  // namespace
}  // namespace minplan::geo
