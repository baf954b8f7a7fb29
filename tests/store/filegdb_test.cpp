// Store-independent: it reads a File Geodatabase (an import source), whichever plan database receives it.
// Reading a File Geodatabase. minplan only reads .gdb; the test makes one at test time with
// `ogr2ogr -f OpenFileGDB` when GDAL's OpenFileGDB driver can write (GDAL >= 3.6), else it skips.
#include <gtest/gtest.h>

#include <cstdlib>

#include "layer_compare.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

bool filegdb_writable() {
    GDALAllRegister();
    GDALDriverH driver = GDALGetDriverByName("OpenFileGDB");
    if (!driver) return false;
    const char* create = GDALGetMetadataItem(driver, GDAL_DCAP_CREATE, nullptr);
    return create && std::string(create) == "YES";
}

bool have_ogr2ogr() { return std::system("ogr2ogr --version > /dev/null 2>&1") == 0; }

TEST(FileGdb, ImportFromAFileGeodatabaseMadeByOgr2ogr) {
    if (!filegdb_writable()) GTEST_SKIP() << "GDAL's OpenFileGDB driver cannot write here (needs GDAL >= 3.6)";
    if (!have_ogr2ogr()) GTEST_SKIP() << "ogr2ogr (gdal-bin) is not installed";
    TempDir dir;
    auto original = store::GpkgStore::open(built_plan());
    fs::path gpkg = dir / "zones.gpkg", gdb = dir / "zones.gdb";
    store::export_layer(*original, "key_exploration_zones", gpkg);
    // Only the plan layer: the export also holds its QGIS style (layer_styles), which a FileGDB does not need.
    std::string cmd = "ogr2ogr -f OpenFileGDB '" + gdb.string() + "' '" + gpkg.string() + "' " +
                      original->schema("key_exploration_zones").code + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

    auto layers = ogr_layers(gdb.string());
    ASSERT_EQ(layers.size(), 1u);
    EXPECT_EQ(layers[0].epsg, 4490);

    fs::path db = copy_of_plan(dir);
    EXPECT_EQ(store::import_layer(db, "key_exploration_zones", gdb, {}), 18u);
    auto copy = store::GpkgStore::open(db);
    const TableSchema& schema = original->schema("key_exploration_zones");
    expect_same_features(schema, original->read("key_exploration_zones"), copy->read("key_exploration_zones"),
                         "via FileGDB");
}

}  // namespace
}  // namespace minplan::testing
