// The OpenAPI entries of the account, session and saved-review endpoints (auth.cpp, reviews.cpp).
#include <nlohmann/json.hpp>

#include "server/auth.hpp"

namespace minplan::server {
namespace {

using nlohmann::json;

json err(const std::string& desc) {
    return {{"description", desc}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}
json ok(const std::string& desc, const std::string& type = "application/json") {
    return {{"description", desc}, {"content", {{type, {{"schema", {{"type", type == "application/json" ? "object" : "string"}}}}}}}};
}
json csrf_header() {
    return {{"name", kCsrfHeader}, {"in", "header"}, {"required", true},
            {"description", "会话的 CSRF 令牌（登录应答或 GET /api/me 的 csrf_token）/ the session's CSRF token"},
            {"schema", {{"type", "string"}}}};
}
json id_param() {
    return {{"name", "id"}, {"in", "path"}, {"required", true}, {"description", "审查记录编号"}, {"schema", {{"type", "integer"}}}};
}
json json_body(const json& properties) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}, {"properties", properties}}}}}}}};
}

}  // namespace

void add_auth_openapi_paths(json& paths) {
    json str = {{"type", "string"}};
    paths["/api/me"] = {{"get", {
        {"summary", "当前用户与 CSRF 令牌；未登录时为公众，并下发登录用的令牌（Cookie minplan_csrf）/ who am I"},
        {"responses", {{"200", ok("{authenticated, username, role, role_zh, csrf_token, expires_at | session_expired}")}}}}}};
    paths["/api/login"] = {{"post", {
        {"summary", "登录：成功后设置 HttpOnly、SameSite=Strict 的会话 Cookie（minplan_session）/ log in"},
        {"parameters", json::array({csrf_header()})},
        {"requestBody", json_body({{"username", str}, {"password", str}})},
        {"responses", {{"200", ok("{authenticated, username, role, role_zh, csrf_token, expires_at}")},
                       {"400", err("JSON 错误或缺少字段")}, {"401", err("用户名或密码错误")},
                       {"403", err("缺少或错误的 CSRF 令牌")}, {"415", err("须为 application/json")}}}}}};
    paths["/api/logout"] = {{"post", {{"summary", "退出登录 / log out"},
                                      {"parameters", json::array({csrf_header()})},
                                      {"responses", {{"200", ok("已退出")}, {"403", err("缺少或错误的 CSRF 令牌")}}}}}};
    paths["/api/users"] = {
        {"get", {{"summary", "账户列表（管理员）/ accounts (admin)"},
                 {"responses", {{"200", ok("{users: [{username, role, role_zh, created_at}]}")},
                                {"401", err("未登录或登录已过期")}, {"403", err("需要管理员权限")}}}}},
        {"post", {{"summary", "新建账户（管理员）/ add an account (admin)"},
                  {"parameters", json::array({csrf_header()})},
                  {"requestBody", json_body({{"username", str}, {"role", {{"type", "string"}, {"enum", {"reviewer", "planner", "admin"}}}},
                                             {"password", str}})},
                  {"responses", {{"201", ok("新账户")}, {"400", err("用户名已存在、密码过短或角色无效")},
                                 {"401", err("未登录或登录已过期")}, {"403", err("需要管理员权限或 CSRF 令牌")}}}}}};
    paths["/api/users/{name}"] = {{"delete", {{"summary", "删除账户（管理员）/ remove an account (admin)"},
        {"parameters", json::array({csrf_header(), {{"name", "name"}, {"in", "path"}, {"required", true}, {"schema", str}}})},
        {"responses", {{"200", ok("已删除")}, {"404", err("没有该用户")}, {"403", err("需要管理员权限或 CSRF 令牌")}}}}}};
    paths["/api/users/{name}/lockout"] = {{"delete", {{"summary", "解除账户的登录等待（管理员）/ lift a login wait (admin)"},
        {"parameters", json::array({csrf_header(), {{"name", "name"}, {"in", "path"}, {"required", true}, {"schema", str}}})},
        {"responses", {{"200", ok("已解除")}, {"404", err("没有该用户")}, {"403", err("需要管理员权限或 CSRF 令牌")}}}}}};
    // Account management (accounts.cpp): each change ends the account's sessions.
    const std::pair<const char*, const char*> changes[] = {
        {"role", "改变账户角色，JSON {role}（管理员）/ change an account's role (admin)"},
        {"password", "重置账户密码，JSON {password}（管理员）/ reset an account's password (admin)"},
        {"disabled", "停用或启用账户，JSON {disabled: true|false}（管理员）/ disable or enable an account (admin)"}};
    for (const auto& [what, summary] : changes)
        paths[std::string("/api/users/{name}/") + what] = {{"post", {{"summary", summary},
            {"parameters", json::array({csrf_header(), {{"name", "name"}, {"in", "path"}, {"required", true}, {"schema", str}}})},
            {"responses", {{"200", ok("{user, message}")}, {"400", err("取值无效，或管理员降低/停用自己")}, {"404", err("没有该用户")},
                           {"403", err("需要管理员权限或 CSRF 令牌")}}}}}};
    paths["/api/lockouts/addresses/{address}"] = {{"delete", {{"summary", "解除客户端地址的登录等待（管理员）/ lift an address's login wait (admin)"},
        {"parameters", json::array({csrf_header(), {{"name", "address"}, {"in", "path"}, {"required", true}, {"schema", str}}})},
        {"responses", {{"200", ok("已解除")}, {"404", err("该地址没有登录等待")}, {"403", err("需要管理员权限或 CSRF 令牌")}}}}}};
    json limit = {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"maximum", 500}}}};
    json offset = {{"name", "offset"}, {"in", "query"}, {"schema", {{"type", "integer"}}}};
    paths["/api/reviews"] = {{"get", {{"summary", "已保存的审查记录，最新在前（审查员及以上）/ saved reviews (reviewer+)"},
        {"parameters", json::array({limit, offset})},
        {"responses", {{"200", ok("{reviews: [{id, number（审查意见编号）, created_at（UTC）, created_at_local（北京时间）, username, verdict, application_name, ...}], total}")},
                       {"401", err("未登录或登录已过期")}}}}}};
    paths["/api/reviews/{id}"] = {{"get", {{"summary", "一条审查记录：审查意见编号、审查人、时间（created_at UTC，created_at_local 北京时间）、原始输入、属性、结论与报告 / one saved review"},
        {"parameters", json::array({id_param()})},
        {"responses", {{"200", ok("审查记录")}, {"401", err("未登录或登录已过期")}, {"404", err("没有该记录")}}}}}};
    paths["/api/reviews/{id}/opinion.html"] = {{"get", {{"summary", "审查意见（HTML，可打印）；?download=1 作为附件下载 / the review opinion"},
        {"parameters", json::array({id_param()})},
        {"responses", {{"200", ok("审查意见", "text/html")}, {"401", err("未登录或登录已过期")}, {"404", err("没有该记录")}}}}}};
    paths["/api/reviews/{id}/opinion.pdf"] = {{"get", {{"summary", "审查意见 PDF（保存的 HTML 经 headless chromium 打印，与 minplan check --format pdf 相同）；?download=1 作为附件 / the review opinion as PDF (reviewer+)"},
        {"parameters", json::array({id_param()})},
        {"responses", {{"200", ok("审查意见 PDF", "application/pdf")}, {"401", err("未登录或登录已过期")}, {"403", err("需要审查员或以上权限")},
                       {"404", err("没有该记录")}, {"503", err("服务器未安装 chromium，无法生成 PDF")}}}}}};
    paths["/api/reviews/{id}/opinion.docx"] = {{"get", {{"summary", "审查意见 Word 文档（保存的审查意见经 pandoc 转换，可编辑后签发；与 minplan check --format docx 相同）/ the review opinion as DOCX (reviewer+)"},
        {"parameters", json::array({id_param()})},
        {"responses", {{"200", ok("审查意见 DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")},
                       {"401", err("未登录或登录已过期")}, {"403", err("需要审查员或以上权限")}, {"404", err("没有该记录")},
                       {"503", err("服务器未安装 pandoc 或 rsvg-convert，无法生成 Word 文档")}}}}}};
    json file_schema = {{"type", "object"}, {"required", json::array({"file"})},
                        {"properties", {{"file", {{"type", "string"}, {"format", "binary"},
                                                  {"description", "年度数据文件：CSV 或 XLSX（模板见 docs/monitoring.md）"}}},
                                        {"replace", {{"type", "string"}, {"enum", {"true", "false"}},
                                                     {"description", "已存在的同一矿山同一年度数据以本次为准"}}}}}};
    paths["/api/intake"] = {{"post", {{"summary", "年度数据报送导入（规划员及以上），与 minplan intake 相同：全部成功或不写入 / annual data intake (planner+)"},
        {"description", "multipart/form-data，一个文件字段 file（上限 16 MiB），可选 replace=true（表单字段或查询参数）。"
                        "有错误时返回 400，error.problems 逐条列出文件、工作表、行、列与原因，数据库不变。"},
        {"parameters", json::array({csrf_header(), {{"name", "replace"}, {"in", "query"}, {"schema", {{"type", "boolean"}}}},
                                    {{"name", "dry_run"}, {"in", "query"}, {"description", "只校验并统计，不写入 / validate only"},
                                     {"schema", {{"type", "boolean"}}}}})},
        {"requestBody", {{"required", true}, {"content", {{"multipart/form-data", {{"schema", file_schema}}}}}}},
        {"responses", {{"200", ok("{imported: {mines, mine_years, exploration}, file, replace, message}；dry_run: {dry_run: true, would_import, file, replace, message}")},
                       {"400", err("数据有错（error.problems 列出每处错误），未导入任何数据")},
                       {"401", err("未登录或登录已过期")}, {"403", err("需要规划员或以上权限，或缺少 CSRF 令牌")},
                       {"413", err("文件超过 16 MiB")}, {"415", err("须为 multipart/form-data")}}}}}};
    paths["/api/geoenv/import"] = {{"post", {{"summary", "矿山地质环境图层上传（规划员及以上），与 minplan import 相同：全部成功或不写入 / geo-environment upload (planner+)"},
        {"description", "multipart/form-data：file（.xlsx/.csv 属性表，.gpkg/.geojson 图斑与覆盖范围，上限 16 MiB），layer（geoenv_sites、geoenv_projects、"
                        "geoenv_project_years、geoenv_campaigns、geoenv_findings、green_mine_register），可选 sheet、append、dry_run。"
                        "dry_run=true 只校验不写入；有错误时返回 400，error.problems 逐条列出行与原因，数据库不变。"},
        {"parameters", json::array({csrf_header()})},
        {"responses", {{"200", ok("{dry_run, layer, layer_zh, file, append, rows, layer_total, warnings, message}")},
                       {"400", err("数据有错（error.problems 列出每处错误），未导入任何数据")},
                       {"401", err("未登录或登录已过期")}, {"403", err("需要规划员或以上权限，或缺少 CSRF 令牌")},
                       {"413", err("文件超过 16 MiB")}, {"415", err("须为 multipart/form-data")}}}}}};
    paths["/api/check/attributes"] = {{"get", {{"summary", "审查可用的申请属性（键、中文名、类型）/ application attributes"},
        {"responses", {{"200", ok("{attributes: [{key, label_zh, type}]}")}}}}}};
    if (paths.contains("/api/check") && paths["/api/check"].contains("post")) {
        auto& post = paths["/api/check"]["post"];
        post["description"] =
            "未登录（公众）可自查，结果不保存，应答中 review.saved = false；审查员及以上登录后提交（须带 X-CSRF-Token）的审查"
            "存入 minplan_reviews 并按规划设置的格式编号（如 大同规审〔2026〕0001号，每年连续），应答中 review = {saved, id, number, created_at, "
            "created_at_local, reviewer, opinion_url, pdf_url, docx_url}。format=html 直接返回审查意见（未登录时为无编号的草稿）。"
            "file_name：上传文件名，仅当文件与属性均未给出项目名称时用作项目名称。";
        post["responses"]["401"] = err("登录已过期");
        post["responses"]["403"] = err("会话请求缺少或错误的 CSRF 令牌");
    }
}

}  // namespace minplan::server
