#include "rules/application_loader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/geojson_input.hpp"
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

// The project's name as the file states it: a header's 项目名称 (or the like), else the parcel's or
// feature's name; the file name only when the file names nothing.
const char* const kNameKeys[] = {"项目名称", "矿山名称", "勘查项目名称", "矿区名称", "名称", "name", "name_zh", "项目", "NAME"};

std::string stated_name(const std::map<std::string, std::string>& header, const std::string& parcel_name) {
    for (const char* k : kNameKeys)
        if (auto it = header.find(k); it != header.end() && !it->second.empty()) return it->second;
    return parcel_name;
}

Application finish(PolygonResult poly, const std::string& format, std::string name, const LoadOptions& o,
                   std::map<std::string, std::string> header = {}) {
    if (name.empty()) name = o.file_name.empty() ? std::string("未命名申请") : std::filesystem::path(o.file_name).stem().string();
    Application app;
    app.header = std::move(header);
    if (!o.attrs_file.empty()) app.attrs = load_attributes(o.attrs_file);
    for (const auto& [k, v] : o.attrs) app.attrs.set_from_text(k, v);
    std::string kind = o.kind.value_or(app.attrs.text("kind").value_or(""));
    if (kind.empty() && format == "mining_right_string") kind = "mining";
    if (kind.empty() && format == "exploration_right_string") kind = "exploration";
    if (kind.empty()) throw KindUnknownError();
    app.kind = parse_kind(kind);
    app.action = parse_action(o.action.value_or(app.attrs.text("action").value_or("new")));
    app.name = app.attrs.text("name").value_or(name);
    app.source_format = format;
    app.polygon = std::move(poly.lonlat);
    app.area_m2 = poly.ellipsoid_area_m2;
    app.source_epsg = poly.source_epsg;
    app.input_notes = std::move(poly.notes);
    app.notes = std::move(poly.info);
    app.plane_polygon = std::move(poly.plane);
    app.plane_epsg = poly.plane_epsg;
    app.plane_area_m2 = poly.plane_area_m2;
    app.plane_decides = poly.plane_decides;
    app.corners = std::move(poly.corners);
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

}  // namespace

KindUnknownError::KindUnknownError()
    : InputError("无法从坐标格式判断矿业权类型，请选择“采矿权”或“探矿权”后重新提交 / the kind of right cannot be told from the "
                 "coordinates: choose mining or exploration") {}

Attributes load_attributes(const std::filesystem::path& file) {
    const std::string text = read_bytes(file, kMaxAttributesFileBytes), ext = lower_ext(file);
    if (ext == ".toml") return Attributes::from_toml_text(text, file.string());
    if (ext == ".json") return Attributes::from_json_text(text, file.string());
    throw InputError("属性文件应为 .json 或 .toml：" + file.string() + " / attributes must be JSON or TOML");
}

namespace {

// GeoJSON text: the declared CRS decides; without one, RFC 7946 lon/lat (WGS 84, read as CGCS2000: the two
// differ by well under a metre), noted in the report. A CRS that is a Gauss–Krüger plane makes that plane
// the plane of the overlay; any other is transformed to CGCS2000 lon/lat through PROJ.
Application application_from_geojson(const std::string& bytes, const std::string& name, const LoadOptions& options,
                                     const PolygonOptions& o) {
    formats::GeoJsonPolygon gj = formats::parse_geojson_polygon(bytes, name, options.limits);
    std::vector<geo::PolygonRings> polys;
    for (const auto& p : gj.polygons) {
        geo::PolygonRings rings;
        for (const auto& r : p) {
            geo::Ring ring;
            for (const auto& pt : r) ring.push_back({pt.x, pt.y});
            rings.push_back(std::move(ring));
        }
        polys.push_back(std::move(rings));
    }
    geo::Geometry g = polys.size() == 1 ? geo::Geometry::polygon(polys[0]) : geo::Geometry::multi_polygon(polys);
    PolygonResult poly;
    if (!gj.epsg) {
        poly = polygon_from_geometry(g, false, 0, o);
        if (poly.source_epsg == geo::kCgcs2000Geographic) {
            // Degrees: what RFC 7946 prescribes, so no doubt, only a note.
            std::erase(poly.notes, std::string("文件未声明坐标系，已按坐标数值推断"));
            poly.source_epsg = 4326;
            poly.info.insert(poly.info.begin(), "GeoJSON 未声明坐标系（crs），按 RFC 7946 读作 WGS 84 经纬度（EPSG:4326），"
                                                "并视同2000国家大地坐标系（两者相差不足1米）");
        }
    } else if (is_cgcs2000_gk_epsg(*gj.epsg)) {
        poly = polygon_from_plane(g, *gj.epsg, o);
    } else if (*gj.epsg == geo::kCgcs2000Geographic || *gj.epsg == 4326) {
        poly = polygon_from_geometry(g, true, *gj.epsg, o);
        if (*gj.epsg == 4326) poly.info.push_back("GeoJSON 坐标系为 WGS 84（EPSG:4326），视同2000国家大地坐标系（两者相差不足1米）");
    } else {
        geo::Geometry lonlat = geo::cached_transformer(*gj.epsg, geo::kCgcs2000Geographic).apply(g);
        poly = polygon_from_geometry(lonlat, true, *gj.epsg, o);
    }
    LoadOptions named = options;
    if (named.file_name.empty()) named.file_name = name;
    std::map<std::string, std::string> header(gj.properties.begin(), gj.properties.end());
    return finish(std::move(poly), "geojson", stated_name(header, ""), named, header);
}

}  // namespace

Application application_from_bytes(const std::string& bytes, const std::string& filename_hint, const LoadOptions& options,
                                   const PolygonOptions& polygon) {
    const std::string ext = lower_ext(filename_hint);
    if (formats::looks_like_json(bytes) || ext == ".geojson" || ext == ".json") {
        // Messages name the file (an upload's name, or the API's application.geojson).
        const std::string name = std::filesystem::path(filename_hint).filename().string();
        try {
            return application_from_geojson(bytes, filename_hint, options, polygon);
        } catch (const InputError& e) {
            const std::string msg = e.what();
            if (name.empty() || msg.find(name) != std::string::npos) throw;
            throw InputError(name + "：" + msg);
        }
    }
    formats::ParsedInput parsed = formats::parse_auto(bytes, filename_hint);
    PolygonResult poly = polygon_from_parsed(parsed, polygon);
    LoadOptions o = options;
    if (o.file_name.empty()) o.file_name = filename_hint;
    const std::string name = stated_name(parsed.attributes, parsed.parcels.empty() ? "" : parsed.parcels.front().name);
    return finish(std::move(poly), parsed.format, name, o, parsed.attributes);
}

Application load_application(const std::filesystem::path& file, const LoadOptions& options, const PolygonOptions& polygon) {
    if (vector_file(file)) {
        const std::string ext = lower_ext(file);
        // GeoJSON is read by the same reader as on the server (one behaviour for CRS, notes and limits).
        if (ext == ".geojson" || ext == ".json")
            return application_from_bytes(read_bytes(file, options.limits.max_file_bytes), file.filename().string(), options, polygon);
        // Shapefile and GeoPackage: bounded by their size before GDAL opens them, and by their vertex and
        // part counts while GDAL's features are read, before any GEOS geometry is built.
        check_readable(file, options.limits.max_file_bytes);
        store::ReadPolygon rp = store::read_application_polygon(file, options.layer,
                                                                {options.limits.max_vertices, options.limits.max_parts});
        geo::Geometry g = geo::Geometry::from_wkb(rp.wkb);
        check_finite(g, file.string());
        PolygonResult poly = polygon_from_geometry(g, rp.crs_known, rp.crs_known ? geo::kCgcs2000Geographic : 0, polygon);
        if (rp.crs_known && rp.source_epsg) poly.source_epsg = rp.source_epsg;
        LoadOptions o = options;
        if (o.file_name.empty()) o.file_name = file.filename().string();
        return finish(std::move(poly), rp.format, stated_name(rp.properties, ""), o, rp.properties);
    }
    return application_from_bytes(read_bytes(file, options.limits.max_file_bytes), file.filename().string(), options, polygon);
}

}  // namespace minplan::rules
