// Export -> import round trips through GDAL (GeoPackage, Shapefile with a UTF-8 or GBK .cpg, GeoJSON):
// a layer exported from the built plan and imported into a copy of the database reads back with equal
// attributes (Chinese text intact) and equal geometry. The exported files must look right to GDAL
// (ogrinfo): layer names and CRS EPSG:4490.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>

#include "core/error.hpp"
#include "layer_compare.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

class RoundTrip : public ::testing::Test {
protected:
    // Exports `layer` from the built plan to `file`, imports it into a copy and compares the two reads.
    void round_trip(const std::string& layer, const std::string& file_name, const store::ExportOptions& eo = {},
                    const store::ImportOptions& io = {}) {
        auto original = store::GpkgStore::open(built_plan());
        fs::path file = dir_ / file_name;
        std::size_t exported = store::export_layer(*original, layer, file, eo);
        fs::path db = copy_of_plan(dir_);
        std::size_t imported = store::import_layer(db, layer, file, io);
        EXPECT_EQ(imported, exported);
        auto copy = store::GpkgStore::open(db);
        const TableSchema& schema = original->schema(layer);
        expect_same_features(schema, original->read(layer), copy->read(layer), layer + " via " + file_name);
        // Other layers are untouched by the import.
        EXPECT_EQ(copy->read("zl02_mines_by_county").size(), original->read("zl02_mines_by_county").size());
    }
    TempDir dir_;
};

TEST_F(RoundTrip, GeoPackage) {
    round_trip("key_exploration_zones", "zones.gpkg");
    round_trip("zl03_extraction_by_year", "zl03.gpkg");  // an attribute table: reals, empty cells
}

TEST_F(RoundTrip, ShapefileUtf8) {
    round_trip("key_exploration_zones", "zones_utf8.shp", {"UTF-8"});
    EXPECT_EQ(trimmed(read_bytes(dir_ / "zones_utf8.cpg")), "UTF-8");
}

TEST_F(RoundTrip, ShapefileGbkKeepsChineseText) {
    round_trip("restoration_zones", "zones_gbk.shp", {"GBK"});
    EXPECT_EQ(trimmed(read_bytes(dir_ / "zones_gbk.cpg")), "GBK");
    // The .dbf holds GBK bytes: 浑源县 = BB EB D4 B4 CF D8 (`printf 浑源县 | iconv -f UTF-8 -t GBK | xxd -p`),
    // not the UTF-8 bytes E6 B5 91 E6 BA 90 E5 8E BF.
    std::string dbf = read_bytes(dir_ / "zones_gbk.dbf");
    EXPECT_NE(dbf.find("\xBB\xEB\xD4\xB4\xCF\xD8"), std::string::npos);
    EXPECT_EQ(dbf.find("浑源县"), std::string::npos);
}

TEST_F(RoundTrip, SchematicFlagAndNoteSurviveTheRoundTrip) {
    round_trip("mining_blocks", "blocks.geojson");
    auto copy = store::GpkgStore::open(dir_ / "plan.gpkg");
    for (const auto& f : copy->read("mining_blocks")) {
        EXPECT_EQ(f.text(kGeometrySourceField), "schematic") << f.text("block_id");
        EXPECT_NE(f.text(kGeometryNoteField).find("示意"), std::string::npos) << f.text("block_id");
    }
}

TEST_F(RoundTrip, GeoJson) {
    round_trip("restoration_zones", "zones.geojson");
    round_trip("zl02_mines_by_county", "zl02.geojson");
}

// Every non-empty layer of the embedded plan survives export -> import unchanged (GeoJSON holds tables and
// layers; an empty layer has no properties in GeoJSON, so nothing there to compare).
TEST_F(RoundTrip, EveryLayerOfThePlanThroughGeoJson) {
    // ~45 imports: without SQLite's fsync at every commit this takes 3 s instead of 10 (durability is not
    // what this test is about).
    ::setenv("OGR_SQLITE_SYNCHRONOUS", "OFF", 1);
    auto original = store::GpkgStore::open(built_plan());
    fs::path db = copy_of_plan(dir_);
    int n = 0;
    for (const auto& info : original->layers()) {
        if (info.feature_count == 0) continue;
        fs::path file = dir_ / (info.id + ".geojson");
        std::size_t exported = store::export_layer(*original, info.id, file);
        try {
            EXPECT_EQ(store::import_layer(db, info.id, file, {}), exported) << info.id;
        } catch (const Error& e) {
            ADD_FAILURE() << info.id << ": " << e.what();
            continue;
        }
        ++n;
    }
    auto copy = store::GpkgStore::open(db);
    for (const auto& info : original->layers())
        expect_same_features(original->schema(info.id), original->read(info.id), copy->read(info.id), info.id);
    EXPECT_GT(n, 40);
}

TEST_F(RoundTrip, ExportedFilesOpenInGdalWithLayerNameAndEpsg4490) {
    auto store = store::GpkgStore::open(built_plan());
    const std::string code = store->schema("key_exploration_zones").code;
    struct Case {
        std::string file, layer;
    };
    for (const Case& c : {Case{"a.gpkg", code}, Case{"b.shp", "b"}, Case{"c.geojson", code}}) {
        store::export_layer(*store, "key_exploration_zones", dir_ / c.file, {"GBK"});
        auto layers = ogr_layers((dir_ / c.file).string());
        // A GeoPackage also carries the layer's QGIS style, as the attribute table layer_styles (docs/qgis.md).
        const bool gpkg = c.file.ends_with(".gpkg");
        ASSERT_EQ(layers.size(), gpkg ? 2u : 1u) << c.file;
        if (gpkg) {
            if (layers[0].name == "layer_styles") std::swap(layers[0], layers[1]);
            EXPECT_EQ(layers[1].name, "layer_styles");
            EXPECT_EQ(layers[1].features, 1);
        }
        EXPECT_EQ(layers[0].name, c.layer) << c.file;
        EXPECT_EQ(layers[0].epsg, 4490) << c.file;
        EXPECT_EQ(layers[0].features, 18) << c.file;
    }
}

TEST_F(RoundTrip, TheBuiltGeoPackageListsEveryLayerWithItsCrs) {
    auto layers = ogr_layers(built_plan().string());
    auto store = store::GpkgStore::open(built_plan());
    for (const auto& info : store->layers()) {
        auto it =
            std::find_if(layers.begin(), layers.end(), [&](const OgrLayerView& v) { return v.name == info.code; });
        ASSERT_NE(it, layers.end()) << info.code << " missing from what GDAL lists";
        EXPECT_EQ(it->epsg, info.spatial ? 4490 : 0) << info.code;
        EXPECT_EQ(it->features, info.feature_count) << info.code;
    }
}

TEST_F(RoundTrip, GbkExportRefusesTextGbkCannotHoldInsteadOfDroppingIt) {
    TableSchema s{"t", "T", "minplan", "测试", false, "", {{"note", "BZ", "备注", FieldType::String, "", false}}};
    Feature f;
    f.attributes["note"] = std::string("面积 5 km²");  // U+00B2 is not in GBK
    {
        store::GpkgWriter w(dir_ / "t.gpkg");
        w.write_layer(s, {f});
        w.commit();
    }
    auto store = store::GpkgStore::open(dir_ / "t.gpkg");
    try {
        store::export_layer(*store, "t", dir_ / "t.shp", {"GBK"});
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("km²"), std::string::npos) << msg;
        EXPECT_NE(msg.find("note"), std::string::npos) << msg;
    }
    EXPECT_FALSE(fs::exists(dir_ / "t.shp"));
    EXPECT_FALSE(fs::exists(dir_ / "t.dbf"));
    EXPECT_EQ(store::export_layer(*store, "t", dir_ / "t.shp", {"UTF-8"}), 1u);
}

TEST_F(RoundTrip, ExportRefusesToOverwriteAndFileGdbIsReadOnly) {
    auto store = store::GpkgStore::open(built_plan());
    store::export_layer(*store, "strategic_reserve_zones", dir_ / "x.geojson");
    std::string before = read_bytes(dir_ / "x.geojson");
    EXPECT_THROW(store::export_layer(*store, "control_areas", dir_ / "x.geojson"), IoError);
    EXPECT_EQ(read_bytes(dir_ / "x.geojson"), before);
    EXPECT_THROW(store::export_layer(*store, "control_areas", dir_ / "x.gdb"), InputError);
    EXPECT_THROW(store::export_layer(*store, "control_areas", dir_ / "x.kml"), InputError);
    EXPECT_THROW(store::export_layer(*store, "no_such_layer", dir_ / "y.geojson"), NotFoundError);
}

}  // namespace
}  // namespace minplan::testing
