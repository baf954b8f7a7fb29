#include "services/gaps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "geo/crs.hpp"
#include "geo/geojson.hpp"
#include "standards/loader.hpp"

namespace minplan::services {
namespace {

constexpr double kMetresPerDegree = 111320.0;
constexpr double kInscribedTolerance_m = 0.1;  // GEOS's search precision for the widest inscribed circle

std::optional<double> positive(const nlohmann::json& s, const char* key) {
    if (!s.contains(key)) return std::nullopt;
    const auto& v = s[key];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0)
        throw InputError(fmt::format("规则文件 settings.gaps.{} 应为正数 / must be a positive number", key));
    return v.get<double>();
}

std::string text(const nlohmann::json& s, const char* key) {
    if (!s.contains(key)) return {};
    if (!s[key].is_string()) throw InputError(fmt::format("规则文件 settings.gaps.{} 应为文本 / must be a string", key));
    return s[key].get<std::string>();
}

bool shares_mineral(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& m) { return b.count(m) > 0; });
}

store::BBox grown(const geo::Envelope& e, double metres) {
    const double lat = std::clamp(std::max(std::abs(e.min_y), std::abs(e.max_y)), 0.0, 89.0);
    const double dy = metres / kMetresPerDegree, dx = metres / (kMetresPerDegree * std::cos(lat * M_PI / 180));
    return {e.min_x - dx, e.min_y - dy, e.max_x + dx, e.max_y + dy};
}

bool is_schematic(const Feature& f) { return f.text(kGeometrySourceField) == kSchematic; }

struct Right {
    const Feature* feature;
    geo::Geometry lonlat, plane;
};

std::string container_name(const Feature& f) {
    for (const char* field : {"name", "block_name", "zone_name", "deposit_name", "mine_name"})
        if (auto t = f.text(field); !t.empty()) return t;
    return {};
}

std::string container_id(const Feature& f) {
    for (const char* field : {"block_id", "zone_id", "deposit_id", "id"})
        if (auto t = f.text(field); !t.empty()) return t;
    return "fid " + std::to_string(f.fid);
}

void classify(Gap& g, const GapParams& p) {
    std::vector<std::string> why;
    bool small = false, narrow = false;
    if (p.min_area_km2) {
        small = g.area_plane_km2 < *p.min_area_km2;
        why.push_back(fmt::format("面积{:.4f}平方公里{}最小面积{}", g.area_plane_km2, small ? "小于" : "不小于", *p.min_area_km2));
    }
    if (p.max_width_m) {
        narrow = g.width_m < *p.max_width_m;
        why.push_back(fmt::format("宽度{:.1f}米{}最大宽度{}", g.width_m, narrow ? "小于" : "不小于", *p.max_width_m));
    }
    std::string joined;
    for (const auto& w : why) joined += (joined.empty() ? "" : "；") + w;
    if (!p.min_area_km2 && !p.max_width_m) {
        g.status = GapStatus::Manual;
        g.reason_zh = "规划未给出边角夹缝资源的最小面积和宽度参数（settings.gaps），需人工核查能否独立设置矿业权";
    } else if (small || narrow) {
        g.status = GapStatus::Gap;
        g.reason_zh = joined + "：不足以独立设置矿业权";
    } else if (p.min_area_km2 && p.max_width_m) {
        g.status = GapStatus::Independent;
        g.reason_zh = joined + "：可独立设置矿业权";
    } else {
        // Passes the one figure known; the other might still make it a gap.
        g.status = GapStatus::Manual;
        g.reason_zh = joined + "；另一参数未给出，需人工核查";
    }
    if (!p.thresholds_source_zh.empty() && (p.min_area_km2 || p.max_width_m))
        g.reason_zh += "（参数来源：" + p.thresholds_source_zh + "）";

    std::set<std::string> holders;
    for (const auto& a : g.adjacent) holders.insert(a.holder.empty() ? "（未注明矿业权人：" + a.right_id + "）" : a.holder);
    const std::string& method = holders.size() == 1 ? p.single_holder_method_zh : p.several_holders_method_zh;
    if (method.empty())
        g.grant_method_zh = "需人工核查（规划未给出边角夹缝资源的出让方式）";
    else
        g.grant_method_zh = fmt::format("{}（相邻矿业权人{}个）", method, holders.size());
    if (g.schematic) g.reason_zh = "示意几何，结果仅供示意，不能据此出让：" + g.reason_zh;
}

}  // namespace

GapParams GapParams::from_settings(const nlohmann::json& rules_settings) {
    GapParams p;
    if (!rules_settings.is_object() || !rules_settings.contains("gaps")) return p;
    const auto& s = rules_settings["gaps"];
    if (!s.is_object()) throw InputError("规则文件 settings.gaps 应为对象 / settings.gaps must be an object");
    p.min_area_km2 = positive(s, "min_area_km2");
    p.max_width_m = positive(s, "max_width_m");
    if (auto a = positive(s, "adjacency_m")) p.adjacency_m = *a;
    p.thresholds_source_zh = text(s, "source_zh");
    if ((p.min_area_km2 || p.max_width_m) && p.thresholds_source_zh.empty())
        throw InputError("规则文件 settings.gaps 给出了面积或宽度参数，但缺少来源 source_zh / thresholds need their source");
    if (s.contains("grant_rule")) {
        const auto& g = s["grant_rule"];
        if (!g.is_object()) throw InputError("规则文件 settings.gaps.grant_rule 应为对象 / must be an object");
        p.single_holder_method_zh = text(g, "single_holder_zh");
        p.several_holders_method_zh = text(g, "several_holders_zh");
        p.grant_clause_zh = text(g, "clause_zh");
    }
    return p;
}

void GapParams::override_with(std::optional<double> min_area, std::optional<double> max_width, std::optional<double> adjacency,
                              const std::string& source_zh, const std::string& option_prefix) {
    auto checked = [&](double v, const char* name) {
        if (!std::isfinite(v) || v <= 0) throw InputError(fmt::format("{}{} 应为正数，实际为 {} / must be a positive number", option_prefix, name, v));
        return v;
    };
    if (min_area) min_area_km2 = checked(*min_area, "min-area-km2");
    if (max_width) max_width_m = checked(*max_width, "max-width-m");
    if (adjacency) adjacency_m = checked(*adjacency, "adjacency-m");
    if (min_area || max_width) thresholds_source_zh = source_zh;
}

const char* gap_status_zh(GapStatus s) {
    switch (s) {
        case GapStatus::Gap: return "边角夹缝资源";
        case GapStatus::Independent: return "可独立设置";
        case GapStatus::Manual: return "需人工核查";
    }
    return "";
}

const char* gap_status_key(GapStatus s) {
    switch (s) {
        case GapStatus::Gap: return "gap";
        case GapStatus::Independent: return "independent";
        case GapStatus::Manual: return "manual";
    }
    return "";
}

GapReport find_gaps(const store::PlanStore& store, const GapParams& params) {
    GapReport report;
    report.params = params;
    const TableSchema& within = store.schema(params.within_layer);
    if (!store.schema(params.rights_layer).spatial)
        throw InputError("图层 " + params.rights_layer + " 没有几何，不能作为矿业权图层 / not a spatial layer");
    if (!within.spatial) throw InputError("图层 " + params.within_layer + " 没有几何，不能作为查找范围 / not a spatial layer");

    standards::MineralNames names;  // empty: names compared as written
    try {
        names = standards::Standards::from_store(store).minerals;
    } catch (const Error&) {
        report.notes_zh.push_back("数据库中没有矿种名称表，矿种按原文比较 / minerals compared as written");
    }
    const bool container_has_mineral = within.field("mineral") != nullptr;
    if (!container_has_mineral)
        report.notes_zh.push_back("图层 " + within.name_zh + " 没有矿种字段：相邻的所有采矿权都参与计算");

    store::Query q;
    q.bbox = params.bbox;
    for (const Feature& c : store.read(params.within_layer, q)) {
        ++report.containers;
        if (c.wkb.empty()) {
            ++report.containers_without_geometry;
            continue;
        }
        geo::Geometry block = geo::Geometry::from_wkb(c.wkb);
        if (block.is_empty()) {
            ++report.containers_without_geometry;
            continue;
        }
        if (block.validity_problem()) block = block.make_valid();
        const geo::Envelope env = block.envelope();
        const int epsg = geo::cgcs2000_gk3_epsg(geo::gk3_zone_of((env.min_x + env.max_x) / 2), false);
        const auto& to_plane = geo::cached_transformer(geo::kCgcs2000Geographic, epsg);
        const auto block_minerals = names.names_in(c.text("mineral"));

        std::vector<Feature> near = store.features_in(params.rights_layer, grown(env, params.adjacency_m));
        std::vector<Right> rights;
        for (const Feature& r : near) {
            if (r.text("kind") != "mining") continue;
            if (container_has_mineral && !shares_mineral(block_minerals, names.names_in(r.text("mineral"))))
                continue;
            geo::Geometry g = geo::Geometry::from_wkb(r.wkb);
            if (g.is_empty()) continue;
            if (g.validity_problem()) g = g.make_valid();
            geo::Geometry plane = to_plane.apply(g);
            rights.push_back({&r, std::move(g), std::move(plane)});
        }
        if (rights.empty()) continue;  // no right near: the block is ordinary release ground

        std::vector<const geo::Geometry*> covered;
        for (const auto& r : rights) covered.push_back(&r.lonlat);
        const geo::Geometry unlicensed = block.difference(geo::Geometry::union_of(covered));
        std::vector<Gap> found;
        for (geo::Geometry& piece : unlicensed.parts()) {
            if (piece.is_empty() || piece.polygons().empty()) continue;
            const geo::Geometry plane = to_plane.apply(piece);
            const double area_m2 = plane.planar_area();
            if (area_m2 < params.min_piece_m2) {
                ++report.slivers_dropped;
                continue;
            }
            Gap g;
            for (const auto& r : rights) {
                const double d = plane.distance(r.plane);
                if (d <= params.adjacency_m)
                    g.adjacent.push_back({r.feature->text("right_id"), r.feature->text("holder"), r.feature->text("mine_name"), d});
                if (d <= params.adjacency_m && is_schematic(*r.feature)) g.schematic = true;
            }
            if (g.adjacent.empty()) {
                ++report.open_pieces;
                continue;
            }
            g.container_id = container_id(c);
            g.container_name = container_name(c);
            g.mineral = c.text("mineral");
            g.plane_epsg = epsg;
            g.area_plane_km2 = area_m2 / 1e6;
            g.area_ellipsoid_km2 = geo::ellipsoidal_area_km2(piece);
            g.width_m = 2 * plane.max_inscribed_radius(kInscribedTolerance_m);
            g.schematic = g.schematic || is_schematic(c);
            g.lonlat = std::move(piece);
            classify(g, params);
            found.push_back(std::move(g));
        }
        std::sort(found.begin(), found.end(), [](const Gap& a, const Gap& b) { return a.area_plane_km2 > b.area_plane_km2; });
        for (auto& g : found) report.gaps.push_back(std::move(g));
    }
    if (report.slivers_dropped)
        report.notes_zh.push_back(fmt::format("{}处面积小于{}平方米的碎片（求差的数值误差）未列出", report.slivers_dropped, params.min_piece_m2));
    if (std::any_of(report.gaps.begin(), report.gaps.end(), [](const Gap& g) { return g.schematic; }))
        report.notes_zh.push_back("部分结果基于示意几何（schematic），仅供示意，不能作为出让依据");
    return report;
}

nlohmann::json gaps_geojson(const GapReport& report) {
    nlohmann::json features = nlohmann::json::array();
    for (const Gap& g : report.gaps) {
        nlohmann::json adjacent = nlohmann::json::array();
        for (const auto& a : g.adjacent)
            adjacent.push_back({{"right_id", a.right_id}, {"holder", a.holder}, {"mine_name", a.mine_name}, {"distance_m", a.distance_m}});
        features.push_back({{"type", "Feature"},
                            {"geometry", nlohmann::json::parse(g.lonlat.to_geojson())},
                            {"properties",
                             {{"container_id", g.container_id},
                              {"container_name", g.container_name},
                              {"mineral", g.mineral},
                              {"status", gap_status_key(g.status)},
                              {"status_zh", gap_status_zh(g.status)},
                              {"reason_zh", g.reason_zh},
                              {"area_plane_km2", g.area_plane_km2},
                              {"area_ellipsoid_km2", g.area_ellipsoid_km2},
                              {"plane_epsg", g.plane_epsg},
                              {"width_m", g.width_m},
                              {"adjacent_rights", adjacent},
                              {"grant_method_zh", g.grant_method_zh},
                              {"grant_clause_zh", report.params.grant_clause_zh},
                              {kGeometrySourceField, g.schematic ? kSchematic : "imported"}}}});
    }
    const auto& p = report.params;
    nlohmann::json summary = {{"within_layer", p.within_layer},
                              {"rights_layer", p.rights_layer},
                              {"containers", report.containers},
                              {"containers_without_geometry", report.containers_without_geometry},
                              {"gaps", report.gaps.size()},
                              {"slivers_dropped", report.slivers_dropped},
                              {"open_pieces", report.open_pieces},
                              {"min_area_km2", p.min_area_km2 ? nlohmann::json(*p.min_area_km2) : nlohmann::json()},
                              {"max_width_m", p.max_width_m ? nlohmann::json(*p.max_width_m) : nlohmann::json()},
                              {"thresholds_source_zh", p.thresholds_source_zh},
                              {"adjacency_m", p.adjacency_m},
                              {"notes_zh", report.notes_zh}};
    for (auto s : {GapStatus::Gap, GapStatus::Independent, GapStatus::Manual})
        summary["by_status"][gap_status_key(s)] =
            std::count_if(report.gaps.begin(), report.gaps.end(), [&](const Gap& g) { return g.status == s; });
    return {{"type", "FeatureCollection"}, {"crs_epsg", geo::kCgcs2000Geographic}, {"features", features}, {"summary", summary}};
}

TableView gaps_table(const GapReport& report) {
    TableView t;
    t.sheet_name = "边角夹缝资源";
    t.title = "边角、夹缝资源清单";
    t.headers = {"序号", "所在区块", "区块名称", "矿种", "结论", "平面面积", "椭球面积", "最大宽度", "相邻采矿权", "相邻矿业权人", "出让方式", "说明"};
    t.units = {"", "", "", "", "", "平方公里", "平方公里", "米", "", "", "", ""};
    int n = 0;
    for (const Gap& g : report.gaps) {
        std::string ids, holders;
        std::set<std::string> seen;
        for (const auto& a : g.adjacent) {
            ids += (ids.empty() ? "" : "、") + a.right_id;
            if (seen.insert(a.holder).second) holders += (holders.empty() ? "" : "、") + a.holder;
        }
        t.rows.push_back({Cell::num(++n, 0), Cell::of(g.container_id), Cell::of(g.container_name), Cell::of(g.mineral),
                          Cell::of(std::string(gap_status_zh(g.status)) + (g.schematic ? "（示意）" : "")),
                          Cell::num(g.area_plane_km2, 4), Cell::num(g.area_ellipsoid_km2, 4), Cell::num(g.width_m, 1),
                          Cell::of(ids), Cell::of(holders), Cell::of(g.grant_method_zh), Cell::of(g.reason_zh)});
    }
    const auto& p = report.params;
    t.notes.push_back(fmt::format("平面面积按CGCS2000 3度带高斯-克吕格投影（各区块所在带）计算，椭球面积按CGCS2000椭球计算；宽度为最大内切圆直径。"));
    if (!p.grant_clause_zh.empty()) t.notes.push_back("出让方式依据：" + p.grant_clause_zh);
    for (const auto& note : report.notes_zh) t.notes.push_back(note);
    if (report.open_pieces)
        t.notes.push_back(fmt::format("另有{}处未设矿业权的区块部分不与任何同矿种采矿权相邻，按一般投放管理，未列入。", report.open_pieces));
    return t;
}

}  // namespace minplan::services
