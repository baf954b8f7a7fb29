// The change-set write API of the portal (POST /api/changesets, …/items, …/submit, …/approve, …/reject,
// GET …/qc) on the FICTIONAL county plan: a reviewer drafts, uploads a change file and submits; only a
// planner decides; a bad change file is refused with its rows named and nothing written; every write is in
// the audit trail with the portal user and client address; ?as_of= reads the plan before and after.
#include <gtest/gtest.h>

#include "../plan/plan_fixture.hpp"
#include "portal_session.hpp"
#include "running_portal.hpp"
#include "server/auth.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// QL-CK-02 (东岭镇, 101.20–101.24 E × 36.03–36.06 N) retired, QL-CK-10 added at 101.25–101.27 E × 36.01–36.02 N in 东岭镇.
const char* kChangeFile = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"操作":"注销","block_id":"QL-CK-02"},"geometry":null},
 {"type":"Feature","properties":{"操作":"新增","block_id":"QL-CK-10","kind":"mining","plan_level":"county","mineral":"建筑用砂",
  "county":"东岭镇（虚构）","source":"测试"},
  "geometry":{"type":"Polygon","coordinates":[[[101.25,36.01],[101.27,36.01],[101.27,36.02],[101.25,36.02],[101.25,36.01]]]}}]})";

struct Portal {
    TempDir dir;
    fs::path db = dir / "county.gpkg";
    std::unique_ptr<RunningPortal> running;
    Portal() {
        auto r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", db.string()});
        EXPECT_EQ(r.code, 0) << r.out << r.err;
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
        users.add("gui", server::Role::Planner, "planner-pass-1");
        running = std::make_unique<RunningPortal>(db);
    }
    httplib::Result post_json(const PortalSession& s, const std::string& path, const json& body) const {
        return running->client().Post(path.c_str(), s.headers(), body.dump(), "application/json");
    }
    httplib::Result upload(const PortalSession& s, const std::string& path, const std::string& content) const {
        httplib::MultipartFormDataItems items = {{"file", content, "changes.geojson", "application/geo+json"}, {"layer", "mining_blocks", "", ""}};
        return running->client().Post(path.c_str(), s.headers(), items);
    }
    std::set<std::string> ids(const std::string& query) const {
        auto [status, fc] = running->get_json("/api/layers/mining_blocks/features" + query);
        std::set<std::string> out;
        EXPECT_EQ(status, 200) << fc.dump().substr(0, 300);
        for (const auto& f : fc["features"]) out.insert(f["properties"]["block_id"].get<std::string>());
        return out;
    }
};

TEST(PortalChangeSets, AReviewerDraftsAndSubmitsOnlyAPlannerApprovesAndTheDatesReadBeforeAndAfter) {
    Portal p;
    auto reviewer = portal_login(*p.running, "shen", "reviewer-pass-1");
    auto planner = portal_login(*p.running, "gui", "planner-pass-1");
    ASSERT_EQ(reviewer.status, 200);
    ASSERT_EQ(planner.status, 200);
    // The public may not draft.
    auto anon = p.running->client().Post("/api/changesets", json{{"name", "x"}, {"effective_date", "2024-03-01"}}.dump(), "application/json");
    ASSERT_TRUE(anon);
    EXPECT_TRUE(anon->status == 401 || anon->status == 403) << anon->status;

    auto created = p.post_json(reviewer, "/api/changesets", {{"name", "2024年度集中调整"}, {"effective_date", "2024-03-01"}, {"doc_no", "青自然资函〔2024〕1号"}});
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string base = "/api/changesets/" + std::to_string(json::parse(created->body)["id"].get<int>());
    auto added = p.upload(reviewer, base + "/items", kChangeFile);
    ASSERT_TRUE(added);
    ASSERT_EQ(added->status, 200) << added->body;
    EXPECT_EQ(json::parse(added->body)["added"], 2);
    auto submitted = p.post_json(reviewer, base + "/submit", json::object());
    ASSERT_EQ(submitted->status, 200) << submitted->body;
    EXPECT_EQ(json::parse(submitted->body)["submitted"], true) << submitted->body;
    // The QC of the plan as the set would leave it: nothing it brings is an error.
    auto qc = p.running->client().Get((base + "/qc").c_str(), reviewer.headers(false));
    ASSERT_EQ(qc->status, 200) << qc->body;
    EXPECT_EQ(json::parse(qc->body)["errors"], 0) << qc->body.substr(0, 1000);

    auto refused = p.post_json(reviewer, base + "/approve", json::object());
    EXPECT_EQ(refused->status, 403) << refused->body;
    auto approved = p.post_json(planner, base + "/approve", json::object());
    ASSERT_EQ(approved->status, 200) << approved->body;

    EXPECT_EQ(p.ids("?as_of=2024-02-29"), (std::set<std::string>{"QL-CK-01", "QL-CK-02"}));
    EXPECT_EQ(p.ids("?as_of=2024-03-01"), (std::set<std::string>{"QL-CK-01", "QL-CK-10"}));

    // Every write in the audit trail, with the portal user and the client address.
    store::AuditFilter f;
    f.action = "changeset";
    std::map<std::string, store::AuditEntry> by_action;
    for (const auto& e : store::open_database(p.db.string())->audit_log(f)) by_action[e.action] = e;
    for (const char* a : {"changeset.create", "changeset.edit", "changeset.submit", "changeset.approve"}) {
        ASSERT_TRUE(by_action.count(a)) << a;
        EXPECT_EQ(by_action[a].client, "127.0.0.1") << a;
    }
    EXPECT_NE(by_action["changeset.create"].actor.find("shen"), std::string::npos);
    EXPECT_NE(by_action["changeset.approve"].actor.find("gui"), std::string::npos);
}

TEST(PortalChangeSets, ABadChangeFileIsRefusedRowByRowAndARejectionNeedsAPlanner) {
    Portal p;
    auto reviewer = portal_login(*p.running, "shen", "reviewer-pass-1");
    auto planner = portal_login(*p.running, "gui", "planner-pass-1");
    auto created = p.post_json(reviewer, "/api/changesets", {{"name", "2024年度集中调整"}, {"effective_date", "2024-03-01"}});
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string base = "/api/changesets/" + std::to_string(json::parse(created->body)["id"].get<int>());
    // Row 1 retires a block that does not exist; row 2 has an unknown action.
    const char* bad = R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"操作":"注销","block_id":"QL-CK-99"},"geometry":null},
      {"type":"Feature","properties":{"操作":"挪动","block_id":"QL-CK-01"},"geometry":null}]})";
    auto refused = p.upload(reviewer, base + "/items", bad);
    ASSERT_EQ(refused->status, 400) << refused->body;
    EXPECT_NE(refused->body.find("第 2 个要素"), std::string::npos) << refused->body;
    EXPECT_NE(refused->body.find("挪动"), std::string::npos) << refused->body;
    auto bad_retire = p.upload(reviewer, base + "/items", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"操作":"注销","block_id":"QL-CK-99"},"geometry":null}]})");
    ASSERT_EQ(bad_retire->status, 400) << bad_retire->body;
    EXPECT_NE(bad_retire->body.find("QL-CK-99"), std::string::npos) << bad_retire->body;
    auto cs = store::open_database(p.db.string())->change_set(json::parse(created->body)["id"].get<int>());
    EXPECT_TRUE(cs->items.empty());

    ASSERT_EQ(p.upload(reviewer, base + "/items", kChangeFile)->status, 200);
    ASSERT_EQ(p.post_json(reviewer, base + "/submit", json::object())->status, 200);
    EXPECT_EQ(p.post_json(reviewer, base + "/reject", {{"note", "x"}})->status, 403);
    auto rejected = p.post_json(planner, base + "/reject", {{"note", "请补充批复文号"}});
    ASSERT_EQ(rejected->status, 200) << rejected->body;
    EXPECT_EQ(store::open_database(p.db.string())->change_set(json::parse(created->body)["id"].get<int>())->state, store::kRejected);
}

}  // namespace
}  // namespace minplan::testing
