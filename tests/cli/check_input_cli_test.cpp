// `minplan check` on hostile or careless inputs (issue 11), run in-process: each ends in the exit code the
// README documents (3 bad input, 4 unreadable file) with a message that names the reason — never exit 10,
// a crash, a bare "无法打开 X：" or a raw GEOS error.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/app.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

class CheckInput : public ::testing::Test {
protected:
    CliResult check(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string(), "check"});
        return run_cli(args);
    }
    fs::path write(const std::string& name, const std::string& text) {
        const fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::string app_ = (test_data_dir() / "rules" / "apps" / "coal_all_pass.txt").string();
    TempDir dir_;
    fs::path db_ = copy_of_plan(dir_);
};

TEST_F(CheckInput, OverflowingAttributeIsBadInputNotAnInternalError) {
    CliResult r = check({app_, "--attrs", write("a.json", R"({"scale": 1e400})").string()});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("1e400"), std::string::npos) << r.err;
}

TEST_F(CheckInput, OutOfDomainAttributesAreBadInput) {
    for (const char* text : {R"({"scale": -5})", R"({"mechanisation_pct": 250})"}) {
        CliResult r = check({app_, "--attrs", write("a.json", text).string()});
        EXPECT_EQ(r.code, cli::kInputError) << text << ": " << r.err;
        EXPECT_NE(r.err.find("超出范围"), std::string::npos) << r.err;
    }
}

TEST_F(CheckInput, DeeplyNestedSidecarIsBadInput) {
    const std::string deep = R"({"scale": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CliResult r = check({app_, "--attrs", write("deep.json", deep).string()});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("嵌套"), std::string::npos) << r.err;
}

TEST_F(CheckInput, MissingFilesAreUnreadableFiles) {
    CliResult r = check({(dir_ / "nope.txt").string()});
    EXPECT_EQ(r.code, cli::kIoError) << r.err;
    EXPECT_NE(r.err.find("nope.txt"), std::string::npos) << r.err;
    EXPECT_EQ(check({(dir_ / "nope.geojson").string()}).code, cli::kIoError);
    EXPECT_EQ(check({app_, "--attrs", (dir_ / "nope.json").string()}).code, cli::kIoError);
}

// A 国土 TXT does not say whether it is a mining or an exploration right: the CLI names its option.
TEST_F(CheckInput, UnknownKindNamesTheKindOption) {
    CliResult r = check({(test_data_dir() / "rules" / "lingqiu" / "limestone.land.txt").string()});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("--kind mining（采矿权）"), std::string::npos) << r.err;
}

TEST_F(CheckInput, MalformedGeojsonNamesTheReason) {
    CliResult r = check({write("cut.geojson", "{\"type\":\"Polygon\",\n\"coordinates\":[[[113.70,39.87],[113.71,").string(),
                         "--kind", "mining"});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("语法错误"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
}

TEST_F(CheckInput, NanCoordinateIsLocatedNotAGeosError) {
    CliResult r = check({write("nan.geojson", "{\"type\":\"Polygon\",\"coordinates\":\n[[[113.70,39.87],[NaN,39.87],"
                                              "[113.71,39.88],[113.70,39.87]]]}")
                             .string(),
                         "--kind", "mining"});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("GEOS"), std::string::npos) << r.err;
}

TEST_F(CheckInput, NanCoordinateInAGeopackageIsLocated) {
    // nan_coordinate.gpkg: ogr2ogr of a GeoJSON polygon whose 2nd vertex has longitude NaN (GDAL's GeoJSON
    // reader accepts it, GeoPackage stores it). It used to be reported as GEOS's "Invalid Coordinate".
    CliResult r = check({(test_data_dir() / "rules" / "apps" / "nan_coordinate.gpkg").string(), "--kind", "mining"});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("第1圈第2个拐点"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("有限数值"), std::string::npos) << r.err;
}

TEST_F(CheckInput, OversizedApplicationIsRefusedBeforeReading) {
    // Sparse: 60 MiB on paper, nothing on disk; refused by its size, never read.
    const fs::path big = write("big.txt", "");
    fs::resize_file(big, 60ull * 1024 * 1024);
    CliResult r = check({big.string(), "--kind", "mining"});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find("50 MiB"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace minplan::testing
