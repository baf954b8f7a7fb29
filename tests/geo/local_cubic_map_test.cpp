// The local cubic polynomial that stands in for PROJ in plane areas (geo/local_cubic_map.hpp): exact on a hand
// cubic map, and, on the Gauss–Krüger → equal-area pipeline, giving the same ellipsoidal areas as PROJ called on
// every point, across China (latitudes 18°–53°, every CGCS2000 3° zone, both numberings, at the central meridian
// and at both edges of the zone), for shapes a check meets: farmland patches, rights, slivers, tiny triangles,
// and polygons of a few km with their own polynomial.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "geo/local_cubic_map.hpp"

namespace minplan::geo {
namespace {

TEST(LocalCubicMap, ReproducesACubicMapExactly) {
    // A hand cubic map with every term, at a centre far from the origin (as plane coordinates are).
    const Coord centre = {512345.0, 4432100.0};
    auto cubic = [&](Coord p) {
        const double u = p.x - centre.x, v = p.y - centre.y;
        return Coord{7e6 + 1.01 * u - 0.02 * v + 3e-8 * u * u - 5e-8 * u * v + 2e-8 * v * v + 4e-14 * u * u * u -
                         6e-14 * u * u * v + 1e-14 * u * v * v - 2e-14 * v * v * v,
                     3e6 + 0.03 * u + 0.97 * v - 1e-8 * u * u + 2e-8 * u * v + 6e-8 * v * v - 3e-14 * u * u * u +
                         2e-14 * u * u * v - 5e-14 * u * v * v + 7e-14 * v * v * v};
    };
    const LocalCubicMap local = LocalCubicMap::fit(cubic, centre, 1000.0);
    const Coord origin = cubic(centre);
    for (double u : {-2800.0, -900.0, 0.0, 13.0, 1500.0, 2900.0}) {
        for (double v : {-2700.0, -40.0, 700.0, 2800.0}) {
            const Coord p = {centre.x + u, centre.y + v};
            const Coord want = cubic(p), got = local.offset(p);
            EXPECT_NEAR(got.x, want.x - origin.x, 1e-7) << u << "," << v;
            EXPECT_NEAR(got.y, want.y - origin.y, 1e-7) << u << "," << v;
        }
    }
}

// A ring of n vertices around (x, y): radius r, wobbling by ±15 % (a farmland patch's irregular outline).
Ring wobbly_ring(double x, double y, double r, int n, double turn) {
    Ring ring;
    for (int k = 0; k < n; ++k) {
        const double a = turn + 2 * M_PI * k / n;
        const double rk = r * (1 + 0.15 * std::sin(5 * a + turn) * std::cos(3 * a));
        ring.push_back({x + rk * std::cos(a), y + rk * std::sin(a)});
    }
    ring.push_back(ring.front());
    return ring;
}

Ring rectangle(double x, double y, double w, double h, double deg) {
    const double c = std::cos(deg * M_PI / 180), s = std::sin(deg * M_PI / 180);
    Ring r;
    for (auto [u, v] : {std::pair{0.0, 0.0}, {w, 0.0}, {w, h}, {0.0, h}, {0.0, 0.0}}) r.push_back({x + u * c - v * s, y + u * s + v * c});
    return r;
}

std::vector<std::pair<std::string, Geometry>> shapes_at(Coord p) {
    std::vector<std::pair<std::string, Geometry>> out;
    out.push_back({"patch 100 m, 40 vertices", Geometry::polygon({wobbly_ring(p.x + 310, p.y - 220, 55, 40, 0.3)})});
    out.push_back({"right 1.7 x 1.1 km rotated", Geometry::polygon({rectangle(p.x - 800, p.y - 500, 1700, 1100, 23)})});
    out.push_back({"sliver 1.9 km x 0.4 m", Geometry::polygon({{{p.x, p.y}, {p.x + 1520, p.y + 1140}, {p.x + 1519.76, p.y + 1140.32}, {p.x - 0.24, p.y + 0.32}, {p.x, p.y}}})});
    out.push_back({"triangle 3 m²", Geometry::polygon({{{p.x + 5, p.y + 5}, {p.x + 8, p.y + 5}, {p.x + 5, p.y + 7}, {p.x + 5, p.y + 5}}})});
    out.push_back({"5 km outline with a hole, 96 vertices",
                   Geometry::polygon({wobbly_ring(p.x, p.y, 2100, 64, 1.1), wobbly_ring(p.x + 300, p.y, 600, 32, 0.2)})});
    out.push_back({"patches in two cells", Geometry::multi_polygon({{wobbly_ring(p.x - 1500, p.y, 40, 36, 0.7)},
                                                                    {wobbly_ring(p.x + 1500, p.y + 900, 45, 44, 2.0)}})});
    return out;
}

TEST(LocalCubicMap, PlaneAreasMatchPROJOnEveryPointAcrossChina) {
    double worst = 0;
    std::string where;
    for (int zone = 25; zone <= 45; ++zone) {
        for (bool prefixed : {true, false}) {
            const int epsg = cgcs2000_gk3_epsg(zone, prefixed);
            for (double lat : {18.0, 25.0, 32.0, 40.0, 46.0, 53.0}) {
                for (double dlon : {-1.5, 0.0, 1.5}) {
                    const Coord p = cached_transformer(kCgcs2000Geographic, epsg).apply(Coord{zone * 3.0 + dlon, lat});
                    for (const auto& [name, g] : shapes_at(p)) {
                        const double pointwise = plane_polygon_ellipsoidal_area_km2(g, epsg, PlaneAreaPoints::pointwise) * 1e6;
                        const double local = plane_polygon_ellipsoidal_area_km2(g, epsg) * 1e6;
                        const std::string at = "EPSG:" + std::to_string(epsg) + " lat " + std::to_string(lat) +
                                               " dlon " + std::to_string(dlon) + " " + name;
                        // PROJ's own ordinates are ~10⁷ m (ulp 2e-9 m): the pointwise figure carries ~1e-6 m² a
                        // km of boundary; beyond that the two agree to 1e-10 relative.
                        EXPECT_NEAR(local, pointwise, pointwise * 1e-10 + 1e-5) << at;
                        const double rel = std::fabs(local - pointwise) / pointwise;
                        if (rel > worst) worst = rel, where = at;
                    }
                }
            }
        }
    }
    std::cout << "largest relative difference " << worst << " at " << where << "\n";
}

}  // namespace
}  // namespace minplan::geo
