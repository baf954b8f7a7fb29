// Users, roles, sessions, CSRF and saved reviews over HTTP: a PortalServer on an ephemeral port over a
// private copy of the plan with three accounts. Every refused request must be a 4xx with a JSON message,
// and the server must keep serving after it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <ctime>
#include <iomanip>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "../plan/plan_fixture.hpp"
#include "server/auth.hpp"
#include "running_portal.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// A running portal with its own database copy.
struct Portal {
    TempDir dir;
    fs::path db;
    std::unique_ptr<RunningPortal> running;
    int port = 0;

    explicit Portal(std::chrono::seconds ttl = std::chrono::seconds(3600)) {
        db = copy_of_plan(dir);
        fs::create_directories(dir / "web");
        std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>门户</title>";
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
        users.add("gui", server::Role::Planner, "planner-pass-1");
        users.add("root", server::Role::Admin, "admin-pass-123");
        server::ServerOptions o;
        o.port = 0;
        o.web_root = dir / "web";
        o.session_ttl = ttl;
        running = std::make_unique<RunningPortal>(db, o);
        running->read_timeout_s = 30;
        port = running->port;
    }
    httplib::Client client() const { return running->client(); }
};

std::string set_cookie_named(const httplib::Result& res, const std::string& name) {
    for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
        std::string c = res->get_header_value("Set-Cookie", i);
        if (c.rfind(name + "=", 0) == 0) return c;
    }
    return {};
}

std::string cookie_token(const std::string& set_cookie) {
    auto eq = set_cookie.find('=');
    auto semi = set_cookie.find(';');
    return set_cookie.substr(eq + 1, semi - eq - 1);
}

// What a browser keeps: the session cookie and the CSRF token from the login answer.
struct Login {
    int status = 0;
    json body;
    std::string set_cookie, session, csrf;
    httplib::Headers headers(bool with_csrf = true) const {
        httplib::Headers h{{"Cookie", std::string(server::kSessionCookie) + "=" + session}};
        if (with_csrf) h.emplace(server::kCsrfHeader, csrf);
        return h;
    }
};

Login login(const Portal& p, const std::string& user, const std::string& password) {
    auto c = p.client();
    auto me = c.Get("/api/me");
    std::string pre = cookie_token(set_cookie_named(me, server::kLoginCsrfCookie));
    EXPECT_EQ(json::parse(me->body)["csrf_token"], pre);
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
    auto res = c.Post("/api/login", h, json{{"username", user}, {"password", password}}.dump(), "application/json");
    Login l;
    l.status = res->status;
    l.body = json::parse(res->body, nullptr, false);
    l.set_cookie = set_cookie_named(res, server::kSessionCookie);
    if (!l.set_cookie.empty()) l.session = cookie_token(l.set_cookie);
    if (l.body.contains("csrf_token")) l.csrf = l.body["csrf_token"];
    return l;
}

void expect_error(const httplib::Result& res, int status) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    auto body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "error body is not JSON: " << res->body;
    EXPECT_EQ(body["error"]["status"], status);
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
}

std::string fixture_app() { return read_bytes(test_data_dir() / "rules" / "apps" / "coal_all_pass.txt"); }

class AuthApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { portal_ = new Portal(); }
    static void TearDownTestSuite() { delete portal_; }
    void TearDown() override {
        auto res = portal_->client().Get("/api/layers");
        ASSERT_TRUE(res) << "server stopped answering";
        EXPECT_EQ(res->status, 200);
    }
    static inline Portal* portal_ = nullptr;
};

TEST_F(AuthApi, LoginSetsAnHttpOnlySameSiteStrictCookieWithExpiry) {
    Login l = login(*portal_, "shen", "reviewer-pass-1");
    ASSERT_EQ(l.status, 200) << l.body.dump();
    EXPECT_EQ(l.body["role"], "reviewer");
    EXPECT_EQ(l.body["role_zh"], "审查员");
    EXPECT_EQ(l.session.size(), 64u);
    EXPECT_EQ(l.csrf.size(), 64u);
    EXPECT_NE(l.session, l.csrf);
    for (const char* flag : {"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=3600", "Expires="})
        EXPECT_NE(l.set_cookie.find(flag), std::string::npos) << flag << " missing in " << l.set_cookie;
    auto me = portal_->client().Get("/api/me", l.headers(false));
    ASSERT_EQ(me->status, 200);
    auto body = json::parse(me->body);
    EXPECT_TRUE(body["authenticated"].get<bool>());
    EXPECT_EQ(body["username"], "shen");
    EXPECT_EQ(body["csrf_token"], l.csrf);
}

TEST_F(AuthApi, WrongPasswordOrUnknownUserIs401WithoutACookie) {
    for (auto [user, pass] : {std::pair{"shen", "wrong-password"}, std::pair{"nobody", "whatever-1"}}) {
        Login l = login(*portal_, user, pass);
        EXPECT_EQ(l.status, 401);
        EXPECT_EQ(l.body["error"]["message"], "用户名或密码错误");
        EXPECT_TRUE(l.set_cookie.empty());
    }
}

TEST_F(AuthApi, BadLoginRequestsAre4xx) {
    auto c = portal_->client();
    auto me = c.Get("/api/me");
    std::string pre = cookie_token(set_cookie_named(me, server::kLoginCsrfCookie));
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
    expect_error(c.Post("/api/login", h, "{\"username\": ", "application/json"), 400);
    expect_error(c.Post("/api/login", h, "username=shen&password=x", "application/x-www-form-urlencoded"), 415);
    expect_error(c.Post("/api/login", h, "{\"username\": \"shen\"}", "application/json"), 400);
    expect_error(c.Post("/api/login", h, "[1,2]", "application/json"), 400);
}

TEST_F(AuthApi, LoginWithoutOrWithAWrongCsrfTokenIs403) {
    auto c = portal_->client();
    std::string body = json{{"username", "shen"}, {"password", "reviewer-pass-1"}}.dump();
    expect_error(c.Post("/api/login", body, "application/json"), 403);
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + std::string(64, 'a')},
                       {server::kCsrfHeader, std::string(64, 'b')}};
    expect_error(c.Post("/api/login", h, body, "application/json"), 403);
}

TEST_F(AuthApi, StateChangingRequestsOfASessionNeedItsCsrfToken) {
    Login l = login(*portal_, "shen", "reviewer-pass-1");
    ASSERT_EQ(l.status, 200);
    auto c = portal_->client();
    expect_error(c.Post("/api/check", l.headers(false), fixture_app(), "text/plain"), 403);
    auto wrong = l.headers(false);
    wrong.emplace(server::kCsrfHeader, std::string(64, '0'));
    expect_error(c.Post("/api/check", wrong, fixture_app(), "text/plain"), 403);
    expect_error(c.Post("/api/logout", l.headers(false), "", "application/json"), 403);
    // Another session's token does not fit either.
    Login other = login(*portal_, "gui", "planner-pass-1");
    auto crossed = l.headers(false);
    crossed.emplace(server::kCsrfHeader, other.csrf);
    expect_error(c.Post("/api/check", crossed, fixture_app(), "text/plain"), 403);
    // A page of another site.
    auto foreign = l.headers();
    foreign.emplace("Origin", "http://evil.example");
    expect_error(c.Post("/api/check", foreign, fixture_app(), "text/plain"), 403);
    // With the token the same request goes through.
    auto ok = c.Post("/api/check", l.headers(), fixture_app(), "text/plain");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body.substr(0, 300);
}

TEST_F(AuthApi, PublicCanCheckButNothingIsSavedAndReviewsAreClosed) {
    auto c = portal_->client();
    auto res = c.Post("/api/check", fixture_app(), "text/plain");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
    auto report = json::parse(res->body);
    EXPECT_FALSE(report["review"]["saved"].get<bool>());
    EXPECT_NE(report["review"]["message"].get<std::string>().find("未保存"), std::string::npos);
    auto list = c.Get("/api/reviews");
    expect_error(list, 401);
    EXPECT_NE(json::parse(list->body)["error"]["message"].get<std::string>().find("请先登录"), std::string::npos);
    expect_error(c.Get("/api/reviews/1"), 401);
    expect_error(c.Get("/api/reviews/1/opinion.html"), 401);
    expect_error(c.Get("/api/users"), 401);
    auto html = c.Post("/api/check?format=html", fixture_app(), "text/plain");
    ASSERT_TRUE(html);
    EXPECT_EQ(html->status, 200);
    EXPECT_NE(html->body.find("矿业权规划符合性审查意见"), std::string::npos);
}

TEST_F(AuthApi, RolesAreEnforced) {
    Login reviewer = login(*portal_, "shen", "reviewer-pass-1");
    Login admin = login(*portal_, "root", "admin-pass-123");
    auto c = portal_->client();
    auto r = c.Get("/api/reviews", reviewer.headers());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    expect_error(c.Get("/api/users", reviewer.headers()), 403);
    std::string new_user = json{{"username", "li"}, {"role", "reviewer"}, {"password", "li-password-1"}}.dump();
    expect_error(c.Post("/api/users", reviewer.headers(), new_user, "application/json"), 403);
    auto users = c.Get("/api/users", admin.headers());
    ASSERT_EQ(users->status, 200);
    EXPECT_EQ(json::parse(users->body)["users"].size(), 3u);
    EXPECT_EQ(users->body.find("argon2"), std::string::npos) << "hashes must not leave the server";
    auto created = c.Post("/api/users", admin.headers(), new_user, "application/json");
    ASSERT_EQ(created->status, 201) << created->body;
    expect_error(c.Post("/api/users", admin.headers(), new_user, "application/json"), 400);  // taken
    std::string bad_role = json{{"username", "x"}, {"role", "public"}, {"password", "long-enough-1"}}.dump();
    expect_error(c.Post("/api/users", admin.headers(), bad_role, "application/json"), 400);
    EXPECT_EQ(login(*portal_, "li", "li-password-1").status, 200);
    auto del = c.Delete("/api/users/li", admin.headers());
    ASSERT_EQ(del->status, 200);
    EXPECT_EQ(login(*portal_, "li", "li-password-1").status, 401);
}

TEST_F(AuthApi, PasswordsAreStoredAsArgon2idHashes) {
    store::SqliteDb db(portal_->db, store::SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT name, password_hash FROM minplan_users");
    int n = 0;
    while (st.step()) {
        ++n;
        std::string hash = st.text(1);
        EXPECT_EQ(hash.rfind("$argon2id$v=19$", 0), 0u) << hash;
        EXPECT_EQ(hash.find("pass"), std::string::npos);
    }
    EXPECT_GE(n, 3);
    // Accounts are not a plan layer.
    auto layers = portal_->client().Get("/api/layers");
    EXPECT_EQ(layers->body.find("minplan_users"), std::string::npos);
    EXPECT_EQ(layers->body.find("minplan_reviews"), std::string::npos);
}

TEST_F(AuthApi, AReviewersCheckIsSavedWithWhoWhenInputAndVerdict) {
    Login l = login(*portal_, "shen", "reviewer-pass-1");
    auto c = portal_->client();
    std::string input = fixture_app();
    auto res = c.Post("/api/check?main_mineral=%E7%85%A4", l.headers(), input, "text/plain; charset=utf-8");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 400);
    auto report = json::parse(res->body);
    ASSERT_TRUE(report["review"]["saved"].get<bool>());
    auto id = report["review"]["id"].get<std::int64_t>();
    auto saved = c.Get(("/api/reviews/" + std::to_string(id)).c_str(), l.headers());
    ASSERT_EQ(saved->status, 200) << saved->body.substr(0, 300);
    auto r = json::parse(saved->body);
    EXPECT_EQ(r["username"], "shen");
    EXPECT_EQ(r["role"], "reviewer");
    EXPECT_TRUE(std::regex_match(r["created_at"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << r["created_at"];
    EXPECT_EQ(r["input"], input);
    EXPECT_EQ(r["attributes"]["main_mineral"], "煤");
    EXPECT_EQ(r["verdict"], report["verdict"]);
    EXPECT_EQ(r["report"]["findings"].size(), report["findings"].size());
    auto list = c.Get("/api/reviews", l.headers());
    ASSERT_EQ(list->status, 200) << list->body;
    bool listed = false;
    auto rows = json::parse(list->body);
    for (const auto& row : rows["reviews"]) listed = listed || row["id"] == id;
    EXPECT_TRUE(listed) << list->body.substr(0, 400);
    auto html = c.Get(("/api/reviews/" + std::to_string(id) + "/opinion.html").c_str(), l.headers());
    ASSERT_EQ(html->status, 200);
    EXPECT_EQ(html->get_header_value("Content-Type").rfind("text/html", 0), 0u);
    EXPECT_NE(html->get_header_value("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
    EXPECT_NE(html->body.find("矿业权规划符合性审查意见"), std::string::npos);
    // In the database itself.
    store::SqliteDb db(portal_->db, store::SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT username, created_at, input, verdict, report_json FROM minplan_reviews WHERE id = ?");
    st.bind(1, id);
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.text(0), "shen");
    EXPECT_EQ(st.text(2), input);
    EXPECT_EQ(st.text(3), report["verdict"].get<std::string>());
    EXPECT_NE(st.text(4).find("\"findings\""), std::string::npos);
    expect_error(c.Get("/api/reviews/999999", l.headers()), 404);
    expect_error(c.Get("/api/reviews/abc", l.headers()), 400);
}

// Issue 10, item 4: a saved review is an issued opinion: numbered from the plan's pattern, unique per year
// (allocated with the row), dated in Asia/Shanghai, signed by the logged-in reviewer, downloadable as Word.
TEST_F(AuthApi, SavedReviewsAreNumberedUniquelyPerYearAndSignedByTheReviewer) {
    Login l = login(*portal_, "shen", "reviewer-pass-1");
    const std::string input = fixture_app();
    std::vector<std::string> numbers(6);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < numbers.size(); ++i)
        threads.emplace_back([&, i] {
            auto c = portal_->client();
            auto res = c.Post("/api/check?main_mineral=%E7%85%A4", l.headers(), input, "text/plain; charset=utf-8");
            if (!res || res->status != 200) return;
            numbers[i] = json::parse(res->body)["review"]["number"].get<std::string>();
        });
    for (auto& t : threads) t.join();
    std::set<std::string> distinct(numbers.begin(), numbers.end());
    EXPECT_EQ(distinct.size(), numbers.size());
    std::set<int> seqs;
    const std::regex pattern(R"(大同规审〔(\d{4})〕(\d{4})号)");
    for (const auto& n : numbers) {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(n, m, pattern)) << n;
        seqs.insert(std::stoi(m[2]));
    }
    EXPECT_EQ(*seqs.rbegin() - *seqs.begin() + 1, static_cast<int>(numbers.size()));  // consecutive: none lost
    auto c = portal_->client();
    auto list = json::parse(c.Get("/api/reviews?limit=6", l.headers())->body);
    ASSERT_EQ(list["reviews"].size(), 6u);
    for (const auto& row : list["reviews"]) {
        EXPECT_TRUE(distinct.count(row["number"].get<std::string>())) << row.dump();
        // Shown in Asia/Shanghai: eight hours after the stored UTC time.
        std::tm tm{};
        std::istringstream(row["created_at"].get<std::string>()) >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
        const std::time_t local = timegm(&tm) + 8 * 3600;
        char want[32];
        std::strftime(want, sizeof want, "%Y-%m-%d %H:%M:%S", std::gmtime(&local));
        EXPECT_EQ(row["created_at_local"], want);
    }
    const auto id = list["reviews"][0]["id"].get<std::int64_t>();
    auto html = c.Get(("/api/reviews/" + std::to_string(id) + "/opinion.html").c_str(), l.headers());
    ASSERT_EQ(html->status, 200);
    EXPECT_NE(html->body.find(list["reviews"][0]["number"].get<std::string>()), std::string::npos);
    EXPECT_NE(html->body.find("shen（审查员）"), std::string::npos);
    EXPECT_NE(html->body.find("大同市规划和自然资源局"), std::string::npos);
    for (const char* k : {"复核人", "签发人", "盖章处"}) EXPECT_NE(html->body.find(k), std::string::npos) << k;
    auto docx = c.Get(("/api/reviews/" + std::to_string(id) + "/opinion.docx").c_str(), l.headers());
    ASSERT_EQ(docx->status, 200) << docx->body.substr(0, 300);
    EXPECT_EQ(docx->get_header_value("Content-Type"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_NE(docx->get_header_value("Content-Disposition").find(".docx"), std::string::npos);
    EXPECT_EQ(docx->body.substr(0, 2), "PK");
    expect_error(c.Get("/api/reviews/1/opinion.docx"), 401);
    expect_error(c.Get("/api/reviews/999999/opinion.docx", l.headers()), 404);
}

TEST_F(AuthApi, AnAnonymousOpinionIsADraftWithoutNumberOrReviewer) {
    auto c = portal_->client();
    auto res = c.Post("/api/check?format=html&file_name=%E5%94%90%E4%B9%8B%E6%B4%BC.txt", fixture_app(), "text/plain; charset=utf-8");
    ASSERT_EQ(res->status, 200);
    EXPECT_NE(res->body.find("（待登记）"), std::string::npos);
    EXPECT_EQ(res->body.find("大同规审〔"), std::string::npos);
    // A coordinate string names nothing: the project is named after the uploaded file.
    EXPECT_NE(res->body.find("<th>项目名称</th><td>唐之洼</td>"), std::string::npos);
}

TEST_F(AuthApi, LogoutEndsTheSession) {
    Login l = login(*portal_, "shen", "reviewer-pass-1");
    auto c = portal_->client();
    auto out = c.Post("/api/logout", l.headers(), "", "application/json");
    ASSERT_EQ(out->status, 200);
    EXPECT_NE(set_cookie_named(out, server::kSessionCookie).find("Max-Age=0"), std::string::npos);
    expect_error(c.Get("/api/reviews", l.headers()), 401);
    expect_error(c.Post("/api/check", l.headers(), fixture_app(), "text/plain"), 401);
}

TEST_F(AuthApi, OpenApiDescribesTheNewEndpoints) {
    auto res = portal_->client().Get("/api/openapi.json");
    ASSERT_EQ(res->status, 200);
    auto doc = json::parse(res->body);
    for (const char* p : {"/api/login", "/api/logout", "/api/me", "/api/users", "/api/reviews", "/api/reviews/{id}",
                          "/api/reviews/{id}/opinion.html", "/api/reviews/{id}/opinion.docx"})
        EXPECT_TRUE(doc["paths"].contains(p)) << p;
    EXPECT_TRUE(doc["paths"]["/api/check"]["post"]["responses"].contains("403"));
}

TEST(AuthSession, AnExpiredSessionIs401WithAChineseMessage) {
    Portal p(std::chrono::seconds(1));
    Login l = login(p, "shen", "reviewer-pass-1");
    ASSERT_EQ(l.status, 200);
    auto c = p.client();
    ASSERT_EQ(c.Get("/api/reviews", l.headers())->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    auto list = c.Get("/api/reviews", l.headers());
    expect_error(list, 401);
    EXPECT_NE(json::parse(list->body)["error"]["message"].get<std::string>().find("登录已过期"), std::string::npos);
    auto check = c.Post("/api/check", l.headers(), fixture_app(), "text/plain");
    expect_error(check, 401);
    EXPECT_NE(set_cookie_named(check, server::kSessionCookie).find("Max-Age=0"), std::string::npos);
    auto me = c.Get("/api/me", l.headers());
    ASSERT_EQ(me->status, 200);
    EXPECT_TRUE(json::parse(me->body)["session_expired"].get<bool>());
    // Public data is still served to the same browser.
    EXPECT_EQ(c.Get("/api/layers", l.headers())->status, 200);
}

// Issue 11: 10 wrong passwords a second, forever, were answered 401. From the 5th failure of an account
// the portal answers 429 with Retry-After (30 s, docs/portal.md) — the right password included.
TEST(LoginThrottling, FifthFailureLocksTheAccountWithRetryAfter) {
    Portal p;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(login(p, "shen", "wrong-password").status, 401) << i;
    auto c = p.client();
    auto me = c.Get("/api/me");
    std::string pre = cookie_token(set_cookie_named(me, server::kLoginCsrfCookie));
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
    auto res = c.Post("/api/login", h, json{{"username", "shen"}, {"password", "reviewer-pass-1"}}.dump(), "application/json");
    expect_error(res, 429);
    EXPECT_EQ(res->get_header_value("Retry-After"), "30");
    const std::string msg = json::parse(res->body)["error"]["message"];
    EXPECT_NE(msg.find("登录失败次数过多"), std::string::npos) << msg;
    EXPECT_NE(msg.find("30 秒"), std::string::npos) << msg;
    EXPECT_EQ(login(p, "gui", "planner-pass-1").status, 200) << "another account from the same address is not locked";
}

TEST(LoginThrottling, SuccessfulLoginResetsTheCount) {
    Portal p;
    for (int i = 0; i < 4; ++i) EXPECT_EQ(login(p, "shen", "wrong-password").status, 401);
    EXPECT_EQ(login(p, "shen", "reviewer-pass-1").status, 200);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(login(p, "shen", "wrong-password").status, 401);
    EXPECT_EQ(login(p, "shen", "reviewer-pass-1").status, 200);
}

TEST(LoginThrottling, TwentyFailuresFromOneAddressLockTheAddress) {
    Portal p;
    for (int i = 0; i < 20; ++i) EXPECT_EQ(login(p, "guess" + std::to_string(i), "whatever-1").status, 401) << i;
    EXPECT_EQ(login(p, "root", "admin-pass-123").status, 429) << "the address waits, whatever the account";
}

TEST(LoginThrottling, AnAdminLiftsAnAccountsWait) {
    Portal p;
    for (int i = 0; i < 5; ++i) login(p, "shen", "wrong-password");
    ASSERT_EQ(login(p, "shen", "reviewer-pass-1").status, 429);
    auto c = p.client();
    Login planner = login(p, "gui", "planner-pass-1");
    expect_error(c.Delete("/api/users/shen/lockout", planner.headers()), 403);
    Login admin = login(p, "root", "admin-pass-123");
    auto lifted = c.Delete("/api/users/shen/lockout", admin.headers());
    ASSERT_EQ(lifted->status, 200) << lifted->body;
    EXPECT_EQ(login(p, "shen", "reviewer-pass-1").status, 200);
    expect_error(c.Delete("/api/users/nobody/lockout", admin.headers()), 404);
}

// Issue 11: no X-Frame-Options / frame-ancestors. Every answer carries the headers: data, static pages,
// errors from a handler, from the router and from the pre-routing gate.
TEST(SecurityHeaders, OnEveryResponse) {
    Portal p;
    auto c = p.client();
    std::vector<std::pair<std::string, httplib::Result>> answers;
    answers.emplace_back("GET /api/layers", c.Get("/api/layers"));
    answers.emplace_back("GET /", c.Get("/"));
    answers.emplace_back("GET /api/nope", c.Get("/api/nope"));
    answers.emplace_back("POST /api/login without token", c.Post("/api/login", "{}", "application/json"));
    answers.emplace_back("DELETE /api/layers", c.Delete("/api/layers"));
    for (auto& [what, res] : answers) {
        ASSERT_TRUE(res) << what;
        EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << what;
        EXPECT_NE(res->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << what;
        EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << what;
        EXPECT_EQ(res->get_header_value("Referrer-Policy"), "same-origin") << what;
    }
}

TEST(AuthCli, UserAddAndListWithAPasswordFile) {
    TempDir dir;
    fs::path db = copy_of_plan(dir);
    std::ofstream(dir / "pw.txt") << "first-admin-pass\n";
    auto add = run_cli({"user", "add", "zhang", "--role", "admin", "--db", db.string(), "--password-file", (dir / "pw.txt").string()});
    EXPECT_EQ(add.code, 0) << add.err;
    auto again = run_cli({"user", "add", "zhang", "--role", "admin", "--db", db.string(), "--password-file", (dir / "pw.txt").string()});
    EXPECT_EQ(again.code, 3) << again.err;
    auto list = run_cli({"user", "list", "--db", db.string()});
    EXPECT_EQ(list.code, 0) << list.err;
    EXPECT_NE(list.out.find("zhang"), std::string::npos);
    EXPECT_NE(list.out.find("管理员"), std::string::npos);
    auto user = server::UserStore(store::open_database(db.string())).find("zhang");
    ASSERT_TRUE(user);
    EXPECT_TRUE(server::verify_password(user->password_hash, "first-admin-pass"));
    // No password on the command line, no accounts in the embedded database, no public accounts.
    EXPECT_EQ(run_cli({"user", "add", "x", "--role", "admin", "--db", db.string(), "--password", "secret-123"}).code, 2);
    EXPECT_EQ(run_cli({"user", "add", "x", "--role", "admin", "--password-file", (dir / "pw.txt").string()}).code, 3);
    EXPECT_EQ(run_cli({"user", "add", "x", "--role", "public", "--db", db.string(), "--password-file", (dir / "pw.txt").string()}).code, 3);
    std::ofstream(dir / "short.txt") << "short\n";
    EXPECT_EQ(run_cli({"user", "add", "y", "--role", "reviewer", "--db", db.string(), "--password-file", (dir / "short.txt").string()}).code, 3);
}

}  // namespace
}  // namespace minplan::testing
