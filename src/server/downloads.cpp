#include "server/downloads.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <random>

#include "server/http_error.hpp"
#include "store/exchange.hpp"
#include "store/zip_archive.hpp"

namespace minplan::server {
namespace {

std::string param(const Params& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

ScratchDir::ScratchDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("minplan-download-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

DownloadService::DownloadService(std::shared_ptr<store::PlanDatabase> db, MonitorService& monitor)
    : db_(std::move(db)), monitor_(monitor) {}
DownloadService::~DownloadService() = default;

Download DownloadService::report(const std::string& kind, const Params& params) {
    int year = monitor_.year_param(params);
    Download d;
    d.dir = std::make_shared<ScratchDir>();
    auto files = monitor_.write_report(year, d.dir->path());
    if (kind == "xlsx") {
        d.file = files.xlsx;
        d.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        d.file = files.html;
        d.content_type = "text/html; charset=utf-8";
    }
    d.filename = d.file.filename().string();
    return d;
}

Download DownloadService::sanlv(const std::string& kind, const Params& params) {
    const int year = monitor_.year_param(params);
    Download d;
    d.dir = std::make_shared<ScratchDir>();
    const auto [xlsx, html] = monitor_.write_sanlv(year, d.dir->path());
    d.file = kind == "xlsx" ? xlsx : html;
    d.content_type = kind == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/html; charset=utf-8";
    d.filename = d.file.filename().string();
    return d;
}

Download DownloadService::layer_export(const std::string& layer, const Params& params) {
    std::string format = lower(param(params, "format"));
    if (format.empty()) format = "geojson";
    if (format != "geojson" && format != "gpkg" && format != "shp" && format != "xlsx")
        throw HttpError(400, "不支持的导出格式 \"" + param(params, "format") + "\"：format 应为 geojson、gpkg、shp（Shapefile，zip 压缩）或 xlsx（属性表）");
    std::string encoding = param(params, "encoding");
    if (encoding.empty() || lower(encoding) == "utf-8" || lower(encoding) == "utf8") encoding = "UTF-8";
    else if (lower(encoding) == "gbk") encoding = "GBK";
    else throw HttpError(400, "不支持的编码 \"" + encoding + "\"：encoding 应为 UTF-8 或 GBK（仅用于 Shapefile 的 .cpg）");
    if (encoding != "UTF-8" && format != "shp")
        throw HttpError(400, "encoding 只适用于 format=shp；GeoJSON 与 GeoPackage 总是 UTF-8");

    // Per request: nothing pins an old version between downloads. ?as_of= exports the plan of that day.
    auto as_of = params.find("as_of");
    auto snapshot = as_of != params.end() && !as_of->second.empty() ? db_->snapshot_at(as_of->second) : db_->snapshot();
    const TableSchema& s = snapshot->schema(layer);  // NotFoundError -> 404
    std::string base = s.code.empty() ? s.id : s.code;
    // "开采规划区块（附表13/正文…）" → "开采规划区块": the short name makes the file name.
    std::string name = s.name_zh.substr(0, s.name_zh.find("（"));
    Download d;
    d.dir = std::make_shared<ScratchDir>();
    store::ExportOptions options;
    options.encoding = encoding;
    if (format == "geojson") {
        d.file = d.dir->path() / (base + ".geojson");
        store::export_layer(*snapshot, s.id, d.file, options);
        d.content_type = "application/geo+json";
        d.filename = base + "_" + name + ".geojson";
    } else if (format == "xlsx") {  // attribute tables (the green-mine register…); a layer with geometry → 400
        d.file = d.dir->path() / (base + ".xlsx");
        store::export_layer(*snapshot, s.id, d.file, options);
        d.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        d.filename = base + "_" + name + ".xlsx";
    } else if (format == "gpkg") {
        d.file = d.dir->path() / (base + ".gpkg");
        store::export_layer(*snapshot, s.id, d.file, options);
        d.content_type = "application/geopackage+sqlite3";
        d.filename = base + "_" + name + ".gpkg";
    } else {
        auto shp_dir = d.dir->path() / "shp";
        std::filesystem::create_directories(shp_dir);
        store::export_layer(*snapshot, s.id, shp_dir / (base + ".shp"), options);
        std::vector<std::filesystem::path> parts;
        for (const auto& e : std::filesystem::directory_iterator(shp_dir)) parts.push_back(e.path());
        std::sort(parts.begin(), parts.end());
        d.file = d.dir->path() / (base + ".zip");
        store::write_zip(d.file, parts);
        d.content_type = "application/zip";
        d.filename = base + "_" + name + (encoding == "GBK" ? "_GBK" : "") + "_shp.zip";
    }
    return d;
}

std::string content_disposition(const std::string& utf8_filename) {
    static const char* hex = "0123456789ABCDEF";
    std::string ascii, encoded;
    for (unsigned char c : utf8_filename) {
        if (c == '/' || c == '\\' || c < 0x20) c = '_';  // never a path, never a control character
        bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
        ascii += plain ? static_cast<char>(c) : (c < 0x80 ? '_' : '\0');
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 15];
        }
    }
    std::erase(ascii, '\0');
    if (ascii.empty() || ascii.front() == '.') ascii = "download" + ascii;
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

void send_download(httplib::Response& res, Download d) {
    std::error_code ec;
    auto size = std::filesystem::file_size(d.file, ec);
    if (ec) throw IoError("下载文件未生成: " + d.file.string());
    auto in = std::make_shared<std::ifstream>(d.file, std::ios::binary);
    if (!*in) throw IoError("无法读取下载文件: " + d.file.string());
    res.status = 200;
    res.set_header("Content-Disposition", content_disposition(d.filename));
    res.set_header("Cache-Control", "no-store");
    auto dir = d.dir;  // removed when the provider (and so the response) is done
    res.set_content_provider(
        static_cast<std::size_t>(size), d.content_type,
        [in, dir](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            char buf[64 * 1024];
            in->seekg(static_cast<std::streamoff>(offset));
            std::size_t n = std::min(length, sizeof buf);
            in->read(buf, static_cast<std::streamsize>(n));
            auto got = in->gcount();
            if (got <= 0) return false;
            return sink.write(buf, static_cast<std::size_t>(got));
        });
}

}  // namespace minplan::server
