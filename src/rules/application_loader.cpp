#include "rules/application_loader.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>

#include <cpl_vsi.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/geojson_limits.hpp"
#include "geo/crs.hpp"
#include "store/polygon_reader.hpp"

namespace minplan::rules {
namespace {

// Exists, is a regular file and within `max_bytes` (checked before reading: a 200 MB text was read whole
// before being refused).
void check_readable(const std::filesystem::path& file, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (!std::filesystem::exists(status))
        throw IoError("无法读取 " + file.string() + "：文件不存在 / no such file");
    if (!std::filesystem::is_regular_file(status))
        throw IoError("无法读取 " + file.string() + "：不是普通文件 / not a regular file");
    formats::InputLimits limits;
    limits.max_file_bytes = max_bytes;
    formats::check_file_size(std::filesystem::file_size(file, ec), file.string(), limits);
}

std::string read_bytes(const std::filesystem::path& file, std::uintmax_t max_bytes = formats::kDefaultInputLimits.max_file_bytes) {
    check_readable(file, max_bytes);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取 " + file.string() + " / cannot read file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string lower_ext(const std::filesystem::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

bool vector_file(const std::filesystem::path& p) {
    const std::string e = lower_ext(p);
    return e == ".geojson" || e == ".shp" || e == ".gpkg" || (e == ".json" && p.stem().extension() != ".attrs");
}

Application finish(PolygonResult poly, const std::string& format, const std::string& name, const LoadOptions& o) {
    Application app;
    if (!o.attrs_file.empty()) app.attrs = load_attributes(o.attrs_file);
    for (const auto& [k, v] : o.attrs) app.attrs.set_from_text(k, v);
    std::string kind = o.kind.value_or(app.attrs.text("kind").value_or(""));
    if (kind.empty() && format == "mining_right_string") kind = "mining";
    if (kind.empty() && format == "exploration_right_string") kind = "exploration";
    if (kind.empty())
        throw InputError("无法判断矿业权类型：请用 --kind exploration|mining 或在属性文件中给出 kind / cannot tell the kind of right");
    app.kind = parse_kind(kind);
    app.action = parse_action(o.action.value_or(app.attrs.text("action").value_or("new")));
    app.name = app.attrs.text("name").value_or(name);
    app.source_format = format;
    app.polygon = std::move(poly.lonlat);
    app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
    app.source_epsg = poly.source_epsg;
    app.input_notes = std::move(poly.notes);
    return app;
}

// GDAL's GeoPackage and Shapefile readers pass NaN and infinite coordinates through; GEOS would then
// report an "Invalid Coordinate" as if the polygon's shape were wrong. Name the vertex instead.
void check_finite(const geo::Geometry& g, const std::string& name) {
    const auto parts = g.polygons();
    for (std::size_t p = 0; p < parts.size(); ++p)
        for (std::size_t r = 0; r < parts[p].size(); ++r)
            for (std::size_t v = 0; v < parts[p][r].size(); ++v) {
                const geo::Coord c = parts[p][r][v];
                if (std::isfinite(c.x) && std::isfinite(c.y)) continue;
                throw InputError(fmt::format("{}：第{}个多边形第{}圈第{}个拐点的坐标不是有限数值（{}, {}）/ part {} ring {} vertex {}: "
                                             "non-finite coordinate",
                                             name, p + 1, r + 1, v + 1, c.x, c.y, p + 1, r + 1, v + 1));
            }
}

// The polygon of a vector file GDAL can open at `gdal_path` (a real file or a /vsimem/ one), bounded.
Application from_vector(const std::string& gdal_path, const std::string& name, const LoadOptions& options,
                        const PolygonOptions& polygon) {
    store::ReadPolygon rp = store::read_application_polygon(gdal_path, options.layer);
    geo::Geometry g = geo::Geometry::from_wkb(rp.wkb);
    if (g.vertex_count() > formats::kDefaultInputLimits.max_vertices)
        throw InputError(fmt::format("{}：顶点超过 {} 个的上限 / more than {} vertices (limit)", name,
                                     formats::kDefaultInputLimits.max_vertices, formats::kDefaultInputLimits.max_vertices));
    check_finite(g, name);
    PolygonResult poly = polygon_from_geometry(g, rp.crs_known, rp.crs_known ? geo::kCgcs2000Geographic : 0, polygon);
    if (rp.crs_known && rp.source_epsg) poly.source_epsg = rp.source_epsg;
    return finish(std::move(poly), rp.format, std::filesystem::path(name).stem().string(), options);
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// GeoJSON bytes (POST /api/check with a JSON content type): checked as text like a file, then read by
// GDAL from a /vsimem/ file named after the hint, whose directory is kept out of the messages. Before,
// they went to the coordinate-text parsers and every GeoJSON upload was refused as "无法识别坐标串格式".
Application geojson_from_bytes(const std::string& bytes, const std::string& filename_hint, const LoadOptions& options,
                               const PolygonOptions& polygon) {
    const std::string name = std::filesystem::path(filename_hint).filename().string();
    formats::check_geojson(bytes, name);
    static std::atomic<unsigned> counter{0};
    const std::string dir = "/vsimem/minplan_application_" + std::to_string(++counter) + "/";
    const std::string path = dir + (name.empty() ? "application.geojson" : name);
    VSILFILE* fp = VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())), bytes.size(), FALSE);
    if (!fp) throw IoError("无法读取 " + name + " / cannot read GeoJSON");
    VSIFCloseL(fp);
    struct Unlink {
        std::string path;
        ~Unlink() { VSIUnlink(path.c_str()); }
    } unlink{path};
    try {
        return from_vector(path, name, options, polygon);
    } catch (const InputError& e) {
        std::string msg = e.what();
        replace_all(msg, dir, "");
        throw InputError(msg);
    } catch (const IoError& e) {  // GDAL cannot open it: valid JSON that is not GeoJSON
        std::string msg = e.what();
        replace_all(msg, dir, "");
        throw InputError(msg + "（不是 GeoJSON 要素或要素集合 / not GeoJSON）");
    }
}

}  // namespace

Attributes load_attributes(const std::filesystem::path& file) {
    const std::string text = read_bytes(file, kMaxAttributesFileBytes), ext = lower_ext(file);
    if (ext == ".toml") return Attributes::from_toml_text(text, file.string());
    if (ext == ".json") return Attributes::from_json_text(text, file.string());
    throw InputError("属性文件应为 .json 或 .toml：" + file.string() + " / attributes must be JSON or TOML");
}

Application application_from_bytes(const std::string& bytes, const std::string& filename_hint, const LoadOptions& options,
                                   const PolygonOptions& polygon) {
    const std::string ext = lower_ext(filename_hint);
    if (ext == ".geojson" || (ext == ".json" && vector_file(filename_hint))) return geojson_from_bytes(bytes, filename_hint, options, polygon);
    formats::ParsedInput parsed = formats::parse_auto(bytes, filename_hint);
    PolygonResult poly = polygon_from_parsed(parsed, polygon);
    std::string name = std::filesystem::path(filename_hint).stem().string();
    if (!parsed.parcels.empty() && !parsed.parcels.front().name.empty()) name = parsed.parcels.front().name;
    return finish(std::move(poly), parsed.format, name, options);
}

Application load_application(const std::filesystem::path& file, const LoadOptions& options, const PolygonOptions& polygon) {
    if (vector_file(file)) {
        const std::string ext = lower_ext(file);
        // GeoJSON is checked as text first: GDAL's reader has no depth or vertex limit and reports syntax
        // errors without a reason. Other formats are bounded by their size, then counted once read.
        if (ext != ".geojson" && ext != ".json") {
            check_readable(file, formats::kDefaultInputLimits.max_file_bytes);
            return from_vector(file.string(), file.string(), options, polygon);
        }
        formats::check_geojson(read_bytes(file), file.string());
        try {
            return from_vector(file.string(), file.string(), options, polygon);
        } catch (const IoError& e) {  // read above, so GDAL's refusal is about the content: valid JSON, not GeoJSON
            throw InputError(std::string(e.what()) + "（不是 GeoJSON 要素或要素集合 / not GeoJSON）");
        }
    }
    return application_from_bytes(read_bytes(file), file.filename().string(), options, polygon);
}

}  // namespace minplan::rules
