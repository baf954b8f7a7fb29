// The GEOS facade: construction, validity with location, predicates, WKB/WKT round trips, and the
// schematic placer on a hand-made region whose geometry is known exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "geo/schematic.hpp"

namespace minplan::geo {
namespace {

TEST(Geometry, BowTieIsInvalidAtTheCrossingOfItsDiagonals) {
    // (113,40)-(113.1,40.1) and (113.1,40)-(113,40.1) cross at their common midpoint (113.05, 40.05).
    Geometry bow = Geometry::polygon({{{113.0, 40.0}, {113.1, 40.1}, {113.1, 40.0}, {113.0, 40.1}}});
    auto problem = bow.validity_problem();
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->reason.find("Self-intersection"), std::string::npos) << problem->reason;
    EXPECT_NEAR(problem->location.x, 113.05, 1e-12);
    EXPECT_NEAR(problem->location.y, 40.05, 1e-12);
    EXPECT_FALSE(Geometry::rectangle({113, 40, 113.1, 40.1}).validity_problem().has_value());
}

TEST(Geometry, RingsWithFewerThanThreeDistinctPointsAreRejected) {
    EXPECT_THROW(Geometry::polygon({{{113.0, 40.0}, {113.1, 40.0}}}), InputError);
    EXPECT_THROW(Geometry::polygon({{{113.0, 40.0}, {113.1, 40.0}, {113.0, 40.0}}}), InputError);
    // An open ring of three points is closed by the facade.
    Geometry closed = Geometry::polygon({{{113.0, 40.0}, {113.1, 40.0}, {113.1, 40.1}}});
    EXPECT_NEAR(closed.planar_area(), 0.005, 1e-12);
}

TEST(Geometry, WktAndWkbRoundTrip) {
    Geometry g = Geometry::from_wkt(
        "POLYGON ((113 40, 114 40, 114 41, 113 41, 113 40), (113.2 40.2, 113.2 40.4, 113.4 40.4, 113.4 40.2, 113.2 40.2))");
    EXPECT_NEAR(g.planar_area(), 1.0 - 0.04, 1e-12);
    Geometry back = Geometry::from_wkb(g.to_wkb());
    EXPECT_EQ(back.to_wkt(6), g.to_wkt(6));
    ASSERT_EQ(back.polygons().size(), 1u);
    EXPECT_EQ(back.polygons()[0].size(), 2u);
    EXPECT_THROW(Geometry::from_wkt("POLYGON ((113 40, 114 40"), InputError);
    std::vector<unsigned char> garbage = {1, 2, 3, 4, 5};
    EXPECT_THROW(Geometry::from_wkb(garbage), InputError);
}

TEST(Geometry, PredicatesAndOverlay) {
    Geometry big = Geometry::rectangle({0, 0, 10, 10});
    Geometry inner = Geometry::rectangle({2, 2, 4, 4});
    Geometry edge = Geometry::rectangle({0, 0, 10, 5});
    Geometry outside = Geometry::rectangle({20, 20, 21, 21});
    EXPECT_TRUE(big.contains(inner));
    EXPECT_TRUE(big.covers(edge));
    EXPECT_FALSE(big.contains(outside));
    EXPECT_FALSE(big.intersects(outside));
    EXPECT_NEAR(big.intersection(Geometry::rectangle({5, 5, 15, 15})).planar_area(), 25, 1e-9);
    EXPECT_NEAR(big.difference(inner).planar_area(), 96, 1e-9);
    EXPECT_NEAR(big.union_with(outside).planar_area(), 101, 1e-9);
    PreparedGeometry prepared(big);
    EXPECT_TRUE(prepared.covers(edge));
    EXPECT_FALSE(prepared.intersects(outside));
    Envelope e = big.union_with(outside).envelope();
    EXPECT_EQ(e.max_x, 21);
    EXPECT_EQ(e.min_y, 0);
}

TEST(Geometry, EnvelopeIndexReturnsTheItemsWhoseBoxesIntersect) {
    EnvelopeIndex index;
    index.insert({0, 0, 1, 1}, 10);
    index.insert({5, 5, 6, 6}, 20);
    index.insert({0.5, 0.5, 5.5, 5.5}, 30);
    EXPECT_EQ(index.query({0.9, 0.9, 1.1, 1.1}), (std::vector<std::size_t>{10, 30}));
    EXPECT_EQ(index.query({7, 7, 8, 8}), std::vector<std::size_t>{});
}

// A lon/lat rectangle with a vertex every 0.002° (≈ 200 m, like the real boundaries' 1/1024° grid): the
// placer works in Gauss–Krüger metres and transforms vertices only, so long straight edges would bend.
Geometry dense_rectangle(double x0, double y0, double x1, double y1) {
    Ring ring;
    const int n = 100;
    for (int i = 0; i < n; ++i) ring.push_back({x0 + (x1 - x0) * i / n, y0});
    for (int i = 0; i < n; ++i) ring.push_back({x1, y0 + (y1 - y0) * i / n});
    for (int i = 0; i < n; ++i) ring.push_back({x1 - (x1 - x0) * i / n, y1});
    for (int i = 0; i < n; ++i) ring.push_back({x0, y1 - (y1 - y0) * i / n});
    return Geometry::polygon({ring});
}

// Two square counties of 0.2° × 0.2° near Datong; the city is their union.
class Placer : public ::testing::Test {
protected:
    void SetUp() override {
        std::map<std::string, Geometry> regions;
        regions.emplace("甲县", dense_rectangle(113.5, 39.8, 113.7, 40.0));
        regions.emplace("乙县", dense_rectangle(113.7, 39.8, 113.9, 40.0));
        placer_ = std::make_unique<SchematicPlacer>(std::move(regions), dense_rectangle(113.5, 39.8, 113.9, 40.0), "测试市");
    }
    std::unique_ptr<SchematicPlacer> placer_;
};

TEST_F(Placer, PlacesTheStatedAreaInsideTheCountyWithoutOverlap) {
    Geometry county = Geometry::rectangle({113.5, 39.8, 113.7, 40.0});
    std::vector<Geometry> placed;
    for (double area : {12.5, 3.0, 40.0}) {
        Placement p = placer_->place("zones", {"甲县"}, area);
        EXPECT_NEAR(ellipsoidal_area_km2(p.lonlat), area, area * 1e-3);
        EXPECT_NEAR(p.area_km2, ellipsoidal_area_km2(p.lonlat), 1e-9);
        EXPECT_TRUE(county.covers(p.lonlat)) << p.lonlat.to_wkt();
        EXPECT_NE(p.note.find("示意"), std::string::npos);
        for (const auto& other : placed) EXPECT_LT(p.lonlat.intersection(other).planar_area(), 1e-12);
        placed.push_back(std::move(p.lonlat));
    }
}

TEST_F(Placer, MultiCountyObjectsLieInTheUnionAndUnknownCountiesFallBackToTheCity) {
    // 500 km² is more than either county (≈ 377 km²) but fits in their union only when clipped to it.
    Placement both = placer_->place("zones", {"甲县", "乙县"}, 500.0);
    EXPECT_NEAR(ellipsoidal_area_km2(both.lonlat), 500.0, 0.5);
    Geometry union_box = Geometry::rectangle({113.5, 39.8, 113.9, 40.0});
    EXPECT_TRUE(union_box.buffer(1e-7).covers(both.lonlat)) << both.lonlat.to_wkt();
    EXPECT_NE(both.note.find("裁剪"), std::string::npos) << both.note;
    Placement city = placer_->place("other", {"不存在县"}, 5.0);
    EXPECT_NE(city.note.find("测试市"), std::string::npos) << city.note;
}

TEST_F(Placer, AnAreaLargerThanTheCountyTakesTheWholeCountyAndSaysSo) {
    double county_km2 = ellipsoidal_area_km2(Geometry::rectangle({113.5, 39.8, 113.7, 40.0}));
    Placement p = placer_->place("zones", {"甲县"}, county_km2 * 2);
    EXPECT_NEAR(p.area_km2, county_km2, county_km2 * 1e-3);
    EXPECT_NE(p.note.find("取整个行政区"), std::string::npos) << p.note;
}

TEST(Geometry, BoundaryDistanceIsTheNearestRingIncludingHoles) {
    // A 10 × 4 rectangle with a 2 × 1 hole at x 6–8, y 1.5–2.5. From (2, 2): the bottom and top sides are 2 away,
    // the left side 2, the hole 4 → 2. From (5, 2): the hole's left side at x 6 is 1 away → 1. From (9, 3.5):
    // the right side 1 and the top 0.5 → 0.5.
    auto g = Geometry::polygon({{{0, 0}, {10, 0}, {10, 4}, {0, 4}, {0, 0}}, {{6, 1.5}, {8, 1.5}, {8, 2.5}, {6, 2.5}, {6, 1.5}}});
    EXPECT_DOUBLE_EQ(g.boundary_distance({2, 2}), 2.0);
    EXPECT_DOUBLE_EQ(g.boundary_distance({5, 2}), 1.0);
    EXPECT_DOUBLE_EQ(g.boundary_distance({9, 3.5}), 0.5);
}

}  // namespace
}  // namespace minplan::geo
