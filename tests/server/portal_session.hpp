// A browser's session against a RunningPortal: the pre-login CSRF token, the login, and the cookie and
// token every later state-changing request carries.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "running_portal.hpp"
#include "server/auth.hpp"

namespace minplan::testing {

inline std::string set_cookie_value(const httplib::Result& res, const std::string& name) {
    for (std::size_t i = 0, n = res->get_header_value_count("Set-Cookie"); i < n; ++i) {
        std::string c = res->get_header_value("Set-Cookie", i);
        if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
    }
    return {};
}

struct PortalSession {
    int status = 0;  // of the login
    std::string cookie, csrf;
    httplib::Headers headers(bool with_csrf = true) const {
        httplib::Headers h{{"Cookie", std::string(server::kSessionCookie) + "=" + cookie}};
        if (with_csrf) h.emplace(server::kCsrfHeader, csrf);
        return h;
    }
};

inline PortalSession portal_login(const RunningPortal& p, const std::string& user, const std::string& password) {
    auto c = p.client();
    auto me = c.Get("/api/me");
    std::string pre = set_cookie_value(me, server::kLoginCsrfCookie);
    httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
    auto res = c.Post("/api/login", h, nlohmann::json{{"username", user}, {"password", password}}.dump(), "application/json");
    PortalSession s;
    if (!res) return s;
    s.status = res->status;
    if (res->status == 200) {
        s.cookie = set_cookie_value(res, server::kSessionCookie);
        s.csrf = nlohmann::json::parse(res->body)["csrf_token"].get<std::string>();
    }
    return s;
}

}  // namespace minplan::testing
