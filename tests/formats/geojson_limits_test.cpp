// GeoJSON application limits (issue 11): counted by an independent rule — a position is an array of
// numbers — on texts whose counts are known by construction.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "formats/geojson_limits.hpp"

namespace minplan::formats {
namespace {

// A closed square ring of n + 1 positions.
std::string polygon_with(std::size_t n) {
    std::string coords;
    for (std::size_t i = 0; i <= n; ++i) coords += std::string(i ? "," : "") + "[113." + std::to_string(i % 10) + ",39.9]";
    return R"({"type":"Feature","properties":{"name":"x","n":[1,2]},"geometry":{"type":"Polygon","coordinates":[[)" + coords +
           "]]}}";
}

std::string error_of(const std::string& text, const InputLimits& limits = kDefaultInputLimits) {
    try {
        check_geojson(text, "app.geojson", limits);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(GeojsonLimits, CountsPositionsNotOtherNumberArrays) {
    // properties.n = [1, 2] is an array of numbers outside the geometry: it counts too, which is the safe side.
    EXPECT_EQ(check_geojson(polygon_with(4), "a"), 6u);
}

TEST(GeojsonLimits, MoreVerticesThanTheLimitAreRefusedNamingIt) {
    InputLimits small;
    small.max_vertices = 100;
    EXPECT_NO_THROW(check_geojson(polygon_with(98), "a", small));  // 99 + the properties array
    const std::string msg = error_of(polygon_with(200), small);
    EXPECT_NE(msg.find("顶点"), std::string::npos) << msg;
    EXPECT_NE(msg.find("100"), std::string::npos) << msg;
}

TEST(GeojsonLimits, DeepNestingIsRefusedNamingTheLimit) {
    const std::string deep = R"({"type":"Polygon","coordinates":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const std::string msg = error_of(deep);
    EXPECT_NE(msg.find("嵌套"), std::string::npos) << msg;
    EXPECT_NE(msg.find("64"), std::string::npos) << msg;
}

TEST(GeojsonLimits, MalformedTextGivesTheReasonWithLineAndColumn) {
    const std::string msg = error_of("{\"type\":\"Polygon\",\n\"coordinates\":[[[113.1,39.9],[113.2,");
    EXPECT_NE(msg.find("语法错误"), std::string::npos) << msg;
    EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST(GeojsonLimits, NanCoordinateIsLocated) {
    const std::string msg = error_of("{\"type\":\"Polygon\",\n\"coordinates\":[[[113.1,39.9],[NaN,39.9],[113.1,39.8],[113.1,39.9]]]}");
    EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("NaN"), std::string::npos) << msg;
    EXPECT_NE(error_of(R"({"type":"Point","coordinates":[1e400,1]})").find("1e400"), std::string::npos);
}

TEST(GeojsonLimits, FileSizeOverTheLimitIsRefusedNamingBoth) {
    try {
        check_file_size(60ull * 1024 * 1024, "big.geojson");
        FAIL();
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("60.0 MiB"), std::string::npos) << msg;
        EXPECT_NE(msg.find("50 MiB"), std::string::npos) << msg;
    }
    EXPECT_NO_THROW(check_file_size(50ull * 1024 * 1024, "ok.geojson"));
}

}  // namespace
}  // namespace minplan::formats
