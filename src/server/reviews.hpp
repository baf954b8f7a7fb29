// Saved reviews (审查记录): every conformance check that a reviewer (or higher) runs through the portal is
// stored in the plan database (table `minplan_reviews`) with who, when (UTC ISO 8601; shown in Asia/Shanghai),
// the opinion's number (table `minplan_review_numbers` keeps the last number of each year), the input as sent,
// the attributes, the verdict, the report JSON and the Chinese review opinion (HTML), so that a decision
// can be traced later. Anonymous checks (applicants checking a site) run the same rules but are not saved,
// and the response says so.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "server/api.hpp"
#include "server/auth.hpp"
#include "server/check_api.hpp"

namespace minplan::server {

struct SavedReview {
    std::int64_t id = 0;
    std::string created_at, username, role, input_format, input;
    std::string number;  // the opinion's number (大同规审〔2026〕0001号), unique per year
    nlohmann::json attributes = nlohmann::json::object();
    std::string verdict;
    nlohmann::json report;
    std::string opinion_html;
};

// The table itself, without HTTP (also usable from the CLI and tests).
class ReviewLog {
public:
    explicit ReviewLog(std::shared_ptr<store::PlanDatabase> db);
    // Sets id, created_at and, from `number_pattern` (rules.json settings.review_number_pattern; a plain
    // 〔year〕seq号 when empty), the next number of the year (Asia/Shanghai), allocated in the same
    // transaction as the row: numbers are unique and none is lost to a failed save. `render` then fills
    // the opinion (and anything else) from the numbered review before it is written.
    std::int64_t save(SavedReview& review, const std::string& number_pattern = {},
                      const std::function<void(SavedReview&)>& render = {});
    std::optional<SavedReview> get(std::int64_t id) const;
    // Newest first, without the input, report and opinion.
    nlohmann::json list(std::size_t limit, std::size_t offset) const;

private:
    std::shared_ptr<store::PlanDatabase> db_;  // saves are record transactions: serialised by the database
};

class ReviewService {
public:
    ReviewService(std::shared_ptr<store::PlanDatabase> db, CheckService& checker, const AuthService& auth);
    // POST /api/check after the request was validated: runs the check, saves it for reviewers and above.
    // `format=html` answers with the review opinion instead of the JSON report.
    void handle_check(const httplib::Request& req, httplib::Response& res, bool json, Params params);
    // GET /api/reviews, /api/reviews/{id}, /api/reviews/{id}/opinion.{html,pdf,docx}, /api/check/attributes.
    void add_routes(httplib::Server& http, const AuthService::Wrap& wrap);

private:
    ReviewLog log_;
    CheckService& checker_;
    const AuthService& auth_;
};

}  // namespace minplan::server
