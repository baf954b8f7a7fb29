#include "server/check_api.hpp"

#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "rules/report.hpp"

namespace minplan::server {

CheckService::CheckService(std::string db_location) : db_(std::move(db_location)) {}
CheckService::~CheckService() = default;

nlohmann::json CheckService::check(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, false).report;
}

CheckService::Outcome CheckService::check_with_opinion(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, true);
}

CheckService::Outcome CheckService::run(const std::string& body, bool json, const Params& params, bool html) {
    std::lock_guard lock(mutex_);
    if (!setup_) {
        store_ = store::open_store(db_);
        setup_ = rules::ReviewSetup::load(*store_);
    }
    rules::LoadOptions options;
    for (const auto& [key, value] : params) {
        if (key == "kind") options.kind = value;
        else if (key == "action") options.action = value;
        else options.attrs.emplace_back(key, value);
    }
    auto app = rules::application_from_bytes(body, json ? "application.geojson" : "application.txt", options,
                                             setup_->engine->polygon_options());
    auto report = setup_->engine->check(app);
    return {rules::report_to_json(report), html ? rules::report_to_html(report) : std::string()};
}

}  // namespace minplan::server
