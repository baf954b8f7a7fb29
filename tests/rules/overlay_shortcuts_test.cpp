// The batch audit's cheap answers (rules/overlay.hpp), each against an intersection built by hand: a
// feature inside the right (its own area), the right inside a feature (the right's area), an axis-aligned
// rectangular right (GEOSClipByRect), any other right (GEOS intersection), envelopes meeting while the
// shapes do not, and a huge feature answered from its subdivided parts (the same area as the whole).
// The expected areas are ellipsoidal areas of the hand-made polygons (geod_polygonarea), never the
// overlay's own output.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <map>

#include "batch_plan.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "rules/engine.hpp"
#include "rules/overlay.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

constexpr double kX = 113.3, kY = 40.1, kD = 0.01;  // a 0.02° square right: about 1.7 km × 2.2 km

double m2_of(const geo::Geometry& g) { return geo::ellipsoidal_area_km2(g) * 1e6; }

geo::Ring box(double x1, double y1, double x2, double y2) { return {{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}; }

// A box whose every edge carries `per_edge` extra vertices on the lon/lat line (many vertices, same shape).
geo::Ring dense_box(double x1, double y1, double x2, double y2, int per_edge) {
    const geo::Ring corners = box(x1, y1, x2, y2);
    geo::Ring ring;
    for (std::size_t c = 0; c + 1 < corners.size(); ++c)
        for (int i = 0; i <= per_edge; ++i) {
            const double t = static_cast<double>(i) / (per_edge + 1);
            ring.push_back({corners[c].x + t * (corners[c + 1].x - corners[c].x), corners[c].y + t * (corners[c + 1].y - corners[c].y)});
        }
    ring.push_back(ring.front());
    return ring;
}

OverlayFeature feature(const geo::Geometry& g) {
    OverlayFeature f;
    f.feature.geometry = g.clone();
    f.feature.envelope = g.envelope();
    f.feature.id = "F";
    return f;
}

std::optional<double> overlap(const geo::Geometry& right, OverlayFeature& f) {
    const RightOverlay o(right, m2_of(right));
    return o.overlap_m2(f, [](const std::string& why) { ADD_FAILURE() << "unexpected note: " << why; });
}

void expect_area(std::optional<double> got, double expected) {
    ASSERT_TRUE(got.has_value());
    EXPECT_LE(std::abs(*got - expected), 1e-9 * expected) << *got << " vs " << expected;
}

const geo::Geometry kSquareRight = geo::Geometry::polygon({box(kX, kY, kX + 2 * kD, kY + 2 * kD)});
// The same square turned by 45° about its centre: not a rectangle for the clip.
const geo::Geometry kDiamondRight =
    geo::Geometry::polygon({{{kX + kD, kY}, {kX + 2 * kD, kY + kD}, {kX + kD, kY + 2 * kD}, {kX, kY + kD}, {kX + kD, kY}}});

TEST(OverlayShortcuts, FeatureInsideTheRightCountsItsOwnArea) {
    const geo::Geometry inner = geo::Geometry::polygon({box(kX + 0.5 * kD, kY + 0.5 * kD, kX + 1.5 * kD, kY + 1.5 * kD)});
    auto f = feature(inner);
    expect_area(overlap(kSquareRight, f), m2_of(inner));
    auto g = feature(inner);
    expect_area(overlap(kDiamondRight, g), m2_of(inner));  // the diamond holds the middle square too
}

TEST(OverlayShortcuts, RightInsideTheFeatureCountsTheRightsArea) {
    auto f = feature(geo::Geometry::polygon({box(kX - kD, kY - kD, kX + 3 * kD, kY + 3 * kD)}));
    expect_area(overlap(kSquareRight, f), m2_of(kSquareRight));
    expect_area(overlap(kDiamondRight, f), m2_of(kDiamondRight));
}

TEST(OverlayShortcuts, RectangularRightIsClippedToTheSharedBox) {
    // The feature's corner square [x+d, x+3d] × [y+d, y+3d] shares the quarter [x+d, x+2d] × [y+d, y+2d].
    auto f = feature(geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 3 * kD, kY + 3 * kD)}));
    expect_area(overlap(kSquareRight, f), m2_of(geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 2 * kD, kY + 2 * kD)})));
}

TEST(OverlayShortcuts, RectangleStoredAsMultiPolygonIsStillARectangle) {
    // The store keeps rights as MultiPolygon: one part equal to its envelope is the same axis-aligned box.
    const geo::Geometry multi = geo::Geometry::multi_polygon({{box(kX, kY, kX + 2 * kD, kY + 2 * kD)}});
    EXPECT_TRUE(multi.is_rectangle());
    EXPECT_FALSE(geo::Geometry::multi_polygon({{box(kX, kY, kX + kD, kY + kD)}, {box(kX + 2 * kD, kY, kX + 3 * kD, kY + kD)}}).is_rectangle());
    EXPECT_FALSE(kDiamondRight.is_rectangle());
    // Clipped to the shared quarter, as the plain square; a feature inside (an irregular star, whose
    // envelope lies in the box) counts its own area.
    auto f = feature(geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 3 * kD, kY + 3 * kD)}));
    expect_area(overlap(multi, f), m2_of(geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 2 * kD, kY + 2 * kD)})));
    geo::Ring star;
    for (int i = 0; i < 10; ++i) {
        const double a = M_PI * i / 5, r = (i % 2 ? 0.3 : 0.9) * kD;
        star.push_back({kX + kD + r * std::cos(a), kY + kD + r * std::sin(a)});
    }
    star.push_back(star.front());
    const geo::Geometry inner = geo::Geometry::polygon({star});
    auto g = feature(inner);
    expect_area(overlap(multi, g), m2_of(inner));
}

TEST(OverlayShortcuts, OtherRightsAreIntersected) {
    // The right half of the plane (x ≥ centre) cuts the diamond into the triangle (c, y), (x+2d, c), (c, y+2d).
    auto f = feature(geo::Geometry::polygon({box(kX + kD, kY - kD, kX + 3 * kD, kY + 3 * kD)}));
    const geo::Geometry triangle =
        geo::Geometry::polygon({{{kX + kD, kY}, {kX + 2 * kD, kY + kD}, {kX + kD, kY + 2 * kD}, {kX + kD, kY}}});
    expect_area(overlap(kDiamondRight, f), m2_of(triangle));
}

// The goal-size pair that disagreed with PostGIS (BR-007565 × ERL-01765): the right's rectangle and the one
// edge of the red line that cuts its south-west corner, closed into a triangle to the south-west. The overlap
// is a triangle of 7.463503 m² (PROJ's Lambert azimuthal equal-area projection about the corner, shoelace:
// 7.4635027). GEOSClipByRect and GEOS's overlay put its crossing points a last bit apart, and
// geod_polygonarea's rounding turns that into 7.4635038 against 7.4635076 m²: a small overlap is overlaid, so
// it equals, to the bit, the geodesic area of GEOS's intersection (what the single check and PostGIS take).
TEST(OverlayShortcuts, SmallOverlapOfARectangleEqualsTheIntersectionToTheBit) {
    const double x1 = 114.12072926804653, y1 = 39.785286230391968, x2 = 114.12351991309842, y2 = 39.786637160246201;
    const geo::Geometry right = geo::Geometry::multi_polygon({{box(x1, y1, x2, y2)}});
    ASSERT_TRUE(right.is_rectangle());
    const geo::Geometry red = geo::Geometry::multi_polygon({{{{114.11894160534131, 39.786545284506076},
                                                              {114.11894160534131, 39.784447076111931},
                                                              {114.12200045144846, 39.784447076111931},
                                                              {114.11894160534131, 39.786545284506076}}}});
    auto f = feature(red);
    const auto got = overlap(right, f);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, m2_of(right.intersection(red)));
    EXPECT_NEAR(*got, 7.463503, 1e-6 * 7.463503);
    // A large overlap of the same right keeps the clip (the shortcut): within 1e-9 of the intersection.
    const geo::Geometry wide = geo::Geometry::multi_polygon({{box(x1 - 0.001, y1 - 0.001, x1 + 0.001, y1 + 0.001)}});
    auto g = feature(wide);
    expect_area(overlap(right, g), m2_of(right.intersection(wide)));
}

TEST(OverlayShortcuts, EnvelopesMeetingIsNotAnOverlap) {
    // A small square in the diamond's envelope corner, outside the diamond.
    auto f = feature(geo::Geometry::polygon({box(kX + 1.8 * kD, kY + 1.8 * kD, kX + 1.95 * kD, kY + 1.95 * kD)}));
    EXPECT_FALSE(overlap(kDiamondRight, f).has_value());
    auto far = feature(geo::Geometry::polygon({box(kX + 5 * kD, kY, kX + 6 * kD, kY + kD)}));
    EXPECT_FALSE(overlap(kSquareRight, far).has_value());
}

// The audit keeps overlaps of at least min_overlap_m2 (> 0): then a rectangular right's clip decides whether
// a feature the store records as valid meets it, without the prepared intersects test first.
std::optional<double> overlap_keeping(const geo::Geometry& right, OverlayFeature& f, double min_m2) {
    const RightOverlay o(right, m2_of(right), min_m2);
    return o.overlap_m2(f, [](const std::string& why) { ADD_FAILURE() << "unexpected note: " << why; });
}

OverlayFeature valid_feature(const geo::Geometry& g) {
    OverlayFeature f = feature(g);
    const geo::Envelope e = g.envelope();
    f.feature.stored = store::StoredGeodesy{m2_of(g), true, 0, {e.min_x, e.min_y, e.max_x, e.max_y}};
    return f;
}

TEST(OverlayShortcuts, RectangleClipDecidesForAValidFeature) {
    // An L around the square's north-east corner: its envelope [x+d, x+4d] × [y+d, y+4d] meets the square's,
    // the L itself (x ≥ x+2.2d or y ≥ y+2.2d) stays 0.2d ≈ 170 m away.
    const geo::Geometry l = geo::Geometry::polygon({{{kX + 2.2 * kD, kY + kD}, {kX + 4 * kD, kY + kD}, {kX + 4 * kD, kY + 4 * kD},
                                                     {kX + kD, kY + 4 * kD}, {kX + kD, kY + 2.2 * kD}, {kX + 2.2 * kD, kY + 2.2 * kD},
                                                     {kX + 2.2 * kD, kY + kD}}});
    for (double min_m2 : {0.0, 1.0}) {
        auto f = valid_feature(l);
        EXPECT_FALSE(overlap_keeping(kSquareRight, f, min_m2).has_value()) << min_m2;
    }
    // A square sharing the right's east edge: 0 m² before (they touch), and nothing kept with the clip.
    const geo::Geometry east = geo::Geometry::polygon({box(kX + 2 * kD, kY, kX + 3 * kD, kY + kD)});
    auto touching = valid_feature(east);
    const auto before = overlap_keeping(kSquareRight, touching, 0.0);
    ASSERT_TRUE(before.has_value());
    EXPECT_EQ(*before, 0.0);
    auto touching_again = valid_feature(east);
    const auto clipped = overlap_keeping(kSquareRight, touching_again, 1.0);
    EXPECT_TRUE(!clipped || *clipped == 0.0);
    // Crossing: the shared quarter [x+d, x+2d] × [y+d, y+2d] either way, the same bits.
    const geo::Geometry corner = geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 3 * kD, kY + 3 * kD)});
    const double quarter = m2_of(geo::Geometry::polygon({box(kX + kD, kY + kD, kX + 2 * kD, kY + 2 * kD)}));
    auto a = valid_feature(corner), b = valid_feature(corner);
    const auto tested = overlap_keeping(kSquareRight, a, 0.0), decided = overlap_keeping(kSquareRight, b, 1.0);
    expect_area(decided, quarter);
    ASSERT_TRUE(tested.has_value());
    EXPECT_EQ(*tested, *decided);
    // The right inside a valid feature whose envelope holds it: the right's own area.
    auto around = valid_feature(geo::Geometry::polygon({box(kX - kD, kY - kD, kX + 3 * kD, kY + 3 * kD)}));
    expect_area(overlap_keeping(kSquareRight, around, 1.0), m2_of(kSquareRight));
    // A ring whose hole holds the right: the envelopes nest, the shapes are apart.
    auto ring = valid_feature(geo::Geometry::polygon({box(kX - 2 * kD, kY - 2 * kD, kX + 4 * kD, kY + 4 * kD),
                                                      box(kX - kD, kY - kD, kX + 3 * kD, kY + 3 * kD)}));
    EXPECT_FALSE(overlap_keeping(kSquareRight, ring, 1.0).has_value());
}

// A right that is not an axis-aligned rectangle tests a feature's envelope rectangle first (apart → none,
// covered → the feature's own area); the feature itself is tested only when its envelope crosses the right's
// boundary. The right: a diamond about (x+2d, y+2d) with corners 2d away, i.e. |X−2d| + |Y−2d| ≤ 2d in
// offsets from (x, y).
TEST(OverlayShortcuts, EnvelopeRectangleDecidesForANonRectangularRight) {
    const geo::Geometry diamond = geo::Geometry::polygon(
        {{{kX + 2 * kD, kY}, {kX + 4 * kD, kY + 2 * kD}, {kX + 2 * kD, kY + 4 * kD}, {kX, kY + 2 * kD}, {kX + 2 * kD, kY}}});
    ASSERT_FALSE(diamond.is_rectangle());
    const auto poly = [](const geo::Ring& r) { return geo::Geometry::polygon({r}); };
    for (double min_m2 : {0.0, 1.0}) {
        // In the south-west corner of the diamond's envelope, X + Y ≤ 0.6d < 2d: apart (its envelope too).
        auto apart = valid_feature(poly(box(kX + 0.1 * kD, kY + 0.1 * kD, kX + 0.3 * kD, kY + 0.3 * kD)));
        EXPECT_FALSE(overlap_keeping(diamond, apart, min_m2).has_value()) << min_m2;
        // About the centre: |X−2d| + |Y−2d| ≤ 0.4d, its envelope is covered: its own area.
        const geo::Geometry centre = poly(box(kX + 1.8 * kD, kY + 1.8 * kD, kX + 2.2 * kD, kY + 2.2 * kD));
        auto inside = valid_feature(centre);
        expect_area(overlap_keeping(diamond, inside, min_m2), m2_of(centre));
        // A triangle inside (corners at 1.5d, 1.5d and 1.5d from the centre) whose envelope's corner
        // (x+d, y+3.5d) lies outside (2.5d): the feature's own covers test decides, its own area.
        const geo::Geometry triangle = poly({{kX + kD, kY + 1.5 * kD}, {kX + 3 * kD, kY + 1.5 * kD}, {kX + 2 * kD, kY + 3.5 * kD}, {kX + kD, kY + 1.5 * kD}});
        auto tri = valid_feature(triangle);
        expect_area(overlap_keeping(diamond, tri, min_m2), m2_of(triangle));
        // An L in the north-east corner of the envelope: X + Y ≥ 6.1d > 6d everywhere on it, while its
        // envelope's corner (x+2.5d, y+2.5d) lies inside the diamond: the L itself is tested, none.
        const geo::Geometry l = poly({{kX + 3.6 * kD, kY + 2.5 * kD}, {kX + 4 * kD, kY + 2.5 * kD}, {kX + 4 * kD, kY + 4 * kD},
                                      {kX + 2.5 * kD, kY + 4 * kD}, {kX + 2.5 * kD, kY + 3.6 * kD}, {kX + 3.6 * kD, kY + 3.6 * kD},
                                      {kX + 3.6 * kD, kY + 2.5 * kD}});
        auto corner = valid_feature(l);
        EXPECT_FALSE(overlap_keeping(diamond, corner, min_m2).has_value()) << min_m2;
        // Across the west corner (x, y+2d): inside where |Y−2d| ≤ X, i.e. the triangle (0, 2d), (0.5d, 1.5d),
        // (0.5d, 2.5d) of the square [−0.5d, 0.5d] × [1.5d, 2.5d].
        auto across = valid_feature(poly(box(kX - 0.5 * kD, kY + 1.5 * kD, kX + 0.5 * kD, kY + 2.5 * kD)));
        expect_area(overlap_keeping(diamond, across, min_m2),
                    m2_of(poly({{kX, kY + 2 * kD}, {kX + 0.5 * kD, kY + 1.5 * kD}, {kX + 0.5 * kD, kY + 2.5 * kD}, {kX, kY + 2 * kD}})));
    }
}

TEST(OverlayShortcuts, HugeFeatureFromItsPartsEqualsTheWhole) {
    // 4 × 400 vertices: subdivided into parts of at most kHugeVertices; the overlap must be the area of the
    // hand-made intersection, whose corner lies inside the right and whose edges keep the feature's own
    // vertices (the parts' cut vertices must not show).
    const int per_edge = 399;
    const geo::Geometry huge = geo::Geometry::polygon({dense_box(kX + kD, kY + kD, kX + 5 * kD, kY + 5 * kD, per_edge)});
    ASSERT_GT(huge.vertex_count(), 4 * kHugeVertices);
    // Inside the square right: the feature's lower-left corner region. Its edges from (x+d, y+d) run along
    // the feature's own densified edges; the vertices on [x+d, x+2d] are the feature's (step 4d/400 = d/100).
    geo::Ring inside;
    for (int i = 0; i <= 100; ++i) inside.push_back({kX + kD + i * kD / 100, kY + kD});  // bottom, west to east
    inside.push_back({kX + 2 * kD, kY + 2 * kD});                                         // the right's corner
    for (int i = 100; i >= 1; --i) inside.push_back({kX + kD, kY + kD + i * kD / 100});   // left, north to south
    inside.push_back(inside.front());
    auto f = feature(huge);
    expect_area(overlap(kSquareRight, f), m2_of(geo::Geometry::polygon({inside})));
    EXPECT_TRUE(f.state().subdivided);
    EXPECT_GT(f.state().pieces.size(), 4u);
    // The same feature for a right wholly inside it (several parts around the right): the right's area.
    const geo::Geometry inner = geo::Geometry::polygon({box(kX + 2 * kD, kY + 2 * kD, kX + 4 * kD, kY + 4 * kD)});
    expect_area(overlap(inner, f), m2_of(inner));
}

// The parts merged for a right are kept (FeatureState::merged, at most kMergedKept) and used again for a right
// that meets the same parts. Ten small square rights across the huge feature's bottom edge, each twice:
// the overlap is the hand-made part of the square above the edge, whose bottom runs through the feature's
// own vertices (every d/100, computed as dense_box computes them).
TEST(OverlayShortcuts, MergedPartsAreKeptForTheNextRight) {
    const double x1 = kX + kD, x2 = kX + 5 * kD;
    const geo::Geometry huge = geo::Geometry::polygon({dense_box(x1, kY + kD, x2, kY + 5 * kD, 399)});
    auto vertex_x = [&](int j) { return x1 + (static_cast<double>(j) / 400) * (x2 - x1); };
    auto f = feature(huge);
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < 10; ++i) {
            const int j0 = 50 + 30 * i, j1 = j0 + 20;  // [x0, x0 + 0.2d]
            const geo::Geometry right =
                geo::Geometry::polygon({box(vertex_x(j0), kY + 0.9 * kD, vertex_x(j1), kY + 1.1 * kD)});
            geo::Ring above;
            for (int j = j0; j <= j1; ++j) above.push_back({vertex_x(j), kY + kD});
            above.push_back({vertex_x(j1), kY + 1.1 * kD});
            above.push_back({vertex_x(j0), kY + 1.1 * kD});
            above.push_back(above.front());
            expect_area(overlap(right, f), m2_of(geo::Geometry::polygon({above})));
            ASSERT_TRUE(f.state().subdivided);
            EXPECT_LE(f.state().merged.size(), kMergedKept);
        }
    // Seven distinct sets of parts for the ten squares (neighbours share theirs): kept and used again.
    EXPECT_GE(f.state().merged.size(), 2u);
}

// The single check's shortcut (engine.cpp, CheckContext::overlap_with): a plan feature inside the
// application counts as its own overlap, in lon/lat and in the registered plane. Every control-line
// evidence row must equal the intersection computed here pair by pair with GEOS.
class SingleCheckCovered : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() / ("minplan-covered-" + std::to_string(::getpid())) / "plan.gpkg";
        testing::BatchPlanOptions o;
        o.bowtie = false;
        testing::build_batch_plan(path_, o);
        store_ = store::open_store(path_.string());
        setup_ = ReviewSetup::load(*store_);
        for (const auto& f : store_->read("control_lines")) lines_.emplace_back(f.text("line_id"), geo::Geometry::from_wkb(f.wkb));
    }
    void TearDown() override {
        setup_.reset();
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(path_.parent_path(), ec);
    }
    // The control-line evidence of a report: feature → (deciding m², ellipsoid m²).
    static std::map<std::string, std::pair<double, double>> evidence(const Report& r) {
        std::map<std::string, std::pair<double, double>> out;
        for (const auto& f : r.findings)
            for (const auto& e : f.evidence)
                if (e.layer == "control_lines") out[e.feature_id] = {e.overlap_m2, e.overlap_ellipsoid_m2};
        return out;
    }
    Application application(const geo::Geometry& lonlat) const {
        Application app;
        app.name = "covering";
        app.source_format = "test";
        app.source_epsg = 4490;
        app.kind = Kind::Mining;
        app.action = Action::New;
        app.polygon = lonlat.clone();
        app.area_m2 = m2_of(lonlat);
        app.attrs = Attributes::from_json({{"applicant", "某公司"}, {"main_mineral", "煤"}}, "test");
        return app;
    }
    std::filesystem::path path_;
    std::unique_ptr<store::PlanStore> store_;
    std::unique_ptr<ReviewSetup> setup_;
    std::vector<std::pair<std::string, geo::Geometry>> lines_;
};

// A box over the middle of the generated plan (kLon/kLat of batch_plan.hpp): covers some features whole.
const geo::Geometry kCovering = geo::Geometry::polygon({box(113.3 + 0.01, 40.1 + 0.004, 113.3 + 0.05, 40.1 + 0.03)});

TEST_F(SingleCheckCovered, LonLatOverlapsEqualThePairwiseIntersection) {
    const auto got = evidence(setup_->engine->check(application(kCovering)));
    int covered = 0, compared = 0;
    for (const auto& [id, g] : lines_) {
        if (!kCovering.intersects(g)) continue;
        const double expected = m2_of(kCovering.intersection(g));
        auto it = got.find(id);
        if (it == got.end()) continue;  // a control type no rule of the shipped set asks about
        EXPECT_LE(std::abs(it->second.second - expected), 1e-9 * expected) << id;
        ++compared;
        covered += kCovering.covers(g);
    }
    EXPECT_GT(compared, 10);
    EXPECT_GT(covered, 3);  // the shortcut was taken
}

TEST_F(SingleCheckCovered, PlaneOverlapsEqualThePairwiseIntersection) {
    // The same box registered in the Gauss–Krüger plane (zone 38, no prefix): edges straight in the plane.
    const auto& to_plane = geo::cached_transformer(4490, 4547);
    const geo::Geometry plane = to_plane.apply(kCovering);
    Application app = application(geo::cached_transformer(4547, 4490).apply(plane.densify(20.0)));
    app.plane_epsg = 4547;
    app.plane_polygon = plane.clone();
    app.plane_area_m2 = plane.planar_area();
    app.plane_decides = true;
    const auto got = evidence(setup_->engine->check(app));
    int covered = 0, compared = 0;
    for (const auto& [id, g] : lines_) {
        const geo::Geometry gp = to_plane.apply(g);
        if (!plane.intersects(gp)) continue;
        const geo::Geometry x = plane.intersection(gp);
        auto it = got.find(id);
        if (it == got.end()) continue;
        EXPECT_LE(std::abs(it->second.first - x.planar_area()), 1e-9 * x.planar_area()) << id;
        const double ell = geo::plane_polygon_ellipsoidal_area_km2(x, 4547) * 1e6;
        EXPECT_LE(std::abs(it->second.second - ell), 1e-9 * ell) << id;
        ++compared;
        covered += plane.covers(gp);
    }
    EXPECT_GT(compared, 10);
    EXPECT_GT(covered, 3);
}

}  // namespace
}  // namespace minplan::rules
