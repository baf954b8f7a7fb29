// POST /api/intake (planner or higher): the annual-data intake of `minplan intake` (src/monitor/intake.hpp)
// through the portal. One multipart file field `file` (CSV or XLSX in the template of docs/monitoring.md),
// optional `replace=true` and `dry_run=true` (form field or query). The upload is saved under its own file
// name (upload::SavedUpload), so the intake's messages name it, then monitor::intake_into_db writes it in one
// transaction of the server's database: all or nothing, read again when another writer committed first.
#pragma once

#include <httplib.h>

#include <memory>

#include "server/auth.hpp"

namespace minplan::server {

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
