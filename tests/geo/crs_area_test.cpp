// Areas on the CGCS2000 ellipsoid and PROJ transformations, against values computed independently:
// the closed-form area of an ellipsoidal quadrangle (authalic-latitude formula) and cs2cs output.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"

namespace minplan::geo {
namespace {

// Area (m²) on the CGCS2000 ellipsoid between two parallels and two meridians:
//   A = b² Δλ / 2 · [q(φ2) − q(φ1)],  q(φ) = sinφ / (1 − e² sin²φ) + 1/(2e) · ln((1 + e sinφ) / (1 − e sinφ)),
// the integral of the ellipsoid's area element; for e → 0 it becomes the spherical zone R² Δλ (sinφ2 − sinφ1).
double quadrangle_area_m2(double lon1, double lat1, double lon2, double lat2) {
    const double a = 6378137.0, f = 1.0 / 298.257222101;  // CGCS2000 ellipsoid (EPSG:1024)
    const double e2 = f * (2 - f), e = std::sqrt(e2), b = a * (1 - f);
    const double deg = M_PI / 180.0;
    auto q = [&](double phi) {
        double s = std::sin(phi * deg);
        return s / (1 - e2 * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
    };
    return b * b * (lon2 - lon1) * deg / 2 * (q(lat2) - q(lat1));
}

Geometry cell(double lon, double lat, double size) {
    return Geometry::rectangle({lon, lat, lon + size, lat + size});
}

TEST(EllipsoidalArea, SmallCellAt40NorthMatchesTheClosedForm) {
    double expected_km2 = quadrangle_area_m2(113.0, 40.0, 113.01, 40.01) / 1e6;
    // Cross-check of the closed form with the local radii at the cell's middle latitude: meridian arc
    // M·Δφ times parallel arc N·cosφ·Δλ (M = a(1−e²)/W³, N = a/W, W = √(1 − e² sin²φ)); agrees to ~1e-8.
    const double a = 6378137.0, f = 1.0 / 298.257222101, e2 = f * (2 - f), rad = M_PI / 180.0;
    const double phi = 40.005 * rad, w = std::sqrt(1 - e2 * std::sin(phi) * std::sin(phi));
    const double radii_km2 = (a * (1 - e2) / (w * w * w) * 0.01 * rad) * (a / w * std::cos(phi) * 0.01 * rad) / 1e6;
    EXPECT_NEAR(expected_km2, radii_km2, radii_km2 * 1e-6);
    EXPECT_NEAR(expected_km2, 0.9481, 0.0001);  // ≈ 0.854 km × 1.110 km
    EXPECT_NEAR(ellipsoidal_area_km2(cell(113.0, 40.0, 0.01)), expected_km2, expected_km2 * 1e-6);
}

TEST(EllipsoidalArea, LargerCellsAndOtherLatitudesMatchTheClosedForm) {
    // Geodesic edges bow away from the parallels; over 0.1° the effect stays below 1e-6 relative.
    for (double lat : {39.0, 40.0, 40.5}) {
        double expected_km2 = quadrangle_area_m2(113.5, lat, 113.6, lat + 0.1) / 1e6;
        EXPECT_NEAR(ellipsoidal_area_km2(cell(113.5, lat, 0.1)), expected_km2, expected_km2 * 1e-6) << lat;
    }
}

TEST(EllipsoidalArea, HolesAreSubtractedAndPartsAdded) {
    PolygonRings with_hole = {{{113.0, 40.0}, {113.02, 40.0}, {113.02, 40.02}, {113.0, 40.02}},
                              {{113.005, 40.005}, {113.005, 40.015}, {113.015, 40.015}, {113.015, 40.005}}};
    double outer = quadrangle_area_m2(113.0, 40.0, 113.02, 40.02) / 1e6;
    double hole = quadrangle_area_m2(113.005, 40.005, 113.015, 40.015) / 1e6;
    EXPECT_NEAR(ellipsoidal_area_km2(Geometry::polygon(with_hole)), outer - hole, outer * 1e-6);

    Geometry two = Geometry::multi_polygon({{{{113.0, 40.0}, {113.01, 40.0}, {113.01, 40.01}, {113.0, 40.01}}},
                                            {{{114.0, 39.5}, {114.01, 39.5}, {114.01, 39.51}, {114.0, 39.51}}}});
    double sum =
        (quadrangle_area_m2(113.0, 40.0, 113.01, 40.01) + quadrangle_area_m2(114.0, 39.5, 114.01, 39.51)) / 1e6;
    EXPECT_NEAR(ellipsoidal_area_km2(two), sum, sum * 1e-6);
}

TEST(EllipsoidalArea, RingOrientationDoesNotChangeTheSign) {
    Geometry cw = Geometry::polygon({{{113.0, 40.0}, {113.0, 40.01}, {113.01, 40.01}, {113.01, 40.0}}});
    // Clockwise, the same quadrangle's closed-form (authalic) area, positive.
    const double closed_form = quadrangle_area_m2(113.0, 40.0, 113.01, 40.01) / 1e6;
    EXPECT_NEAR(ellipsoidal_area_km2(cw), closed_form, closed_form * 1e-6);
}

TEST(EllipsoidalArea, RoundsToFourDecimalsLikeTheMnrRule) {
    EXPECT_DOUBLE_EQ(round_km2(0.94664449), 0.9466);
    EXPECT_DOUBLE_EQ(round_km2(1760.95006), 1760.9501);
    EXPECT_DOUBLE_EQ(round_km2(2.99994), 2.9999);
}

TEST(Crs, GaussKruger3DegreeZoneCodes) {
    // EPSG: CGCS2000 3-degree GK zones 25..45 are 4513..4533 (zone prefix) and 4534..4554 (CM only).
    EXPECT_EQ(cgcs2000_gk3_epsg(38, true), 4526);
    EXPECT_EQ(cgcs2000_gk3_epsg(38, false), 4547);
    EXPECT_EQ(cgcs2000_gk3_epsg(25, true), 4513);
    EXPECT_EQ(cgcs2000_gk3_epsg(45, false), 4554);
    EXPECT_THROW(cgcs2000_gk3_epsg(24, false), InputError);
    EXPECT_THROW(cgcs2000_gk3_epsg(46, true), InputError);
}

TEST(Crs, CentralMeridianOfZone38MapsToFalseEasting) {
    Transformer gk(kCgcs2000Geographic, kCgcs2000Gk38);
    Transformer gk_prefixed(kCgcs2000Geographic, kCgcs2000Gk38Prefixed);
    Coord c = gk.apply({114.0, 40.0});
    EXPECT_NEAR(c.x, 500000.0, 1e-3);  // zone 38: central meridian 114°E, false easting 500 km
    Coord p = gk_prefixed.apply({114.0, 40.0});
    EXPECT_NEAR(p.x, 38500000.0, 1e-3);
    // Northing: `echo "40 114" | cs2cs -f %.4f EPSG:4490 EPSG:4547` (PROJ 9.1.1) -> 4429529.0302
    EXPECT_NEAR(c.y, 4429529.0302, 1e-3);
    EXPECT_NEAR(p.y, 4429529.0302, 1e-3);
}

TEST(Crs, DatongPointAgreesWithCs2cs) {
    // `echo "40.1 113.3" | cs2cs -f %.4f EPSG:4490 EPSG:4547` (PROJ 9.1.1) -> 4440867.4546 440311.3324
    // `echo "40.1 113.3" | cs2cs -f %.4f EPSG:4490 EPSG:4526` (PROJ 9.1.1) -> 4440867.4546 38440311.3324
    // (cs2cs prints in the CRS's own axis order: northing first; Transformer returns x = easting.)
    Coord c = Transformer(4490, 4547).apply({113.3, 40.1});
    EXPECT_NEAR(c.x, 440311.3324, 1e-3);
    EXPECT_NEAR(c.y, 4440867.4546, 1e-3);
    Coord p = Transformer(4490, 4526).apply({113.3, 40.1});
    EXPECT_NEAR(p.x, 38440311.3324, 1e-3);
    EXPECT_NEAR(p.y, 4440867.4546, 1e-3);
    Coord back = Transformer(4547, 4490).apply(c);
    EXPECT_NEAR(back.x, 113.3, 1e-9);
    EXPECT_NEAR(back.y, 40.1, 1e-9);
}

TEST(Crs, TransformsWholeGeometries) {
    Geometry g = cell(113.3, 40.1, 0.01);
    Geometry t = Transformer(4490, 4547).apply(g);
    Envelope e = t.envelope();
    EXPECT_NEAR(e.min_x, 440311.3324, 30.0);  // the square's west edge bends; the SW corner is on it
    EXPECT_GT(e.width(), 800);
    EXPECT_LT(e.width(), 900);
    EXPECT_GT(e.height(), 1100);
    EXPECT_LT(e.height(), 1125);
}

// Each thread's transformers are clones of one original (or, where PROJ cannot clone it, made afresh): threads
// made after the main thread's transformer must transform alike, also for a datum change (Beijing 1954 →
// CGCS2000, several candidate operations), and give the same plane areas.
TEST(Crs, TransformersOfOtherThreadsAgreeWithTheFirst) {
    const std::vector<std::pair<int, int>> pairs = {{4490, 4547}, {4547, 4490}, {4490, 4526}, {4214, 4490}, {4490, 4214}};
    const Coord lonlat = {113.3, 40.1}, plane = {440311.3324, 4440867.4546};
    auto run = [&](std::vector<Coord>& out, double& area_m2) {
        for (auto [from, to] : pairs) out.push_back(Transformer(from, to).apply(from == 4547 ? plane : lonlat));
        area_m2 = plane_polygon_ellipsoidal_area_km2(
                      Geometry::polygon({{{plane.x, plane.y}, {plane.x + 1700, plane.y}, {plane.x + 1700, plane.y + 1100}, {plane.x, plane.y + 1100}, {plane.x, plane.y}}}),
                      4547) * 1e6;
    };
    std::vector<Coord> first;
    double first_area = 0;
    run(first, first_area);
    EXPECT_NEAR(first[0].x, 440311.3324, 1e-3);
    EXPECT_NEAR(first[0].y, 4440867.4546, 1e-3);
    std::vector<std::vector<Coord>> results(4);
    std::vector<double> areas(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) threads.emplace_back([&, t] { run(results[t], areas[t]); });
    for (auto& t : threads) t.join();
    for (std::size_t t = 0; t < results.size(); ++t) {
        ASSERT_EQ(results[t].size(), first.size());
        for (std::size_t i = 0; i < first.size(); ++i) {
            EXPECT_DOUBLE_EQ(results[t][i].x, first[i].x) << "thread " << t << " EPSG:" << pairs[i].first << " -> " << pairs[i].second;
            EXPECT_DOUBLE_EQ(results[t][i].y, first[i].y) << "thread " << t << " EPSG:" << pairs[i].first << " -> " << pairs[i].second;
        }
        EXPECT_DOUBLE_EQ(areas[t], first_area) << "thread " << t;
    }
}

}  // namespace
}  // namespace minplan::geo
