// /api/check takes every input format a reviewer receives — GeoJSON (Feature, FeatureCollection with one
// polygonal feature, bare geometry; with and without `crs`) and each coordinate text — whatever content type
// the client sends; the format is told from the content. Messages are Chinese and never point to the
// command line.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "running_portal.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

class CheckFormats : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        fs::create_directories(dir_->path() / "web");
        server::ServerOptions o;
        o.web_root = dir_->path() / "web";
        portal_ = new RunningPortal(built_plan(), o);
    }
    static void TearDownTestSuite() {
        delete portal_;
        delete dir_;
    }
    static std::string file(const std::string& rel) { return read_bytes(test_data_dir() / "rules" / rel); }
    // POSTs the body and returns (status, parsed body).
    static std::pair<int, json> post(const std::string& query, const std::string& body, const std::string& type) {
        auto c = portal_->client();
        auto res = c.Post(("/api/check" + query).c_str(), body, type.c_str());
        if (!res) return {0, json()};
        return {res->status, json::parse(res->body, nullptr, false)};
    }
    static inline TempDir* dir_ = nullptr;
    static inline RunningPortal* portal_ = nullptr;
};

TEST_F(CheckFormats, GeoJsonFeatureWithoutCrsIsReadAsLonLatWithANote) {
    for (const char* type : {"application/geo+json", "application/json", "text/plain; charset=utf-8"}) {
        SCOPED_TRACE(type);
        auto [status, r] = post("?kind=mining", file("lingqiu/limestone.geojson"), type);
        ASSERT_EQ(status, 200) << r.dump();
        EXPECT_EQ(r["application"]["source_format"], "geojson");
        EXPECT_EQ(r["application"]["source_epsg"], 4326);
        EXPECT_EQ(r["application"]["name"], "灵丘县红石塄石灰岩矿");
        EXPECT_EQ(r["application"]["area_basis"], "ellipsoid");
        EXPECT_EQ(r["application"]["plane_epsg"], 4547);  // the plan's zone, noted
        const auto notes = r["application"]["notes"].dump();
        EXPECT_NE(notes.find("未声明坐标系"), std::string::npos) << notes;
        EXPECT_NE(notes.find("第38带"), std::string::npos) << notes;
        EXPECT_TRUE(r["application"]["input_notes"].empty()) << r["application"]["input_notes"].dump();
        // The corners as given, and an area close to the registered one (the same corners).
        EXPECT_EQ(r["application"]["corners"].size(), 4u);
        EXPECT_NEAR(r["application"]["area_m2"].get<double>(), 726800.0, 726800.0 * 1e-4);
        EXPECT_NE(r["verdict"], "不符合");
    }
}

TEST_F(CheckFormats, GeoJsonCollectionAndBareGeometryWithCrs) {
    auto [s1, fc] = post("?kind=mining", file("lingqiu/limestone.collection.geojson"), "application/geo+json");
    ASSERT_EQ(s1, 200) << fc.dump();
    EXPECT_EQ(fc["application"]["source_epsg"], 4490);
    EXPECT_EQ(fc["application"]["name"], "灵丘县红石塄石灰岩矿");
    EXPECT_TRUE(fc["application"]["input_notes"].empty());
    auto [s2, plane] = post("?kind=mining", file("lingqiu/limestone.plane.geojson"), "application/json");
    ASSERT_EQ(s2, 200) << plane.dump();
    EXPECT_EQ(plane["application"]["source_epsg"], 4526);
    EXPECT_EQ(plane["application"]["plane_epsg"], 4526);
    EXPECT_EQ(plane["application"]["area_basis"], "plane");
    EXPECT_NEAR(plane["application"]["plane_area_m2"].get<double>(), 726800.0, 1e-3);  // shoelace, see schematic_review_test
    EXPECT_NEAR(plane["application"]["plane_area_km2"].get<double>(), 0.7268, 1e-9);
}

TEST_F(CheckFormats, GeoJsonWithSeveralPolygonsIsRefusedInChinese) {
    auto [status, r] = post("?kind=mining", file("lingqiu/two_polygons.geojson"), "application/geo+json");
    EXPECT_EQ(status, 400);
    const std::string msg = r.dump();
    EXPECT_NE(msg.find("2 个面要素"), std::string::npos) << msg;
}

// Areas by hand: the lingqiu files' four plane corners (northing, easting) (4363300, 517000), (4363420, 517880),
// (4362610, 518010), (4362500, 517120) give 726,800 m² by the shoelace formula (the file's own 72.68 公顷);
// formats/app.* is a 1000 m × 1000 m square of the zone-38 plane (tests/data/rules/make_cases.py), 1,000,000 m².
// area_m2 is the ellipsoid area: within 20 km of the central meridian the plane's scale factor k ≤ 1 + 5e-6,
// so it is below the plane area by at most 2e-5 (hence the 1e-4 tolerance). app.exploration.txt is the
// square's corners rounded to 0.01″ (≤ 0.3 m): up to ~4 × 1000 m × 0.3 m = 1,200 m² off, tolerance 2e-3.
TEST_F(CheckFormats, EveryCoordinateTextIsAccepted) {
    struct Want {
        const char* rel;
        double area_m2, rel_tol;
    };
    for (const Want& w : {Want{"lingqiu/limestone.land.txt", 726800, 1e-4}, Want{"lingqiu/limestone.mining.txt", 726800, 1e-4},
                          Want{"formats/app.mining.txt", 1e6, 1e-4}, Want{"formats/app.exploration.txt", 1e6, 2e-3},
                          Want{"formats/app.land.txt", 1e6, 1e-4}, Want{"formats/app.registration.txt", 1e6, 1e-4},
                          Want{"formats/app.geojson", 1e6, 1e-4}}) {
        SCOPED_TRACE(w.rel);
        for (const char* type : {"text/plain", "application/octet-stream"}) {
            auto [status, r] = post("?kind=mining", file(w.rel), type);
            ASSERT_EQ(status, 200) << r.dump();
            EXPECT_FALSE(r["findings"].empty());
            EXPECT_NEAR(r["application"]["area_m2"].get<double>(), w.area_m2, w.area_m2 * w.rel_tol);
        }
    }
}

TEST_F(CheckFormats, UnknownKindAsksToChooseWithoutCommandLineHints) {
    for (const char* rel : {"lingqiu/limestone.land.txt", "lingqiu/limestone.geojson"}) {
        SCOPED_TRACE(rel);
        auto [status, r] = post("", file(rel), "text/plain");
        EXPECT_EQ(status, 400);
        const std::string msg = r.dump();
        EXPECT_NE(msg.find("请选择“采矿权”或“探矿权”"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("--kind"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("命令行"), std::string::npos) << msg;
    }
    // A mining-right string tells its kind itself.
    auto [status, r] = post("", file("lingqiu/limestone.mining.txt"), "text/plain");
    EXPECT_EQ(status, 200) << r.dump();
    EXPECT_EQ(r["application"]["kind"], "mining");
}

}  // namespace
}  // namespace minplan::testing
