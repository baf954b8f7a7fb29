// The records kept beside the plan (accounts, saved reviews): typed rows that every plan-database backend
// stores in its own tables (GeoPackage: minplan_users / minplan_reviews; PostGIS: the same names in the
// plan's schema). The server's account and review services read and write them only through these types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minplan::store {

// An account; `role` is the server's role name (reviewer, planner, admin), `password_hash` an Argon2id string.
struct AccountRecord {
    std::string name;
    std::string role;
    std::string password_hash;
    std::string created_at;  // UTC ISO 8601
    bool disabled = false;
};

// The column of an account an admin changes (RecordTransaction::update_account).
enum class AccountField { Role, PasswordHash, Disabled };

// A saved review as stored: the request, the report and the opinion as issued.
struct ReviewRecord {
    std::int64_t id = 0;
    std::string created_at;  // UTC ISO 8601
    std::string username, role, input_format, input;
    std::string attributes_json, verdict, report_json, opinion_html;
};

// One line of the review list: fields of the report picked by the store (application.*, opinion.number).
struct ReviewSummary {
    std::int64_t id = 0;
    std::string created_at, username, role, verdict;
    std::string number;  // opinion.number; empty when the report has none
    std::string application_name, kind, action;
    std::optional<double> area_km2;
};

struct ReviewPage {
    std::vector<ReviewSummary> rows;  // newest first
    std::int64_t total = 0;
};

}  // namespace minplan::store
