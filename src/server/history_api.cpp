#include "server/history_api.hpp"

#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "server/downloads.hpp"
#include "server/feature_snapshot.hpp"
#include "server/http_error.hpp"
#include "server/json_response.hpp"
#include "services/audit_export.hpp"
#include "services/column_tables.hpp"
#include "services/plan_diff.hpp"
#include "store/history.hpp"

namespace minplan::server {

namespace {

constexpr std::size_t kKeptDates = 4;  // map snapshots of past dates kept (each holds the plan's layers)

std::string param(const Params& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
}

nlohmann::json change_set_json(const store::ChangeSet& cs, bool items) {
    nlohmann::json j = {{"id", cs.id},
                        {"name", cs.name},
                        {"year", cs.year},
                        {"kind", cs.kind},
                        {"kind_zh", store::kind_zh(cs.kind)},
                        {"reason", cs.reason},
                        {"doc_no", cs.doc_no},
                        {"doc_date", cs.doc_date},
                        {"author", cs.author},
                        {"effective_date", cs.effective_date},
                        {"state", cs.state},
                        {"state_zh", store::state_zh(cs.state)},
                        {"decided_at", cs.decided_at},
                        {"decided_by", cs.decided_by},
                        {"plan_version", cs.plan_version}};
    if (items) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& i : cs.items)
            list.push_back({{"seq", i.seq}, {"action", store::action_code(i.action)}, {"action_zh", store::action_zh(i.action)},
                            {"layer", i.layer}, {"key", i.key}});
        j["items"] = list;
    }
    return j;
}

std::string date_param(const Params& p, const std::string& key) {
    std::string v = param(p, key);
    try {
        return store::parse_date(v, key);
    } catch (const InputError& e) {
        throw HttpError(400, e.what());
    }
}

}  // namespace

HistoryService::HistoryService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth, std::int64_t held_max_features)
    : db_(std::move(db)), auth_(auth), held_max_features_(held_max_features) {}

std::optional<std::string> HistoryService::as_of(const Params& params) {
    std::string v = param(params, "as_of");
    if (v.empty()) return std::nullopt;
    std::string date = date_param(params, "as_of");
    if (date == store::today()) return std::nullopt;
    return date;
}

std::shared_ptr<const Snapshot> HistoryService::at(const std::string& date) const {
    const std::int64_t version = db_->version();
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, snap] : cache_)
            if (key.first == version && key.second == date) return snap;
    }
    auto snap = Snapshot::load(db_->snapshot_at(date), held_max_features_);
    std::lock_guard lock(mutex_);
    std::erase_if(cache_, [&](const auto& e) { return e.first.first != version; });
    cache_.insert(cache_.begin(), {{version, date}, snap});
    if (cache_.size() > kKeptDates) cache_.resize(kKeptDates);
    return snap;
}

nlohmann::json HistoryService::table(const std::string& key, const std::string& date) const {
    auto store = db_->snapshot_at(date);
    return services::column_tables(*store, key);
}

void HistoryService::add_routes(httplib::Server& http, const AuthService::Wrap& wrap) {
    add_qc_route(http, wrap);
    // Approved sets are public (they are the plan); drafts and submitted sets need a reviewer's login.
    http.Get("/api/changesets", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 const bool staff = auth_.identify(req).role >= Role::Reviewer;
                 nlohmann::json list = nlohmann::json::array();
                 for (const auto& cs : db_->change_sets())
                     if (staff || cs.state == store::kApproved) list.push_back(change_set_json(cs, false));
                 send_json(res, 200, {{"today", store::today()}, {"change_sets", list}});
             }));
    http.Get(R"(/api/changesets/(\d{1,9}))", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auto cs = db_->change_set(std::stoll(req.matches[1]));
                 const bool staff = auth_.identify(req).role >= Role::Reviewer;
                 if (!cs || (!staff && cs->state != store::kApproved)) throw HttpError(404, "没有调整批次 " + std::string(req.matches[1]));
                 send_json(res, 200, change_set_json(*cs, true));
             }));
    // ?from=&to= (dates or approved change set ids; to defaults to today) &format=json|geojson|xlsx
    http.Get("/api/diff", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 Params p(req.params.begin(), req.params.end());
                 std::string from, to;
                 try {
                     from = services::resolve_point(*db_, param(p, "from"));
                     to = param(p, "to").empty() ? store::today() : services::resolve_point(*db_, param(p, "to"));
                 } catch (const InputError& e) {
                     throw HttpError(400, e.what());
                 }
                 auto diff = services::diff_plan(*db_, from, to);
                 const std::string format = param(p, "format").empty() ? "json" : param(p, "format");
                 if (format == "geojson") {
                     res.status = 200;
                     res.set_content(services::diff_geojson(diff).dump(), "application/geo+json; charset=utf-8");
                 } else if (format == "xlsx") {
                     Download d;
                     d.dir = std::make_shared<ScratchDir>();
                     d.file = d.dir->path() / "diff.xlsx";
                     formats::write_xlsx(d.file, services::diff_tables(diff));
                     d.filename = "规划调整情况表_" + from + "_" + to + ".xlsx";
                     d.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                     send_download(res, std::move(d));
                 } else if (format == "json") {
                     send_json(res, 200, services::diff_json(diff));
                 } else {
                     throw HttpError(400, "format 应为 json、geojson 或 xlsx");
                 }
             }));
    // The audit trail: administrators only. ?from=&to=&user=&action=&object=&limit=&format=json|csv|xlsx
    http.Get("/api/audit", wrap([this](const httplib::Request& req, httplib::Response& res) {
                 auth_.require(req, Role::Admin);
                 Params p(req.params.begin(), req.params.end());
                 store::AuditFilter f;
                 if (!param(p, "from").empty()) f.from = date_param(p, "from");
                 if (!param(p, "to").empty()) f.to = date_param(p, "to");
                 f.actor = param(p, "user");
                 f.action = param(p, "action");
                 f.object = param(p, "object");
                 f.limit = 1000;
                 if (std::string l = param(p, "limit"); !l.empty()) {
                     if (l.size() > 6 || l.find_first_not_of("0123456789") != std::string::npos) throw HttpError(400, "limit 应为 1–999999 的整数");
                     f.limit = std::stoul(l);
                 }
                 const std::string format = param(p, "format").empty() ? "json" : param(p, "format");
                 if (format == "csv" || format == "xlsx") {
                     if (param(p, "limit").empty()) f.limit = 0;  // an export is the whole filtered trail
                     auto entries = db_->audit_log(f);
                     if (format == "csv") {
                         res.status = 200;
                         res.set_header("Content-Disposition", "attachment; filename=\"audit.csv\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E8%AE%B0%E5%BD%95.csv");
                         res.set_content(services::audit_csv(entries), "text/csv; charset=utf-8");
                         return;
                     }
                     Download d;
                     d.dir = std::make_shared<ScratchDir>();
                     d.file = d.dir->path() / "audit.xlsx";
                     formats::write_xlsx(d.file, {services::audit_table(entries, db_->location())});
                     d.filename = "审计记录.xlsx";
                     d.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                     send_download(res, std::move(d));
                     return;
                 }
                 if (format != "json") throw HttpError(400, "format 应为 json、csv 或 xlsx");
                 nlohmann::json list = nlohmann::json::array();
                 for (const auto& e : db_->audit_log(f))
                     list.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"client", e.client}, {"action", e.action},
                                     {"object", e.object}, {"before", e.before}, {"after", e.after}});
                 send_json(res, 200, {{"entries", list}});
             }));
}

}  // namespace minplan::server
