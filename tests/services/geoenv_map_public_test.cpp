// Issue 14's last parts on the fictional set (tests/data/geoenv/): the green-mine register on the map, the code
// table's labels of the site kinds, and what the plan publishes (settings.geoenv.public).
//
// The register of register_map.csv (all fictional) against the rights of rights.geojson:
//   M1 青岚石灰岩矿  申报 2021-03-01, 评估 2021-06-01, 入库 市级 2021-09-01 with licence C-FAKE-1401
//                    → rights R1a [101.10, 101.11] and R1b [101.11, 101.12] × [36.10, 36.11] (one licence, two parts)
//   M6 青岚白云岩矿  申报 2021-04-01 with licence C-FAKE-1406, which no right carries, and no point
//   M5 青岚砂石矿    申报 2021-05-01, neither licence nor point
//   M9 青岚铜矿      申报 2022-02-01 with licence C-FAKE-1409 (no right) and the point 101.05, 36.05; 评估; 入库 省级
//   R2 (C-FAKE-1402) is a right no register entry names.
#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "geoenv_fixture.hpp"
#include "server/api.hpp"
#include "server/http_error.hpp"
#include "services/geoenv/green_map.hpp"
#include "services/geoenv/views.hpp"

namespace minplan {
namespace {

using nlohmann::json;

class GeoenvMapTest : public GeoenvTest {
protected:
    void import_register_and_rights() {
        import("mineral_rights", data_dir() / "rights.geojson");
        csv_to_xlsx(data_dir() / "register_map.csv", dir / "register_map.xlsx", "绿色矿山名录");
        import(ge::kRegister, dir / "register_map.xlsx", "绿色矿山名录");
    }
    // mine name → the feature (placed) or the unplaced entry, on `date`.
    std::map<std::string, json> placed, unplaced;
    json map_on(const std::string& date) {
        json m = ge::to_geojson(ge::green_mine_map(data(), date));
        placed.clear();
        unplaced.clear();
        for (const auto& f : m["features"]) placed[f["properties"]["mine_name"]] = f;
        for (const auto& u : m["unplaced"]) unplaced[u["mine_name"]] = u;
        return m;
    }
};

// The lon/lat bounds of a GeoJSON polygon's coordinates.
std::array<double, 4> bounds(const json& geometry) {
    std::array<double, 4> b{1e9, 1e9, -1e9, -1e9};
    for (const auto& ring : geometry["coordinates"])
        for (const auto& p : ring) {
            b[0] = std::min(b[0], p[0].get<double>());
            b[1] = std::min(b[1], p[1].get<double>());
            b[2] = std::max(b[2], p[0].get<double>());
            b[3] = std::max(b[3], p[1].get<double>());
        }
    return b;
}

TEST_F(GeoenvMapTest, RegisterEntriesArePlacedByLicenceElseByTheirPointElseListedUnplaced) {
    import_register_and_rights();
    // 2021-07-01: M1 is at 评估 and has given no licence yet; M6's licence joins no right; M5 gave nothing; M9 has
    // not applied yet. Nothing is placed.
    json early = map_on("2021-07-01");
    EXPECT_TRUE(placed.empty());
    EXPECT_EQ(early["unplaced_count"], 3);
    ASSERT_EQ(unplaced.size(), 3u);
    EXPECT_EQ(unplaced["青岚石灰岩矿（虚构）"]["state"], "评估");
    EXPECT_EQ(unplaced["青岚石灰岩矿（虚构）"]["reason_zh"], "名录未填采矿许可证号，也未填经纬度");
    EXPECT_NE(unplaced["青岚白云岩矿（虚构）"]["reason_zh"].get<std::string>().find("C-FAKE-1406"), std::string::npos);
    EXPECT_EQ(unplaced.count("青岚铜矿（虚构）"), 0u);

    // 2023-12-31: M1 (入库 市级 since 2021-09-01) on its right's extent — the two parts dissolved into the box
    // [101.10, 101.12] × [36.10, 36.11]; M9 (入库 省级) at the register's point, its licence named as not joined.
    json late = map_on("2023-12-31");
    EXPECT_EQ(late["date"], "2023-12-31");
    ASSERT_EQ(placed.size(), 2u);
    const json& m1 = placed["青岚石灰岩矿（虚构）"];
    EXPECT_EQ(m1["properties"]["placed_by"], "rights");
    EXPECT_EQ(m1["properties"]["right_ids"], "R1a；R1b");
    EXPECT_EQ(m1["properties"]["state"], "入库");
    EXPECT_EQ(m1["properties"]["level"], "市级");
    EXPECT_EQ(m1["properties"]["listed"], true);
    ASSERT_EQ(m1["geometry"]["type"], "Polygon") << m1["geometry"].dump();
    const auto b = bounds(m1["geometry"]);
    EXPECT_NEAR(b[0], 101.10, 1e-9);
    EXPECT_NEAR(b[1], 36.10, 1e-9);
    EXPECT_NEAR(b[2], 101.12, 1e-9);
    EXPECT_NEAR(b[3], 36.11, 1e-9);
    const json& m9 = placed["青岚铜矿（虚构）"];
    EXPECT_EQ(m9["properties"]["placed_by"], "register");
    EXPECT_EQ(m9["geometry"], json::parse(R"({"type":"Point","coordinates":[101.05,36.05]})"));
    EXPECT_EQ(m9["properties"]["level"], "省级");
    EXPECT_NE(m9["properties"]["reason_zh"].get<std::string>().find("C-FAKE-1409"), std::string::npos);
    EXPECT_EQ(late["unplaced_count"], 2);
    EXPECT_EQ(unplaced.count("青岚砂石矿（虚构）") + unplaced.count("青岚白云岩矿（虚构）"), 2u);
    // The API and the CLI serve the same layer.
    server::PlanApi api(db);
    EXPECT_EQ(api.geoenv({{"view", "greenmap"}, {"date", "2023-12-31"}}), late);
    auto r = testing::run_cli({"--db", db_path.string(), "--json", "geoenv", "greenmap", "--date", "2023-12-31"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out), late);
}

TEST_F(GeoenvMapTest, ARegisterPointNeedsBothCoordinatesOnTheEarth) {
    const auto half = workbook("half", "绿色矿山名录", "矿山名称,日期,状态,经度,纬度\n甲矿（虚构）,2021-01-01,申报,101.05,\n");
    EXPECT_NE(refused(ge::kRegister, half, "绿色矿山名录").find("经度与纬度应同时填写"), std::string::npos);
    const auto off = workbook("off", "绿色矿山名录", "矿山名称,日期,状态,经度,纬度\n甲矿（虚构）,2021-01-01,申报,201.05,36\n");
    EXPECT_NE(refused(ge::kRegister, off, "绿色矿山名录").find("经纬度超出范围"), std::string::npos);
}

// The sites view carries the code table's label: S3 is stored as the code 压占损毁土地, whose label in
// data/schema/codes/geoenv_site_kinds.csv is 压占/损毁土地.
class GeoenvLabelTest : public GeoenvTest {};  // one fixture class per suite name across files

TEST_F(GeoenvLabelTest, SitesCarryTheKindLabelOfTheCodeTable) {
    import_all();
    const json sites = ge::view_json(data(), {"sites"})["sites"];
    std::map<std::string, json> by;
    for (const auto& s : sites) by[s["site_id"]] = s;
    EXPECT_EQ(by["S3"]["kind"], "压占损毁土地");
    EXPECT_EQ(by["S3"]["kind_label"], "压占/损毁土地");
    EXPECT_EQ(by["S1"]["kind_label"], "采空塌陷");
}

// A plan that publishes sites with their responsible party but not holder names nor the monitoring campaigns.
class GeoenvPublicTest : public GeoenvTest {
protected:
    void adjust_settings(json& g) override {
        g["public"] = {{"sites", true}, {"responsibility", true}, {"holders", false}, {"projects", true},
                       {"campaigns", false}, {"register", true}, {"clause_zh", "虚构规划 第九章 信息公开（虚构）"}};
    }
};

int status_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const server::HttpError& e) {
        return e.status();
    }
    return 200;
}

TEST_F(GeoenvPublicTest, AnonymousRequestsGetOnlyWhatThePlanPublishes) {
    import_all();
    server::PlanApi api(db);
    // Staff see S1's holder (sites.geojson: 甲煤业公司（虚构）) and the campaigns.
    const json staff = api.geoenv({{"view", "sites"}}, true);
    EXPECT_EQ(staff["sites"][0]["holder"], "甲煤业公司（虚构）");
    EXPECT_EQ(status_of([&] { api.geoenv({{"view", "campaigns"}}, true); }), 200);
    // Anonymous: the sites with their party, without any holder name; no campaigns, no change, no per-holder view.
    const json pub = api.geoenv({{"view", "sites"}}, false);
    ASSERT_EQ(pub["sites"].size(), 7u);
    for (const auto& s : pub["sites"]) {
        EXPECT_FALSE(s.contains("holder")) << s.dump();
        EXPECT_TRUE(s.contains("party"));
    }
    EXPECT_EQ(status_of([&] { api.geoenv({{"view", "campaigns"}}, false); }), 403);
    EXPECT_EQ(status_of([&] { api.geoenv({{"view", "change"}, {"from", "C2022"}, {"to", "C2023a"}}, false); }), 403);
    EXPECT_EQ(status_of([&] { api.geoenv({{"view", "open"}, {"by", "holder"}}, false); }), 403);
    EXPECT_EQ(status_of([&] { api.geoenv({{"view", "register"}}, false); }), 200);
    try {
        api.geoenv({{"view", "campaigns"}}, false);
    } catch (const server::HttpError& e) {
        EXPECT_NE(std::string(e.what()).find("虚构规划 第九章 信息公开"), std::string::npos) << "the message cites the plan";
    }
    // Projects are public, their holder is not.
    for (const auto& p : api.geoenv({{"view", "projects"}}, false)["projects"]) EXPECT_FALSE(p.contains("holder"));
    // The raw layers: campaigns and findings withheld, sites served without the holder field.
    EXPECT_EQ(api.geoenv_withheld_layers(), (std::set<std::string>{"geoenv_campaigns", "geoenv_findings"}));
    EXPECT_EQ(status_of([&] { api.geoenv_layer_gate("geoenv_findings"); }), 403);
    EXPECT_EQ(api.geoenv_layer_gate("geoenv_sites"), (std::set<std::string>{"holder"}));
    EXPECT_TRUE(api.geoenv_layer_gate("mining_blocks").empty());
}

// settings.geoenv.public: unknown keys and wrong types are clear errors naming the key.
TEST(GeoenvSettings, PublicityKeysAndTypesAreChecked) {
    const auto message = [](const json& pub) {
        try {
            ge::Settings::from_json(json{{"geoenv", {{"public", pub}}}});
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("（未报错）");
    };
    EXPECT_NE(message({{"holder", false}}).find("未知的键 \"holder\""), std::string::npos) << message({{"holder", false}});
    EXPECT_NE(message({{"sites", "yes"}}).find("settings.geoenv.public.sites 应为 true 或 false"), std::string::npos);
    EXPECT_NE(message(json::array()).find("settings.geoenv.public 应为对象"), std::string::npos);
    const auto p = ge::Settings::from_json(json{{"geoenv", {{"public", {{"campaigns", false}}}}}}).publicity;
    EXPECT_FALSE(p.campaigns);
    EXPECT_TRUE(p.sites && p.holders && p.green_register) << "what the plan does not mention stays public";
}

}  // namespace
}  // namespace minplan
