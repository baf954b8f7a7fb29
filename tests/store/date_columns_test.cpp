// Source-file reading (GDAL date columns of the bureau's file): the same code for both plan databases.
// A bureau's GeoPackage or Shapefile stores licence dates in real DATE / DATETIME columns (GDAL OFTDate,
// OFTDateTime), not as text. GDAL's GetFieldAsString writes such a value as "2018/01/01", which the plan's
// date fields (YYYY-MM-DD) used to refuse: every right with a dated licence failed to import.
#include <gtest/gtest.h>

#include <gdal/gdal_priv.h>
#include <gdal/ogrsf_frmts.h>

#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "import_test_files.hpp"

namespace minplan::testing {
namespace {

struct DatedRight {
    const char* id;
    int from[3];
    int to[6];  // year, month, day, hour, minute, second of the DATETIME column
};

fs::path write_dated_rights(const fs::path& file, const char* driver_name, const std::vector<DatedRight>& rights) {
    GDALAllRegister();  // this test may run alone, before minplan has opened anything
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (driver == nullptr) throw std::runtime_error(std::string("GDAL driver missing: ") + driver_name);
    GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("rights", &srs, wkbPolygon, nullptr);
    OGRFieldDefn id("KYQBH", OFTString), kind("KYQLX", OFTString), from("YXQQ", OFTDate),
        to("YXQZ", std::string(driver_name) == "ESRI Shapefile" ? OFTDate : OFTDateTime);
    for (auto* f : {&id, &kind, &from, &to}) layer->CreateField(f);
    double lon = 113.70;
    for (const auto& r : rights) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField("KYQBH", r.id);
        feature.SetField("KYQLX", "mining");
        feature.SetField("YXQQ", r.from[0], r.from[1], r.from[2]);
        feature.SetField("YXQZ", r.to[0], r.to[1], r.to[2], r.to[3], r.to[4], static_cast<float>(r.to[5]));
        OGRPolygon poly;
        OGRLinearRing ring;
        for (auto [x, y] : {std::pair{lon, 39.6}, {lon + 0.01, 39.6}, {lon + 0.01, 39.61}, {lon, 39.61}, {lon, 39.6}})
            ring.addPoint(x, y);
        poly.addRing(&ring);
        feature.SetGeometry(&poly);
        EXPECT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
        lon += 0.02;
    }
    return file;
}

class DateColumns : public ::testing::TestWithParam<const char*> {
protected:
    TempDir dir_;
    fs::path db_ = copy_of_plan(dir_);
};

TEST_P(DateColumns, AreStoredAsIsoDates) {
    const std::string driver = GetParam();
    const fs::path file = dir_ / (driver == "GPKG" ? "rights.gpkg" : "rights.shp");
    // A DATETIME at midnight is a date; one later in the day keeps its day (the plan's field is a date).
    write_dated_rights(file, driver.c_str(),
                       {{"C-1", {2018, 1, 1}, {2028, 12, 31, 0, 0, 0}}, {"C-2", {2021, 6, 9}, {2031, 6, 8, 17, 30, 0}}});
    auto result = store::import_layer(db_, "mineral_rights", std::vector<fs::path>{file}, store::ImportOptions{});
    EXPECT_EQ(result.imported, 2u);
    auto rows = store::GpkgStore::open(db_)->read("mineral_rights");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].text("right_id"), "C-1");
    EXPECT_EQ(rows[0].text("valid_from"), "2018-01-01");
    EXPECT_EQ(rows[0].text("valid_to"), "2028-12-31");
    EXPECT_EQ(rows[1].text("valid_from"), "2021-06-09");
    EXPECT_EQ(rows[1].text("valid_to"), "2031-06-08");
}

INSTANTIATE_TEST_SUITE_P(Drivers, DateColumns, ::testing::Values("GPKG", "ESRI Shapefile"),
                         [](const auto& test) { return std::string(test.param) == "GPKG" ? "GeoPackage" : "Shapefile"; });

}  // namespace
}  // namespace minplan::testing
