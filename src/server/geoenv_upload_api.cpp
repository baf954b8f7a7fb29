#include "server/geoenv_upload_api.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "server/http_error.hpp"
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
    http.Post(kGeoenvImportPath, body(auth_.body_policy(kMaxUploadBodyBytes, Role::Planner),
                                      [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); }));
}

void GeoenvUploadService::handle(const httplib::Request& req, httplib::Response& res) {
    Identity who = auth_.require(req, Role::Planner);
    const SavedUpload upload(req, {".xlsx", ".csv", ".gpkg", ".geojson"},
                             " .xlsx、.csv（属性表）或 .gpkg、.geojson（图斑、覆盖范围）文件，模板见 docs/geoenv.md");
    const std::string layer = field(req, "layer");
    std::string listed;
    bool known = false;
    for (const char* l : kUploadLayers) {
        listed += (listed.empty() ? "" : "、") + std::string(l);
        known = known || layer == l;
    }
    if (!known) throw HttpError(400, "图层 \"" + layer + "\" 不能在此上传：layer 应为 " + listed + " 之一");

    store::ImportOptions options;
    options.source_layer = field(req, "sheet");
    options.append = flag(req, "append");
    options.dry_run = flag(req, "dry_run");
    options.actor = who.user;
    options.quality_check = services::import_checks(false);  // the same checks as `minplan import`

    store::ImportResult r;
    if (!upload.refused_or_done(res, [&](const std::filesystem::path& file) {
            r = store::import_layer(*db_, layer, std::vector<std::filesystem::path>{file}, options);
        }))
        return;
    const std::string& name = upload.name();
    const std::string layer_zh = db_->snapshot()->schema(layer).name_zh;
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : r.warnings) warnings.push_back(upload.cleaned(w));
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
