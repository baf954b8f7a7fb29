// Account management for admins (the 账户管理 page): change a role, reset a password, disable or enable an
// account. Every change ends the account's sessions, so a new role or a stop takes effect at once rather
// than after the 8-hour session. Writes go through the plan database's record transactions.
#include "server/auth.hpp"
#include "server/auth_detail.hpp"
#include "server/json_response.hpp"

#include "core/error.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

using namespace detail;

// Changes one account's column and records it in the audit trail, in one transaction; false when there is
// no such account.
bool update_user(store::PlanDatabase& database, const std::string& name, store::AccountField field,
                 const std::string& value, store::AuditEntry audit) {
    auto tx = database.begin_records();
    bool changed = tx->update_account(name, field, value);
    if (changed) {
        audit.object = "账户 " + name;
        tx->audit(audit);
    }
    tx->commit();
    return changed;
}

bool bool_field(const nlohmann::json& j, const char* key, const char* label) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_boolean())
        throw HttpError(400, std::string("请给出") + label + "（JSON 字段 " + key + "，true 或 false）");
    return it->get<bool>();
}

}  // namespace

bool UserStore::set_role(const std::string& name, Role role, const store::AuditEntry& who) {
    if (role == Role::Public) throw InputError("公众（public）不需要账户；账户角色应为 reviewer、planner 或 admin");
    const auto before = find(name);
    store::AuditEntry e = who;
    e.action = "user.role";
    if (before) e.before = to_zh(before->role) + "（" + to_string(before->role) + "）";
    e.after = to_zh(role) + "（" + to_string(role) + "）";
    return update_user(*db_, name, store::AccountField::Role, to_string(role), e);
}

bool UserStore::set_password(const std::string& name, const std::string& password, const store::AuditEntry& who) {
    validate_password(password);
    if (!find(name)) return false;
    store::AuditEntry e = who;
    e.action = "user.password";
    e.after = "密码已重置";  // never the password or its hash
    return update_user(*db_, name, store::AccountField::PasswordHash, hash_password(password), e);
}

bool UserStore::set_disabled(const std::string& name, bool disabled, const store::AuditEntry& who) {
    store::AuditEntry e = who;
    e.action = disabled ? "user.disable" : "user.enable";
    e.after = disabled ? "已停用" : "已启用";
    return update_user(*db_, name, store::AccountField::Disabled, disabled ? "1" : "0", e);
}

void AuthService::end_sessions(const std::string& user, const std::string& keep) {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user == user && kv.first != keep; });
}

void AuthService::add_account_routes(httplib::Server& http, const Wrap& /*wrap*/, const BodyWrap& body) {
    auto route = [&](const char* pattern, auto change) {
        http.Post(pattern, body(body_policy(kAuthMaxBodyBytes, Role::Admin), [this, change](const httplib::Request& req, httplib::Response& res) {
                      Identity me = require(req, Role::Admin);
                      const std::string name = req.matches[1];
                      auto json = parse_json_body(req);
                      std::string message;
                      const store::AuditEntry who{0, "", me.user, client_address(req, proxy_), "", "", "", ""};
                      if (!change(me, who, name, json, message)) throw HttpError(404, "没有用户 \"" + name + "\"");
                      end_sessions(name);
                      send_json(res, 200, {{"user", user_json(*users_.find(name))}, {"message", message}});
                  }));
    };
    route(R"(/api/users/([^/]+)/role)", [this](const Identity& me, const store::AuditEntry& who, const std::string& name, const nlohmann::json& j, std::string& msg) {
        Role role = parse_role(string_field(j, "role", "角色"));
        if (name == me.user && role != Role::Admin) throw HttpError(400, "不能降低当前登录的管理员自己的角色");
        msg = "已将 " + name + " 的角色改为" + to_zh(role) + "（该账户需重新登录）";
        return users_.set_role(name, role, who);
    });
    route(R"(/api/users/([^/]+)/password)", [this](const Identity&, const store::AuditEntry& who, const std::string& name, const nlohmann::json& j, std::string& msg) {
        std::string password = string_field(j, "password", "新密码");
        std::lock_guard lock(hash_mutex_);
        msg = "已重置 " + name + " 的密码（该账户需用新密码重新登录）";
        return users_.set_password(name, password, who);
    });
    route(R"(/api/users/([^/]+)/disabled)", [this](const Identity& me, const store::AuditEntry& who, const std::string& name, const nlohmann::json& j, std::string& msg) {
        bool disabled = bool_field(j, "disabled", "是否停用");
        if (name == me.user && disabled) throw HttpError(400, "不能停用当前登录的管理员自己");
        msg = disabled ? "已停用账户 " + name : "已启用账户 " + name;
        return users_.set_disabled(name, disabled, who);
    });
}

}  // namespace minplan::server
