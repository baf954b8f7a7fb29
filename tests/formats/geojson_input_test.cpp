// GeoJSON application polygons read from text: the three shapes, the CRS spellings, and Chinese refusals.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "formats/geojson_input.hpp"

namespace minplan::formats {
namespace {

const char* kRing = "[[[114.19,39.40],[114.20,39.40],[114.20,39.39],[114.19,39.40]]]";

std::string with_crs(const std::string& name) {
    return std::string(R"({"type":"Polygon","crs":{"type":"name","properties":{"name":")") + name + R"("}},"coordinates":)" +
           kRing + "}";
}

TEST(GeoJsonInput, ReadsFeatureCollectionAndBareGeometry) {
    const std::string feature = std::string(R"({"type":"Feature","properties":{"项目名称":"某矿","n":3},"geometry":{"type":"Polygon","coordinates":)") +
                                kRing + "}}";
    auto f = parse_geojson_polygon(feature, "a.geojson");
    ASSERT_EQ(f.polygons.size(), 1u);
    ASSERT_EQ(f.polygons[0].size(), 1u);
    EXPECT_EQ(f.polygons[0][0].size(), 4u);
    EXPECT_DOUBLE_EQ(f.polygons[0][0][1].x, 114.20);
    EXPECT_FALSE(f.epsg.has_value());
    EXPECT_EQ(f.properties.at("项目名称"), "某矿");
    EXPECT_EQ(f.properties.at("n"), "3");
    auto c = parse_geojson_polygon("\xEF\xBB\xBF {\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
                                   "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}," + feature + "]}",
                                   "b.geojson");
    EXPECT_EQ(c.polygons.size(), 1u);
    auto m = parse_geojson_polygon(std::string(R"({"type":"MultiPolygon","coordinates":[)") + kRing + "," + kRing + "]}", "c");
    EXPECT_EQ(m.polygons.size(), 2u);
    EXPECT_TRUE(looks_like_json("  \n{\"type\""));
    EXPECT_FALSE(looks_like_json("1,4,1,4363300.00,38517000.00"));
}

TEST(GeoJsonInput, CrsSpellings) {
    EXPECT_EQ(parse_geojson_polygon(with_crs("EPSG:4490"), "x").epsg, 4490);
    EXPECT_EQ(parse_geojson_polygon(with_crs("urn:ogc:def:crs:EPSG::4526"), "x").epsg, 4526);
    EXPECT_EQ(parse_geojson_polygon(with_crs("urn:ogc:def:crs:EPSG:6.3:4547"), "x").epsg, 4547);
    EXPECT_EQ(parse_geojson_polygon(with_crs("http://www.opengis.net/def/crs/EPSG/0/4490"), "x").epsg, 4490);
    EXPECT_EQ(parse_geojson_polygon(with_crs("urn:ogc:def:crs:OGC:1.3:CRS84"), "x").epsg, 4326);
    try {
        (void)parse_geojson_polygon(with_crs("local grid"), "x");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("无法识别"), std::string::npos) << e.what();
    }
}

TEST(GeoJsonInput, RefusesWhatIsNoSingleApplicationPolygon) {
    auto refused = [](const std::string& text, const std::string& words) {
        try {
            (void)parse_geojson_polygon(text, "x.geojson");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    refused(R"({"type":"LineString","coordinates":[[1,2],[3,4]]})", "应为面");
    refused(R"({"type":"FeatureCollection","features":[]})", "没有面要素");
    refused(R"({"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]})", "至少需要4个坐标");
    refused(R"({"type":"Polygon","coordinates":[[[1,2],[3,"a"],[5,6],[1,2]]]})", "数值数组");
    refused(R"({"type":"Feature","geometry":null})", "没有几何");
}

}  // namespace
}  // namespace minplan::formats
