// The HTTP targets' server: a PortalServer (src/server) on an ephemeral loopback port of this process,
// over a private copy of the shipped plan with a planner account, started once; requests go through
// httplib::Client, so the whole request path runs: httplib's parsing, the auth gate, the route, the
// handler and its error mapping. A finding is a 500 (an exception the handler did not map), a status the
// route does not document, a body that is not the JSON error the API promises, or a server that stops
// answering.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "fuzz_support.hpp"
#include "server/auth.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"

namespace minplan::fuzz {

struct Portal {
    std::unique_ptr<server::PortalServer> server;
    std::thread thread;
    int port = 0;
    std::string session_cookie, csrf;  // the planner's session

    Portal() {
        const auto db = copy_of_plan("portal.gpkg");
        server::UserStore(store::open_database(db.string())).add("fuzz", server::Role::Planner, "fuzz-planner-pass-1");
        server::ServerOptions o;
        o.port = 0;
        o.web_root = scratch_dir() / "web";
        o.worker_threads = 4;
        server = std::make_unique<server::PortalServer>(store::open_database(db.string()), o);
        port = server->bind();
        thread = std::thread([this] { server->run(); });
        for (int i = 0; i < 1000 && !server->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        login();
    }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60);
        c.set_keep_alive(true);
        return c;
    }

    static std::string cookie(const httplib::Result& res, const std::string& name) {
        for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
            const std::string c = res->get_header_value("Set-Cookie", i);
            if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
        }
        return {};
    }

    void login() {
        auto c = client();
        auto me = c.Get("/api/me");
        require(static_cast<bool>(me), "portal does not answer /api/me");
        const std::string pre = cookie(me, server::kLoginCsrfCookie);
        httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
        auto res = c.Post("/api/login", h, nlohmann::json{{"username", "fuzz"}, {"password", "fuzz-planner-pass-1"}}.dump(),
                          "application/json");
        require(res && res->status == 200, "fuzz planner cannot log in", res ? res->body : "no answer");
        session_cookie = cookie(res, server::kSessionCookie);
        csrf = nlohmann::json::parse(res->body).at("csrf_token").get<std::string>();
    }

    httplib::Headers planner_headers() const {
        return {{"Cookie", std::string(server::kSessionCookie) + "=" + session_cookie}, {server::kCsrfHeader, csrf}};
    }
};

// Started on first use and never stopped: the process exits with it.
inline Portal& portal() {
    static Portal* p = new Portal();
    return *p;
}

// The answer must exist, have one of `allowed` statuses, and be JSON (an object); an error must be the
// API's {"error": {"status", "message"}} with a message.
inline nlohmann::json check_answer(const httplib::Result& res, const std::set<int>& allowed, const std::string& what) {
    require(static_cast<bool>(res), "server did not answer", what + " " + httplib::to_string(res.error()));
    static const bool verbose = std::getenv("MINPLAN_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "%s -> %d %s\n", what.c_str(), res->status, res->body.substr(0, 300).c_str());
    require(allowed.count(res->status) == 1, "undocumented status",
            what + " -> " + std::to_string(res->status) + " " + res->body.substr(0, 1500));
    const bool html = res->get_header_value("Content-Type").rfind("text/html", 0) == 0;
    if (html) {
        require(res->status == 200, "HTML error page", res->body.substr(0, 500));
        return {};
    }
    auto body = nlohmann::json::parse(res->body, nullptr, false);
    require(body.is_object(), "answer is not a JSON object", what + " -> " + res->body.substr(0, 500));
    if (res->status >= 400) {
        require(body.contains("error") && body["error"].is_object() && body["error"].value("status", 0) == res->status,
                "error body without its status", res->body.substr(0, 500));
        require(body["error"].contains("message") && body["error"]["message"].is_string() &&
                    !body["error"]["message"].get<std::string>().empty(),
                "error without a message", res->body.substr(0, 500));
    }
    return body;
}

// Bytes as a URL query: unreserved characters, '=', '&' and '%' as they are (so that the fuzzer reaches
// the server's percent-decoding), everything else percent-encoded.
inline std::string as_query(std::string_view raw) {
    static const char* hex = "0123456789ABCDEF";
    std::string q;
    for (unsigned char c : raw) {
        if (std::isalnum(c) || c == '=' || c == '&' || c == '%' || c == '-' || c == '_' || c == '.' || c == '~') q += static_cast<char>(c);
        else {
            q += '%';
            q += hex[c >> 4];
            q += hex[c & 15];
        }
    }
    return q;
}

}  // namespace minplan::fuzz
