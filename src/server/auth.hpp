// Users, roles, sessions and CSRF for the portal.
//
// Roles rise in rank: public (anonymous, read-only: published layers and tables, and checks that are not
// saved) < reviewer (runs and saves reviews) < planner (also imports annual data and runs reports) <
// admin (also manages users). Accounts live in the plan database (table `minplan_users`, argon2id hashes
// from libsodium); sessions live in memory, keyed by a random token sent in an HttpOnly, SameSite=Strict
// cookie, and die with the process. Every POST/PUT/DELETE of a session must carry the session's CSRF token
// in the X-CSRF-Token header (synchronizer token); the login itself needs the pre-login token of
// GET /api/me (double submit). Anonymous POST /api/check needs none: it changes nothing.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/body_reader.hpp"
#include "server/client.hpp"
#include "server/login_throttle.hpp"
#include "store/plan_database.hpp"

namespace minplan::server {

enum class Role { Public = 0, Reviewer = 1, Planner = 2, Admin = 3 };
Role parse_role(const std::string& s);  // reviewer/planner/admin or 审查员/规划员/管理员; InputError otherwise
std::string to_string(Role r);          // "reviewer"
std::string to_zh(Role r);              // 审查员

// argon2id (libsodium crypto_pwhash_str, interactive limits): "$argon2id$v=19$m=...".
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

struct UserRecord {
    std::string name;
    Role role = Role::Reviewer;
    std::string password_hash;
    std::string created_at;  // UTC ISO 8601
    bool disabled = false;   // an admin stopped the account: its password no longer logs in
};

// Accounts in the plan database. The table is created on the first add(); a database without it simply
// has no accounts.
class UserStore {
public:
    explicit UserStore(std::shared_ptr<store::PlanDatabase> db);
    // InputError for a bad name, a short password, the public role, or a name already taken.
    // `who` names the actor (and client address) for the audit trail, written in the same transaction;
    // an empty actor is the operating-system user (the command line).
    void add(const std::string& name, Role role, const std::string& password, const store::AuditEntry& who = {});
    bool remove(const std::string& name, const store::AuditEntry& who = {});
    // Account management by an admin (accounts.cpp). InputError for a bad role or password; false when
    // there is no such account. `who` as for add().
    bool set_role(const std::string& name, Role role, const store::AuditEntry& who = {});
    bool set_password(const std::string& name, const std::string& password, const store::AuditEntry& who = {});
    bool set_disabled(const std::string& name, bool disabled, const store::AuditEntry& who = {});
    std::optional<UserRecord> find(const std::string& name) const;
    std::vector<UserRecord> list() const;

private:
    std::shared_ptr<store::PlanDatabase> db_;
};

// The current time as "2026-11-29T13:40:05Z".
std::string utc_now_iso8601();

struct Identity {
    enum class State { Anonymous, Valid, Expired };
    State state = State::Anonymous;
    std::string user;
    Role role = Role::Public;
    std::string csrf_token;
    std::chrono::system_clock::time_point expires;
    bool logged_in() const { return state == State::Valid; }
};

class AuthService {
public:
    using Clock = std::chrono::system_clock;
    AuthService(std::shared_ptr<store::PlanDatabase> db, std::chrono::seconds session_ttl, ProxyPolicy proxy = {});

    // Runs before routing: refuses state-changing requests with a missing or wrong CSRF token (403) or an
    // expired session (401). Returns true when it answered the request.
    bool gate(const httplib::Request& req, httplib::Response& res);
    Identity identify(const httplib::Request& req) const;
    // The identity if it has at least `role`; HttpError 401 (not logged in / expired) or 403 otherwise.
    Identity require(const httplib::Request& req, Role role) const;

    // POST /api/login, POST /api/logout, GET /api/me, GET/POST /api/users (admin), DELETE of users and of
    // login lockouts (admin). `wrap` turns exceptions into JSON errors (server.cpp's guarded()); `body`
    // does the same for routes with a request body, read under a BodyPolicy (body_reader.hpp).
    using Wrap = std::function<httplib::Server::Handler(httplib::Server::Handler)>;
    using BodyWrap = std::function<httplib::Server::HandlerWithContentReader(BodyPolicy, httplib::Server::Handler)>;
    void add_routes(httplib::Server& http, const Wrap& wrap, const BodyWrap& body);
    // A BodyPolicy that refuses callers below `role` before the body is read.
    BodyPolicy body_policy(std::size_t max_bytes, Role role) const;
    const ProxyPolicy& proxy() const { return proxy_; }

    // Tests: sessions expire after this; takes effect for sessions created afterwards.
    void set_session_ttl(std::chrono::seconds ttl);

private:
    struct Session {
        std::string user;
        Role role;
        std::string csrf;
        Clock::time_point expires;
    };
    nlohmann::json login(const httplib::Request& req, httplib::Response& res);
    // POST /api/users/{name}/role, /password, /disabled (admin; accounts.cpp).
    void add_account_routes(httplib::Server& http, const Wrap& wrap, const BodyWrap& body);
    // Ends every session of `user` (deleted, disabled, role or password changed); with `keep`, not that one.
    void end_sessions(const std::string& user, const std::string& keep = {});
    void audit_login(const std::string& name, const std::string& address, bool ok);
    // Set-Cookie, with Secure when the browser reached the portal over TLS.
    void set_cookie(const httplib::Request& req, httplib::Response& res, std::string cookie) const;

    std::shared_ptr<store::PlanDatabase> db_;
    UserStore users_;
    mutable std::mutex mutex_;
    std::chrono::seconds ttl_;
    std::map<std::string, Session> sessions_;
    std::mutex hash_mutex_;  // one argon2 computation at a time: 64 MiB each
    LoginThrottle throttle_;
    ProxyPolicy proxy_;
};

// Bodies of the account routes are a few short JSON fields.
inline constexpr std::size_t kAuthMaxBodyBytes = 16u << 10;

// The OpenAPI entries of these endpoints and of saved reviews (auth_openapi.cpp).
void add_auth_openapi_paths(nlohmann::json& paths);

inline constexpr const char* kSessionCookie = "minplan_session";
inline constexpr const char* kLoginCsrfCookie = "minplan_csrf";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

}  // namespace minplan::server
