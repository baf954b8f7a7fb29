#include "formats/geojson_input.hpp"

#include <cctype>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "formats/geojson_limits.hpp"

namespace minplan::formats {
namespace {

using nlohmann::json;

std::optional<int> crs_epsg(const json& doc) {
    if (!doc.is_object() || !doc.contains("crs") || doc["crs"].is_null()) return std::nullopt;
    const json& crs = doc["crs"];
    const std::string name = crs.value("properties", json::object()).value("name", std::string());
    if (name.find("CRS84") != std::string::npos) return 4326;
    static const std::regex epsg(R"(EPSG[:/]+(?:[0-9.]*[:/])?:?(\d{4,6})\s*$)", std::regex::icase);
    std::smatch m;
    if (std::regex_search(name, m, epsg)) return std::stoi(m[1].str());
    throw InputError(fmt::format("GeoJSON 的 crs “{}” 无法识别，请写作 \"EPSG:4490\" 或 \"urn:ogc:def:crs:EPSG::4490\"，或删除 crs（按经纬度读取）"
                                 " / unrecognised crs",
                                 name));
}

std::vector<Point> ring_of(const json& ring, const std::string& where) {
    if (!ring.is_array() || ring.size() < 4)
        throw InputError(fmt::format("GeoJSON {}：每个环至少需要4个坐标（首尾相同）/ a ring needs at least 4 positions", where));
    std::vector<Point> out;
    for (const auto& pos : ring) {
        if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
            throw InputError(fmt::format("GeoJSON {}：坐标应为 [x, y] 数值数组 / a position must be [x, y]", where));
        out.push_back({pos[0].get<double>(), pos[1].get<double>()});
    }
    return out;
}

void read_geometry(const json& g, GeoJsonPolygon& out) {
    const std::string type = g.is_object() ? g.value("type", std::string()) : std::string();
    auto polygon = [&](const json& rings, const std::string& where) {
        if (!rings.is_array() || rings.empty()) throw InputError(fmt::format("GeoJSON {}没有坐标 / empty polygon", where));
        std::vector<std::vector<Point>> p;
        for (std::size_t i = 0; i < rings.size(); ++i) p.push_back(ring_of(rings[i], fmt::format("{}第{}环", where, i + 1)));
        out.polygons.push_back(std::move(p));
    };
    if (type == "Polygon") {
        polygon(g.value("coordinates", json()), "多边形");
    } else if (type == "MultiPolygon") {
        const json& parts = g.value("coordinates", json());
        if (!parts.is_array() || parts.empty()) throw InputError("GeoJSON 多部件多边形没有坐标 / empty MultiPolygon");
        for (std::size_t i = 0; i < parts.size(); ++i) polygon(parts[i], fmt::format("第{}个多边形", i + 1));
    } else {
        throw InputError(fmt::format("GeoJSON 几何类型为“{}”，申请范围应为面（Polygon 或 MultiPolygon）/ geometry must be polygonal",
                                     type.empty() ? "（缺失）" : type));
    }
}

bool polygonal(const json& feature) {
    if (!feature.is_object() || !feature.contains("geometry") || !feature["geometry"].is_object()) return false;
    const std::string t = feature["geometry"].value("type", std::string());
    return t == "Polygon" || t == "MultiPolygon";
}

void read_properties(const json& feature, GeoJsonPolygon& out) {
    if (!feature.contains("properties") || !feature["properties"].is_object()) return;
    for (const auto& [k, v] : feature["properties"].items())
        if (!v.is_null()) out.properties[k] = v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

bool looks_like_json(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        return c == '{';
    }
    return false;
}

GeoJsonPolygon parse_geojson_polygon(const std::string& text, const std::string& name, const InputLimits& limits) {
    std::string_view body = text;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    check_geojson(std::string(body), name, limits);
    const json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw InputError(name + "：不是有效的 GeoJSON 对象 / not a GeoJSON object");
    GeoJsonPolygon out;
    out.epsg = crs_epsg(doc);
    const std::string type = doc.value("type", std::string());
    if (type == "FeatureCollection") {
        const json& features = doc.value("features", json::array());
        std::vector<const json*> polys;
        for (const auto& f : features)
            if (polygonal(f)) polys.push_back(&f);
        if (polys.empty()) throw InputError(name + "：GeoJSON 要素集中没有面要素（Polygon/MultiPolygon）/ no polygonal feature");
        if (polys.size() > 1)
            throw InputError(fmt::format("{}：GeoJSON 要素集中有 {} 个面要素，一次审查只能提交一个申请范围；请只保留申请范围（多块范围请合并为"
                                         " MultiPolygon）/ {} polygonal features, expected one",
                                         name, polys.size(), polys.size()));
        read_geometry((*polys.front())["geometry"], out);
        read_properties(*polys.front(), out);
    } else if (type == "Feature") {
        if (!doc.contains("geometry") || doc["geometry"].is_null()) throw InputError(name + "：GeoJSON 要素没有几何 / feature without geometry");
        read_geometry(doc["geometry"], out);
        read_properties(doc, out);
    } else {
        read_geometry(doc, out);
    }
    if (out.polygons.size() > limits.max_parts)
        throw InputError(fmt::format("{}：申请范围有{}个多边形，超过{}个的上限（formats::InputLimits::max_parts，见 docs/review.md）"
                                     "/ {} polygons, more than the limit max_parts", name, out.polygons.size(), limits.max_parts,
                                     out.polygons.size()));
    return out;
}

}  // namespace minplan::formats
