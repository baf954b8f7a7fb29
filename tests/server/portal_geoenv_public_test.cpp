// What the public sees of the geo-environment data (settings.geoenv.public) on a private copy of the Datong plan.
// Its rules.json publishes sites, responsibility, holders, projects and the register, and withholds the
// remote-sensing campaigns and their findings (unverified enforcement leads; a default the bureau is to confirm,
// docs/geoenv.md). Anonymous requests get 403 for those and do not see the layers listed; a logged-in planner
// sees everything. The Datong register (专栏5's 11 mines) carries neither licence numbers nor points and the
// plan has no rights imported: on the map all 11 are listed as 未落图, none is placed.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "portal_session.hpp"
#include "running_portal.hpp"
#include "server/auth.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

class PortalGeoenvPublic : public ::testing::Test {
protected:
    void SetUp() override {
        db = copy_of_plan(dir);
        server::UserStore users(store::open_database(db.string()));
        users.add("gui", server::Role::Planner, "planner-pass-1");
        server::ServerOptions o;
        o.port = 0;
        o.web_root = dir / "web";
        portal = std::make_unique<RunningPortal>(db, o);
    }
    std::set<std::string> layer_ids(const httplib::Result& res, const char* key) {
        std::set<std::string> out;
        EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
        const json all = json::parse(res->body);  // kept: a range-for over a member of a temporary would dangle
        for (const auto& l : all["layers"]) out.insert(l[key].get<std::string>());
        return out;
    }
    TempDir dir;
    fs::path db;
    std::unique_ptr<RunningPortal> portal;
};

TEST_F(PortalGeoenvPublic, AnonymousGetsWhatThePlanPublishesAPlannerEverything) {
    auto anon = portal->client().Get("/api/geoenv?view=campaigns");
    ASSERT_TRUE(anon);
    EXPECT_EQ(anon->status, 403);
    EXPECT_NE(json::parse(anon->body)["error"]["message"].get<std::string>().find("待市局确认"), std::string::npos) << anon->body;
    EXPECT_EQ(portal->client().Get("/api/layers/geoenv_findings/features")->status, 403);
    EXPECT_EQ(portal->client().Get("/api/layers/geoenv_sites/features")->status, 200);
    const auto anon_layers = layer_ids(portal->client().Get("/api/layers"), "id");
    EXPECT_EQ(anon_layers.count("geoenv_campaigns") + anon_layers.count("geoenv_findings"), 0u);
    EXPECT_EQ(anon_layers.count("geoenv_sites"), 1u);
    EXPECT_EQ(layer_ids(portal->client().Get("/api/styles"), "layer").count("geoenv_findings"), 0u);
    auto reg = portal->client().Get("/api/geoenv?view=register&date=2023-12-31");
    ASSERT_EQ(reg->status, 200);
    EXPECT_EQ(json::parse(reg->body)["listed"], 11);

    PortalSession planner = portal_login(*portal, "gui", "planner-pass-1");
    ASSERT_EQ(planner.status, 200);
    auto c = portal->client().Get("/api/geoenv?view=campaigns", planner.headers(false));
    ASSERT_EQ(c->status, 200) << c->body;
    EXPECT_TRUE(json::parse(c->body)["campaigns"].is_array());
    EXPECT_EQ(portal->client().Get("/api/layers/geoenv_findings/features", planner.headers(false))->status, 200);
    EXPECT_EQ(layer_ids(portal->client().Get("/api/layers", planner.headers(false)), "id").count("geoenv_findings"), 1u);
}

TEST_F(PortalGeoenvPublic, TheRegisterWithoutLicencesOrPointsIsListedUnplaced) {
    auto res = portal->client().Get("/api/geoenv?view=greenmap&date=2023-12-31");
    ASSERT_EQ(res->status, 200) << res->body;
    const json m = json::parse(res->body);
    EXPECT_EQ(m["type"], "FeatureCollection");
    EXPECT_TRUE(m["features"].empty()) << "no geometry is invented";
    EXPECT_EQ(m["unplaced_count"], 11);
    EXPECT_EQ(m["unplaced"][0]["reason_zh"], "名录未填采矿许可证号，也未填经纬度");
}

// /api/search looks into every layer with names: an anonymous search must not find what the plan withholds.
// A planner uploads the (fictional) campaign of the browser tests; its name is found by the planner only.
TEST_F(PortalGeoenvPublic, AnonymousSearchDoesNotFindWithheldCampaigns) {
    PortalSession planner = portal_login(*portal, "gui", "planner-pass-1");
    ASSERT_EQ(planner.status, 200);
    std::ifstream in(fs::path(MINPLAN_SOURCE_DIR) / "web/e2e/data/geoenv_campaigns.geojson", std::ios::binary);
    const std::string geojson((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(geojson.empty());
    auto up = portal->client().Post("/api/geoenv/import", planner.headers(),
                                    httplib::MultipartFormDataItems{{"layer", "geoenv_campaigns", "", ""},
                                                                    {"file", geojson, "geoenv_campaigns.geojson", "application/geo+json"},
                                                                    {"dry_run", "false", "", ""}});
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 200) << up->body;
    auto layers_found = [](const httplib::Result& res) {
        std::multiset<std::string> out;
        EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
        const json all = json::parse(res->body);
        for (const auto& h : all["results"]) out.insert(h["layer"].get<std::string>());
        return out;
    };
    // The file has two campaigns, 2022年度遥感监测（虚构） and 2023年度遥感监测（虚构）.
    const std::string q = "/api/search?q=" + httplib::detail::encode_query_param("遥感监测（虚构）");
    EXPECT_EQ(layers_found(portal->client().Get(q, planner.headers())).count("geoenv_campaigns"), 2u);
    EXPECT_EQ(layers_found(portal->client().Get(q)).count("geoenv_campaigns"), 0u);
}

}  // namespace
}  // namespace minplan::testing
