#include "server/intake_api.hpp"
#include "server/json_response.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "monitor/intake.hpp"
#include "server/downloads.hpp"
#include "server/http_error.hpp"
#include "server/upload_form.hpp"

namespace minplan::server {

using namespace upload;  // safe_name, flag, problems_body (upload_form.hpp)

IntakeService::IntakeService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth)
    : db_(std::move(db)), auth_(auth) {}

void IntakeService::add_routes(httplib::Server& http, const AuthService::BodyWrap& body) {
    http.Post(kIntakePath, body(auth_.body_policy(kIntakeMaxBodyBytes, Role::Planner), [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); }));
}

void IntakeService::handle(const httplib::Request& req, httplib::Response& res) {
    Identity who = auth_.require(req, Role::Planner);
    if (!req.is_multipart_form_data())
        throw HttpError(415, "请用 multipart/form-data 上传年度数据文件（字段 file，CSV 或 XLSX，模板见 docs/monitoring.md）");
    if (!req.has_file("file"))
        throw HttpError(400, "缺少文件字段 file：请上传一个 CSV 或 XLSX 年度数据文件（模板见 docs/monitoring.md）");
    if (req.files.count("file") > 1) throw HttpError(400, "一次只能上传一个文件（字段 file）");
    const auto part = req.get_file_value("file");
    std::string name = safe_name(part.filename);
    // The upload is saved under its own name (the intake's messages name it); file systems take 255 bytes.
    if (name.size() > kMaxUploadNameBytes)
        throw HttpError(400, "文件名过长（" + std::to_string(name.size()) + " 字节，上限 " + std::to_string(kMaxUploadNameBytes) +
                                 " 字节，约 " + std::to_string(kMaxUploadNameBytes / 3) + " 个汉字）：请改短文件名后重新上传");
    std::string ext = lower(std::filesystem::path(name).extension().string());
    if (ext != ".csv" && ext != ".xlsx")
        throw HttpError(400, "文件 \"" + name + "\" 不是 CSV 或 XLSX：请按模板（docs/monitoring.md）填写后上传 .csv 或 .xlsx 文件");
    if (part.content.empty()) throw HttpError(400, "上传的文件 \"" + name + "\" 是空的");
    bool replace = flag(req, "replace");
    // dry_run=true: validate and count, write nothing (the intake page shows this before the planner confirms).
    const bool dry_run = flag(req, "dry_run");

    ScratchDir scratch;
    const auto file = scratch.path() / name;
    {
        std::ofstream o(file, std::ios::binary);
        if (!(o << part.content)) throw IoError("无法写入临时文件 / cannot write the upload");
    }
    monitor::IntakeSummary s;
    try {
        s = dry_run ? monitor::preview_intake(*db_, {file}, replace)
                    : monitor::intake_into_db(*db_, {file}, replace, who.user + "（门户，" + to_zh(who.role) + "）");
    } catch (const ProblemsError& e) {
        return send_json(res, 400, problems_body(e.what(), e.problems(), e.total(), scratch.path(), name));
    } catch (const InputError& e) {
        return send_json(res, 400, problems_body(e.what(), {e.what()}, 1, scratch.path(), name));
    }
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
