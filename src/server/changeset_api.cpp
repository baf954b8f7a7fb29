// The change-set write routes of the portal (调整批次): create, add items from an uploaded change file,
// submit, quality-check, approve and reject, with the same services as `minplan changeset`
// (services/changesets.hpp, services/changeset_qc.hpp). Drafting is for reviewers and above; a decision
// (approve, reject) needs the planner role or higher. Every write is audited with the user and client address.
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "server/auth_detail.hpp"
#include "server/client.hpp"
#include "server/downloads.hpp"
#include "server/history_api.hpp"
#include "server/http_error.hpp"
#include "server/json_response.hpp"
#include "services/changeset_qc.hpp"
#include "services/changesets.hpp"
#include "services/qc/report.hpp"
#include "store/change_file.hpp"

namespace minplan::server {

namespace {

constexpr std::size_t kChangeFileMaxBytes = 64u << 20;  // a year's changed blocks, with their geometry

std::string optional_text(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_string()) throw HttpError(400, std::string("字段 ") + key + " 应为字符串");
    return j[key].get<std::string>();
}

nlohmann::json findings_json(const std::vector<services::AdjustmentFinding>& findings) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings)
        list.push_back({{"rule", f.rule}, {"item", f.item}, {"message", f.message}, {"clause", f.clause}, {"blocking", f.blocking}});
    return list;
}

// 400 with the problems as a list (a refused change file or a failed quality check).
void send_problems(httplib::Response& res, const ProblemsError& e) {
    std::string msg = e.what();
    nlohmann::json body = {{"error", {{"status", 400}, {"message", msg}, {"summary", msg.substr(0, msg.find('\n'))},
                                      {"problems", e.problems()}, {"problems_total", e.total()}}}};
    send_json(res, 400, body);
}

std::string actor_of(const Identity& who) { return who.user + "（门户，" + to_zh(who.role) + "）"; }

// The file name of an upload, without anything that could leave the scratch directory.
std::string upload_name(const std::string& given) {
    std::string name = std::filesystem::path(given).filename().string();
    while (!name.empty() && (name.front() == '.' || name.front() == ' ')) name.erase(name.begin());
    for (char& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == ':' || c == '\\') c = '_';
    if (name.empty() || name.size() > 200) name = "change" + std::filesystem::path(given).extension().string().substr(0, 10);
    return name;
}

}  // namespace

void HistoryService::add_write_routes(httplib::Server& http, const AuthService::BodyWrap& body) {
    const BodyPolicy small = auth_.body_policy(64 * 1024, Role::Reviewer);
    http.Post("/api/changesets", body(small, [this](const httplib::Request& req, httplib::Response& res) {
                  Identity who = auth_.require(req, Role::Reviewer);
                  auto j = detail::parse_json_body(req);
                  store::ChangeSet cs;
                  cs.name = optional_text(j, "name");
                  cs.effective_date = optional_text(j, "effective_date");
                  cs.kind = optional_text(j, "kind").empty() ? std::string(store::kAdjustment) : optional_text(j, "kind");
                  cs.reason = optional_text(j, "reason");
                  cs.doc_no = optional_text(j, "doc_no");
                  cs.doc_date = optional_text(j, "doc_date");
                  if (j.contains("year") && !j["year"].is_number_integer()) throw HttpError(400, "字段 year 应为整数年份");
                  cs.year = j.value("year", 0);
                  if (cs.effective_date.empty()) throw HttpError(400, "缺少生效日期 effective_date（YYYY-MM-DD）");
                  auto id = services::create_change_set(*db_, cs, actor_of(who), client_address(req, auth_.proxy()));
                  send_json(res, 201, {{"id", id}, {"state", store::kDraft}, {"message", "已新建调整批次 " + std::to_string(id) + "（草稿）"}});
              }));
    // multipart: file (GeoPackage/GeoJSON/zipped Shapefile… or XLSX/CSV with the action column), layer, encoding.
    http.Post(R"(/api/changesets/(\d{1,9})/items)",
              body(auth_.body_policy(kChangeFileMaxBytes, Role::Reviewer), [this](const httplib::Request& req, httplib::Response& res) {
                  Identity who = auth_.require(req, Role::Reviewer);
                  const std::int64_t id = std::stoll(req.matches[1]);
                  if (!req.is_multipart_form_data()) throw HttpError(415, "请用 multipart/form-data 上传调整数据文件（字段 file、layer）");
                  if (!req.has_file("file")) throw HttpError(400, "缺少文件字段 file：请上传含操作列（新增/修改/注销）的调整数据文件");
                  if (!req.has_file("layer")) throw HttpError(400, "缺少字段 layer：调整的图层（如 mining_blocks）");
                  const auto part = req.get_file_value("file");
                  if (part.content.empty()) throw HttpError(400, "上传的文件是空的");
                  const std::string name = upload_name(part.filename);
                  ScratchDir scratch;
                  const auto file = scratch.path() / name;
                  {
                      std::ofstream o(file, std::ios::binary);
                      if (!(o << part.content)) throw IoError("无法写入临时文件 / cannot write the upload");
                  }
                  store::ImportOptions options;
                  if (req.has_file("encoding")) options.encoding = req.get_file_value("encoding").content;
                  std::vector<store::ChangeItem> items;
                  try {
                      auto snap = db_->snapshot();
                      const TableSchema& target = snap->schema(req.get_file_value("layer").content);
                      items = store::read_change_file(file, target, store::import_reference(*snap, target), options);
                      snap.reset();
                      services::add_change_items(*db_, id, items, actor_of(who), client_address(req, auth_.proxy()));
                  } catch (const ProblemsError& e) {
                      return send_problems(res, e);
                  }
                  send_json(res, 200, {{"id", id}, {"added", items.size()}, {"message", "已向调整批次 " + std::to_string(id) + " 添加 " +
                                                                                     std::to_string(items.size()) + " 项变更"}});
              }));
    http.Post(R"(/api/changesets/(\d{1,9})/submit)", body(small, [this](const httplib::Request& req, httplib::Response& res) {
                  Identity who = auth_.require(req, Role::Reviewer);
                  const std::int64_t id = std::stoll(req.matches[1]);
                  auto findings = services::submit_change_set(*db_, id, actor_of(who), client_address(req, auth_.proxy()));
                  bool blocking = false;
                  for (const auto& f : findings) blocking = blocking || f.blocking;
                  // Rule violations are an answer, not an error of the request: 200 with submitted false.
                  send_json(res, 200, {{"id", id}, {"submitted", !blocking}, {"findings", findings_json(findings)},
                                       {"message", blocking ? "未提交：调整批次违反规划调整规则" : "已提交"}});
              }));
    http.Post(R"(/api/changesets/(\d{1,9})/approve)", body(small, [this](const httplib::Request& req, httplib::Response& res) {
                  Identity who = auth_.require(req, Role::Planner);
                  const std::int64_t id = std::stoll(req.matches[1]);
                  nlohmann::json j = req.body.empty() ? nlohmann::json::object() : detail::parse_json_body(req);
                  services::Approval a;
                  a.may_approve = who.role >= Role::Planner;
                  if (j.contains("force") && !j["force"].is_boolean()) throw HttpError(400, "字段 force 应为 true 或 false");
                  a.force = j.value("force", false);
                  a.force_reason = optional_text(j, "reason");
                  a.client = client_address(req, auth_.proxy());
                  std::int64_t version = 0;
                  try {
                      version = services::approve_change_set(*db_, id, actor_of(who), a);
                  } catch (const ProblemsError& e) {
                      return send_problems(res, e);
                  }
                  send_json(res, 200, {{"id", id}, {"state", store::kApproved}, {"plan_version", version},
                                       {"message", "已批准调整批次 " + std::to_string(id) + "，规划版本 " + std::to_string(version)}});
              }));
    http.Post(R"(/api/changesets/(\d{1,9})/reject)", body(small, [this](const httplib::Request& req, httplib::Response& res) {
                  Identity who = auth_.require(req, Role::Planner);
                  const std::int64_t id = std::stoll(req.matches[1]);
                  nlohmann::json j = req.body.empty() ? nlohmann::json::object() : detail::parse_json_body(req);
                  services::reject_change_set(*db_, id, actor_of(who), optional_text(j, "note"), client_address(req, auth_.proxy()));
                  send_json(res, 200, {{"id", id}, {"state", store::kRejected}, {"message", "已退回调整批次 " + std::to_string(id)}});
              }));
}

void HistoryService::add_qc_route(httplib::Server& http, const AuthService::Wrap& wrap) {
    // The plan as a change set would leave it, quality-checked (what approval will gate on).
    http.Get(R"(/api/changesets/(\d{1,9})/qc)", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Reviewer);
                 auto cs = db_->change_set(std::stoll(req.matches[1]));
                 if (!cs) throw HttpError(404, "没有调整批次 " + std::string(req.matches[1]));
                 auto checked = services::qc_change_set(*db_, *cs);
                 auto j = services::qc::to_json(checked.report);
                 j["already_present"] = checked.already_present;
                 send_json(res, 200, j);
             }));
}

}  // namespace minplan::server
