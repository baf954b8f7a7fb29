// Every kind of write appears in the audit trail (docs/database.md, "History"): the test does each one —
// import, change set create/edit/submit/approve/reject, annual intake, account add/remove from the CLI and
// the portal, login success and failure, a saved review — and finds its entry with the actor, the client
// address where the portal wrote it, and a time in Asia/Shanghai. The trail refuses edits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "geo/geometry.hpp"
#include "server/auth.hpp"
#include "services/changesets.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"
#include "../plan/plan_fixture.hpp"
#include "../server/running_portal.hpp"
#include "../store/backends.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;


std::string cookie_token(const httplib::Result& res, const std::string& name) {
    for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
        std::string c = res->get_header_value("Set-Cookie", i);
        if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
    }
    return {};
}

// On both backends (value-parameterised).
class AuditTrail : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        CliResult r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", (dir_ / "county.gpkg").string()});
        ASSERT_EQ(r.code, cli::kOk) << r.err;
        plan_ = std::make_unique<BackendPlan>(GetParam(), dir_ / "county.gpkg");
        db_ = plan_->location();
    }
    std::vector<store::AuditEntry> entries(const std::string& action) {
        store::AuditFilter f;
        f.action = action;
        return store::open_database(db_.string())->audit_log(f);
    }
    TempDir dir_;
    std::unique_ptr<BackendPlan> plan_;
    fs::path db_;  // a GeoPackage file or "PG:… active_schema=…"
};

TEST_P(AuditTrail, EveryKindOfWriteLeavesAnEntry) {
    // CLI writes: an import, an intake, an account.
    fs::path blocks = dir_ / "blocks.gpkg";
    ASSERT_EQ(run_cli({"--db", db_.string(), "export", "mining_blocks", blocks.string()}).code, cli::kOk);
    // Effective before the change set below: a set cannot retire a row that begins after its own date.
    ASSERT_EQ(run_cli({"--db", db_.string(), "import", "mining_blocks", blocks.string(), "--effective", "2021-06-01"}).code, cli::kOk);
    fs::path samples = fictional_plan_dir() / "samples";
    CliResult in = run_cli({"--db", db_.string(), "intake", (samples / "annual_mines.csv").string(),
                            (samples / "annual_mine_years.csv").string()});
    ASSERT_EQ(in.code, cli::kOk) << in.err;
    fs::path pw = dir_ / "pw.txt";
    std::ofstream(pw) << "planner-pass-1\n";
    ASSERT_EQ(run_cli({"user", "add", "gui", "--role", "planner", "--password-file", pw.string(), "--db", db_.string()}).code, cli::kOk);
    std::ofstream(pw, std::ios::trunc) << "admin-pass-123\n";
    ASSERT_EQ(run_cli({"user", "add", "root", "--role", "admin", "--password-file", pw.string(), "--db", db_.string()}).code, cli::kOk);
    ASSERT_EQ(run_cli({"user", "add", "temp", "--role", "reviewer", "--password-file", pw.string(), "--db", db_.string()}).code, cli::kOk);
    ASSERT_EQ(run_cli({"user", "remove", "temp", "--db", db_.string()}).code, cli::kOk);

    // A change set through its states, the approval by the planner's account.
    auto db = store::open_database(db_.string());
    store::ChangeSet cs;
    cs.name = "2022年度集中调整";
    cs.effective_date = "2022-03-01";
    auto id = services::create_change_set(*db, cs, "tester");
    store::ChangeItem retire;
    retire.action = store::ChangeAction::Retire;
    retire.layer = "mining_blocks";
    retire.key = "QL-CK-02";
    services::add_change_items(*db, id, {retire}, "tester");
    services::submit_change_set(*db, id, "tester");
    services::reject_change_set(*db, id, "root", "请补充理由");
    services::submit_change_set(*db, id, "tester");
    CliResult approve = run_cli({"--db", db_.string(), "changeset", "approve", std::to_string(id), "--user", "gui"});
    ASSERT_EQ(approve.code, cli::kOk) << approve.err;

    // Portal writes: a failed and a successful login, a saved review, an account added by the admin.
    {
        std::error_code ec;
        fs::create_directories(dir_ / "web", ec);
        std::ofstream(dir_ / "web" / "index.html") << "<!doctype html>";
        server::ServerOptions o;
        o.web_root = dir_ / "web";
        RunningPortal portal(db_, o);
        auto login = [&](const std::string& user, const std::string& password) {
            auto c = portal.client();
            auto me = c.Get("/api/me");
            std::string pre = cookie_token(me, server::kLoginCsrfCookie);
            httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
            auto res = c.Post("/api/login", h, json{{"username", user}, {"password", password}}.dump(), "application/json");
            httplib::Headers session;
            if (res && res->status == 200)
                session = {{"Cookie", std::string(server::kSessionCookie) + "=" + cookie_token(res, server::kSessionCookie)},
                           {server::kCsrfHeader, json::parse(res->body)["csrf_token"].get<std::string>()}};
            return std::make_pair(res ? res->status : -1, session);
        };
        EXPECT_EQ(login("root", "wrong-password").first, 401);
        auto [status, admin] = login("root", "admin-pass-123");
        ASSERT_EQ(status, 200);
        auto c = portal.client();
        // Inside QL-CK-01 (101.02–101.06 E, 36.02–36.05 N).
        std::string app = json{{"type", "Feature"},
                               {"properties", json::object()},
                               {"geometry", {{"type", "Polygon"},
                                             {"coordinates", {{{101.03, 36.03}, {101.04, 36.03}, {101.04, 36.04}, {101.03, 36.04}, {101.03, 36.03}}}}}}}
                              .dump();
        auto checked = c.Post("/api/check?kind=mining&action=new&main_mineral=石灰岩", admin, app, "application/json");
        ASSERT_TRUE(checked);
        ASSERT_EQ(checked->status, 200) << checked->body;
        auto report = json::parse(checked->body);
        EXPECT_TRUE(report["review"]["saved"].get<bool>()) << checked->body;
        // The saved review records the plan version it used; re-opening shows it.
        auto saved = c.Get(("/api/reviews/" + std::to_string(report["review"]["id"].get<std::int64_t>())).c_str(), admin);
        ASSERT_TRUE(saved && saved->status == 200);
        auto reopened = json::parse(saved->body);
        EXPECT_EQ(reopened.dump().find("\"plan_version\"") != std::string::npos, true) << saved->body.substr(0, 400);
        auto added = c.Post("/api/users", admin, json{{"username", "shen"}, {"role", "reviewer"}, {"password", "reviewer-pass-1"}}.dump(),
                            "application/json");
        ASSERT_TRUE(added && added->status == 201) << (added ? added->body : "");
        // The admin's account page: role, password and disabling are account changes too.
        for (const auto& [route, body] : std::vector<std::pair<std::string, json>>{
                 {"/api/users/shen/role", {{"role", "planner"}}},
                 {"/api/users/shen/password", {{"password", "another-pass-2"}}},
                 {"/api/users/shen/disabled", {{"disabled", true}}},
                 {"/api/users/shen/disabled", {{"disabled", false}}}}) {
            auto changed = c.Post(route.c_str(), admin, body.dump(), "application/json");
            ASSERT_TRUE(changed && changed->status == 200) << route << " " << (changed ? changed->body : "");
        }
        // Administrators read the trail over HTTP; others do not.
        auto audit = c.Get("/api/audit?action=login", admin);
        ASSERT_TRUE(audit && audit->status == 200);
        EXPECT_EQ(json::parse(audit->body)["entries"].size(), 2u);
        auto anonymous = portal.client().Get("/api/audit");
        ASSERT_TRUE(anonymous);
        EXPECT_EQ(anonymous->status, 401);
    }

    auto one = [&](const std::string& action, const std::string& object_part) {
        auto list = entries(action);
        for (const auto& e : list)
            if (e.object.find(object_part) != std::string::npos) {
                EXPECT_NE(e.at.find("+08:00"), std::string::npos) << e.at;
                EXPECT_FALSE(e.actor.empty());
                return e;
            }
        ADD_FAILURE() << "no entry " << action << " on " << object_part;
        return store::AuditEntry{};
    };
    one("import", "KAICQK");
    one("intake", "");
    one("user.add", "账户 gui");
    one("user.remove", "账户 temp");
    one("changeset.create", "调整批次 " + std::to_string(id));
    one("changeset.edit", "调整批次 " + std::to_string(id));
    EXPECT_EQ(entries("changeset.submit").size(), 2u);
    EXPECT_EQ(one("changeset.reject", "调整批次").after, "已退回：请补充理由");
    EXPECT_EQ(one("changeset.approve", "调整批次 " + std::to_string(id)).actor.rfind("gui（", 0), 0u);
    auto failed = one("login.failed", "账户 root");
    EXPECT_EQ(failed.client, "127.0.0.1");
    EXPECT_EQ(one("login.ok", "账户 root").client, "127.0.0.1");
    EXPECT_EQ(one("review.save", "审查").actor, "root");
    auto portal_add = one("user.add", "账户 shen");
    EXPECT_EQ(portal_add.actor, "root");
    EXPECT_EQ(portal_add.client, "127.0.0.1");
    auto role = one("user.role", "账户 shen");
    EXPECT_EQ(role.before, "审查员（reviewer）");
    EXPECT_EQ(role.after, "规划员（planner）");
    EXPECT_EQ(role.client, "127.0.0.1");
    EXPECT_EQ(one("user.password", "账户 shen").after.find("pass"), std::string::npos);  // never the password itself
    EXPECT_EQ(one("user.disable", "账户 shen").actor, "root");
    EXPECT_EQ(one("user.enable", "账户 shen").actor, "root");

    // Append-only: the database refuses to change or remove an entry.
    if (GetParam() == "gpkg") {
        store::SqliteDb raw(db_, store::SqliteDb::Mode::ReadWrite);
        EXPECT_THROW(raw.exec("UPDATE minplan_audit SET actor = 'x'"), Error);
        EXPECT_THROW(raw.exec("DELETE FROM minplan_audit"), Error);
    } else {
        store::pg::Conn raw(plan_->conninfo());
        const std::string t = store::pg::ident(plan_->plan()) + ".minplan_audit";
        EXPECT_THROW(raw.exec("UPDATE " + t + " SET actor = 'x'"), Error);
        EXPECT_THROW(raw.exec("DELETE FROM " + t), Error);
    }

    // minplan log --audit filters and exports.
    CliResult csv = run_cli({"--db", db_.string(), "log", "--audit", "--action", "changeset", "--out", (dir_ / "audit.csv").string()});
    ASSERT_EQ(csv.code, cli::kOk) << csv.err;
    std::string text = read_bytes(dir_ / "audit.csv");
    EXPECT_NE(text.find("changeset.approve"), std::string::npos);
    EXPECT_EQ(text.find("login.ok"), std::string::npos) << "filtered by action";
    CliResult xlsx = run_cli({"--db", db_.string(), "log", "--out", (dir_ / "audit.xlsx").string()});
    ASSERT_EQ(xlsx.code, cli::kOk) << xlsx.err;
    EXPECT_GT(fs::file_size(dir_ / "audit.xlsx"), 1000u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrail, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
