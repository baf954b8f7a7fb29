// Downloads: the year's evaluation report (XLSX workbook, HTML page; src/monitor's writers) and plan
// layers exported through GDAL (GeoJSON, GeoPackage, zipped Shapefile with a UTF-8 or GBK .cpg). Each
// download is written into its own temporary directory and streamed back from there with a
// Content-Disposition that carries the UTF-8 file name (RFC 6266 / 5987); the directory is removed when
// the response is done. Exports keep every schema field, so the schematic flag (JHLY = schematic) and
// its note travel with each feature.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "server/api.hpp"
#include "server/monitor_api.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::server {

// A temporary directory, removed with its content on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct Download {
    std::shared_ptr<ScratchDir> dir;  // keeps the file alive while it is streamed
    std::filesystem::path file;
    std::string filename;  // offered to the browser (UTF-8)
    std::string content_type;
};

class DownloadService {
public:
    DownloadService(std::shared_ptr<store::PlanDatabase> db, MonitorService& monitor);
    ~DownloadService();

    // kind "xlsx" or "html"; Params: year (required, inside the plan period).
    Download report(const std::string& kind, const Params& params);
    // The year's 三率 publication: kind "xlsx" or "html"; Params: year (as report).
    Download sanlv(const std::string& kind, const Params& params);
    // Params: format = geojson | gpkg | shp (zipped), encoding = UTF-8 | GBK (Shapefile .cpg only).
    Download layer_export(const std::string& layer, const Params& params);

private:
    std::shared_ptr<store::PlanDatabase> db_;
    MonitorService& monitor_;
};

// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.
std::string content_disposition(const std::string& utf8_filename);

// Streams the file of `d` as the response body (200) with its type and Content-Disposition.
void send_download(httplib::Response& res, Download d);

}  // namespace minplan::server
