// GET /api/qc: the last quality check that build/import recorded (metadata qc_last), for planners only.
#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "running_portal.hpp"
#include "server/auth.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

std::string cookie_value(const httplib::Result& res, const std::string& name) {
    for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
        std::string c = res->get_header_value("Set-Cookie", i);
        if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
    }
    return {};
}

// The session cookie of `user` after logging in.
httplib::Headers login(const RunningPortal& p, const std::string& user, const std::string& password) {
    auto c = p.client();
    auto me = c.Get("/api/me");
    std::string pre = cookie_value(me, server::kLoginCsrfCookie);
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
    auto res = c.Post("/api/login", h, json{{"username", user}, {"password", password}}.dump(), "application/json");
    EXPECT_EQ(res->status, 200) << res->body;
    return {{"Cookie", std::string(server::kSessionCookie) + "=" + cookie_value(res, server::kSessionCookie)}};
}

TEST(PortalQc, PlannersSeeTheLastRecordedCheck) {
    TempDir dir;
    // Built through the CLI: build runs the check and records it (the fictional plan: no 错误).
    const fs::path db = dir / "county.gpkg";
    CliResult built = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", db.string()});
    ASSERT_EQ(built.code, 0) << built.err;
    {
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
        users.add("gui", server::Role::Planner, "planner-pass-1");
    }
    RunningPortal portal(db);
    EXPECT_EQ(portal.get("/api/qc")->status, 401) << "not for the public";
    EXPECT_EQ(portal.client().Get("/api/qc", login(portal, "shen", "reviewer-pass-1"))->status, 403) << "not for reviewers";
    auto res = portal.client().Get("/api/qc", login(portal, "gui", "planner-pass-1"));
    ASSERT_EQ(res->status, 200) << res->body;
    json j = json::parse(res->body);
    EXPECT_EQ(j.at("available"), true);
    EXPECT_EQ(j.at("command"), "build");
    EXPECT_EQ(j.at("errors"), 0);
    EXPECT_EQ(j.at("forced"), false);

    // A database no check has recorded (the test fixture is built without the CLI) says so.
    TempDir other;
    const fs::path plain_db = copy_of_plan(other);
    {
        server::UserStore users(store::open_database(plain_db.string()));
        users.add("gui", server::Role::Planner, "planner-pass-1");
    }
    RunningPortal plain(plain_db);
    auto none = plain.client().Get("/api/qc", login(plain, "gui", "planner-pass-1"));
    ASSERT_EQ(none->status, 200) << none->body;
    EXPECT_EQ(json::parse(none->body).at("available"), false);
}

}  // namespace
}  // namespace minplan::testing
