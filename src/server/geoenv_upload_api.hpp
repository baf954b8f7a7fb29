// POST /api/geoenv/import (planner or higher): the portal's upload of a geo-environment layer — problem
// sites, restoration projects and their yearly progress, monitoring campaigns and findings, the green-mine
// register — through the same import as `minplan import LAYER FILE` (store::import_layer with
// services::import_checks). Multipart fields: `file` (.xlsx, .csv, .gpkg or .geojson), `layer` (one of
// kUploadLayers), optional `sheet` (the worksheet or layer inside the file), `append`, `dry_run`.
// dry_run=true reads and checks everything and writes nothing: the page shows the row count, or every
// row-level problem, before the planner confirms; the confirmation sends the file again and it is checked
// again. All or nothing, as the CLI. Session, role and CSRF as every write of the API (auth.hpp).
#pragma once

#include <httplib.h>

#include <memory>

#include "server/auth.hpp"

namespace minplan::server {

inline constexpr const char* kGeoenvImportPath = "/api/geoenv/import";

class GeoenvUploadService {
public:
    GeoenvUploadService(std::shared_ptr<store::PlanDatabase> db, const AuthService& auth);
    void add_routes(httplib::Server& http, const AuthService::BodyWrap& body);

private:
    void handle(const httplib::Request& req, httplib::Response& res);
    std::shared_ptr<store::PlanDatabase> db_;
    const AuthService& auth_;
};

}  // namespace minplan::server
