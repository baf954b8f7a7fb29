// The portal for daily work (issue 16): search by pinyin initials with results grouped by layer, coded values
// with the Chinese labels of the plan's code tables, the intake's dry run (checked, counted, nothing
// written) and account management by an admin (role, password, disable) with roles and CSRF.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

#include "../plan/plan_fixture.hpp"
#include "portal_session.hpp"
#include "running_portal.hpp"
#include "server/api.hpp"
#include "server/auth.hpp"
#include "monitor/intake.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------- search and labels (no socket)

class PortalDaily : public ::testing::Test {
protected:
    static const server::PlanApi& api() {
        static server::PlanApi instance(store::open_database(built_plan().string()));
        return instance;
    }
};

TEST_F(PortalDaily, PinyinInitialsFindARegisterEntryWithoutGeometry) {
    // 塔山矿 (tǎ shān kuàng) is GM-07 of the mine register (mine_register.csv row 8), which has no geometry.
    json found = api().search("tsk", 50);
    const json* hit = nullptr;
    for (const auto& r : found["results"])
        if (r["layer"] == "mine_register" && r["label"].get<std::string>().find("塔山矿") != std::string::npos) hit = &r;
    ASSERT_NE(hit, nullptr) << found.dump().substr(0, 800);
    EXPECT_TRUE((*hit)["bbox"].is_null()) << "a register entry has no geometry";
    EXPECT_NE((*hit)["matched_field"].get<std::string>().find("拼音首字母"), std::string::npos);
    // A mixed query is not read as initials: "ts-k" finds nothing.
    EXPECT_TRUE(api().search("ts-k", 50)["results"].empty());
}

TEST_F(PortalDaily, SearchResultsAreGroupedByLayerWithCounts) {
    json found = api().search("煤", 50);
    ASSERT_FALSE(found["results"].empty());
    std::size_t total = 0;
    std::set<std::string> seen;
    std::size_t at = 0;
    for (const auto& g : found["groups"]) {
        const std::string layer = g["layer"];
        EXPECT_TRUE(seen.insert(layer).second) << "a layer is one group: " << layer;
        for (int k = 0; k < g["count"].get<int>(); ++k) EXPECT_EQ(found["results"][at++]["layer"], layer);
        total += g["count"].get<std::size_t>();
    }
    EXPECT_EQ(total, found["results"].size());
    EXPECT_GE(seen.size(), 2u) << "煤 is in block and register names alike";
}

TEST_F(PortalDaily, CodedFieldsCarryTheLabelsOfTheirCodeTable) {
    // data/schema/codes/kinds.csv: mining → 开采（开采规划区块/采矿权）; plan_levels.csv: city → 市县级.
    json layers = api().layers()["layers"];
    json kind, level;
    for (const auto& l : layers)
        if (l["id"] == "mining_blocks")
            for (const auto& f : l["fields"]) {
                if (f["name"] == "kind") kind = f;
                if (f["name"] == "plan_level") level = f;
            }
    ASSERT_TRUE(kind.contains("labels")) << kind.dump();
    EXPECT_EQ(kind["labels"]["mining"], "开采（开采规划区块/采矿权）");
    EXPECT_EQ(kind["labels"]["exploration"], "勘查（勘查规划区块/探矿权）");
    EXPECT_EQ(level["labels"]["city"], "市县级");
    EXPECT_EQ(level["labels"]["province"], "省级（落实省规划）");
}

// ---------------------------------------------------------------- intake dry run and accounts (HTTP)

struct Portal {
    TempDir dir;
    fs::path db;
    std::unique_ptr<RunningPortal> running;
    Portal() {
        db = copy_of_plan(dir);
        server::UserStore users(store::open_database(db.string()));
        users.add("root", server::Role::Admin, "admin-pass-123");
        users.add("gui", server::Role::Planner, "planner-pass-1");
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
        server::ServerOptions o;
        o.web_root = dir / "web";
        running = std::make_unique<RunningPortal>(db, o);
        running->read_timeout_s = 120;
    }
};

httplib::MultipartFormDataItems upload(const fs::path& file, bool dry_run) {
    return {{"file", read_bytes(file), file.filename().string(), "application/octet-stream"},
            {"dry_run", dry_run ? "true" : "false", "", ""}};
}

TEST(PortalIntakePreview, DryRunCountsTheRowsAndWritesNothingThenTheIntakeStoresThem) {
    Portal p;
    auto c = p.running->client();
    auto planner = portal_login(*p.running, "gui", "planner-pass-1");
    const fs::path workbook = source_dir() / "data" / "samples" / "sample_2021-2023_annual.xlsx";
    const std::string before = read_bytes(p.db);
    auto preview = c.Post("/api/intake", planner.headers(), upload(workbook, true));
    ASSERT_TRUE(preview);
    ASSERT_EQ(preview->status, 200) << preview->body.substr(0, 800);
    json counts = json::parse(preview->body);
    EXPECT_TRUE(counts["dry_run"].get<bool>());
    EXPECT_NE(counts["message"].get<std::string>().find("尚未写入"), std::string::npos);
    EXPECT_EQ(read_bytes(p.db), before) << "a dry run writes nothing";
    EXPECT_EQ(json::parse(c.Get("/api/monitor")->body)["years_with_data"], json::array());

    // The real intake stores what the preview counted.
    auto done = c.Post("/api/intake", planner.headers(), upload(workbook, false));
    ASSERT_EQ(done->status, 200) << done->body.substr(0, 800);
    EXPECT_EQ(json::parse(done->body)["imported"], counts["would_import"]);

    // Previewing the same rows again finds every one a duplicate: the row-level problems, nothing written.
    const std::string after = read_bytes(p.db);
    auto again = c.Post("/api/intake", planner.headers(), upload(workbook, true));
    ASSERT_EQ(again->status, 400);
    json err = json::parse(again->body)["error"];
    EXPECT_GT(err["problems_total"].get<int>(), 0);
    EXPECT_FALSE(err["problems"].empty());
    EXPECT_EQ(read_bytes(p.db), after);
    // dry_run must be a yes/no.
    httplib::MultipartFormDataItems bad{{"file", read_bytes(workbook), "a.xlsx", "application/octet-stream"},
                                        {"dry_run", "maybe", "", ""}};
    EXPECT_EQ(c.Post("/api/intake", planner.headers(), bad)->status, 400);
}

json post(const RunningPortal& p, const PortalSession& s, const std::string& path, const json& body, int expected) {
    auto res = p.client().Post(path, s.headers(), body.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expected) << path << ": " << res->body.substr(0, 400);
    return json::parse(res->body, nullptr, false);
}

TEST(PortalAccounts, AnAdminChangesARoleResetsAPasswordAndDisablesAnAccount) {
    Portal p;
    const RunningPortal& r = *p.running;
    auto admin = portal_login(r, "root", "admin-pass-123");
    auto reviewer = portal_login(r, "shen", "reviewer-pass-1");
    ASSERT_EQ(reviewer.status, 200);

    // Role: the account's session ends (its old role must not live on), the new role holds at the next login.
    json changed = post(r, admin, "/api/users/shen/role", {{"role", "planner"}}, 200);
    EXPECT_EQ(changed["user"]["role"], "planner");
    EXPECT_EQ(r.client().Get("/api/reviews", reviewer.headers(false))->status, 401);
    auto again = portal_login(r, "shen", "reviewer-pass-1");
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(json::parse(r.client().Get("/api/me", again.headers(false))->body)["role"], "planner");

    // Password: the old one fails, the new one logs in.
    post(r, admin, "/api/users/shen/password", {{"password", "new-pass-456"}}, 200);
    EXPECT_EQ(portal_login(r, "shen", "reviewer-pass-1").status, 401);
    EXPECT_EQ(portal_login(r, "shen", "new-pass-456").status, 200);
    post(r, admin, "/api/users/shen/password", {{"password", "short"}}, 400);

    // Disabled: even the right password is refused (403), and /api/users says so; enabled again it logs in.
    json off = post(r, admin, "/api/users/shen/disabled", {{"disabled", true}}, 200);
    EXPECT_TRUE(off["user"]["disabled"].get<bool>());
    EXPECT_EQ(portal_login(r, "shen", "new-pass-456").status, 403);
    json users = json::parse(r.client().Get("/api/users", admin.headers(false))->body)["users"];
    for (const auto& u : users) EXPECT_EQ(u["disabled"].get<bool>(), u["username"] == "shen") << u.dump();
    post(r, admin, "/api/users/shen/disabled", {{"disabled", false}}, 200);
    EXPECT_EQ(portal_login(r, "shen", "new-pass-456").status, 200);
}

TEST(PortalAccounts, OnlyAnAdminWithItsTokenChangesAccountsAndNotItself) {
    Portal p;
    const RunningPortal& r = *p.running;
    auto admin = portal_login(r, "root", "admin-pass-123");
    auto planner = portal_login(r, "gui", "planner-pass-1");
    post(r, planner, "/api/users/shen/role", {{"role", "admin"}}, 403);
    EXPECT_EQ(r.client().Post("/api/users/shen/role", json{{"role", "admin"}}.dump(), "application/json")->status, 401);
    // Without the CSRF token: 403 and nothing changed.
    auto res = r.client().Post("/api/users/shen/role", admin.headers(false), json{{"role", "admin"}}.dump(), "application/json");
    EXPECT_EQ(res->status, 403);
    post(r, admin, "/api/users/nobody/role", {{"role", "planner"}}, 404);
    post(r, admin, "/api/users/shen/role", {{"role", "public"}}, 400);
    post(r, admin, "/api/users/shen/disabled", {{"disabled", "yes"}}, 400);
    post(r, admin, "/api/users/root/disabled", {{"disabled", true}}, 400);
    post(r, admin, "/api/users/root/role", {{"role", "reviewer"}}, 400);
    json users = json::parse(r.client().Get("/api/users", admin.headers(false))->body)["users"];
    for (const auto& u : users) {
        if (u["username"] == "shen") { EXPECT_EQ(u["role"], "reviewer"); }
        if (u["username"] == "root") { EXPECT_EQ(u["role"], "admin"); }
        EXPECT_FALSE(u["disabled"].get<bool>());
    }
}

// mine id → county, read from the sample CSV (columns 矿山编号, 矿山名称, 所在行政区; no quoted commas in it).
std::map<std::string, std::string> sample_counties() {
    std::ifstream in(source_dir() / "data" / "samples" / "sample_2021-2023_mines.csv");
    std::map<std::string, std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#' || line.rfind("矿山编号", 0) == 0) continue;
        auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
        out[line.substr(0, a)] = line.substr(b + 1, c - b - 1);
    }
    return out;
}

TEST(PortalCountyDashboard, ACountyViewHoldsItsOwnMinesAndTheCountiesAddUpToTheCity) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    monitor::intake_into_db(db, {source_dir() / "data" / "samples" / "sample_2021-2023_annual.xlsx"}, false);
    RunningPortal portal(db);
    const auto counties = sample_counties();
    std::set<std::string> names;
    for (const auto& [id, county] : counties) names.insert(county);

    auto [si, index] = portal.get_json("/api/monitor");
    ASSERT_EQ(si, 200);
    // The selector lists the plan's counties (a county may have targets before it has mines) and every county a mine names.
    for (const auto& n : names) EXPECT_NE(std::find(index["counties"].begin(), index["counties"].end(), json(n)), index["counties"].end()) << n;
    auto [sc, city] = portal.get_json("/api/monitor?year=2023");
    ASSERT_EQ(sc, 200);
    std::map<std::string, double> summed;  // extraction indicator → sum of the county views' 2023 actuals
    for (const auto& county : names) {
        auto [s, one] = portal.get_json("/api/monitor?year=2023&county=" + httplib::detail::encode_query_param(county));
        ASSERT_EQ(s, 200) << county;
        EXPECT_EQ(one["county"], county);
        for (const auto& m : one["sanlv"]["mines"]) EXPECT_EQ(counties.at(m["mine_id"]), county) << m.dump();
        for (const auto& e : one["extraction"])
            for (const auto& y : e["years"])
                if (y["year"] == 2023 && y["actual"].is_number()) summed[e["id"]] += y["actual"].get<double>();
    }
    int compared = 0;
    for (const auto& e : city["extraction"])
        for (const auto& y : e["years"])
            if (y["year"] == 2023 && y["actual"].is_number() && y["actual"].get<double>() > 0) {
                EXPECT_NEAR(summed[e["id"]], y["actual"].get<double>(), 1e-6 * y["actual"].get<double>()) << e["id"];
                ++compared;
            }
    EXPECT_GT(compared, 0);
    auto [bad, body] = portal.get_json("/api/monitor?year=2023&county=" + httplib::detail::encode_query_param("不存在县"));
    EXPECT_EQ(bad, 400);
    EXPECT_NE(body["error"]["message"].get<std::string>().find("不存在县"), std::string::npos);
}

}  // namespace
}  // namespace minplan::testing
