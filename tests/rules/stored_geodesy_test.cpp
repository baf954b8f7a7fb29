// The store's record of each written feature's exact ellipsoidal area and validity (store/geodesy.hpp) and
// the review's use of it: a plan layer rewritten through the store (stage + swap_in, as an import does)
// gets one entry per row, equal to geod_polygonarea of the row's rings computed here with GeographicLib
// directly; the batch audit and the single check that take a covered feature's area and a feature's
// validity from it give the areas of the brute-force GEOS oracle.
#include <gtest/gtest.h>

#include <algorithm>

#include <geodesic.h>
#include <unistd.h>

#include <cmath>
#include <map>

#include "batch_plan.hpp"
#include "geo/crs.hpp"
#include "rules/audit_batch.hpp"
#include "rules/engine.hpp"
#include "rules/plan_index.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

using testing::BatchPlanOptions;
using testing::build_batch_plan;

// CGCS2000 (a = 6378137 m, f = 1/298.257222101): each ring by geod_polygonarea, holes subtracted.
double geodesic_m2(const geo::Geometry& g) {
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1.0 / 298.257222101);
    double total = 0;
    for (const auto& polygon : g.polygons())
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            std::vector<double> lat, lon;
            for (std::size_t i = 0; i + 1 < polygon[r].size(); ++i) {  // the closing point is not repeated
                lon.push_back(polygon[r][i].x);
                lat.push_back(polygon[r][i].y);
            }
            double a = 0, p = 0;
            geod_polygonarea(&geod, lat.data(), lon.data(), static_cast<int>(lat.size()), &a, &p);
            total += (r == 0 ? 1 : -1) * std::fabs(a);
        }
    return total;
}

// The store measures short-edged rings by Green's theorem on the authalic function (geo/geodesic_area.hpp),
// the oracle by a geodesic per edge: they agree to 1e-9 relative and to geod_polygonarea's own rounding
// (it sums each edge's area down to the equator, ~1e-4 m²; tests/geo/geodesic_area_test.cpp).
double tolerance_m2(double area_m2) { return 1e-9 * area_m2 + 5e-4; }

struct StoredPlan {
    std::filesystem::path path;
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<ReviewSetup> setup;
    explicit StoredPlan(const std::string& name) {
        path = std::filesystem::temp_directory_path() / ("minplan-geodesy-" + std::to_string(::getpid())) / (name + ".gpkg");
        build_batch_plan(path, BatchPlanOptions{});
        // The control features written again through the store, as `minplan import … control_lines` does.
        auto db = store::open_database(path.string());
        auto snap = db->snapshot();
        const TableSchema schema = snap->schema("control_lines");
        auto rows = snap->read("control_lines");
        snap.reset();
        store::write_tables(*db, {{schema, rows}}, store::SwapMode::Replace);
        db.reset();
        store = store::open_store(path.string());
        setup = ReviewSetup::load(*store);
    }
    ~StoredPlan() {
        setup.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(path.parent_path(), ec);
    }
};

TEST(StoredGeodesy, EveryWrittenFeatureHasItsExactAreaAndValidity) {
    StoredPlan plan("record");
    const auto rows = plan.store->read("control_lines");
    ASSERT_GT(rows.size(), 100u);
    std::vector<std::int64_t> fids;
    for (const auto& f : rows) fids.push_back(f.fid);
    const auto stored = plan.store->geodesy("control_lines", fids);
    ASSERT_EQ(stored.size(), rows.size());
    for (const auto& f : rows) {
        const auto g = geo::Geometry::from_wkb(f.wkb);
        const auto& s = stored.at(f.fid);
        const double expected = geodesic_m2(g);
        EXPECT_LE(std::abs(s.area_m2 - expected), tolerance_m2(expected)) << f.text("line_id");
        EXPECT_EQ(s.vertices, static_cast<std::int64_t>(g.vertex_count()));
        EXPECT_EQ(s.valid, f.text("line_id") != "BOWTIE") << f.text("line_id");  // the one self-intersecting feature
    }
    // Subsets (read as runs of nearby fids, store/geodesy.cpp): fids 1, 2, 5 or 6 apart, in reverse order,
    // with duplicates and fids that do not exist; exactly the entries of the existing ones, the same values.
    for (std::size_t step : {1u, 2u, 5u, 6u}) {
        std::vector<std::int64_t> ask;
        for (std::size_t i = 0; i < fids.size(); i += step) ask.push_back(fids[i]);
        std::reverse(ask.begin(), ask.end());
        ask.push_back(ask.front());
        ask.push_back(fids.back() + 3);
        ask.push_back(-7);
        const auto subset = plan.store->geodesy("control_lines", ask);
        EXPECT_EQ(subset.size(), (fids.size() + step - 1) / step) << step;
        for (const auto& [fid, g] : subset) {
            EXPECT_EQ(g.area_m2, stored.at(fid).area_m2);
            EXPECT_EQ(g.vertices, stored.at(fid).vertices);
            EXPECT_EQ(g.valid, stored.at(fid).valid);
        }
    }
    // The rights were written by the builder, not through a plan transaction: no entries, readers compute.
    std::vector<std::int64_t> right_fids;
    for (const auto& r : plan.store->read("mineral_rights")) right_fids.push_back(r.fid);
    EXPECT_TRUE(plan.store->geodesy("mineral_rights", right_fids).empty());
}

TEST(StoredGeodesy, WindowsCarryTheEntryOfTheGeometryRead) {
    StoredPlan plan("window");
    const PlanIndex& index = plan.setup->engine->index();
    const auto features = index.window(*plan.store, "control_lines", {113.0, 39.9, 113.7, 40.4});
    ASSERT_GT(features.size(), 100u);
    for (const auto& f : features) {
        ASSERT_TRUE(f.stored.has_value()) << f.id;
        EXPECT_LE(std::abs(f.stored->area_m2 - geodesic_m2(f.geometry)), tolerance_m2(f.stored->area_m2)) << f.id;
    }
}

TEST(StoredGeodesy, AuditWithStoredAreasEqualsTheBruteForceOracle) {
    StoredPlan plan("audit");
    const double min_m2 = plan.setup->rules.settings.value("min_overlap_m2", 1.0);
    const auto got = testing::control_line_overlaps(*plan.setup->engine);
    // Oracle: every (right, feature) pair intersected by GEOS, the area by GeographicLib.
    std::map<std::pair<std::string, std::string>, double> expected;
    const auto lines = plan.store->read("control_lines");
    for (const auto& r : plan.store->read("mineral_rights")) {
        const auto rg = geo::Geometry::from_wkb(r.wkb);
        for (const auto& f : lines) {
            auto fg = geo::Geometry::from_wkb(f.wkb);
            if (f.text("line_id") == "BOWTIE") fg = fg.make_valid();  // as the audit says it does
            if (!rg.intersects(fg)) continue;
            const auto x = rg.intersection(fg);
            const double a = x.is_empty() ? 0.0 : geodesic_m2(x);
            if (a >= min_m2) expected[{r.text("right_id"), f.text("line_id")}] = a;
        }
    }
    ASSERT_GT(expected.size(), 50u);
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& [key, a] : expected) {
        auto it = got.find(key);
        ASSERT_NE(it, got.end()) << key.first << " " << key.second;
        EXPECT_LE(std::abs(it->second - a), tolerance_m2(a)) << key.first << " " << key.second;
    }
}

// A layer edited past the store (QGIS writes the GeoPackage directly) keeps its fid and changes its geometry:
// the record no longer describes it, and the review must measure the geometry it reads, not the record.
TEST(StoredGeodesy, AGeometryEditedOutsideTheStoreIsMeasuredAfresh) {
    StoredPlan plan("edited");
    const std::string table = plan.store->schema("control_lines").code;
    const auto before = plan.setup->engine->index().window(*plan.store, "control_lines", {113.0, 39.9, 113.7, 40.4});
    ASSERT_FALSE(before.empty());
    const auto& target = before.front();
    ASSERT_TRUE(target.stored.has_value());
    const std::int64_t fid = target.feature.fid;
    // The new shape: a box of 0.002° × 0.002° at the old envelope's corner (another envelope, five vertices).
    const double x = target.envelope.min_x, y = target.envelope.min_y;
    const std::string wkt = "POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + "," + std::to_string(x + 0.002) + " " +
                            std::to_string(y) + "," + std::to_string(x + 0.002) + " " + std::to_string(y + 0.002) + "," +
                            std::to_string(x) + " " + std::to_string(y + 0.002) + "," + std::to_string(x) + " " + std::to_string(y) + "))";
    plan.setup.reset();
    plan.store.reset();
    ASSERT_NO_FATAL_FAILURE(testing::edit_geometry_past_store(plan.path, table, fid, wkt));
    plan.store = store::open_store(plan.path.string());
    plan.setup = ReviewSetup::load(*plan.store);
    const auto after = plan.setup->engine->index().window(*plan.store, "control_lines", {113.0, 39.9, 113.7, 40.4});
    bool seen = false;
    for (const auto& f : after) {
        if (f.feature.fid != fid) continue;
        seen = true;
        // Hand value for the check: a 0.002° square near 40°N is about 222 m × 170 m ≈ 3.8 ha.
        const double expected = geodesic_m2(f.geometry);
        EXPECT_NEAR(expected, 3.8e4, 0.2e4);
        if (f.stored) { EXPECT_LE(std::abs(f.stored->area_m2 - expected), tolerance_m2(expected)) << "a stale record was used"; }
    }
    EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace minplan::rules
