// Corner and gap resources on hand-built geometry. Every block and right is an axis-aligned rectangle in the
// CGCS2000 3° Gauss–Krüger plane of zone 38 (EPSG:4547), 60 km west of the central meridian, stored in
// lon/lat as the plan database holds it. The expected pieces, areas and widths are worked by hand from the
// rectangles; the ellipsoidal areas from the closed-form Gauss–Krüger scale factor (see ellipsoid_km2).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "../rules/shipped_package.hpp"
#include "../server/running_portal.hpp"
#include "plane_features.hpp"
#include "core/error.hpp"
#include "geo/crs.hpp"
#include "rules/rule_set.hpp"
#include "services/gaps.hpp"
#include "store/gpkg_store.hpp"

namespace minplan {
namespace {

using testing::TempDir;
using namespace testing::plane_features;

// Ellipsoidal area of a plane rectangle of `plane_m2` centred at plane offset (x, y) from (kE0, kN0): the
// Gauss–Krüger scale factor is k = 1 + X²/(2ρν) (+ X⁴ terms below 1e-9 here), X the distance from the
// central meridian, ρν the Gaussian radius of curvature squared at the latitude; a plane area is k² times
// the ellipsoid's. Across a few kilometres k² varies by ~1e-8, so the centre's value suffices.
double ellipsoid_km2(double plane_m2, double x, double y) {
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f);  // CGCS2000
    const double X = kE0 + x - 500000;
    const double lat = geo::cached_transformer(geo::kCgcs2000Gk38, geo::kCgcs2000Geographic).apply({kE0 + x, kN0 + y}).y * M_PI / 180;
    const double w = 1 - e2 * std::sin(lat) * std::sin(lat);
    const double rho = a * (1 - e2) / std::pow(w, 1.5), nu = a / std::sqrt(w);
    const double k = 1 + X * X / (2 * rho * nu);
    return plane_m2 / (k * k) / 1e6;
}

// Block B1 (煤炭, 3000 m × 2000 m) holds two rights of two holders with a 30 m strip between them and a
// 400 m band beside the second; an exploration right and an iron right in the band do not count. Block B2
// has a coal right 5 m outside its edge; block B4 is schematic.
class GapsTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto reg = testing::shipped_schemas();
        store::GpkgWriter w(dir / "plan.gpkg");
        w.set_metadata("id", "gaps-test-plan");
        store_shipped_package(w);
        const TableSchema blocks = with_extras(reg.find("mining_blocks"));
        w.write_layer(blocks, {feature(1, plane_box(0, 0, 3000, 2000), {{"block_id", std::string("B1")}, {"mineral", std::string("煤炭")}}),
                               feature(2, plane_box(10000, 0, 11000, 1000), {{"block_id", std::string("B2")}, {"mineral", std::string("煤炭")}}),
                               feature(3, plane_box(30000, 0, 31000, 1000), {{"block_id", std::string("B4")}, {"mineral", std::string("煤炭")}}, true)});
        const TableSchema rights = with_extras(reg.find("mineral_rights"));
        auto right = [](std::int64_t fid, const geo::Geometry& g, const char* id, const char* kind, const char* mineral, const char* holder) {
            return feature(fid, g, {{"right_id", std::string(id)}, {"kind", std::string(kind)}, {"mineral", std::string(mineral)},
                                    {"holder", std::string(holder)}});
        };
        w.write_layer(rights, {right(1, plane_box(-100, -100, 1400, 2100), "R1", "mining", "煤炭", "甲公司"),
                               right(2, plane_box(1430, -100, 2600, 2100), "R2", "mining", "煤", "乙公司"),  // 煤 is a synonym of 煤炭
                               right(3, plane_box(2700, 500, 2900, 600), "R3", "exploration", "煤炭", "丙公司"),
                               right(4, plane_box(2650, 1000, 2950, 1200), "R4", "mining", "铁", "丁公司"),
                               right(5, plane_box(11005, 0, 11500, 1000), "R5", "mining", "煤炭", "戊公司"),
                               right(6, plane_box(30000, -10, 30500, 1010), "R6", "mining", "煤炭", "己公司")});
        w.commit();
        store = store::open_store((dir / "plan.gpkg").string());
        params = services::GapParams::from_settings(rules::RuleSet::from_store(*store).settings);
    }

    const services::Gap& gap_in(const services::GapReport& r, const std::string& block, double min_width, double max_width) {
        for (const auto& g : r.gaps)
            if (g.container_id == block && g.width_m >= min_width && g.width_m <= max_width) return g;
        throw std::runtime_error("no gap in " + block);
    }

    TempDir dir;
    std::unique_ptr<store::PlanStore> store;
    services::GapParams params;
};

TEST_F(GapsTest, StripAndBandAreFoundWithHandComputedAreasWidthsAndNeighbours) {
    const auto r = services::find_gaps(*store, params);
    // B1: strip 30 m × 2000 m and band 400 m × 2000 m; B4: 500 m × 1000 m beside R6; B2: its right is 5 m away.
    ASSERT_EQ(r.gaps.size(), 3u);
    EXPECT_EQ(r.containers, 3u);
    EXPECT_EQ(r.open_pieces, 1u);

    const auto& strip = gap_in(r, "B1", 25, 35);
    EXPECT_NEAR(strip.width_m, 30.0, 0.5);
    EXPECT_NEAR(strip.area_plane_km2, 0.06, 0.06 * 1e-5);
    const double strip_e = ellipsoid_km2(30 * 2000, 1415, 1000);
    EXPECT_NEAR(strip.area_ellipsoid_km2, strip_e, strip_e * 2e-6);
    // 60 km from the central meridian the plane area is ~8.8e-5 larger: the two are told apart.
    EXPECT_GT(strip.area_plane_km2 - strip.area_ellipsoid_km2, 0.06 * 5e-5);
    ASSERT_EQ(strip.adjacent.size(), 2u);
    EXPECT_EQ(strip.adjacent[0].right_id, "R1");
    EXPECT_EQ(strip.adjacent[1].right_id, "R2");
    EXPECT_EQ(strip.plane_epsg, 4547);

    const auto& band = gap_in(r, "B1", 390, 410);
    EXPECT_NEAR(band.width_m, 400.0, 0.5);
    EXPECT_NEAR(band.area_plane_km2, 0.8, 0.8 * 1e-5);
    const double band_e = ellipsoid_km2(400 * 2000, 2800, 1000);
    EXPECT_NEAR(band.area_ellipsoid_km2, band_e, band_e * 2e-6);
    ASSERT_EQ(band.adjacent.size(), 1u);  // R3 (exploration) and R4 (iron) lie in it but do not count
    EXPECT_EQ(band.adjacent[0].right_id, "R2");
    EXPECT_EQ(band.adjacent[0].holder, "乙公司");
}

TEST_F(GapsTest, WithoutThresholdsEveryCandidateIsManualButTheGrantRuleApplies) {
    ASSERT_FALSE(params.min_area_km2);  // the Datong plan gives no figures for gaps
    ASSERT_FALSE(params.max_width_m);
    const auto r = services::find_gaps(*store, params);
    for (const auto& g : r.gaps) EXPECT_EQ(g.status, services::GapStatus::Manual) << g.container_id;
    // Ch. 6: one adjacent holder → 协议出让; several → 公开竞争出让.
    EXPECT_EQ(gap_in(r, "B1", 25, 35).grant_method_zh, "公开竞争出让（在科学论证的基础上）（相邻矿业权人2个）");
    EXPECT_EQ(gap_in(r, "B1", 390, 410).grant_method_zh, "协议出让（相邻矿业权人1个）");
}

TEST_F(GapsTest, ThresholdsDecideEachSideOfTheirValue) {
    params.thresholds_source_zh = "测试";
    params.min_area_km2 = 0.5;
    params.max_width_m = 100;
    auto r = services::find_gaps(*store, params);
    EXPECT_EQ(gap_in(r, "B1", 25, 35).status, services::GapStatus::Gap);            // 0.06 < 0.5
    EXPECT_EQ(gap_in(r, "B1", 390, 410).status, services::GapStatus::Independent);  // 0.8 ≥ 0.5 and 400 ≥ 100

    params.min_area_km2.reset();
    params.max_width_m = 401;  // just above the band's width
    r = services::find_gaps(*store, params);
    EXPECT_EQ(gap_in(r, "B1", 390, 410).status, services::GapStatus::Gap);
    params.max_width_m = 399;  // just below: wide enough, but the area is unknown
    r = services::find_gaps(*store, params);
    EXPECT_EQ(gap_in(r, "B1", 390, 410).status, services::GapStatus::Manual);

    params.max_width_m.reset();
    params.min_area_km2 = 0.8 * 1.001;  // just above the band's plane area
    r = services::find_gaps(*store, params);
    EXPECT_EQ(gap_in(r, "B1", 390, 410).status, services::GapStatus::Gap);
}

TEST_F(GapsTest, AdjacencyToleranceReachesTheRightOutsideTheBlock) {
    params.adjacency_m = 10;  // R5 lies 5 m outside B2
    const auto r = services::find_gaps(*store, params);
    EXPECT_EQ(r.open_pieces, 0u);
    const auto& whole = gap_in(r, "B2", 990, 1010);
    EXPECT_NEAR(whole.area_plane_km2, 1.0, 1e-5);
    ASSERT_EQ(whole.adjacent.size(), 1u);
    EXPECT_NEAR(whole.adjacent[0].distance_m, 5.0, 0.01);
}

TEST_F(GapsTest, SchematicBlocksGiveLabelledIllustrationsOnly) {
    const auto r = services::find_gaps(*store, params);
    const auto& g = gap_in(r, "B4", 490, 510);
    EXPECT_TRUE(g.schematic);
    EXPECT_EQ(g.reason_zh.rfind("示意几何", 0), 0u);
    const auto fc = services::gaps_geojson(r);
    int schematic = 0;
    for (const auto& f : fc["features"]) schematic += f["properties"]["geometry_source"] == "schematic";
    EXPECT_EQ(schematic, 1);
    EXPECT_EQ(fc["summary"]["by_status"]["manual"], 3);
}

TEST(GapParams, SettingsAreCheckedAndNeedTheirSource) {
    EXPECT_THROW(services::GapParams::from_settings({{"gaps", {{"min_area_km2", -1}, {"source_zh", "x"}}}}), InputError);
    EXPECT_THROW(services::GapParams::from_settings({{"gaps", {{"max_width_m", 50}}}}), InputError);  // no source
    EXPECT_THROW(services::GapParams::from_settings({{"gaps", 3}}), InputError);
    const auto p = services::GapParams::from_settings({{"gaps", {{"max_width_m", 50}, {"source_zh", "某省规定"}, {"adjacency_m", 2}}}});
    EXPECT_EQ(*p.max_width_m, 50);
    EXPECT_EQ(p.adjacency_m, 2);
    EXPECT_FALSE(p.min_area_km2);
}

TEST_F(GapsTest, CliPrintsTheListAndRefusesBadOptions) {
    const std::string db = (dir / "plan.gpkg").string();
    auto r = testing::run_cli({"--db", db, "gaps", "--min-area-km2", "0.5", "--max-width-m", "100", "--xlsx", (dir / "g.xlsx").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("边角夹缝资源"), std::string::npos);
    EXPECT_NE(r.out.find("可独立设置"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir / "g.xlsx"));
    r = testing::run_cli({"--db", db, "--json", "gaps"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["features"].size(), 3u);
    EXPECT_NE(testing::run_cli({"--db", db, "gaps", "--max-width-m", "-3"}).code, 0);
    EXPECT_NE(testing::run_cli({"--db", db, "gaps", "--within", "ch4_extraction_caps"}).code, 0);
}

// The CLI and the API are one service: the same figures through both (a consistency test of the front ends;
// the figures themselves are checked against hand arithmetic above).
TEST_F(GapsTest, ApiAnswersAsTheCliAndRefusesBadParameters) {
    const std::string db = (dir / "plan.gpkg").string();
    auto cli = testing::run_cli({"--db", db, "--json", "gaps", "--max-width-m", "100"});
    ASSERT_EQ(cli.code, 0) << cli.err;
    testing::RunningPortal portal(dir / "plan.gpkg");
    auto [status, api] = portal.get_json("/api/gaps?max-width-m=100");
    ASSERT_EQ(status, 200);
    auto without_source = [](nlohmann::json features) {  // the reason names who gave the figures
        for (auto& f : features) f["properties"].erase("reason_zh");
        return features;
    };
    EXPECT_EQ(without_source(api["features"]), without_source(nlohmann::json::parse(cli.out)["features"]));
    EXPECT_NE(api["features"][1]["properties"]["reason_zh"].get<std::string>().find("请求参数"), std::string::npos);
    EXPECT_EQ(api["summary"]["thresholds_source_zh"], "请求参数");
    EXPECT_EQ(api["summary"]["by_status"]["gap"], 1);  // the 30 m strip; the band (400 m) and B4 (500 m) are manual
    EXPECT_EQ(portal.get_json("/api/gaps?max-width-m=abc").first, 400);
    EXPECT_EQ(portal.get_json("/api/gaps?min-area-km2=-1").first, 400);
    EXPECT_EQ(portal.get_json("/api/gaps?within=no_such_layer").first, 404);
}

}  // namespace
}  // namespace minplan
