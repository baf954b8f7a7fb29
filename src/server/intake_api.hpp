// POST /api/intake (planner or higher): the annual-data intake of `minplan intake` (src/monitor/intake.hpp)
// through the portal. One multipart file field `file` (CSV or XLSX in the template of docs/monitoring.md),
// optional `replace=true` (form field or query). The upload is written under its own file name into a
// temporary directory, so the intake's messages name it, then monitor::intake_into_db runs against the
// server's database: all-or-nothing, the database file is replaced on success (the feature snapshot and the
// monitor service notice that) and untouched on error. Intakes are serialised.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <mutex>
#include <string>

#include "server/auth.hpp"

namespace minplan::server {

// Uploads to /api/intake may be this large even when ServerOptions::max_body_bytes is smaller.
inline constexpr std::size_t kIntakeMaxBodyBytes = 16u << 20;
inline constexpr const char* kIntakePath = "/api/intake";

class IntakeService {
public:
    IntakeService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth);
    void add_routes(httplib::Server& http, const AuthService::BodyWrap& body);

private:
    void handle(const httplib::Request& req, httplib::Response& res);
    std::shared_ptr<store::PlanDatabase> db_;
    const AuthService& auth_;
};

}  // namespace minplan::server
