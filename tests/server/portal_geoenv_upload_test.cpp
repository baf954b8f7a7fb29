// POST /api/geoenv/import (the portal's upload of the geo-environment layers, planner or higher) and the
// green-mine register's XLSX download, on a private copy of the Datong plan, whose register holds the 11 green
// mines of 专栏5 (入库, 国家级, 2020-12-31). A dry run writes nothing; a refused file names its row and
// writes nothing; a confirmed one is what the register then says.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "portal_session.hpp"
#include "running_portal.hpp"
#include "server/auth.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

class PortalGeoenvUpload : public ::testing::Test {
protected:
    void SetUp() override {
        db = copy_of_plan(dir);
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
        users.add("gui", server::Role::Planner, "planner-pass-1");
        server::ServerOptions o;
        o.port = 0;
        o.web_root = dir / "web";
        portal = std::make_unique<RunningPortal>(db, o);
    }
    std::size_t register_rows() { return store::open_database(db.string())->snapshot()->read("green_mine_register").size(); }
    httplib::Result post(const httplib::Headers& h, const std::string& csv, bool dry_run, const std::string& name = "名录.csv") {
        return portal->client().Post("/api/geoenv/import", h,
                                     httplib::MultipartFormDataItems{{"layer", "green_mine_register", "", ""},
                                                                     {"file", csv, name, "text/csv"},
                                                                     {"append", "true", "", ""},
                                                                     {"dry_run", dry_run ? "true" : "false", "", ""}});
    }
    TempDir dir;
    fs::path db;
    std::unique_ptr<RunningPortal> portal;
};

// A new (fictional) mine applies and is assessed in 2024.
const std::string kNewMine =
    "矿山名称,日期,状态,第三方评估机构,评估结论\n"
    "虚构甲矿,2024-01-10,申报,,\n"
    "虚构甲矿,2024-03-01,评估,某评估公司（虚构）,通过\n";

TEST_F(PortalGeoenvUpload, DryRunWritesNothingThenConfirmAppends) {
    PortalSession planner = portal_login(*portal, "gui", "planner-pass-1");
    ASSERT_EQ(planner.status, 200);
    ASSERT_EQ(register_rows(), 11u);  // 专栏5's 11 green mines, one event each

    auto res = post(planner.headers(), kNewMine, true);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto body = json::parse(res->body);
    EXPECT_EQ(body["dry_run"], true);
    EXPECT_EQ(body["rows"], 2);
    EXPECT_EQ(body["layer_total"], 13);  // 11 + 2 after the append
    EXPECT_EQ(register_rows(), 11u) << "a dry run writes nothing";

    res = post(planner.headers(), kNewMine, false);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["layer_total"], 13);
    EXPECT_EQ(register_rows(), 13u);
    // The register on 2024-06-30: 虚构甲矿 under assessment (评估), not listed; the 11 still listed.
    auto reg = json::parse(portal->client().Get("/api/geoenv?view=register&date=2024-06-30")->body);
    EXPECT_EQ(reg["listed"], 11);
    bool found = false;
    for (const auto& m : reg["mines"])
        if (m["mine_name"] == "虚构甲矿") {
            found = true;
            EXPECT_EQ(m["state"], "评估");
            EXPECT_EQ(m["listed"], false);
        }
    EXPECT_TRUE(found);
    // The history view lists both new events after the 11 of the base.
    EXPECT_EQ(json::parse(portal->client().Get("/api/geoenv?view=history")->body)["events"].size(), 13u);
}

TEST_F(PortalGeoenvUpload, ARefusedFileNamesTheRowAndWritesNothing) {
    PortalSession planner = portal_login(*portal, "gui", "planner-pass-1");
    // 晋华宫矿 is 入库 since 2020-12-31: 申报 next is a step back without 退出; 虚构乙矿 starts at 入库.
    const std::string csv =
        "矿山名称,日期,状态,级别\n"
        "大同煤业股份有限公司晋华宫矿,2024-05-01,申报,\n"
        "虚构乙矿,2024-05-01,入库,省级\n";
    for (bool dry : {true, false}) {
        auto res = post(planner.headers(), csv, dry);
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 400) << res->body;
        auto err = json::parse(res->body)["error"];
        EXPECT_EQ(err["problems_total"], 2);
        const std::string all = err["message"];
        EXPECT_NE(all.find("第1条（矿山名称 大同煤业股份有限公司晋华宫矿）"), std::string::npos) << all;
        EXPECT_NE(all.find("虚构乙矿"), std::string::npos) << all;
        EXPECT_EQ(all.find("/tmp"), std::string::npos) << "the scratch directory is not shown: " << all;
        EXPECT_EQ(register_rows(), 11u);
    }
    // A CSV for a layer with polygons, and a layer that is not uploaded here.
    auto res = portal->client().Post("/api/geoenv/import", planner.headers(),
                                      httplib::MultipartFormDataItems{{"layer", "geoenv_sites", "", ""},
                                                                      {"file", "图斑编号\nS1\n", "s.csv", "text/csv"}});
    EXPECT_EQ(res->status, 400);
    EXPECT_NE(res->body.find("CSV 只能导入属性表"), std::string::npos) << res->body;
    res = portal->client().Post("/api/geoenv/import", planner.headers(),
                                httplib::MultipartFormDataItems{{"layer", "mineral_rights", "", ""}, {"file", "a\n1\n", "a.csv", "text/csv"}});
    EXPECT_EQ(res->status, 400);
}

TEST_F(PortalGeoenvUpload, AnonymousIs401ReviewerIs403MissingCsrfIs403) {
    EXPECT_EQ(post({}, kNewMine, true)->status, 401);
    PortalSession reviewer = portal_login(*portal, "shen", "reviewer-pass-1");
    EXPECT_EQ(post(reviewer.headers(), kNewMine, true)->status, 403);
    PortalSession planner = portal_login(*portal, "gui", "planner-pass-1");
    EXPECT_EQ(post(planner.headers(false), kNewMine, false)->status, 403);
    EXPECT_EQ(register_rows(), 11u);
    auto doc = json::parse(portal->client().Get("/api/openapi.json")->body);
    EXPECT_TRUE(doc["paths"]["/api/geoenv/import"]["post"]["responses"].contains("403"));
}

TEST_F(PortalGeoenvUpload, TheRegisterDownloadsAsXlsx) {
    auto res = portal->client().Get("/api/layers/green_mine_register/export?format=xlsx");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(res->body.substr(0, 2), "PK");  // a ZIP container
    // A layer with polygons has no XLSX form.
    EXPECT_EQ(portal->client().Get("/api/layers/restoration_zones/export?format=xlsx")->status, 400);
}

}  // namespace
}  // namespace minplan::testing
