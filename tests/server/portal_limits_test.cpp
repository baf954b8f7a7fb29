// The portal's request-level defences (issue 11): bodies refused while they stream in (chunked, no
// Content-Length) or by their declared length, callers without the route's role refused before the body is
// kept, the request log, Secure cookies behind TLS, and client addresses believed only from a trusted proxy
// (login throttling per address, lifted by an admin).
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "../plan/plan_fixture.hpp"
#include "running_portal.hpp"
#include "server/access_log.hpp"
#include "server/auth.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

struct Portal {
    TempDir dir;
    fs::path db, log;
    std::unique_ptr<RunningPortal> running;

    explicit Portal(server::ServerOptions o = {}) {
        db = copy_of_plan(dir);
        log = dir.path() / "access.log";
        server::UserStore users(store::open_database(db.string()));
        users.add("root", server::Role::Admin, "admin-pass-1");
        users.add("gui", server::Role::Planner, "planner-pass-1");
        o.web_root = dir.path() / "web";
        o.max_body_bytes = 64 * 1024;
        o.access_log.path = log;
        running = std::make_unique<RunningPortal>(db, o);
    }
    httplib::Client client() const { return running->client(); }
};

std::string set_cookie(const httplib::Result& res, const std::string& name) {
    for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
        std::string c = res->get_header_value("Set-Cookie", i);
        if (c.rfind(name + "=", 0) == 0) return c;
    }
    return {};
}
std::string cookie_value(const std::string& set_cookie_header, const std::string& name) {
    return set_cookie_header.substr(name.size() + 1, set_cookie_header.find(';') - name.size() - 1);
}

struct Session {
    std::string cookie, csrf;
    httplib::Headers headers() const {
        return {{"Cookie", std::string(server::kSessionCookie) + "=" + cookie}, {server::kCsrfHeader, csrf}};
    }
};

httplib::Result try_login(const Portal& p, const std::string& user, const std::string& password, httplib::Headers extra = {}) {
    auto c = p.client();
    auto me = c.Get("/api/me", extra);
    const std::string pre = cookie_value(set_cookie(me, server::kLoginCsrfCookie), server::kLoginCsrfCookie);
    extra.emplace("Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre);
    extra.emplace(server::kCsrfHeader, pre);
    return c.Post("/api/login", extra, json{{"username", user}, {"password", password}}.dump(), "application/json");
}

Session login(const Portal& p, const std::string& user, const std::string& password) {
    auto res = try_login(p, user, password);
    EXPECT_EQ(res->status, 200) << res->body;
    return {cookie_value(set_cookie(res, server::kSessionCookie), server::kSessionCookie), json::parse(res->body)["csrf_token"]};
}

// Sends up to `total` bytes as a chunked body (no Content-Length) and counts what the server took.
struct ChunkedUpload {
    std::string prefix;
    std::size_t sent = 0;
    httplib::Result post(httplib::Client& c, const std::string& path, const httplib::Headers& h, std::size_t total,
                         const std::string& type) {
        const std::string chunk(64 * 1024, 'x');
        return c.Post(path, h,
                      [this, total, &chunk](std::size_t, httplib::DataSink& sink) {
                          if (sent >= total) {
                              sink.done();
                              return true;
                          }
                          if (sent == 0 && !prefix.empty() && !sink.write(prefix.data(), prefix.size())) return false;
                          if (!sink.write(chunk.data(), chunk.size())) return false;
                          sent += chunk.size();
                          return true;
                      },
                      type);
    }
};

// Each line is written after its answer is sent, by the worker that sent it: wait until every awaited
// line is there (or 2 s have passed).
std::vector<std::string> log_lines(const fs::path& log, const std::vector<std::string>& awaited) {
    std::vector<std::string> lines;
    for (int attempt = 0; attempt < 200; ++attempt) {
        lines.clear();
        std::ifstream in(log);
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        const bool all = std::all_of(awaited.begin(), awaited.end(), [&](const std::string& a) {
            return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(a) != std::string::npos; });
        });
        if (all) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return lines;
}

constexpr std::size_t kSixteenMiB = 16u << 20;
// What the server may take before it stops reading: the route's limit, the drain allowance and what the
// loopback socket buffers hold (a few MiB at most).
constexpr std::size_t kBoundedRead = 8u << 20;

TEST(PortalLimits, ChunkedBodyOverTheRouteLimitIsRefusedWhileStreaming) {
    Portal p;
    auto c = p.client();
    ChunkedUpload up;
    auto res = up.post(c, "/api/check", {}, kSixteenMiB, "application/json");
    // Before: the whole 16 MiB was read into memory, then 413.
    EXPECT_LT(up.sent, kBoundedRead);
    if (res) { EXPECT_EQ(res->status, 413) << res->body; }
    // The server still answers afterwards.
    EXPECT_EQ(p.client().Get("/api/layers")->status, 200);
}

// The limit itself is allowed: a body of exactly 64 KiB (the fixture's max_body_bytes = 65,536) reaches the
// handler, which refuses the JSON as not GeoJSON (400); one byte more is 413. Both with Content-Length and
// chunked (where the limit is enforced while streaming).
TEST(PortalLimits, BodyOfExactlyTheLimitIsReadAndOneByteMoreIsNot) {
    Portal p;
    const auto body = [](std::size_t n) { return "{\"a\":\"" + std::string(n - 8, 'x') + "\"}"; };  // 8 bytes of JSON around
    ASSERT_EQ(body(65536).size(), 65536u);
    auto at = p.client().Post("/api/check", body(65536), "application/json");
    ASSERT_TRUE(at);
    EXPECT_EQ(at->status, 400) << at->body;
    auto over = p.client().Post("/api/check", body(65537), "application/json");
    ASSERT_TRUE(over);
    EXPECT_EQ(over->status, 413) << over->body;
    for (const std::size_t n : {std::size_t{65536}, std::size_t{65537}}) {
        const std::string b = body(n);
        auto c = p.client();
        auto res = c.Post("/api/check", [&](std::size_t offset, httplib::DataSink& sink) {
            sink.write(b.data() + offset, std::min<std::size_t>(4096, b.size() - offset));
            if (offset + 4096 >= b.size()) sink.done();
            return true;
        }, "application/json");
        if (n == 65536) { ASSERT_TRUE(res); }
        if (res) { EXPECT_EQ(res->status, n == 65536 ? 400 : 413) << n << ": " << res->body; }
    }
}

TEST(PortalLimits, IntakeWithoutASessionIsRefusedBeforeTheBodyIsKept) {
    Portal p;
    auto c = p.client();
    ChunkedUpload up;
    up.prefix = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n";
    auto res = up.post(c, "/api/intake", {}, kSixteenMiB, "multipart/form-data; boundary=xyz");
    EXPECT_LT(up.sent, kBoundedRead);
    if (res) { EXPECT_EQ(res->status, 401) << res->body; }
}

TEST(PortalLimits, IntakeOfAPlannerMayStillUseItsOwnLimit) {
    Portal p;
    Session planner = login(p, "gui", "planner-pass-1");
    auto c = p.client();
    // 2 MiB (over the 64 KiB global limit) reaches the intake, which reads it and says what is wrong (400).
    std::string big = "年度*,矿山编号*,矿种*\n" + std::string(2 << 20, 'x') + "\n";
    auto res = c.Post("/api/intake", planner.headers(), httplib::MultipartFormDataItems{{"file", big, "big.csv", "text/csv"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
}

TEST(PortalLimits, EveryRequestIsLoggedWithClientUserStatusBytesAndDuration) {
    Portal p;
    ASSERT_EQ(p.client().Get("/api/layers")->status, 200);
    Session admin = login(p, "root", "admin-pass-1");
    ASSERT_EQ(p.client().Get("/api/users", admin.headers())->status, 200);
    EXPECT_EQ(p.client().Get("/api/no-such-thing")->status, 404);
    const auto lines = log_lines(p.log, {" GET /api/layers 200 ", " root GET /api/users 200 ", " GET /api/no-such-thing 404 "});
    auto find = [&](const std::string& needle) {
        for (const auto& l : lines)
            if (l.find(needle) != std::string::npos) return l;
        return std::string();
    };
    const std::string layers = find(" GET /api/layers 200 ");
    ASSERT_FALSE(layers.empty()) << "no log line for GET /api/layers";
    std::istringstream f(layers);
    std::string time, client, user, method, path, status, bytes, duration;
    f >> time >> client >> user >> method >> path >> status >> bytes >> duration;
    EXPECT_EQ(time.substr(time.size() - 6), "+08:00");
    EXPECT_EQ(client, "127.0.0.1");
    EXPECT_EQ(user, "-");
    EXPECT_GT(std::stoul(bytes), 100u);
    EXPECT_EQ(duration.substr(duration.size() - 2), "ms");
    EXPECT_NE(find(" root GET /api/users 200 "), "");
    EXPECT_NE(find(" GET /api/no-such-thing 404 "), "");
}

TEST(AccessLog, RotatesBySizeAndKeepsTheConfiguredNumberOfFiles) {
    TempDir dir;
    const fs::path path = dir.path() / "a.log";
    server::AccessLog log({path, 400, 2});
    server::AccessLogEntry e{std::chrono::system_clock::now(), "10.0.0.1", "", "GET", "/api/x y", 200, 5, 1.5};
    const std::size_t line = server::AccessLog::format(e).size();
    EXPECT_NE(server::AccessLog::format(e).find("/api/x_y"), std::string::npos) << "spaces would split the fields";
    for (int i = 0; i < 40; ++i) log.write(e);
    EXPECT_LE(fs::file_size(path), 400u);
    EXPECT_TRUE(fs::exists(dir.path() / "a.log.1"));
    EXPECT_TRUE(fs::exists(dir.path() / "a.log.2"));
    EXPECT_FALSE(fs::exists(dir.path() / "a.log.3"));
    EXPECT_EQ(fs::file_size(path) % line, 0u);
}

TEST(PortalTls, CookiesAreSecureBehindTls) {
    server::ServerOptions o;
    o.proxy.behind_tls = true;
    Portal p(o);
    auto me = p.client().Get("/api/me");
    EXPECT_NE(set_cookie(me, server::kLoginCsrfCookie).find("; Secure"), std::string::npos);
    auto res = try_login(p, "root", "admin-pass-1");
    ASSERT_EQ(res->status, 200);
    EXPECT_NE(set_cookie(res, server::kSessionCookie).find("; Secure"), std::string::npos);
}

TEST(PortalTls, ForwardedProtoIsBelievedOnlyFromATrustedProxy) {
    {
        Portal untrusted;
        auto me = untrusted.client().Get("/api/me", {{"X-Forwarded-Proto", "https"}});
        EXPECT_EQ(set_cookie(me, server::kLoginCsrfCookie).find("Secure"), std::string::npos);
    }
    server::ServerOptions o;
    o.proxy.trusted_proxies = {"127.0.0.1"};
    Portal trusted(o);
    EXPECT_NE(set_cookie(trusted.client().Get("/api/me", {{"X-Forwarded-Proto", "https"}}), server::kLoginCsrfCookie).find("; Secure"),
              std::string::npos);
    EXPECT_EQ(set_cookie(trusted.client().Get("/api/me", {{"X-Forwarded-Proto", "http"}}), server::kLoginCsrfCookie).find("Secure"),
              std::string::npos);
}

TEST(PortalThrottle, AddressesBehindATrustedProxyAreThrottledApartAndAnAdminCanLiftOne) {
    server::ServerOptions o;
    o.proxy.trusted_proxies = {"127.0.0.1"};
    Portal p(o);
    const httplib::Headers office{{"X-Forwarded-For", "198.51.100.7, 10.1.2.3"}};
    // 20 failures from one office address (different account names, so no account waits).
    for (int i = 0; i < 20; ++i) EXPECT_EQ(try_login(p, "nobody" + std::to_string(i), "wrong", office)->status, 401);
    auto locked = try_login(p, "gui", "planner-pass-1", office);
    EXPECT_EQ(locked->status, 429) << locked->body;
    // Another address behind the same proxy is not affected.
    EXPECT_EQ(try_login(p, "gui", "planner-pass-1", {{"X-Forwarded-For", "10.9.9.9"}})->status, 200);
    // The log names the client, not the proxy.
    const auto lines = log_lines(p.log, {" 10.1.2.3 - POST /api/login 401 "});
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                            [](const std::string& l) { return l.find(" 10.1.2.3 - POST /api/login 401 ") != std::string::npos; }));

    Session admin = login(p, "root", "admin-pass-1");
    auto c = p.client();
    EXPECT_EQ(c.Delete("/api/lockouts/addresses/10.1.2.3", admin.headers())->status, 200);
    EXPECT_EQ(c.Delete("/api/lockouts/addresses/10.1.2.3", admin.headers())->status, 404);
    EXPECT_EQ(try_login(p, "gui", "planner-pass-1", office)->status, 200);
    // Only an admin may lift.
    Session planner = login(p, "gui", "planner-pass-1");
    EXPECT_EQ(c.Delete("/api/lockouts/addresses/10.1.2.3", planner.headers())->status, 403);
}

}  // namespace
}  // namespace minplan::testing
