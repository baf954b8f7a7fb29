// Issue 9 (session 8): a replace import makes the staged table the live table (store/gpkg_swap.hpp) instead
// of copying its rows. What must hold afterwards, checked against values worked out by hand here: the
// history keeps the retired rows, fids continue the sequence and are never reused, the layer keeps its
// registrations, triggers and indexes, GDAL opens it and its R*Tree answers a window exactly (SQLite's
// rtreecheck too); when another write moved the sequence while staging, the rows are copied instead and
// still get the right fids. And the exact-area record taken from the reader's values equals, value for
// value, the one the store computes by reading the rows back.
#include <gtest/gtest.h>

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <tuple>
#include <string>
#include <vector>

#include "store/exchange.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"
#include "backends.hpp"

namespace minplan::testing {
namespace {

// `n` squares 0.01° wide on a grid of 20 columns at 0.02° spacing from (113.0, 39.5), numbered from
// `first`; the last one has a hole, the one before is a two-part MultiPolygon (rings kept in order).
fs::path squares(const fs::path& file, int first, int n) {
    nlohmann::json fc = {{"type", "FeatureCollection"},
                         {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
                         {"features", nlohmann::json::array()}};
    for (int k = 0; k < n; ++k) {
        const double x = 113.0 + 0.02 * (k % 20), y = 39.5 + 0.02 * (k / 20), d = 0.01;
        auto ring = [](double x0, double y0, double s) {
            return nlohmann::json{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}};
        };
        nlohmann::json geometry;
        if (k == n - 1)
            geometry = {{"type", "Polygon"}, {"coordinates", {ring(x, y, d), ring(x + 0.004, y + 0.004, 0.002)}}};
        else if (k == n - 2)
            geometry = {{"type", "MultiPolygon"}, {"coordinates", {{ring(x, y, 0.004)}, {ring(x + 0.006, y + 0.006, 0.004)}}}};
        else
            geometry = {{"type", "Polygon"}, {"coordinates", {ring(x, y, d)}}};
        fc["features"].push_back({{"type", "Feature"},
                                  {"properties", {{"KZXBH", "SQ-" + std::to_string(first + k)}, {"KZXLX", "生态保护红线"}}},
                                  {"geometry", geometry}});
    }
    std::ofstream(file) << fc.dump();
    return file;
}

store::ImportOptions streamed() {
    store::ImportOptions o;
    o.batch_rows = 100;  // several batches: the streamed stage, as a large import
    return o;
}

std::vector<std::string> column(store::SqliteDb& sql, const std::string& query) {
    std::vector<std::string> out;
    auto st = sql.prepare(query);
    while (st.step()) out.push_back(st.is_null(0) ? "<null>" : st.text(0));
    return out;
}

// The layer's triggers and indexes, and its registrations, as text.
std::string layer_setup(const std::string& db) {
    store::SqliteDb sql(db, store::SqliteDb::Mode::ReadOnly);
    std::string out;
    for (const auto& s : column(sql, "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE tbl_name = 'KZX' AND type IN "
                                     "('trigger', 'index') ORDER BY name"))
        out += s + "\n";
    for (const auto& s : column(sql, "SELECT identifier || '|' || description || '|' || data_type || '|' || srs_id FROM gpkg_contents "
                                     "WHERE table_name = 'KZX'"))
        out += s + "\n";
    for (const auto& s : column(sql, "SELECT column_name || '|' || geometry_type_name || '|' || srs_id FROM gpkg_geometry_columns "
                                     "WHERE table_name = 'KZX'"))
        out += s + "\n";
    for (const auto& s : column(sql, "SELECT extension_name || '|' || coalesce(column_name, '') FROM gpkg_extensions WHERE table_name = 'KZX' "
                                     "ORDER BY 1"))
        out += s + "\n";
    for (const auto& s : column(sql, "SELECT column_name || '|' || name FROM gpkg_data_columns WHERE table_name = 'KZX' ORDER BY 1"))
        out += s + "\n";
    return out;
}

std::int64_t root_page(const std::string& db) {
    store::SqliteDb sql(db, store::SqliteDb::Mode::ReadOnly);
    return sql.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'KZX'");
}

// Features GDAL returns for a rectangle through the layer's spatial filter (its R*Tree), by KZXBH.
std::vector<std::string> gdal_window(const std::string& db, double x0, double y0, double x1, double y1, GIntBig* count) {
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(db.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    EXPECT_TRUE(ds);
    if (!ds) return {};
    std::vector<std::string> out;
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, "KZX");
    EXPECT_TRUE(layer);
    if (layer) {
        *count = OGR_L_GetFeatureCount(layer, FALSE);  // gpkg_ogr_contents: no scan
        OGR_L_SetSpatialFilterRect(layer, x0, y0, x1, y1);
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            out.push_back(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "KZXBH")));
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(StageRename, ReplaceImportsKeepHistoryFidsRegistrationsAndAWorkingRtree) {
    TempDir dir;
    BackendPlan plan("gpkg");
    const std::string setup_before = layer_setup(plan.location());
    ASSERT_NE(setup_before.find("rtree_KZX_geom_insert"), std::string::npos);
    ASSERT_NE(setup_before.find("minplan_idx_KZX_KZXLX"), std::string::npos);
    const std::int64_t root_built = root_page(plan.location());

    // First import: 300 features into the built (empty) layer: fids 1–300.
    store::import_layer(fs::path(plan.location()), "control_lines", std::vector<fs::path>{squares(dir / "a.geojson", 1, 300)}, streamed());
    const std::int64_t root_first = root_page(plan.location());
    EXPECT_NE(root_first, root_built);  // the live table is the stage's B-tree: nothing was copied
    // Second import: 250 others replace them: fids 301–550 (never reused); the 300 go to the history.
    store::import_layer(fs::path(plan.location()), "control_lines", std::vector<fs::path>{squares(dir / "b.geojson", 1001, 250)}, streamed());
    EXPECT_NE(root_page(plan.location()), root_first);
    EXPECT_EQ(layer_setup(plan.location()), setup_before);  // triggers, indexes, registrations as built
    EXPECT_EQ(stage_tables(plan), 0u);
    {
        store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM KZX"), 250);
        EXPECT_EQ(sql.scalar("SELECT min(fid) FROM KZX"), 301);
        EXPECT_EQ(sql.scalar("SELECT max(fid) FROM KZX"), 550);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM minplan_hist_KZX"), 300);
        EXPECT_EQ(sql.scalar("SELECT min(minplan_fid) FROM minplan_hist_KZX"), 1);
        EXPECT_EQ(sql.scalar("SELECT max(minplan_fid) FROM minplan_hist_KZX"), 300);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM minplan_validity WHERE layer = 'KZX' AND fid BETWEEN 301 AND 550"), 250);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM minplan_validity WHERE layer = 'KZX' AND fid <= 300"), 0);
        EXPECT_EQ(sql.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'KZX'"), 550);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM sqlite_sequence WHERE name LIKE 'minplan_stage%'"), 0);
        EXPECT_EQ(column(sql, "SELECT rtreecheck('rtree_KZX_geom')"), std::vector<std::string>{"ok"});
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM rtree_KZX_geom"), 250);
        // Feature 1001 is the square [113.0, 113.01] × [39.5, 39.51] at fid 301: the R*Tree holds its box
        // (stored as 32-bit floats rounded outward, so within 1e-5°).
        auto box = sql.prepare("SELECT minx, maxx, miny, maxy FROM rtree_KZX_geom WHERE id = 301");
        ASSERT_TRUE(box.step());
        EXPECT_NEAR(box.real(0), 113.0, 1e-5);
        EXPECT_NEAR(box.real(1), 113.01, 1e-5);
        EXPECT_NEAR(box.real(2), 39.5, 1e-5);
        EXPECT_NEAR(box.real(3), 39.51, 1e-5);
        for (const char* t : {"gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_data_columns"})
            EXPECT_EQ(sql.scalar(std::string("SELECT count(*) FROM ") + t + " WHERE table_name LIKE 'minplan_stage%'"), 0) << t;
        EXPECT_EQ(sql.scalar("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'KZX'"), 250);
    }
    // GDAL opens the layer; a window over columns 2–4 of rows 0–1 (x 113.04–113.09, y 39.5–39.53): the
    // squares k = 2, 3, 4, 22, 23, 24 of the second file, i.e. SQ-1003…1005 and SQ-1023…1025.
    GIntBig count = 0;
    const auto hits = gdal_window(plan.location(), 113.045, 39.505, 113.085, 39.525, &count);
    EXPECT_EQ(count, 250);
    EXPECT_EQ(hits, (std::vector<std::string>{"SQ-1003", "SQ-1004", "SQ-1005", "SQ-1023", "SQ-1024", "SQ-1025"}));

    // The recreated triggers index the rows written after the swap: an append gets fid 551 and its box.
    auto db = store::open_database(plan.location());
    auto snap = db->snapshot();
    const TableSchema schema = snap->schema("control_lines");
    snap.reset();
    Feature f;
    f.attributes["line_id"] = std::string("APPENDED");
    f.attributes["control_type"] = std::string("ecological_red_line");
    f.attributes["geometry_source"] = std::string("imported");
    f.wkb = square_wkb(114.0, 40.0, 0.01);
    store::write_tables(*db, {{schema, {f}}}, store::SwapMode::Append);
    store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
    EXPECT_EQ(sql.scalar("SELECT fid FROM KZX WHERE KZXBH = 'APPENDED'"), 551);
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM rtree_KZX_geom WHERE id = 551 AND minx < 114.0001 AND maxx > 114.0099"), 1);
    EXPECT_EQ(sql.scalar("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'KZX'"), 251);
    EXPECT_EQ(column(sql, "SELECT rtreecheck('rtree_KZX_geom')"), std::vector<std::string>{"ok"});
}

// Rows given with made-up reader facts (area = 1000 + their place), a batch at a time.
class FactsSource final : public store::FeatureSource {
public:
    explicit FactsSource(int n) : n_(n) {}
    bool next(std::vector<Feature>& batch) override {
        batch.clear();
        for (; i_ < n_ && batch.size() < 20; ++i_) {
            Feature f;
            f.attributes["line_id"] = "F-" + std::to_string(i_);
            f.attributes["control_type"] = std::string("ecological_red_line");
            f.attributes["geometry_source"] = std::string("imported");
            f.wkb = square_wkb(113.0 + 0.02 * i_, 39.0, 0.01);
            f.facts = GeometryFacts{1000.0 + i_, true, 5, 113.0 + 0.02 * i_, 39.0, 113.01 + 0.02 * i_, 39.01};
            batch.push_back(std::move(f));
        }
        return !batch.empty();
    }

private:
    int n_, i_ = 0;
};

TEST(StageRename, AWriteWhileStagingMeansACopyWithTheRightFidsAndFacts) {
    BackendPlan plan("gpkg");
    auto db = store::open_database(plan.location());
    auto snap = db->snapshot();
    const TableSchema schema = snap->schema("control_lines");
    snap.reset();
    FactsSource first(30);  // fids 1–30, renamed into place
    auto staged = db->stage_stream(schema, first);
    {
        auto tx = db->begin_plan();
        tx->swap_in(*staged, store::SwapMode::Replace);
        tx->commit();
    }
    FactsSource second(50);  // staged as fids 31–80 …
    auto stage2 = db->stage_stream(schema, second);
    Feature other;  // … but this append takes fid 31 meanwhile
    other.attributes["line_id"] = std::string("MEANWHILE");
    other.attributes["control_type"] = std::string("ecological_red_line");
    other.attributes["geometry_source"] = std::string("imported");
    other.wkb = square_wkb(114.0, 40.0, 0.01);
    const std::int64_t root_before = root_page(plan.location());
    store::write_tables(*db, {{schema, {other}}}, store::SwapMode::Append);
    {
        auto tx = db->begin_plan();
        tx->swap_in(*stage2, store::SwapMode::Replace);
        tx->commit();
    }
    EXPECT_EQ(root_page(plan.location()), root_before);  // copied into the live table, not renamed
    store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
    // The 31 live rows (1–30, 31) retired; the 50 new ones are 32–81 in stage order: F-0 at 32 … F-49 at 81.
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM minplan_hist_KZX"), 31);
    EXPECT_EQ(sql.scalar("SELECT fid FROM KZX WHERE KZXBH = 'F-0'"), 32);
    EXPECT_EQ(sql.scalar("SELECT fid FROM KZX WHERE KZXBH = 'F-49'"), 81);
    // Each new row's record is its own facts: area 1000 + place, so fid 32 → 1000, fid 81 → 1049.
    auto st = sql.prepare("SELECT fid, area_m2 FROM minplan_geodesy WHERE layer = 'KZX' AND fid > 31 ORDER BY fid");
    int n = 0;
    while (st.step()) {
        EXPECT_EQ(st.real(1), 1000.0 + static_cast<double>(st.integer(0) - 32)) << st.integer(0);
        ++n;
    }
    EXPECT_EQ(n, 50);
    // The first stage's records (renamed path, offset 0): fid 1 → 1000, fid 30 → 1029.
    EXPECT_EQ(sql.scalar("SELECT CAST(area_m2 AS INTEGER) FROM minplan_geodesy WHERE layer = 'KZX' AND fid = 30"), 1029);
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'minplan_stage%'"), 0);
}

// Session 9: an append copies its stage into the live table, whose triggers index the rows: the stage is
// written without an R*Tree of its own, and the appended rows are in the live R*Tree all the same.
TEST(StageRename, AnAppendsStageHasNoRtreeAndItsRowsAreIndexed) {
    BackendPlan plan("gpkg");
    auto db = store::open_database(plan.location());
    auto snap = db->snapshot();
    const TableSchema schema = snap->schema("control_lines");
    snap.reset();
    FactsSource first(30);  // fids 1–30: a replace, renamed into place
    auto staged = db->stage_stream(schema, first);
    {
        auto tx = db->begin_plan();
        tx->swap_in(*staged, store::SwapMode::Replace);
        tx->commit();
    }
    FactsSource second(50);  // appended: fids 31–80
    auto stage2 = db->stage_stream(schema, second, {}, store::SwapMode::Append);
    {
        store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM sqlite_master WHERE name = '" + stage2->stage_table() + "'"), 1);
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_minplan_stage%'"), 0);  // no R*Tree
        EXPECT_EQ(sql.scalar("SELECT count(*) FROM \"" + stage2->stage_table() + "\""), 50);
    }
    {
        auto tx = db->begin_plan();
        tx->swap_in(*stage2, store::SwapMode::Append);
        tx->commit();
    }
    store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM KZX"), 80);
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM minplan_hist_KZX"), 0);  // nothing retired by an append
    EXPECT_EQ(sql.scalar("SELECT fid FROM KZX WHERE KZXBH = 'F-0' AND fid > 30"), 31);
    EXPECT_EQ(sql.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'KZX'"), 80);
    EXPECT_EQ(column(sql, "SELECT rtreecheck('rtree_KZX_geom')"), std::vector<std::string>{"ok"});
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM rtree_KZX_geom"), 80);
    // The appended F-49 (fid 80) is the square [113.98, 113.99] × [39.0, 39.01] (113.0 + 0.02 × 49): its box,
    // stored as 32-bit floats rounded outward (one float step near 114 is 2⁻¹⁷ ≈ 7.6e-6: within two steps).
    auto box = sql.prepare("SELECT minx, maxx, miny, maxy FROM rtree_KZX_geom WHERE id = 80");
    ASSERT_TRUE(box.step());
    EXPECT_NEAR(box.real(0), 113.98, 1.6e-5);
    EXPECT_LE(box.real(0), 113.98);
    EXPECT_NEAR(box.real(1), 113.99, 1.6e-5);
    EXPECT_GE(box.real(1), 113.99);
    EXPECT_NEAR(box.real(2), 39.0, 1e-5);
    EXPECT_NEAR(box.real(3), 39.01, 1e-5);
    EXPECT_EQ(sql.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE '%minplan_stage%'"), 0);
}

// Every stored value of the layer's minplan_geodesy rows, in fid order.
std::vector<std::tuple<std::int64_t, std::int64_t, double, double, double, double, double, std::int64_t>> geodesy_rows(const std::string& db) {
    store::SqliteDb sql(db, store::SqliteDb::Mode::ReadOnly);
    auto st = sql.prepare("SELECT fid, vertices, min_x, min_y, max_x, max_y, area_m2, valid FROM minplan_geodesy WHERE layer = 'KZX' ORDER BY fid");
    std::vector<std::tuple<std::int64_t, std::int64_t, double, double, double, double, double, std::int64_t>> out;
    while (st.step())
        out.emplace_back(st.integer(0), st.integer(1), st.real(2), st.real(3), st.real(4), st.real(5), st.real(6), st.integer(7));
    return out;
}

TEST(StageRename, TheReadersGeodesyRecordEqualsTheComputedOne) {
    TempDir dir;
    const fs::path file = squares(dir / "g.geojson", 1, 120);
    BackendPlan with("gpkg"), without("gpkg");
    store::import_layer(fs::path(with.location()), "control_lines", std::vector<fs::path>{file}, streamed());
    // The same rows written by a path without the reader's facts: the store reads them back and computes.
    {
        auto db = store::open_database(without.location());
        auto source = store::open_database(with.location())->snapshot();
        const TableSchema schema = source->schema("control_lines");
        auto rows = source->read("control_lines");
        for (auto& r : rows) ASSERT_FALSE(r.facts.has_value());
        store::write_tables(*db, {{schema, rows}}, store::SwapMode::Replace);
    }
    const auto a = geodesy_rows(with.location()), b = geodesy_rows(without.location());
    ASSERT_EQ(a.size(), 120u);
    EXPECT_EQ(a, b);  // exact doubles
    // By hand: the square with a hole has two rings of 5 points, the two-part feature two of 5.
    EXPECT_EQ(std::get<1>(a.back()), 10);
    EXPECT_EQ(std::get<1>(a[a.size() - 2]), 10);  // two parts of 5 points
}

}  // namespace
}  // namespace minplan::testing
