// `minplan consistency` between the FICTIONAL provincial plan (tests/data/plans/fictional-province-2021-2025)
// and the FICTIONAL county plan it contains (fictional-county-2021-2025, county 101.00–101.30 E × 36.00–36.20 N).
// The province has, besides blocks the county already carries (QL-KQ-01, QL-CK-01, same geometry):
//   SX-KQ-05 金, 101.08–101.12 E × 36.06–36.09 N, inside the county → the county must carry it;
//   SX-KQ-09 and SX-CK-03 in 白河县, outside the county → nothing;
//   indicator SX-X01 石灰岩 extraction cap 100 万吨 against the county's QL-X01 cap 120 → target above.
// Areas by hand on the authalic sphere (R = 6 371 007.181 m): A = R²·Δλ·(sin φ2 − sin φ1); the geodesic
// area on GRS80 differs by well under 0.5 %, the tolerance used.
#include <gtest/gtest.h>

#include <fstream>

#include "services/consistency.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

json rect(double x1, double y1, double x2, double y2) {
    return {{"type", "Polygon"}, {"coordinates", {{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}}};
}

json block(const std::string& id, const std::string& kind, const std::string& level, const std::string& mineral, const std::string& town,
           const json& geometry) {
    return {{"type", "Feature"},
            {"properties", {{"block_id", id}, {"kind", kind}, {"plan_level", level}, {"mineral", mineral}, {"county", town}, {"source", "测试"}}},
            {"geometry", geometry}};
}

class Consistency : public ::testing::Test {
protected:
    void SetUp() override {
        for (const auto& [plan, out] : {std::pair{"fictional-province-2021-2025", &province_}, std::pair{"fictional-county-2021-2025", &county_}}) {
            auto r = run_cli({"build", "--plan", (test_data_dir() / "plans" / plan).string(), "--out", out->string()});
            ASSERT_EQ(r.code, 0) << plan << ": " << r.out << r.err;
        }
    }
    services::ConsistencyReport check() {
        return services::check_consistency(*store::open_store(county_.string()), *store::open_store(province_.string()));
    }
    void replace_layer(const std::string& layer, const json& features) {
        const fs::path file = dir_ / (layer + ".geojson");
        std::ofstream(file) << json{{"type", "FeatureCollection"}, {"features", features}}.dump();
        auto db = store::open_database(county_.string());
        store::import_layer(*db, layer, file, {});
    }
    TempDir dir_;
    fs::path province_ = dir_ / "province.gpkg", county_ = dir_ / "county.gpkg";
};

const services::ConsistencyFinding* find(const services::ConsistencyReport& r, const std::string& check, const std::string& key) {
    for (const auto& f : r.findings)
        if (f.check == check && f.key == key) return &f;
    return nullptr;
}

TEST_F(Consistency, TheCountyMissesOneProvincialBlockAndExceedsOneProvincialTarget) {
    auto r = check();
    ASSERT_EQ(r.findings.size(), 2u) << services::consistency_json(r).dump(1);
    const auto* missing = find(r, "missing_in_lower", "SX-KQ-05");
    ASSERT_NE(missing, nullptr) << services::consistency_json(r).dump(1);
    EXPECT_EQ(missing->layer, "exploration_blocks");
    // 0.04° × 0.03° at 36.06–36.09 N: 6371007.181² × 0.000698132 × (sin 36.09° − sin 36.06°) = 11.992 km².
    ASSERT_TRUE(missing->area_km2);
    EXPECT_NEAR(*missing->area_km2, 11.992, 11.992 * 0.005);
    EXPECT_TRUE(missing->blocking);
    EXPECT_NE(missing->clause.find("落实省级规划"), std::string::npos) << missing->clause;  // the county's settings.consistency
    const auto* target = find(r, "target_above", "QL-X01");
    ASSERT_NE(target, nullptr);
    EXPECT_NE(target->message.find("120"), std::string::npos) << target->message;
    EXPECT_NE(target->message.find("100"), std::string::npos) << target->message;
    EXPECT_TRUE(r.has_errors());
}

TEST_F(Consistency, BlocksMarkedProvincialMustExistUpstreamWithTheSameMineralAndInsideTheProvincialPolygon) {
    // Mining: QL-CK-01 now marked provincial and 0.01° wider east (101.02–101.07) than the province's
    // (101.02–101.06): 0.01° × 0.03° at 36.02–36.05 N = 6371007.181² × 0.000174533 × (sin 36.05° − sin 36.02°)
    // = 3.000 km² outside; SX-CK-07 marked provincial, unknown upstream. QL-CK-02 stays a county block.
    replace_layer("mining_blocks", json::array({block("QL-CK-01", "mining", "province", "石灰岩", "西岭镇（虚构）", rect(101.02, 36.02, 101.07, 36.05)),
                                                block("QL-CK-02", "mining", "county", "建筑用砂", "东岭镇（虚构）", rect(101.20, 36.03, 101.24, 36.06)),
                                                block("SX-CK-07", "mining", "province", "石灰岩", "西岭镇（虚构）", rect(101.02, 36.10, 101.04, 36.12))}));
    // Exploration: QL-KQ-01 marked provincial with 金 where the province says 铜; SX-KQ-05 now carried.
    replace_layer("exploration_blocks",
                  json::array({block("QL-KQ-01", "exploration", "province", "金", "北岭镇（虚构）", rect(101.18, 36.13, 101.26, 36.18)),
                               block("SX-KQ-05", "exploration", "province", "金", "西岭镇（虚构）", rect(101.08, 36.06, 101.12, 36.09))}));
    auto r = check();
    std::set<std::string> got;
    for (const auto& f : r.findings) got.insert(f.check + " " + f.key);
    EXPECT_EQ(got, (std::set<std::string>{"outside_upper QL-CK-01", "not_in_upper SX-CK-07", "mineral_differs QL-KQ-01", "target_above QL-X01"}));
    const auto* outside = find(r, "outside_upper", "QL-CK-01");
    ASSERT_TRUE(outside && outside->area_km2);
    EXPECT_NEAR(*outside->area_km2, 3.000, 3.000 * 0.005);
    const auto* mineral = find(r, "mineral_differs", "QL-KQ-01");
    ASSERT_NE(mineral, nullptr);
    EXPECT_NE(mineral->message.find("铜"), std::string::npos) << mineral->message;
}

TEST_F(Consistency, TheCommandWritesTheTableAndExitsOneOnErrors) {
    const fs::path xlsx = dir_ / "consistency.xlsx";
    auto r = run_cli({"--db", county_.string(), "consistency", "--upper", province_.string(), "--xlsx", xlsx.string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("SX-KQ-05"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(xlsx));
    // The province checked against itself: every block carried, every target equal.
    auto self = run_cli({"--db", province_.string(), "consistency", "--upper", province_.string()});
    EXPECT_EQ(self.code, 0) << self.out << self.err;
}

TEST_F(Consistency, LimestoneBlocksLieInsideTheProvincialZone) {
    // The county's settings.consistency.inside_upper_zones: 石灰岩 mining blocks inside the province's
    // concentrated mining zones (SX-ZK-01, 101.00–101.10 E × 36.00–36.13 N). QL-CK-01 (101.02–101.06) is
    // inside; the new county block QL-CK-05 (101.08–101.12 × 36.00–36.02) reaches 0.02° east of it:
    // 6371007.181² × 0.000349066 × (sin 36.02° − sin 36.00°) = 4.001 km² outside. QL-CK-02 (建筑用砂) lies
    // outside every zone but the rule does not apply to it.
    replace_layer("mining_blocks", json::array({block("QL-CK-01", "mining", "province", "石灰岩", "西岭镇（虚构）", rect(101.02, 36.02, 101.06, 36.05)),
                                                block("QL-CK-02", "mining", "county", "建筑用砂", "东岭镇（虚构）", rect(101.20, 36.03, 101.24, 36.06)),
                                                block("QL-CK-05", "mining", "county", "石灰岩", "西岭镇（虚构）", rect(101.08, 36.00, 101.12, 36.02))}));
    auto r = check();
    std::set<std::string> got;
    for (const auto& f : r.findings) got.insert(f.check + " " + f.key);
    EXPECT_EQ(got, (std::set<std::string>{"missing_in_lower SX-KQ-05", "outside_upper_zone QL-CK-05", "target_above QL-X01"}));
    const auto* outside = find(r, "outside_upper_zone", "QL-CK-05");
    ASSERT_TRUE(outside && outside->area_km2);
    EXPECT_NEAR(*outside->area_km2, 4.001, 4.001 * 0.005);
    EXPECT_TRUE(outside->blocking);
    EXPECT_NE(outside->clause.find("集中开采区内"), std::string::npos) << outside->clause;
    EXPECT_NE(outside->message.find("集中开采区"), std::string::npos) << outside->message;
}

}  // namespace
}  // namespace minplan::testing
