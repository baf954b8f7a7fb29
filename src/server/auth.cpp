#include "server/auth.hpp"
#include "server/auth_detail.hpp"
#include "server/json_response.hpp"

#include <sodium.h>

#include <ctime>

#include <fmt/format.h>

#include "core/error.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {


constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 4096;

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw InternalError("libsodium 初始化失败 / sodium_init failed");
}

std::string random_token() {
    ensure_sodium();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char hex[sizeof bytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

bool same_secret(const std::string& a, const std::string& b) {
    return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string format_time(std::chrono::system_clock::time_point t, const char* format) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

std::string iso8601(std::chrono::system_clock::time_point t) { return format_time(t, "%Y-%m-%dT%H:%M:%SZ"); }

std::string cookie_value(const httplib::Request& req, const std::string& name) {
    for (std::size_t i = 0, n = req.get_header_value_count("Cookie"); i < n; ++i) {
        std::string header = req.get_header_value("Cookie", i);
        std::size_t pos = 0;
        while (pos < header.size()) {
            std::size_t end = header.find(';', pos);
            if (end == std::string::npos) end = header.size();
            std::string part = header.substr(pos, end - pos);
            std::size_t b = part.find_first_not_of(' ');
            if (b != std::string::npos) part.erase(0, b);
            if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=')
                return part.substr(name.size() + 1);
            pos = end + 1;
        }
    }
    return {};
}

std::string session_cookie(const std::string& token, std::chrono::seconds ttl, std::chrono::system_clock::time_point expires) {
    return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(ttl.count()) + "; Expires=" + format_time(expires, "%a, %d %b %Y %H:%M:%S GMT");
}

std::string cleared_session_cookie() {
    return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
}

bool state_changing(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH";
}

const std::string kExpiredMessage = "登录已过期或已失效，请重新登录（会话有效期内未操作或服务已重启）";

void validate_name(const std::string& name) {
    if (name.empty() || name.size() > 64) throw InputError("用户名应为 1～64 字节，实际为 " + std::to_string(name.size()) + " 字节");
    for (unsigned char c : name)
        if (c < 0x21 || c == 0x7f) throw InputError("用户名不能含空格或控制字符: \"" + name + "\"");
}

}  // namespace

namespace detail {

void validate_password(const std::string& password) {
    if (password.size() < kMinPassword) throw InputError("密码至少 " + std::to_string(kMinPassword) + " 个字符");
    if (password.size() > kMaxPassword) throw InputError("密码过长（最多 4096 字节）");
}

nlohmann::json user_json(const UserRecord& u) {
    return {{"username", u.name}, {"role", to_string(u.role)}, {"role_zh", to_zh(u.role)}, {"created_at", u.created_at},
            {"disabled", u.disabled}};
}

nlohmann::json parse_json_body(const httplib::Request& req) {
    std::string ct = req.get_header_value("Content-Type");
    if (ct.rfind("application/json", 0) != 0)
        throw HttpError(415, "请以 application/json 提交（当前内容类型: \"" + ct + "\"）");
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw HttpError(400, "请求体不是合法的 JSON 对象");
    return j;
}

std::string string_field(const nlohmann::json& j, const char* key, const char* label) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
        throw HttpError(400, std::string("请填写") + label + "（JSON 字段 " + key + "）");
    return it->get<std::string>();
}

}  // namespace detail

using namespace detail;

Role parse_role(const std::string& s) {
    if (s == "reviewer" || s == "审查员") return Role::Reviewer;
    if (s == "planner" || s == "规划员") return Role::Planner;
    if (s == "admin" || s == "管理员") return Role::Admin;
    if (s == "public" || s == "公众")
        throw InputError("公众（public）不需要账户：未登录即为公众；账户角色应为 reviewer、planner 或 admin");
    throw InputError("未知角色 \"" + s + "\"：应为 reviewer（审查员）、planner（规划员）或 admin（管理员）");
}

std::string to_string(Role r) {
    switch (r) {
        case Role::Public: return "public";
        case Role::Reviewer: return "reviewer";
        case Role::Planner: return "planner";
        case Role::Admin: return "admin";
    }
    return "public";
}

std::string to_zh(Role r) {
    switch (r) {
        case Role::Public: return "公众";
        case Role::Reviewer: return "审查员";
        case Role::Planner: return "规划员";
        case Role::Admin: return "管理员";
    }
    return "公众";
}

std::string hash_password(const std::string& password) {
    ensure_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw InternalError("密码哈希失败（内存不足？）/ crypto_pwhash_str failed");
    return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
    ensure_sodium();
    if (hash.rfind("$argon2id$", 0) != 0) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string utc_now_iso8601() { return iso8601(std::chrono::system_clock::now()); }

// ---------------------------------------------------------------- accounts

UserStore::UserStore(std::shared_ptr<store::PlanDatabase> db) : db_(std::move(db)) {}

void UserStore::add(const std::string& name, Role role, const std::string& password, const store::AuditEntry& who) {
    validate_name(name);
    validate_password(password);
    if (role == Role::Public) throw InputError("公众（public）不需要账户；账户角色应为 reviewer、planner 或 admin");
    std::string hash = hash_password(password);
    auto tx = db_->begin_records();
    if (!tx->add_account({name, to_string(role), hash, utc_now_iso8601(), false}))
        throw InputError("用户 \"" + name + "\" 已存在");
    store::AuditEntry e = who;
    e.action = "user.add";
    e.object = "账户 " + name;
    e.after = to_zh(role) + "（" + to_string(role) + "）";
    tx->audit(e);
    tx->commit();
}

bool UserStore::remove(const std::string& name, const store::AuditEntry& who) {
    auto tx = db_->begin_records();
    bool removed = tx->remove_account(name);
    if (removed) {
        store::AuditEntry e = who;
        e.action = "user.remove";
        e.object = "账户 " + name;
        e.before = "存在";
        e.after = "已删除";
        tx->audit(e);
    }
    tx->commit();
    return removed;
}

namespace {
UserRecord user_of(const store::AccountRecord& a) { return {a.name, parse_role(a.role), a.password_hash, a.created_at, a.disabled}; }
}  // namespace

std::optional<UserRecord> UserStore::find(const std::string& name) const {
    auto a = db_->account(name);
    if (!a) return std::nullopt;
    return user_of(*a);
}

std::vector<UserRecord> UserStore::list() const {
    std::vector<UserRecord> out;
    for (const auto& a : db_->accounts()) out.push_back(user_of(a));
    return out;
}

// ---------------------------------------------------------------- sessions

AuthService::AuthService(std::shared_ptr<store::PlanDatabase> db, std::chrono::seconds session_ttl, ProxyPolicy proxy)
    : db_(db), users_(std::move(db)), ttl_(session_ttl), proxy_(std::move(proxy)) {}

void AuthService::set_cookie(const httplib::Request& req, httplib::Response& res, std::string cookie) const {
    if (over_tls(req, proxy_)) cookie += "; Secure";
    res.set_header("Set-Cookie", cookie);
}

BodyPolicy AuthService::body_policy(std::size_t max_bytes, Role role) const {
    return {max_bytes, [this, role](const httplib::Request& req) {
                if (role != Role::Public) require(req, role);
            }};
}

void AuthService::set_session_ttl(std::chrono::seconds ttl) {
    std::lock_guard lock(mutex_);
    ttl_ = ttl;
}

Identity AuthService::identify(const httplib::Request& req) const {
    Identity id;
    std::string token = cookie_value(req, kSessionCookie);
    if (token.empty()) return id;
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(token);
    if (it == sessions_.end() || it->second.expires <= Clock::now()) {
        id.state = Identity::State::Expired;
        return id;
    }
    id.state = Identity::State::Valid;
    id.user = it->second.user;
    id.role = it->second.role;
    id.csrf_token = it->second.csrf;
    id.expires = it->second.expires;
    return id;
}

Identity AuthService::require(const httplib::Request& req, Role role) const {
    Identity id = identify(req);
    if (id.state == Identity::State::Expired) throw HttpError(401, kExpiredMessage);
    if (id.state == Identity::State::Anonymous)
        throw HttpError(401, "请先登录：此操作需要" + to_zh(role) + "或更高权限的账户");
    if (id.role < role)
        throw HttpError(403, "用户 " + id.user + "（" + to_zh(id.role) + "）无权执行此操作：需要" + to_zh(role) + "或更高权限");
    return id;
}

bool AuthService::gate(const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/", 0) != 0 || !state_changing(req.method)) return false;
    auto refuse = [&res](int status, const std::string& message) {
        send_json(res, status, error_body(status, message));
        return true;
    };
    // A browser names the page that sent the request; it must be this portal.
    std::string origin = req.get_header_value("Origin");
    if (!origin.empty()) {
        std::size_t scheme = origin.find("://");
        std::string host = scheme == std::string::npos ? origin : origin.substr(scheme + 3);
        if (host != req.get_header_value("Host"))
            return refuse(403, "跨站请求被拒绝：请求来源 " + origin + " 不是本门户");
    }
    std::string header = req.get_header_value(kCsrfHeader);
    Identity id = identify(req);
    if (id.state == Identity::State::Valid) {
        if (header.empty()) return refuse(403, "缺少 CSRF 令牌（请求头 X-CSRF-Token）：请刷新页面后重试");
        if (!same_secret(header, id.csrf_token)) return refuse(403, "CSRF 令牌与当前会话不符：请刷新页面后重试");
        return false;
    }
    if (id.state == Identity::State::Expired && req.path != "/api/login" && req.path != "/api/logout") {
        set_cookie(req, res, cleared_session_cookie());
        return refuse(401, kExpiredMessage);
    }
    if (req.path == "/api/login") {
        if (header.empty()) return refuse(403, "缺少 CSRF 令牌（请求头 X-CSRF-Token）：请先请求 GET /api/me 取得令牌");
        if (!same_secret(header, cookie_value(req, kLoginCsrfCookie)))
            return refuse(403, "CSRF 令牌不符：请刷新页面（GET /api/me）后重新登录");
    }
    return false;
}

// Logins, failed ones included, are in the audit trail (the name as typed: a probe of names shows there).
void AuthService::audit_login(const std::string& name, const std::string& address, bool ok) {
    try {
        db_->append_audit({0, "", name.substr(0, 64), address, ok ? "login.ok" : "login.failed", "账户 " + name.substr(0, 64), "",
                           ok ? "登录成功" : "用户名或密码错误"});
    } catch (const Error&) {  // a busy database must not turn a login into an error
    }
}

nlohmann::json AuthService::login(const httplib::Request& req, httplib::Response& res) {
    auto body = parse_json_body(req);
    std::string name = string_field(body, "username", "用户名");
    std::string password = string_field(body, "password", "密码");
    if (password.size() > kMaxPassword) throw HttpError(400, "密码过长");
    const std::string address = client_address(req, proxy_);
    if (auto wait = throttle_.wait(name, address, LoginThrottle::Clock::now())) {
        res.set_header("Retry-After", std::to_string(wait->count()));
        throw HttpError(429, fmt::format("登录失败次数过多（同一账号连续 {} 次或同一地址 {} 次）：请 {} 秒后再试，"
                                         "或请管理员核实 / too many failed logins, retry after {} s",
                                         throttle_.policy().account_failures, throttle_.policy().address_failures,
                                         wait->count(), wait->count()));
    }
    auto user = users_.find(name);
    bool ok = false;
    {
        std::lock_guard lock(hash_mutex_);
        // Unknown names cost the same time as wrong passwords, so that names cannot be probed.
        static const std::string dummy = hash_password("minplan-dummy-password");
        ok = verify_password(user ? user->password_hash : dummy, password) && user.has_value();
    }
    if (!ok) {
        throttle_.failed(name, address, LoginThrottle::Clock::now());
        audit_login(name, address, false);
        throw HttpError(401, "用户名或密码错误");
    }
    throttle_.succeeded(name, address);
    if (user->disabled) {
        audit_login(name, address, false);
        throw HttpError(403, "账户 " + name + " 已被管理员停用：请联系管理员");
    }
    audit_login(name, address, true);
    Session s{user->name, user->role, random_token(), {}};
    std::string token = random_token();
    std::chrono::seconds ttl;
    {
        std::lock_guard lock(mutex_);
        ttl = ttl_;
        s.expires = Clock::now() + ttl;
        auto now = Clock::now();
        std::erase_if(sessions_, [now](const auto& kv) { return kv.second.expires <= now; });
        if (std::string old = cookie_value(req, kSessionCookie); !old.empty()) sessions_.erase(old);  // no fixation
        sessions_[token] = s;
    }
    set_cookie(req, res, session_cookie(token, ttl, s.expires));
    return {{"authenticated", true}, {"username", s.user}, {"role", to_string(s.role)}, {"role_zh", to_zh(s.role)},
            {"csrf_token", s.csrf}, {"expires_at", iso8601(s.expires)}};
}

void AuthService::add_routes(httplib::Server& http, const Wrap& wrap, const BodyWrap& body) {
    http.Post("/api/login", body(body_policy(kAuthMaxBodyBytes, Role::Public), [this](const httplib::Request& req, httplib::Response& res) {
                  send_json(res, 200, login(req, res));
              }));
    http.Post("/api/logout", body(body_policy(kAuthMaxBodyBytes, Role::Public), [this](const httplib::Request& req, httplib::Response& res) {
                  std::string token = cookie_value(req, kSessionCookie);
                  if (!token.empty()) {
                      std::lock_guard lock(mutex_);
                      sessions_.erase(token);
                  }
                  set_cookie(req, res, cleared_session_cookie());
                  send_json(res, 200, {{"authenticated", false}, {"message", "已退出登录"}});
              }));
    http.Get("/api/me", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 Identity id = identify(req);
                 if (id.logged_in()) {
                     send_json(res, 200, {{"authenticated", true}, {"username", id.user}, {"role", to_string(id.role)},
                                          {"role_zh", to_zh(id.role)}, {"csrf_token", id.csrf_token},
                                          {"expires_at", iso8601(id.expires)}});
                     return;
                 }
                 // Anonymous: hand out the pre-login token (double submit: cookie + header on POST /api/login).
                 std::string pre = cookie_value(req, kLoginCsrfCookie);
                 if (pre.size() != 64 || pre.find_first_not_of("0123456789abcdef") != std::string::npos) {
                     pre = random_token();
                     set_cookie(req, res, std::string(kLoginCsrfCookie) + "=" + pre + "; Path=/; HttpOnly; SameSite=Strict");
                 }
                 nlohmann::json anonymous = {{"authenticated", false}, {"role", "public"}, {"role_zh", to_zh(Role::Public)},
                                             {"csrf_token", pre}};
                 if (id.state == Identity::State::Expired) {
                     set_cookie(req, res, cleared_session_cookie());
                     anonymous["session_expired"] = true;
                     anonymous["message"] = kExpiredMessage;
                 }
                 send_json(res, 200, anonymous);
             }));
    http.Get("/api/users", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 require(req, Role::Admin);
                 nlohmann::json list = nlohmann::json::array();
                 for (const auto& u : users_.list()) list.push_back(user_json(u));
                 send_json(res, 200, {{"users", list}});
             }));
    http.Post("/api/users", body(body_policy(kAuthMaxBodyBytes, Role::Admin), [this](const httplib::Request& req, httplib::Response& res) {
                  require(req, Role::Admin);
                  auto fields = parse_json_body(req);
                  std::string name = string_field(fields, "username", "用户名");
                  Role role = parse_role(string_field(fields, "role", "角色"));
                  std::string password = string_field(fields, "password", "密码");
                  {
                      std::lock_guard lock(hash_mutex_);
                      Identity me = identify(req);
                      users_.add(name, role, password, {0, "", me.user, client_address(req, proxy_), "", "", "", ""});
                  }
                  send_json(res, 201, user_json(*users_.find(name)));
              }));
    // DELETEs carry no body; some httplib versions only route a DELETE with a Content-Length to
    // content-reader handlers, so these stay plain handlers (curl -X DELETE sends no length).
    http.Delete(R"(/api/users/([^/]+)/lockout)", wrap([this](const httplib::Request& req, httplib::Response& res) {
                    require(req, Role::Admin);
                    std::string name = req.matches[1];
                    if (!users_.find(name)) throw HttpError(404, "没有用户 \"" + name + "\"");
                    throttle_.lift(name);
                    send_json(res, 200, {{"unlocked", name}, {"message", "已解除账户 " + name + " 的登录等待"}});
                }));
    http.Delete(R"(/api/lockouts/addresses/([^/]+))", wrap([this](const httplib::Request& req, httplib::Response& res) {
                    require(req, Role::Admin);
                    std::string address = req.matches[1];
                    if (!throttle_.lift_address(address)) throw HttpError(404, "地址 " + address + " 没有登录等待");
                    send_json(res, 200, {{"unlocked_address", address}, {"message", "已解除地址 " + address + " 的登录等待"}});
                }));
    add_account_routes(http, wrap, body);
    http.Delete(R"(/api/users/([^/]+))", wrap([this](const httplib::Request& req, httplib::Response& res) {
                    Identity me = require(req, Role::Admin);
                    std::string name = req.matches[1];
                    if (name == me.user) throw HttpError(400, "不能删除当前登录的管理员自己");
                    if (!users_.remove(name, {0, "", me.user, client_address(req, proxy_), "", "", "", ""}))
                        throw HttpError(404, "没有用户 \"" + name + "\"");
                    end_sessions(name);
                    send_json(res, 200, {{"deleted", name}});
                }));
}

}  // namespace minplan::server
