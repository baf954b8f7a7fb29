// The single check's cache of what a plan feature alone determines in the application's plane
// (rules/plane_cache.hpp): the cache on hand-made squares (areas and vertex counts by hand), and checks
// answered with a cold, a warm and a too-small cache against a brute-force oracle (each feature projected
// and intersected with GEOS here, pair by pair), including a geometry edited past the store under a fid the
// cache already holds.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <map>

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include "batch_plan.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "rules/engine.hpp"
#include "rules/plane_cache.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

// A square of side `s` metres at (x, y) in a plane: 5 vertices with the closing one, area s² m².
geo::Geometry square(double x, double y, double s) {
    return geo::Geometry::polygon({{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}});
}

TEST(PlaneCache, KeepsEntriesWithinItsVertexBudgetDroppingTheLeastRecentlyUsed) {
    PlaneCache cache(12);  // room for two squares (5 + 5), not three
    auto a = cache.put("control_lines", 1, 4547, 0xA, square(0, 0, 100));
    EXPECT_DOUBLE_EQ(a->plane_m2, 10000.0);  // 100 m × 100 m
    EXPECT_EQ(a->vertices, 5u);
    EXPECT_EQ(a->envelope.max_x, 100.0);
    EXPECT_TRUE(std::isnan(a->ellipsoid_m2.load()));  // computed by the first check that needs it
    cache.put("control_lines", 2, 4547, 0xB, square(200, 0, 50));
    ASSERT_NE(cache.find("control_lines", 1, 4547, 0xA), nullptr);  // 1 is now the most recently used
    cache.put("control_lines", 3, 4547, 0xC, square(400, 0, 20));   // 15 > 12: 2 goes
    EXPECT_EQ(cache.find("control_lines", 2, 4547, 0xB), nullptr);
    auto c = cache.find("control_lines", 3, 4547, 0xC);
    ASSERT_NE(c, nullptr);
    EXPECT_DOUBLE_EQ(c->plane_m2, 400.0);  // 20 m × 20 m
    ASSERT_NE(cache.find("control_lines", 1, 4547, 0xA), nullptr);
    const auto s = cache.stats();
    EXPECT_EQ(s.entries, 2u);
    EXPECT_EQ(s.vertices, 10u);
    EXPECT_EQ(s.evictions, 1u);
    EXPECT_EQ(s.hits, 3u);
    EXPECT_EQ(s.misses, 1u);
}

TEST(PlaneCache, AnEntryServesItsOwnGeometryLayerAndPlaneOnly) {
    PlaneCache cache;
    cache.put("control_lines", 7, 4547, 0x1234, square(0, 0, 10));
    EXPECT_NE(cache.find("control_lines", 7, 4547, 0x1234), nullptr);
    EXPECT_EQ(cache.find("control_lines", 7, 4547, 0x9999), nullptr);  // another geometry under fid 7
    EXPECT_EQ(cache.find("control_lines", 7, 4546, 0x1234), nullptr);  // another plane
    EXPECT_EQ(cache.find("mineral_rights", 7, 4547, 0x1234), nullptr);  // another layer
    // A new geometry under the same key replaces the old entry (the vertices are not counted twice).
    cache.put("control_lines", 7, 4547, 0x9999, square(0, 0, 30));
    EXPECT_EQ(cache.find("control_lines", 7, 4547, 0x1234), nullptr);
    auto e = cache.find("control_lines", 7, 4547, 0x9999);
    ASSERT_NE(e, nullptr);
    EXPECT_DOUBLE_EQ(e->plane_m2, 900.0);
    EXPECT_EQ(cache.stats().vertices, 5u);
}

TEST(PlaneCache, AFeatureLargerThanTheBudgetIsAnsweredButNotKept) {
    PlaneCache cache(4);
    auto e = cache.put("control_lines", 1, 4547, 1, square(0, 0, 10));  // 5 vertices > 4
    ASSERT_NE(e, nullptr);
    EXPECT_DOUBLE_EQ(e->plane_m2, 100.0);
    EXPECT_EQ(cache.find("control_lines", 1, 4547, 1), nullptr);
    EXPECT_EQ(cache.stats().entries, 0u);
    EXPECT_EQ(cache.stats().vertices, 0u);
}

TEST(PlaneCache, ManyFeaturesOfALayerAreFoundTogetherAsOneByOne) {
    PlaneCache cache(12);  // room for two squares
    cache.put("control_lines", 1, 4547, 0xA, square(0, 0, 100));
    cache.put("control_lines", 2, 4547, 0xB, square(200, 0, 50));
    cache.put("mineral_rights", 3, 4547, 0xC, square(0, 0, 1));  // the budget drops fid 1: the least recently used
    ASSERT_EQ(cache.stats().entries, 2u);
    const auto found = cache.find_many("control_lines", 4547, {{2, 0xB}, {1, 0xA}, {2, 0xF}, {9, 0xB}});
    ASSERT_EQ(found.size(), 4u);
    ASSERT_NE(found[0], nullptr);
    EXPECT_DOUBLE_EQ(found[0]->plane_m2, 2500.0);  // 50 m × 50 m
    EXPECT_EQ(found[1], nullptr);                  // dropped
    EXPECT_EQ(found[2], nullptr);                  // another geometry under fid 2
    EXPECT_EQ(found[3], nullptr);                  // never kept
    EXPECT_EQ(cache.find_many("control_lines", 4546, {{2, 0xB}}).front(), nullptr);  // another plane
    EXPECT_EQ(cache.find_many("zones", 4547, {{2, 0xB}}).front(), nullptr);          // another layer
    // A feature found together is as recently used as one found alone: the next put drops the other one.
    cache.put("control_lines", 4, 4547, 0xD, square(0, 0, 2));
    EXPECT_NE(cache.find("control_lines", 2, 4547, 0xB), nullptr);
    EXPECT_EQ(cache.find("mineral_rights", 3, 4547, 0xC), nullptr);
    const auto s = cache.stats();
    EXPECT_EQ(s.hits, 2u);
    EXPECT_EQ(s.misses, 6u);
    EXPECT_EQ(s.evictions, 2u);
}

// Checks of one application registered in the Gauss–Krüger plane (zone 38 without prefix, EPSG:4547) over
// the batch test plan, whose control features lie partly inside it and partly across its edges.
class SingleCheckPlaneCache : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() / ("minplan-planecache-" + std::to_string(::getpid())) / "plan.gpkg";
        testing::BatchPlanOptions o;
        o.bowtie = false;
        testing::build_batch_plan(path_, o);
        open();
    }
    void TearDown() override {
        setup_.reset();
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(path_.parent_path(), ec);
    }
    void open() {
        store_ = store::open_store(path_.string());
        setup_ = ReviewSetup::load(*store_);
    }
    std::map<std::string, geo::Geometry> lines() const {
        std::map<std::string, geo::Geometry> out;
        for (const auto& f : store_->read("control_lines")) out.emplace(f.text("line_id"), geo::Geometry::from_wkb(f.wkb));
        return out;
    }
    static geo::Geometry plane_box() {
        const geo::Geometry lonlat = geo::Geometry::polygon({testing::batch_plan::box(113.31, 40.104, 113.35, 40.13)});
        return geo::cached_transformer(4490, 4547).apply(lonlat);
    }
    static Application application(const geo::Geometry& plane = plane_box()) {
        Application app;
        app.name = "plane";
        app.source_format = "test";
        app.source_epsg = 4547;
        app.kind = Kind::Mining;
        app.action = Action::New;
        app.polygon = geo::cached_transformer(4547, 4490).apply(plane.densify(20.0));
        app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
        app.plane_epsg = 4547;
        app.plane_polygon = plane.clone();
        app.plane_area_m2 = plane.planar_area();
        app.plane_decides = true;
        app.attrs = Attributes::from_json({{"applicant", "某公司"}, {"main_mineral", "煤"}}, "test");
        return app;
    }
    // The control-line evidence of a report: feature → (plane m², ellipsoid m²).
    static std::map<std::string, std::pair<double, double>> evidence(const Report& r) {
        std::map<std::string, std::pair<double, double>> out;
        for (const auto& f : r.findings)
            for (const auto& e : f.evidence)
                if (e.layer == "control_lines") out[e.feature_id] = {e.overlap_plane_m2, e.overlap_ellipsoid_m2};
        return out;
    }
    // Every evidence row against the pairwise oracle; returns how many rows were compared and how many of
    // their features lie wholly inside the application (the cached path).
    static std::pair<int, int> expect_oracle(const std::map<std::string, std::pair<double, double>>& got,
                                             const std::map<std::string, geo::Geometry>& lines,
                                             const geo::Geometry& plane = plane_box()) {
        const auto& to_plane = geo::cached_transformer(4490, 4547);
        int compared = 0, covered = 0;
        for (const auto& [id, g] : lines) {
            const geo::Geometry gp = to_plane.apply(g);
            if (!plane.intersects(gp)) continue;
            const geo::Geometry x = plane.intersection(gp);
            auto it = got.find(id);
            if (it == got.end()) continue;  // a control type no rule of the shipped set asks about
            EXPECT_LE(std::abs(it->second.first - x.planar_area()), 1e-9 * x.planar_area()) << id;
            const double ell = geo::plane_polygon_ellipsoidal_area_km2(x, 4547) * 1e6;
            EXPECT_LE(std::abs(it->second.second - ell), 1e-9 * ell) << id;
            ++compared;
            covered += plane.covers(gp);
        }
        return {compared, covered};
    }
    std::filesystem::path path_;
    std::unique_ptr<store::PlanStore> store_;
    std::unique_ptr<ReviewSetup> setup_;
};

TEST_F(SingleCheckPlaneCache, ColdWarmAndTooSmallCachesGiveTheOracleAreas) {
    const Application app = application();
    const Engine& engine = *setup_->engine;
    const auto cold = evidence(engine.check(app));
    const auto misses = engine.plane_cache().stats().misses;
    EXPECT_GT(misses, 10u);
    const auto warm = evidence(engine.check(app));
    const auto again = evidence(engine.check(app));
    // The warm checks found every feature in the cache (no new misses) and answered exactly as the cold one.
    EXPECT_EQ(engine.plane_cache().stats().misses, misses);
    EXPECT_GE(engine.plane_cache().stats().hits, 2 * misses);
    EXPECT_EQ(warm, cold);
    EXPECT_EQ(again, cold);
    const auto [compared, covered] = expect_oracle(warm, lines());
    EXPECT_GT(compared, 10);
    EXPECT_GT(covered, 3);  // the cached areas of features inside the application were used
    // A cache with room for nothing (every entry dropped at once) answers the same.
    const Engine tiny(*setup_->index, setup_->rules, setup_->minerals, setup_->sizes, 0);
    EXPECT_EQ(evidence(tiny.check(app)), cold);
    EXPECT_EQ(evidence(tiny.check(app)), cold);
    EXPECT_EQ(tiny.plane_cache().stats().entries, 0u);
}

// Corner coordinates in the plane often make an axis-aligned rectangle: such an application is clipped
// (GEOSClipByRect) instead of overlaid; the areas are those of the pairwise GEOS intersection.
TEST_F(SingleCheckPlaneCache, AnAxisAlignedRectangleInThePlaneGivesTheOracleAreas) {
    const geo::Geometry rect = geo::Geometry::rectangle(plane_box().envelope());
    ASSERT_TRUE(rect.is_rectangle());
    const auto got = evidence(setup_->engine->check(application(rect)));
    const auto [compared, covered] = expect_oracle(got, lines(), rect);
    EXPECT_GT(compared, 10);
    EXPECT_GT(compared - covered, 5);  // features across the rectangle's edges: clipped
    // Features inside take the envelope shortcut (no GEOS predicate); warm, the same answer from the cache.
    EXPECT_GT(covered, 3);
    EXPECT_EQ(evidence(setup_->engine->check(application(rect))), got);
}

// A rectangle application covers a feature whose envelope it contains, also when that envelope touches its
// edges: here the rectangle is one feature's own envelope in the plane, so the feature touches all four
// edges and is the whole overlap (its area, computed here); the neighbours cut by the edges are clipped.
TEST_F(SingleCheckPlaneCache, ARectangleThatIsAFeaturesEnvelopeCoversIt) {
    const auto& to_plane = geo::cached_transformer(4490, 4547);
    const auto all = lines();
    const geo::Geometry plane = plane_box();
    std::string target;
    for (const auto& [id, g] : all)
        if (target.empty() && plane.covers(to_plane.apply(g)) && to_plane.apply(g).planar_area() > 1e4) target = id;
    ASSERT_FALSE(target.empty());
    const geo::Geometry gp = to_plane.apply(all.at(target));
    const geo::Geometry rect = geo::Geometry::rectangle(gp.envelope());
    ASSERT_TRUE(rect.is_rectangle());
    ASSERT_TRUE(rect.covers(gp));
    for (int pass = 0; pass < 2; ++pass) {  // cold, then from the cache
        const auto got = evidence(setup_->engine->check(application(rect)));
        ASSERT_TRUE(got.count(target)) << pass;
        EXPECT_LE(std::abs(got.at(target).first - gp.planar_area()), 1e-9 * gp.planar_area()) << pass;
        const double ell = geo::plane_polygon_ellipsoidal_area_km2(gp, 4547) * 1e6;
        EXPECT_LE(std::abs(got.at(target).second - ell), 1e-9 * ell) << pass;
        expect_oracle(got, all, rect);
    }
}

// A rectangle inside a feature: the feature covers the application, which is then its whole overlap (the
// application's own plane polygon and areas, to the bit), as a relate (covers) said before the clip did.
TEST_F(SingleCheckPlaneCache, AFeatureCoveringARectangleIsTheWholeApplication) {
    const auto& to_plane = geo::cached_transformer(4490, 4547);
    const auto all = lines();
    std::string target;
    double largest = 0;
    for (const auto& [id, g] : all)
        if (const double a = to_plane.apply(g).planar_area(); a > largest) largest = a, target = id;
    const geo::Geometry gp = to_plane.apply(all.at(target));
    const geo::Coord c = gp.point_on_surface();
    geo::Geometry rect = geo::Geometry::rectangle({c.x - 40, c.y - 30, c.x + 40, c.y + 30});
    for (double half = 40; !gp.covers(rect) && half > 1; half /= 2)
        rect = geo::Geometry::rectangle({c.x - half, c.y - 0.75 * half, c.x + half, c.y + 0.75 * half});
    ASSERT_TRUE(gp.covers(rect)) << target;
    ASSERT_TRUE(rect.is_rectangle());
    const Application app = application(rect);
    for (int pass = 0; pass < 2; ++pass) {  // cold, then from the cache
        const auto got = evidence(setup_->engine->check(app));
        ASSERT_TRUE(got.count(target)) << pass;
        EXPECT_EQ(got.at(target).first, app.plane_area_m2) << pass;
        EXPECT_EQ(got.at(target).second, geo::plane_polygon_ellipsoidal_area_km2(app.plane_polygon, 4547) * 1e6) << pass;
        expect_oracle(got, all, rect);
    }
}

// QGIS writes the GeoPackage directly: the fid stays and the plan version does not move, so the same engine
// (the server's setup of that version) sees the edited geometry through a new reader. The cache must not
// answer for it from the entry of its old shape.
TEST_F(SingleCheckPlaneCache, AGeometryEditedPastTheStoreIsDerivedAfresh) {
    const Application app = application();
    auto before = lines();
    const auto first = evidence(setup_->engine->check(app));
    // A feature wholly inside the application: its cached areas would be the stale answer.
    const geo::Geometry plane = plane_box();
    std::string target;
    for (const auto& [id, g] : before)
        if (first.count(id) && plane.covers(geo::cached_transformer(4490, 4547).apply(g))) target = id;
    ASSERT_FALSE(target.empty());
    std::int64_t fid = 0;
    for (const auto& f : store_->read("control_lines"))
        if (f.text("line_id") == target) fid = f.fid;
    // The new shape: a 0.002° square at the old envelope's lower-left corner, still inside the application.
    const geo::Envelope e = before.at(target).envelope();
    const geo::Geometry edited = geo::Geometry::polygon({testing::batch_plan::box(e.min_x, e.min_y, e.min_x + 0.002, e.min_y + 0.002)});
    ASSERT_TRUE(plane.covers(geo::cached_transformer(4490, 4547).apply(edited)));
    const std::string table = store_->schema("control_lines").code;
    store_.reset();  // the setup's index keeps no reader of its own once the check passes one
    ASSERT_NO_FATAL_FAILURE(testing::edit_geometry_past_store(path_, table, fid, edited.to_wkt(12)));
    store_ = store::open_store(path_.string());
    const auto after = evidence(setup_->engine->check(app, *store_));
    auto now = lines();
    ASSERT_NE(now.at(target).envelope().max_x, e.max_x);  // the reader sees the edit
    // The edited feature: the area of the new square in the plane, computed here.
    const geo::Geometry edited_plane = geo::cached_transformer(4490, 4547).apply(now.at(target));
    ASSERT_TRUE(after.count(target));
    EXPECT_LE(std::abs(after.at(target).first - edited_plane.planar_area()), 1e-9 * edited_plane.planar_area());
    EXPECT_GT(std::abs(after.at(target).first - first.at(target).first), 1.0);
    expect_oracle(after, now);
}

}  // namespace
}  // namespace minplan::rules
