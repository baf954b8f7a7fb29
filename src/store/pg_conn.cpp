#include "store/pg_conn.hpp"

#include <libpq-fe.h>

#include <regex>

namespace minplan::store::pg {

Result::~Result() {
    if (r_) PQclear(r_);
}
int Result::rows() const { return PQntuples(r_); }
int Result::columns() const { return PQnfields(r_); }
bool Result::is_null(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
std::string Result::text(int row, int column) const {
    return std::string(PQgetvalue(r_, row, column), static_cast<std::size_t>(PQgetlength(r_, row, column)));
}
std::int64_t Result::integer(int row, int column) const { return is_null(row, column) ? 0 : std::stoll(text(row, column)); }
std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(r_);
    return n && *n ? std::stoll(n) : 0;
}

std::string redact(const std::string& conninfo) {
    static const std::regex password(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))");
    return std::regex_replace(conninfo, password, "password=***");
}

std::string ident(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::string literal(const std::string& text) {
    std::string out = "'";
    for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out + "'";
}

Conn::Conn(const std::string& conninfo) : shown_(redact(conninfo)) {
    // The options are checked before any connection: a typo is named as a typo, not as a server problem.
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (!opts) {
        std::string why = err ? err : "";
        if (err) PQfreemem(err);
        throw InputError("PostgreSQL 连接串有误: \"" + shown_ + "\"：" + why +
                         "（应为 libpq 格式，如 PG:host=localhost port=5432 dbname=plans user=minplan）/ bad connection string");
    }
    PQconninfoFree(opts);
    c_ = PQconnectdb(conninfo.c_str());
    if (!c_) throw IoError("无法分配 PostgreSQL 连接 / out of memory");
    if (PQstatus(c_) != CONNECTION_OK) {
        std::string why = PQerrorMessage(c_);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        PQfinish(c_);
        c_ = nullptr;
        std::string hint;
        if (why.find("Connection refused") != std::string::npos || why.find("No such file or directory") != std::string::npos ||
            why.find("timeout") != std::string::npos || why.find("could not translate host name") != std::string::npos)
            hint = "PostgreSQL 服务器未运行或地址/端口不对";
        else if (why.find("does not exist") != std::string::npos)
            hint = "数据库或用户不存在";
        else if (why.find("authentication") != std::string::npos || why.find("password") != std::string::npos)
            hint = "登录被拒绝（用户名或密码错误）";
        else
            hint = "无法连接";
        throw IoError("PostgreSQL " + hint + ": " + shown_ + "（" + why + "）/ cannot connect to PostgreSQL");
    }
    PQsetClientEncoding(c_, "UTF8");
    exec("SET client_min_messages = warning");
}

Conn::~Conn() {
    if (c_) PQfinish(c_);
}

void Conn::fail(pg_result* r, const std::string& sql) {
    std::string state, message;
    if (r) {
        const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        state = s ? s : "";
        const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        message = m ? m : PQresultErrorMessage(r);
        PQclear(r);
    } else {
        message = PQerrorMessage(c_);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (PQstatus(c_) == CONNECTION_BAD)
        throw IoError("与 PostgreSQL 的连接中断（" + shown_ + "）：未提交的写入已全部回滚，数据库保持原状 / connection lost, rolled back: " + message);
    if (state == "42501")
        throw IoError("PostgreSQL 权限不足: " + message + "（所需角色与权限见 docs/database.md “PostGIS 部署”）/ insufficient privilege");
    if (state == "40001" || state == "40P01")
        throw IoError("PostgreSQL 事务冲突，请重试: " + message + " / serialization failure");
    const std::string text = "PostgreSQL 执行失败: " + message + (state.empty() ? "" : " [" + state + "]") + "（" +
                             sql.substr(0, 160) + "）/ statement failed";
    if (state == "42P01" || state == "3F000") throw MissingRelation(text);
    throw IoError(text);
}

Result Conn::exec(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    pg_result* r = params.empty() ? PQexec(c_, sql.c_str())
                                  : PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                                 nullptr, nullptr, 0);
    if (!r) fail(nullptr, sql);
    auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
    return Result(r);
}

std::int64_t Conn::scalar(const std::string& sql, const std::vector<Param>& params, std::int64_t fallback) {
    auto r = exec(sql, params);
    if (r.rows() == 0 || r.is_null(0, 0)) return fallback;
    return r.integer(0, 0);
}

std::vector<std::string> Conn::notifications() {
    std::vector<std::string> out;
    if (!PQconsumeInput(c_)) return out;
    while (PGnotify* n = PQnotifies(c_)) {
        out.emplace_back(n->relname);
        PQfreemem(n);
    }
    return out;
}

}  // namespace minplan::store::pg
