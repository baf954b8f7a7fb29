#include "server/intake_api.hpp"
#include "server/json_response.hpp"

#include <nlohmann/json.hpp>

#include "monitor/intake.hpp"
#include "server/upload_form.hpp"

namespace minplan::server {

using namespace upload;  // SavedUpload, flag (upload_form.hpp)

IntakeService::IntakeService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth)
    : db_(std::move(db)), auth_(auth) {}

void IntakeService::add_routes(httplib::Server& http, const AuthService::BodyWrap& body) {
    http.Post(kIntakePath, body(auth_.body_policy(kMaxUploadBodyBytes, Role::Planner), [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); }));
}

void IntakeService::handle(const httplib::Request& req, httplib::Response& res) {
    Identity who = auth_.require(req, Role::Planner);
    const SavedUpload upload(req, {".csv", ".xlsx"}, "一个 CSV 或 XLSX 年度数据文件（按模板填写，见 docs/monitoring.md）");
    const bool replace = flag(req, "replace");
    // dry_run=true: validate and count, write nothing (the intake page shows this before the planner confirms).
    const bool dry_run = flag(req, "dry_run");
    monitor::IntakeSummary s;
    const bool done = upload.refused_or_done(res, [&](const std::filesystem::path& file) {
        s = dry_run ? monitor::preview_intake(*db_, {file}, replace)
                    : monitor::intake_into_db(*db_, {file}, replace, who.user + "（门户，" + to_zh(who.role) + "）");
    });
    if (!done) return;
    const std::string& name = upload.name();
    const std::string counts = "矿山名录 " + std::to_string(s.mines) + " 条，矿山年报 " + std::to_string(s.mine_years) +
                               " 条，勘查成果 " + std::to_string(s.exploration) + " 条";
    if (dry_run) {
        send_json(res, 200,
                  {{"dry_run", true},
                   {"would_import", {{"mines", s.mines}, {"mine_years", s.mine_years}, {"exploration", s.exploration}}},
                   {"file", name},
                   {"replace", replace},
                   {"message", "校验通过（尚未写入）：确认后将导入 " + name + "：" + counts}});
        return;
    }
    send_json(res, 200,
              {{"imported", {{"mines", s.mines}, {"mine_years", s.mine_years}, {"exploration", s.exploration}}},
               {"file", name},
               {"replace", replace},
               {"user", who.user},
               {"message", "已导入 " + name + "：" + counts}});
}

}  // namespace minplan::server
