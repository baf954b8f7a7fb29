// POST /api/check: the conformance review (src/rules) over HTTP. The rule set and plan index are loaded
// once, on the first request, from the same plan database the portal serves.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>

#include "server/api.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
struct ReviewSetup;
}

namespace minplan::server {

class CheckService {
public:
    explicit CheckService(std::string db_location);
    ~CheckService();
    // body: GeoJSON (json = true) or a coordinate text the CLI reads (mining/exploration right string,
    // 国土 TXT, 登记 TXT). Params: kind, action, and any other key as an application attribute.
    nlohmann::json check(const std::string& body, bool json, const Params& params);
    // The same with the Chinese review opinion (审查意见) as a standalone HTML page, for saved reviews.
    struct Outcome {
        nlohmann::json report;
        std::string opinion_html;
    };
    Outcome check_with_opinion(const std::string& body, bool json, const Params& params);

private:
    Outcome run(const std::string& body, bool json, const Params& params, bool html);
    std::mutex mutex_;
    std::string db_;
    std::unique_ptr<store::PlanStore> store_;
    std::unique_ptr<rules::ReviewSetup> setup_;
};

}  // namespace minplan::server
