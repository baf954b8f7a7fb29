// `minplan qc` on small plans with one defect each (issue 17): the FICTIONAL county plan of
// tests/data/plans/fictional-county-2021-2025 (its qc.json: blocks apart, inside their town, clear of the
// reserve), extended with a corner-coordinate field on mining_blocks and a 专栏 of blocks per town, built
// once clean; each case rewrites one layer through the store and asserts that exactly one new finding
// appears, with its feature and its location. Every expected figure is hand arithmetic on the rectangles
// (lon/lat degrees; 1° of latitude ≈ 110.95 km near 36°N, 1° of longitude ≈ 111.32 km × cos φ).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <set>

#include "../plan/plan_fixture.hpp"
#include "geo/geometry.hpp"
#include "services/qc/qc.hpp"
#include "store/gpkg_store.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;
namespace qc = services::qc;


// A closed lon/lat rectangle as WKB.
std::vector<unsigned char> rect(double x1, double y1, double x2, double y2) {
    return geo::Geometry::polygon({{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}).to_wkb();
}

// QL-CK-01's rectangle 101.02–101.06 E × 36.02–36.05 N as a 采矿权 corner string in packed DMS
// (101.0112 = 101°01′12″ = 101.02°, 101.0336 = 101.06°, 36.0112 = 36.02°, 36.0300 = 36.05°).
constexpr const char* kCk01Corners = "1,4,1,101.0112,36.0112,2,101.0336,36.0112,3,101.0336,36.0300,4,101.0112,36.0300,0,0,,1";

class QcDefects : public ::testing::Test {
protected:
    // The clean plan: the fictional folder with its own copy of the shared schema (mining_blocks gains the
    // corner field GDZB) and a 专栏 of mining blocks per town, checked by a column rule.
    static void SetUpTestSuite() {
        shared_ = new TempDir();
        const fs::path plan = *shared_ / "plan";
        fs::copy(fictional_plan_dir(), plan, fs::copy_options::recursive);
        fs::copy(source_dir() / "data" / "schema" / "tables", plan / "schema", fs::copy_options::recursive);
        json blocks = json::parse(read_bytes(plan / "schema" / "mining_blocks.json"));
        blocks["fields"].push_back({{"name", "corner_coordinates"}, {"code", "GDZB"}, {"alias_zh", "拐点坐标"}, {"type", "string"}});
        std::ofstream(plan / "schema" / "mining_blocks.json") << blocks.dump(2);
        json manifest = json::parse(read_bytes(plan / "plan.json"));
        manifest["package"]["schema"] = "schema";
        manifest["tables"]["blocks_summary_mining_by_county"] = "by_town.csv";
        std::ofstream(plan / "plan.json") << manifest.dump(1);
        std::ofstream(plan / "by_town.csv") << "county,block_count,row_kind,source\n"
                                               "西岭镇（虚构）,1,item,虚构 专栏1\n东岭镇（虚构）,1,item,虚构 专栏1\n";
        json config = json::parse(read_bytes(plan / "qc.json"));
        config["layers"]["mining_blocks"]["corners"] = {{"field", "corner_coordinates"}, {"format", "mining_right_string"}};
        config["columns"] = json::array({{{"title", "开采规划区块按镇"}, {"table", "blocks_summary_mining_by_county"},
                                          {"rows", {{"row_kind", "item"}}}, {"count_field", "block_count"},
                                          {"layer", "mining_blocks"}, {"match", {{"county", "county"}}}}});
        std::ofstream(plan / "qc.json") << config.dump(1);
        // The geometry of QL-CK-01 as its corner string says, so that the clean plan checks the string too.
        json features = json::parse(read_bytes(plan / "features" / "mining_blocks.geojson"));
        features["features"][0]["properties"]["corner_coordinates"] = kCk01Corners;
        std::ofstream(plan / "features" / "mining_blocks.geojson") << features.dump(1);
        clean_ = new fs::path(*shared_ / "clean.gpkg");
        plan::build_plan({plan, {}, *clean_, {}});
    }
    static void TearDownTestSuite() {
        delete clean_;
        delete shared_;
    }

    static qc::QcReport check(const fs::path& db) { return qc::run_qc(*store::open_store(db.string())); }

    // A copy of the clean plan with `edit` applied to the rows of `layer` (written through the store).
    fs::path with_defect(const std::string& layer, const std::function<void(std::vector<Feature>&)>& edit) {
        fs::path p = dir_ / "plan.gpkg";
        fs::copy_file(*clean_, p);
        also(p, layer, edit);
        return p;
    }
    static void also(const fs::path& p, const std::string& layer, const std::function<void(std::vector<Feature>&)>& edit) {
        auto db = store::open_database(p.string());
        auto snap = db->snapshot();
        TableSchema schema = snap->schema(layer);
        auto rows = snap->read(layer);
        snap.reset();
        edit(rows);
        store::write_tables(*db, {{schema, rows}}, store::SwapMode::Replace);
    }
    static Feature& by_id(std::vector<Feature>& rows, const std::string& id) {
        for (auto& f : rows)
            if (f.text("block_id") == id) return f;
        throw std::runtime_error("no block " + id);
    }

    // The findings of `report` that the clean plan does not have (by check, layer and feature).
    static std::vector<qc::Finding> new_findings(const qc::QcReport& report) {
        static const std::set<std::tuple<std::string, std::string, std::string>> clean = [] {
            std::set<std::tuple<std::string, std::string, std::string>> keys;
            for (const auto& f : check(*clean_).findings) keys.insert({f.check, f.layer, f.feature_id});
            return keys;
        }();
        std::vector<qc::Finding> out;
        for (const auto& f : report.findings)
            if (!clean.count({f.check, f.layer, f.feature_id})) out.push_back(f);
        return out;
    }
    static std::string dump(const qc::QcReport& r) {
        std::string s;
        for (const auto& f : r.findings) s += f.check + " " + f.layer + " " + f.feature_id + " " + f.message + "\n";
        return s;
    }
    // Exactly one new finding, an 错误 of `check` about `feature` of `layer`; returned for its location.
    static qc::Finding expect_one(const qc::QcReport& r, const std::string& check, const std::string& layer, const std::string& feature) {
        auto found = new_findings(r);
        EXPECT_EQ(found.size(), 1u) << dump(r);
        if (found.size() != 1) return {};
        EXPECT_EQ(found[0].check, check) << dump(r);
        EXPECT_EQ(found[0].layer, layer);
        EXPECT_EQ(found[0].feature_id, feature);
        EXPECT_EQ(found[0].severity, qc::Severity::Error);
        EXPECT_TRUE(found[0].point && found[0].extent) << "a finding about a feature has a location";
        return found[0];
    }
    static void expect_extent(const qc::Finding& f, double x1, double y1, double x2, double y2) {
        ASSERT_TRUE(f.extent);
        EXPECT_NEAR(f.extent->min_x, x1, 1e-9);
        EXPECT_NEAR(f.extent->min_y, y1, 1e-9);
        EXPECT_NEAR(f.extent->max_x, x2, 1e-9);
        EXPECT_NEAR(f.extent->max_y, y2, 1e-9);
        ASSERT_TRUE(f.point);
        EXPECT_TRUE(f.point->first >= x1 && f.point->first <= x2 && f.point->second >= y1 && f.point->second <= y2)
            << "the point lies in the extent";
    }

    static TempDir* shared_;
    static fs::path* clean_;
    TempDir dir_;
};
TempDir* QcDefects::shared_ = nullptr;
fs::path* QcDefects::clean_ = nullptr;

TEST_F(QcDefects, CleanPlanHasNoErrorAndChecksItsCornerStringAndColumn) {
    auto r = check(*clean_);
    EXPECT_EQ(r.count(qc::Severity::Error), 0u) << dump(r);
    EXPECT_EQ(r.config_source, "qc.json");
    for (const auto& f : r.findings) EXPECT_NE(f.check, "corner_string") << f.message;
}

TEST_F(QcDefects, OverlappingBlocks) {
    // QL-CK-02 moved into 西岭镇 at 101.05–101.09 × 36.03–36.06: it shares 101.05–101.06 × 36.03–36.05 with
    // QL-CK-01, 0.01° × 0.02° ≈ (0.01 × 111.32 × cos 36.04° = 0.900 km) × (0.02 × 110.95 = 2.219 km) ≈ 2.00 km².
    auto db = with_defect("mining_blocks", [](auto& rows) {
        auto& f = by_id(rows, "QL-CK-02");
        f.wkb = rect(101.05, 36.03, 101.09, 36.06);
        f.attributes["county"] = std::string("西岭镇（虚构）");
    });
    // Moving it changes the per-town 专栏 too: the table is brought to the new truth (西岭镇 2, 东岭镇 0).
    also(db, "blocks_summary_mining_by_county", [](auto& rows) {
        for (auto& r : rows) r.attributes["block_count"] = std::int64_t{r.text("county") == "西岭镇（虚构）" ? 2 : 0};
    });
    auto f = expect_one(check(db), "overlap", "mining_blocks", "QL-CK-01");  // once, from the lower fid
    EXPECT_EQ(f.values.at("other_id"), "QL-CK-02");
    EXPECT_NEAR(f.values.at("overlap_km2").get<double>(), 2.00, 0.01);
    expect_extent(f, 101.05, 36.03, 101.06, 36.05);
}

TEST_F(QcDefects, BlockOutsideItsTown) {
    // QL-CK-02 (东岭镇, east of 101.15) redrawn at 101.12–101.18 × 36.03–36.06: 101.12–101.15 lies in 西岭镇,
    // 0.03° × 0.03° ≈ (0.03 × 111.32 × cos 36.045° = 2.701 km) × (0.03 × 110.95 = 3.329 km) ≈ 8.99 km².
    auto db = with_defect("mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-02").wkb = rect(101.12, 36.03, 101.18, 36.06); });
    auto f = expect_one(check(db), "outside_region", "mining_blocks", "QL-CK-02");
    EXPECT_EQ(f.values.at("container"), "东岭镇（虚构）");
    EXPECT_NEAR(f.values.at("outside_km2").get<double>(), 8.99, 0.02);
    expect_extent(f, 101.12, 36.03, 101.15, 36.06);
}

TEST_F(QcDefects, WrongStatedArea) {
    // QL-CK-01 is 0.04° × 0.03° at 36.035°N ≈ (0.04 × 111.32 × 0.8086 = 3.601 km) × (0.03 × 110.95 = 3.329 km)
    // ≈ 11.99 km²; it is stated as 20 km².
    auto db = with_defect("mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-01").attributes["stated_area_km2"] = 20.0; });
    auto r = check(db);
    auto found = new_findings(r);
    // Both measures disagree with 20 km²: the ellipsoid one is the 错误, the plane one a 警告 (catalogue).
    ASSERT_EQ(found.size(), 2u) << dump(r);
    ASSERT_EQ(found[0].check, "stated_area_ellipsoid");
    const qc::Finding& f = found[0];
    EXPECT_EQ(f.feature_id, "QL-CK-01");
    EXPECT_EQ(f.severity, qc::Severity::Error);
    EXPECT_EQ(f.values.at("stated_km2").get<double>(), 20.0);
    EXPECT_NEAR(f.values.at("computed_km2").get<double>(), 11.99, 0.03);
    expect_extent(f, 101.02, 36.02, 101.06, 36.05);
    EXPECT_EQ(found[1].check, "stated_area_plane");
    EXPECT_EQ(found[1].severity, qc::Severity::Warning);
}

TEST_F(QcDefects, BadCode) {
    // kind is coded by code_kinds (exploration / mining); "quarry" is neither.
    auto db = with_defect("mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-02").attributes["kind"] = std::string("quarry"); });
    auto f = expect_one(check(db), "code_value", "mining_blocks", "QL-CK-02");
    EXPECT_EQ(f.values.at("field"), "kind");
    EXPECT_EQ(f.values.at("value"), "quarry");
}

TEST_F(QcDefects, InvalidPolygon) {
    // A bow tie over QL-CK-02's box: its edges 101.20,36.03→101.24,36.06 and 101.24,36.03→101.20,36.06 cross
    // at the middle, 101.22 E 36.045 N.
    auto db = with_defect("mining_blocks", [](auto& rows) {
        by_id(rows, "QL-CK-02").wkb =
            geo::Geometry::polygon({{{101.2, 36.03}, {101.24, 36.06}, {101.24, 36.03}, {101.2, 36.06}, {101.2, 36.03}}}).to_wkb();
    });
    auto f = expect_one(check(db), "invalid_geometry", "mining_blocks", "QL-CK-02");
    EXPECT_NE(f.message.find("Self-intersection"), std::string::npos) << f.message;
    ASSERT_TRUE(f.point);
    EXPECT_NEAR(f.point->first, 101.22, 1e-9);
    EXPECT_NEAR(f.point->second, 36.045, 1e-9);
}

TEST_F(QcDefects, Sliver) {
    // QL-CK-02 as a strip 0.00003° of latitude high ≈ 0.00003 × 110.95 km = 3.3 m, under the 5 m minimum width.
    auto db = with_defect("mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-02").wkb = rect(101.2, 36.03, 101.24, 36.03003); });
    auto f = expect_one(check(db), "sliver", "mining_blocks", "QL-CK-02");
    expect_extent(f, 101.2, 36.03, 101.24, 36.03003);
}

TEST_F(QcDefects, WrongCornerString) {
    // The string's third and fourth corners at 36.0400 (36°04′ = 36.0667°) instead of 36°03′: it encloses an
    // extra strip 101.02–101.06 × 36.05–36.0667 ≈ 3.601 km × (0.01667 × 110.95 = 1.849 km) ≈ 6.66 km².
    auto db = with_defect("mining_blocks", [](auto& rows) {
        by_id(rows, "QL-CK-01").attributes["corner_coordinates"] =
            std::string("1,4,1,101.0112,36.0112,2,101.0336,36.0112,3,101.0336,36.0400,4,101.0112,36.0400,0,0,,1");
    });
    auto f = expect_one(check(db), "corner_string", "mining_blocks", "QL-CK-01");
    EXPECT_NEAR(f.values.at("only_in_string_km2").get<double>(), 6.66, 0.02);
    EXPECT_NEAR(f.values.at("only_in_geometry_km2").get<double>(), 0.0, 1e-6);
    expect_extent(f, 101.02, 36.05, 101.06, 36.0 + 4.0 / 60);
}

TEST_F(QcDefects, ColumnCountMismatch) {
    // The 专栏 says 东岭镇 has 2 mining blocks; the layer has one there (QL-CK-02).
    auto db = with_defect("blocks_summary_mining_by_county", [](auto& rows) {
        for (auto& r : rows)
            if (r.text("county") == "东岭镇（虚构）") r.attributes["block_count"] = std::int64_t{2};
    });
    auto r = check(db);
    auto found = new_findings(r);
    ASSERT_EQ(found.size(), 1u) << dump(r);
    EXPECT_EQ(found[0].check, "column_count");
    EXPECT_EQ(found[0].layer, "blocks_summary_mining_by_county");
    EXPECT_EQ(found[0].values.at("stated_count").get<double>(), 2.0);
    EXPECT_EQ(found[0].values.at("feature_count").get<int>(), 1);
    EXPECT_EQ(found[0].severity, qc::Severity::Error);
}

TEST_F(QcDefects, PerLayerToleranceDecides) {
    // The 3.3 m strip of the Sliver case under three configurations (the package's qc.json, edited):
    // plan 5 m → sliver; mining_blocks' own 3 m over the plan's 5 m → none; the plan's 3 m with
    // mining_blocks' own 5 m → sliver again (the layer's value wins, not the plan's).
    auto db = with_defect("mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-02").wkb = rect(101.2, 36.03, 101.24, 36.03003); });
    auto store = store::open_store(db.string());
    std::vector<TableSchema> schemas;
    for (const auto& l : store->layers()) schemas.push_back(store->schema(l.id));
    auto run = [&](const std::function<void(json&)>& edit) {
        json config = json::parse(*store->package_file("qc.json"));
        edit(config);
        qc::QcOptions o;
        o.config = qc::parse_config(config.dump(), "test qc.json", schemas);
        std::size_t slivers = 0;
        for (const auto& f : qc::run_qc(*store, o).findings) slivers += f.check == "sliver" && f.feature_id == "QL-CK-02";
        return slivers;
    };
    EXPECT_EQ(run([](json&) {}), 1u);
    EXPECT_EQ(run([](json& c) { c["layers"]["mining_blocks"]["tolerances"] = {{"sliver_width_m", 3}}; }), 0u);
    EXPECT_EQ(run([](json& c) {
                  c["tolerances"]["sliver_width_m"] = 3;
                  c["layers"]["mining_blocks"]["tolerances"] = {{"sliver_width_m", 5}};
              }),
              1u);
    // An unknown tolerance is named, not ignored.
    json bad = json::parse(*store->package_file("qc.json"));
    bad["layers"]["mining_blocks"]["tolerances"] = {{"sliver_m", 3}};
    try {
        qc::parse_config(bad.dump(), "test qc.json", schemas);
        FAIL() << "an unknown tolerance was accepted";
    } catch (const ProblemsError& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_NE(e.problems()[0].find("layers.mining_blocks.tolerances.sliver_m"), std::string::npos) << e.problems()[0];
    }
}

TEST_F(QcDefects, FieldTypeAgainstThePhysicalTable) {
    // Another program left the stored schema saying 发证级别 (issuing_level, empty in every row) is a date
    // while the table's column is TEXT, as GDAL wrote it for a string field: exactly that finding.
    fs::path p = dir_ / "plan.gpkg";
    fs::copy_file(*clean_, p);
    std::string code, column;
    {
        auto s = store::open_store(p.string());
        TableSchema schema = s->schema("mining_blocks");
        code = schema.code;
        for (auto& f : schema.fields)
            if (f.name == "issuing_level") {
                column = f.code;
                f.type = FieldType::Date;
            }
        s.reset();
        store::SqliteDb sql(p, store::SqliteDb::Mode::ReadWrite);
        sql.prepare("UPDATE minplan_schema SET schema_json = ? WHERE layer_code = ?").bind(1, store::schema_to_json(schema)).bind(2, code).step();
    }
    ASSERT_FALSE(column.empty());
    auto r = check(p);
    auto found = new_findings(r);
    ASSERT_EQ(found.size(), 1u) << dump(r);
    EXPECT_EQ(found[0].check, "field_type");
    EXPECT_EQ(found[0].layer, "mining_blocks");
    EXPECT_EQ(found[0].severity, qc::Severity::Error);
    EXPECT_EQ(found[0].values.at("code"), column);
    EXPECT_EQ(found[0].values.at("expected"), "date");
    EXPECT_EQ(found[0].values.at("found"), "TEXT");
    // The clean plan: every field as its table declares it.
    for (const auto& f : check(*clean_).findings) EXPECT_NE(f.check, "field_type") << f.message;
}

TEST_F(QcDefects, ARequiredLayerWithoutFeaturesAndAFeatureWithoutGeometry) {
    // exploration_blocks is required by the fictional qc.json: emptied, it is reported as missing (a finding
    // about the layer, not a crash); QL-CK-02 without a geometry is an empty_geometry 错误 on that feature.
    auto db = with_defect("exploration_blocks", [](auto& rows) { rows.clear(); });
    also(db, "mining_blocks", [](auto& rows) { by_id(rows, "QL-CK-02").wkb.clear(); });
    auto r = check(db);
    std::set<std::string> got;
    for (const auto& f : new_findings(r)) got.insert(f.check + " " + f.layer + " " + f.feature_id);
    EXPECT_EQ(got, (std::set<std::string>{"layer_missing exploration_blocks ", "empty_geometry mining_blocks QL-CK-02"})) << dump(r);
}

}  // namespace
}  // namespace minplan::testing
