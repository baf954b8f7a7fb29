#include "server/geoenv_upload_api.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <fstream>

#include "core/error.hpp"
#include "server/downloads.hpp"
#include "server/http_error.hpp"
#include "server/intake_api.hpp"
#include "server/json_response.hpp"
#include "server/upload_form.hpp"
#include "services/geoenv/geoenv.hpp"
#include "services/layer_import.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"

namespace minplan::server {

using namespace upload;

namespace {

namespace ge = services::geoenv;
// The layers a planner uploads here; every other layer is imported with `minplan import`.
const std::array<const char*, 6> kUploadLayers = {ge::kSites,     ge::kProjects, ge::kProjectYears,
                                                  ge::kCampaigns, ge::kFindings, ge::kRegister};

// A text form field (multipart) or query parameter; empty when absent.
std::string field(const httplib::Request& req, const std::string& key) {
    if (req.has_file(key)) return req.get_file_value(key).content;
    if (req.has_param(key)) return req.get_param_value(key);
    return {};
}

}  // namespace

GeoenvUploadService::GeoenvUploadService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth)
    : db_(std::move(db)), auth_(auth) {}

void GeoenvUploadService::add_routes(httplib::Server& http, const AuthService::BodyWrap& body) {
    http.Post(kGeoenvImportPath, body(auth_.body_policy(kIntakeMaxBodyBytes, Role::Planner),
                                      [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); }));
}

void GeoenvUploadService::handle(const httplib::Request& req, httplib::Response& res) {
    Identity who = auth_.require(req, Role::Planner);
    if (!req.is_multipart_form_data())
        throw HttpError(415, "请用 multipart/form-data 上传文件（字段 file 与 layer，模板见 docs/geoenv.md）");
    const std::string layer = field(req, "layer");
    std::string listed;
    bool known = false;
    for (const char* l : kUploadLayers) {
        listed += (listed.empty() ? "" : "、") + std::string(l);
        known = known || layer == l;
    }
    if (!known) throw HttpError(400, "图层 \"" + layer + "\" 不能在此上传：layer 应为 " + listed + " 之一");
    if (!req.has_file("file")) throw HttpError(400, "缺少文件字段 file：请上传 XLSX、CSV、GeoPackage 或 GeoJSON 文件");
    if (req.files.count("file") > 1) throw HttpError(400, "一次只能上传一个文件（字段 file）");
    const auto part = req.get_file_value("file");
    const std::string name = safe_name(part.filename);
    if (name.size() > kMaxUploadNameBytes)
        throw HttpError(400, "文件名过长（" + std::to_string(name.size()) + " 字节，上限 " + std::to_string(kMaxUploadNameBytes) +
                                 " 字节）：请改短文件名后重新上传");
    const std::string ext = lower(std::filesystem::path(name).extension().string());
    if (ext != ".xlsx" && ext != ".csv" && ext != ".gpkg" && ext != ".geojson")
        throw HttpError(400, "文件 \"" + name + "\" 应为 .xlsx、.csv（属性表）或 .gpkg、.geojson（图斑、覆盖范围）");
    if (part.content.empty()) throw HttpError(400, "上传的文件 \"" + name + "\" 是空的");

    store::ImportOptions options;
    options.source_layer = field(req, "sheet");
    options.append = flag(req, "append");
    options.dry_run = flag(req, "dry_run");
    options.actor = who.user;
    options.quality_check = services::import_checks(false);  // the same checks as `minplan import`

    ScratchDir scratch;
    const auto file = scratch.path() / name;
    {
        std::ofstream o(file, std::ios::binary);
        if (!(o << part.content)) throw IoError("无法写入临时文件 / cannot write the upload");
    }
    store::ImportResult r;
    try {
        r = store::import_layer(*db_, layer, std::vector<std::filesystem::path>{file}, options);
    } catch (const ProblemsError& e) {
        return send_json(res, 400, problems_body(e.what(), e.problems(), e.total(), scratch.path(), name));
    } catch (const InputError& e) {
        return send_json(res, 400, problems_body(e.what(), {e.what()}, 1, scratch.path(), name));
    } catch (const NotFoundError& e) {  // a worksheet or layer the file does not have
        return send_json(res, 400, problems_body(e.what(), {e.what()}, 1, scratch.path(), name));
    }
    const std::string layer_zh = db_->snapshot()->schema(layer).name_zh;
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : r.warnings) warnings.push_back(without_dir(w, scratch.path().string()));
    const std::string how = options.append ? "追加" : "替换图层现有数据";
    send_json(res, 200,
              {{"dry_run", options.dry_run},
               {"layer", layer},
               {"layer_zh", layer_zh},
               {"file", name},
               {"append", options.append},
               {"rows", r.imported},
               {"layer_total", r.layer_total},
               {"warnings", warnings},
               {"message", options.dry_run ? "校验通过（尚未写入）：确认后将" + how + "，导入 " + name + " 的 " +
                                                 std::to_string(r.imported) + " 条到" + layer_zh
                                           : "已导入 " + name + " 的 " + std::to_string(r.imported) + " 条到" + layer_zh +
                                                 "（" + how + "，现有 " + std::to_string(r.layer_total) + " 条）"}});
}

}  // namespace minplan::server
