#include "server/reviews.hpp"
#include "server/json_response.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "rules/external_tool.hpp"
#include "rules/model.hpp"
#include "rules/opinion.hpp"
#include "rules/pdf.hpp"
#include "server/downloads.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

constexpr const char* kDefaultNumberPattern = "〔{year}〕{seq:04}号";

// The stored UTC time as the bureau reads it.
std::string local_time(const std::string& utc) {
    auto t = rules::shanghai_time(utc);
    return t ? t->text() : utc;
}

// The opinion is rendered from escaped text, but it is still a page built from an applicant's input:
// it may not run scripts or load anything.
void send_opinion(httplib::Response& res, const std::string& html, const std::string& filename, bool download) {
    res.status = 200;
    res.headers.erase("Content-Security-Policy");  // replaces the portal's default (server.cpp), keeping frame-ancestors
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
    if (download) res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.set_content(html, "text/html; charset=utf-8");
}

std::size_t count_param(const httplib::Request& req, const char* key, std::size_t fallback, std::size_t max) {
    if (!req.has_param(key)) return fallback;
    std::string s = req.get_param_value(key);
    std::size_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v > max)
        throw HttpError(400, std::string("参数 ") + key + " 应为 0～" + std::to_string(max) + " 的整数，实际为 \"" + s + "\"");
    return v;
}

std::int64_t review_id(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) throw HttpError(400, "审查记录编号应为正整数，实际为 \"" + s + "\"");
    return v;
}

nlohmann::json attributes_of(const Params& params) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : params) {
        if (!out.contains(k)) out[k] = v;
        else if (out[k].is_array()) out[k].push_back(v);
        else out[k] = nlohmann::json::array({out[k], v});
    }
    return out;
}

}  // namespace

ReviewLog::ReviewLog(std::shared_ptr<store::PlanDatabase> db) : db_(std::move(db)) {}

std::int64_t ReviewLog::save(SavedReview& r, const std::string& number_pattern, const std::function<void(SavedReview&)>& render) {
    auto tx = db_->begin_records();
    r.created_at = utc_now_iso8601();
    const int year = rules::shanghai_time(std::chrono::system_clock::now()).year;
    r.number = rules::format_review_number(number_pattern.empty() ? kDefaultNumberPattern : number_pattern, year,
                                           tx->next_review_number(year));
    if (render) render(r);
    std::int64_t id = tx->insert_review({0, r.created_at, r.username, r.role, r.input_format, r.input, json_text(r.attributes),
                                         r.verdict, json_text(r.report), r.opinion_html});
    tx->audit({0, "", r.username, "", "review.save", "审查 " + std::to_string(id) + " " + r.number, "", r.verdict});
    tx->commit();
    r.id = id;  // acknowledged only once committed
    return r.id;
}

std::optional<SavedReview> ReviewLog::get(std::int64_t id) const {
    auto stored = db_->review(id);
    if (!stored) return std::nullopt;
    SavedReview r;
    r.id = stored->id;
    r.created_at = stored->created_at;
    r.username = stored->username;
    r.role = stored->role;
    r.input_format = stored->input_format;
    r.input = stored->input;
    r.attributes = nlohmann::json::parse(stored->attributes_json, nullptr, false);
    r.verdict = stored->verdict;
    r.report = nlohmann::json::parse(stored->report_json, nullptr, false);
    r.opinion_html = stored->opinion_html;
    if (r.report.is_object() && r.report.contains("opinion")) r.number = r.report["opinion"].value("number", "");
    return r;
}

nlohmann::json ReviewLog::list(std::size_t limit, std::size_t offset) const {
    auto page = db_->reviews(limit, offset);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& s : page.rows)
        rows.push_back({{"id", s.id}, {"created_at", s.created_at}, {"created_at_local", local_time(s.created_at)},
                        {"number", s.number}, {"username", s.username}, {"role", s.role},
                        {"verdict", s.verdict}, {"application_name", s.application_name}, {"kind", s.kind},
                        {"action", s.action},
                        {"area_km2", s.area_km2 ? nlohmann::json(*s.area_km2) : nlohmann::json(nullptr)}});
    if (page.total == 0 && page.rows.empty()) return {{"reviews", rows}, {"total", 0}};
    return {{"reviews", rows}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
}

ReviewService::ReviewService(std::shared_ptr<store::PlanDatabase> db, CheckService& checker, const AuthService& auth)
    : log_(std::move(db)), checker_(checker), auth_(auth) {}

void ReviewService::handle_check(const httplib::Request& req, httplib::Response& res, bool json, Params params) {
    bool html = false;
    if (auto it = params.find("format"); it != params.end()) {
        if (it->second != "html" && it->second != "json") throw HttpError(400, "参数 format 应为 json 或 html");
        html = it->second == "html";
        params.erase("format");
    }
    Identity who = auth_.identify(req);
    bool save = who.logged_in() && who.role >= Role::Reviewer;
    if (!save) {
        if (html) return send_opinion(res, checker_.check_with_opinion(req.body, json, params).opinion_html, "opinion.html", false);
        const nlohmann::json review = {{"saved", false},
                                       {"message", "未登录：本次审查仅供自查，结果未保存。审查员登录后提交的审查会存档备查。"}};
        res.status = 200;
        res.set_content(checker_.check_text(req.body, json, params, {{"review", review}}), "application/json; charset=utf-8");
        return;
    }
    auto outcome = checker_.review(req.body, json, params);
    SavedReview r;
    r.username = who.user;
    r.role = to_string(who.role);
    r.input_format = req.get_header_value("Content-Type");
    r.input = req.body;
    r.attributes = attributes_of(params);
    r.verdict = outcome.report.value("verdict", "");
    log_.save(r, outcome.settings.number_pattern, [&](SavedReview& saved) {
        auto info = rules::opinion_info_now(outcome.settings, who.user, to_zh(who.role));
        info.number = saved.number;
        saved.opinion_html = rules::opinion_html(*outcome.model, info);
        saved.report = outcome.report;
        saved.report["opinion"] = rules::opinion_to_json(info);
    });
    if (html) return send_opinion(res, r.opinion_html, "review-" + std::to_string(r.id) + ".html", false);
    outcome.report = r.report;
    outcome.report["review"] = {{"saved", true},
                                {"id", r.id},
                                {"created_at", r.created_at},
                                {"created_at_local", local_time(r.created_at)},
                                {"number", r.number},
                                {"reviewer", r.username},
                                {"docx_url", "/api/reviews/" + std::to_string(r.id) + "/opinion.docx"},
                                {"pdf_url", "/api/reviews/" + std::to_string(r.id) + "/opinion.pdf"},
                                {"opinion_url", "/api/reviews/" + std::to_string(r.id) + "/opinion.html"},
                                {"message", "审查记录已保存（审查意见编号 " + r.number + "，审查员 " + r.username + "）"}};
    send_json(res, 200, outcome.report);
}

void ReviewService::add_routes(httplib::Server& http, const AuthService::Wrap& wrap) {
    http.Get("/api/check/attributes", wrap([](const httplib::Request&, httplib::Response& res) {
                 nlohmann::json list = nlohmann::json::array();
                 for (const auto& d : rules::attribute_defs())
                     list.push_back({{"key", d.key}, {"label_zh", d.label_zh}, {"type", d.type}});
                 send_json(res, 200, {{"attributes", list}});
             }));
    http.Get("/api/reviews", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 send_json(res, 200, log_.list(count_param(req, "limit", 50, 500), count_param(req, "offset", 0, 1u << 30)));
             }));
    http.Get(R"(/api/reviews/([^/]+))", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 std::int64_t id = review_id(req.matches[1]);
                 auto r = log_.get(id);
                 if (!r) throw HttpError(404, "没有编号为 " + std::to_string(id) + " 的审查记录");
                 send_json(res, 200, {{"id", r->id}, {"created_at", r->created_at}, {"created_at_local", local_time(r->created_at)},
                                      {"number", r->number}, {"username", r->username},
                                      {"role", r->role}, {"input_format", r->input_format}, {"input", r->input},
                                      {"attributes", r->attributes}, {"verdict", r->verdict}, {"report", r->report},
                                      {"opinion_url", "/api/reviews/" + std::to_string(r->id) + "/opinion.html"}});
             }));
    http.Get(R"(/api/reviews/([^/]+)/opinion\.pdf)", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 std::int64_t id = review_id(req.matches[1]);
                 auto r = log_.get(id);
                 if (!r) throw HttpError(404, "没有编号为 " + std::to_string(id) + " 的审查记录");
                 // The saved opinion as issued; Chromium gets the same policy as the browser (no scripts, no loads).
                 std::string html = r->opinion_html;
                 const std::string csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                         "style-src 'unsafe-inline'; img-src data:\">";
                 if (auto head = html.find("<head>"); head != std::string::npos) html.insert(head + 6, csp);
                 ScratchDir scratch;
                 const auto pdf = scratch.path() / "opinion.pdf";
                 try {
                     rules::html_to_pdf(html, pdf);
                 } catch (const rules::ChromiumMissing&) {
                     throw HttpError(503, "服务器未安装 chromium，无法生成 PDF 审查意见；请管理员安装 chromium 与 fonts-noto-cjk"
                                          "（scripts/install_deps.sh），或下载 HTML 版本：/api/reviews/" + std::to_string(id) + "/opinion.html");
                 }
                 std::ifstream in(pdf, std::ios::binary);
                 std::ostringstream buf;
                 buf << in.rdbuf();
                 const std::string name = "review-" + std::to_string(id) + ".pdf";
                 res.status = 200;
                 res.set_header("Content-Disposition", std::string(req.has_param("download") ? "attachment" : "inline") +
                                                           "; filename=\"" + name + "\"");
                 res.set_content(buf.str(), "application/pdf");
             }));
    http.Get(R"(/api/reviews/([^/]+)/opinion\.docx)", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 std::int64_t id = review_id(req.matches[1]);
                 auto r = log_.get(id);
                 if (!r) throw HttpError(404, "没有编号为 " + std::to_string(id) + " 的审查记录");
                 // The saved opinion as issued, as a Word document the reviewer edits before signing.
                 ScratchDir scratch;
                 const auto docx = scratch.path() / "opinion.docx";
                 try {
                     rules::opinion_html_to_docx(r->opinion_html, docx);
                 } catch (const rules::ToolMissing&) {
                     throw HttpError(503, "服务器未安装 pandoc 或 rsvg-convert，无法生成 Word 审查意见；请管理员运行 scripts/install_deps.sh，"
                                          "或下载 HTML 版本：/api/reviews/" + std::to_string(id) + "/opinion.html");
                 }
                 std::ifstream in(docx, std::ios::binary);
                 std::ostringstream buf;
                 buf << in.rdbuf();
                 res.status = 200;
                 res.set_header("Content-Disposition", "attachment; filename=\"review-" + std::to_string(id) + ".docx\"");
                 res.set_content(buf.str(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
             }));
    http.Get(R"(/api/reviews/([^/]+)/opinion\.html)", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 std::int64_t id = review_id(req.matches[1]);
                 auto r = log_.get(id);
                 if (!r) throw HttpError(404, "没有编号为 " + std::to_string(id) + " 的审查记录");
                 send_opinion(res, r->opinion_html, "review-" + std::to_string(id) + ".html", req.has_param("download"));
             }));
}

}  // namespace minplan::server
