// The plan's history on the portal: reads as of a date (?as_of= on the read routes), change sets, the
// diff between two dates (JSON, GeoJSON, the 调整情况表 XLSX) and the audit trail for administrators. The
// answers are those of services/changesets and services/plan_diff, as the CLI prints them.
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/api.hpp"
#include "server/auth.hpp"

namespace minplan::server {

class Snapshot;

class HistoryService {
public:
    HistoryService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth, std::int64_t held_max_features = kDefaultHeldMaxFeatures);
    void add_routes(httplib::Server& http, const AuthService::Wrap& wrap);
    // The change-set writes (changeset_api.cpp): POST /api/changesets, …/{id}/items|submit|approve|reject.
    void add_write_routes(httplib::Server& http, const AuthService::BodyWrap& body);

    // The ?as_of= of a request if it names a day other than today (then the read routes answer from
    // at()); nullopt otherwise. HttpError 400 for a malformed date.
    static std::optional<std::string> as_of(const Params& params);
    // The map snapshot of the plan as of `date` at the current version (a few kept, newest used first).
    std::shared_ptr<const Snapshot> at(const std::string& date) const;
    nlohmann::json table(const std::string& key, const std::string& date) const;

private:
    void add_qc_route(httplib::Server& http, const AuthService::Wrap& wrap);  // GET /api/changesets/{id}/qc

    std::shared_ptr<store::PlanDatabase> db_;
    const AuthService& auth_;
    std::int64_t held_max_features_;
    mutable std::mutex mutex_;
    mutable std::vector<std::pair<std::pair<std::int64_t, std::string>, std::shared_ptr<const Snapshot>>> cache_;
};

}  // namespace minplan::server
