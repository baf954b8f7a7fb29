// Applications read from a Shapefile or GeoPackage are counted (vertices, parts) before any GEOS geometry
// is built, and a polygon that a CRS conversion makes invalid is refused with a message saying so (issue 11).
// Counts are known by construction; the conversions were computed with PROJ's command-line cs2cs (below),
// not with the code under test.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "rules/application_loader.hpp"

namespace minplan::rules {
namespace {

namespace fs = std::filesystem;

// No city, a wide province box; zone 38 (central meridian 114°E, EPSG:4547 unprefixed) as the plan's zone.
PolygonOptions options() {
    PolygonOptions o;
    o.default_zone = 38;
    o.province = {110.0, 34.0, 115.0, 41.0};
    o.province_zh = "测试省";
    return o;
}

LoadOptions mining() {
    LoadOptions l;
    l.kind = "mining";
    return l;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

// A closed square of side 0.01° with its lower-left corner at (lon, lat): 5 positions.
std::string square(double lon, double lat) {
    const auto p = [](double x, double y) { return "[" + std::to_string(x) + "," + std::to_string(y) + "]"; };
    return "[[" + p(lon, lat) + "," + p(lon + 0.01, lat) + "," + p(lon + 0.01, lat + 0.01) + "," + p(lon, lat + 0.01) + "," +
           p(lon, lat) + "]]";
}

class ApplicationLimits : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::system("ogr2ogr --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "ogr2ogr (gdal-bin) is not installed";
        dir_ = fs::temp_directory_path() / ("minplan-app-limits-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        // Three parts of 5 positions each (closing positions counted, as GDAL's getNumPoints and the GeoJSON
        // counter count them): 3 parts, 15 vertices.
        std::ofstream(dir_ / "three.geojson")
            << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4490"}},"features":[)"
            << R"({"type":"Feature","properties":{"name":"三块"},"geometry":{"type":"MultiPolygon","coordinates":[)"
            << square(113.70, 39.87) << "," << square(113.72, 39.87) << "," << square(113.74, 39.87) << "]}}]}";
        for (const char* f : {"GPKG three.gpkg", "'ESRI Shapefile' three.shp"}) {
            const std::string cmd = "cd '" + dir_.string() + "' && ogr2ogr -f " + f + " three.geojson > /dev/null 2>&1";
            ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
        }
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
};

TEST_F(ApplicationLimits, PartsAreCountedInGeopackagesAndShapefiles) {
    for (const char* file : {"three.gpkg", "three.shp"}) {
        SCOPED_TRACE(file);
        LoadOptions at = mining();
        at.limits.max_parts = 3;  // exactly the file's 3 parts: accepted
        EXPECT_EQ(load_application(dir_ / file, at, options()).polygon.polygons().size(), 3u);
        LoadOptions below = mining();
        below.limits.max_parts = 2;
        const std::string msg = error_of([&] { load_application(dir_ / file, below, options()); });
        EXPECT_NE(msg.find("3个多边形"), std::string::npos) << msg;
        EXPECT_NE(msg.find("max_parts"), std::string::npos) << msg;
        EXPECT_NE(msg.find(file), std::string::npos) << msg;
    }
}

TEST_F(ApplicationLimits, VerticesAreCountedInGeopackagesAndShapefiles) {
    for (const char* file : {"three.gpkg", "three.shp"}) {
        SCOPED_TRACE(file);
        LoadOptions at = mining();
        at.limits.max_vertices = 15;  // 3 × 5 positions: exactly at the limit
        EXPECT_NO_THROW(load_application(dir_ / file, at, options()));
        LoadOptions below = mining();
        below.limits.max_vertices = 14;
        const std::string msg = error_of([&] { load_application(dir_ / file, below, options()); });
        EXPECT_NE(msg.find("15个顶点"), std::string::npos) << msg;
        EXPECT_NE(msg.find("max_vertices"), std::string::npos) << msg;
    }
}

TEST_F(ApplicationLimits, PartsAreCountedInGeojsonToo) {
    LoadOptions below = mining();
    below.limits.max_parts = 2;
    const std::string msg = error_of([&] { load_application(dir_ / "three.geojson", below, options()); });
    EXPECT_NE(msg.find("3个多边形"), std::string::npos) << msg;
    EXPECT_NE(msg.find("max_parts"), std::string::npos) << msg;
}

// Lon/lat → plane. The southern edge A(112.6, 39.5)–B(114.4, 39.5) runs along a parallel; a spike of the
// polygon reaches down to V(114.0, 39.5 + d). cs2cs +proj=longlat +ellps=GRS80 +to +proj=tmerc +lon_0=114
// +x_0=500000 +ellps=GRS80 gives A (379578.899, 4374950.028), B (534405.422, 4374090.506), V at d = 0.001°
// (500000, 4374125.139), at d = 0.004° (500000, 4374458.214). The plane
// chord AB at x = 500000 is at t = 120421.101 / 154826.523 = 0.77778, y = 4374950.028 − 0.77778 × 859.522
// = 4374281.51: with d = 0.001° V lies 156 m south of the chord (the spike crosses the edge: invalid in the
// plane though valid in lon/lat); with d = 0.004° 177 m north of it (valid).
std::string spike_lonlat(double d) {
    return R"({"type":"Polygon","coordinates":[[[112.6,39.5],[114.4,39.5],[114.4,39.7],[114.05,39.7],[114.0,)" +
           std::to_string(39.5 + d) + R"(],[113.95,39.7],[112.6,39.7],[112.6,39.5]]]})";
}

TEST(ApplicationConversion, PolygonMadeInvalidByTheLonLatToPlaneConversionIsRefused) {
    const std::string msg = error_of([] { application_from_bytes(spike_lonlat(0.001), "spike.geojson", mining(), options()); });
    EXPECT_NE(msg.find("由经纬度换算为平面坐标（EPSG:4547）后不是有效多边形"), std::string::npos) << msg;
    EXPECT_NE(msg.find("spike.geojson"), std::string::npos) << msg;
    EXPECT_EQ(error_of([] { application_from_bytes(spike_lonlat(0.004), "spike.geojson", mining(), options()); }), "(accepted)");
}

// Plane → lon/lat. The northern edge A(380000, 4374000)–B(534000, 4374000) of a polygon given in EPSG:4547
// runs along a grid line; a spike reaches up to V(500000, 4374000 − d). cs2cs (the inverse of the above)
// gives A (112.605065313, 39.491504496), B (114.395282027, 39.499200957), V at d = 100 m (114.0,
// 39.498972183), at d = 500 m (114.0, 39.495369390). The lon/lat chord AB at 114.0° is at t = 1.394934687 /
// 1.790216714 = 0.779196, lat = 39.491504496 + 0.779196 × 0.007696461 = 39.497501: with d = 100 m V lies
// north of the chord, outside the polygon (invalid in lon/lat though valid in the plane); with d = 500 m
// south of it (valid).
std::string spike_plane(int d) {
    return R"({"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:4547"}},"coordinates":[[[380000,4374000],)"
           R"([380000,4352000],[495000,4352000],[500000,)" +
           std::to_string(4374000 - d) + R"(],[505000,4352000],[534000,4352000],[534000,4374000],[380000,4374000]]]})";
}

TEST(ApplicationConversion, PolygonMadeInvalidByThePlaneToLonLatConversionIsRefused) {
    const std::string msg = error_of([] { application_from_bytes(spike_plane(100), "plane.geojson", mining(), options()); });
    EXPECT_NE(msg.find("由平面坐标（EPSG:4547）换算为经纬度后不是有效多边形"), std::string::npos) << msg;
    EXPECT_EQ(error_of([] { application_from_bytes(spike_plane(500), "plane.geojson", mining(), options()); }), "(accepted)");
}

}  // namespace
}  // namespace minplan::rules
