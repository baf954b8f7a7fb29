#include "services/consistency.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "monitor/indicators.hpp"

namespace minplan::services {

namespace {

struct Settings {
    std::vector<std::string> layers{"exploration_blocks", "mining_blocks"};
    std::string level_field = "plan_level";
    std::string upper_level = "province";
    double tolerance_km2 = 0.01;
    std::string clause = "（规划包未给出条款 / no clause in the plan package: rules.json settings.consistency.citation）";
    nlohmann::json inside_upper_zones = nlohmann::json::array();  // see check_upper_zones
};

std::string citation_of(const nlohmann::json& cit) {
    return cit.value("section", "") + (cit.contains("quote") ? "：“" + cit.value("quote", "") + "”" : "");
}

Settings settings_of(const store::PlanStore& lower) {
    Settings s;
    auto text = lower.package_file("rules.json");
    if (!text) return s;
    auto rules = nlohmann::json::parse(*text, nullptr, false);
    if (!rules.is_object()) return s;
    auto c = rules.value("settings", nlohmann::json::object()).value("consistency", nlohmann::json::object());
    if (c.contains("carry_layers")) s.layers = c["carry_layers"].get<std::vector<std::string>>();
    s.level_field = c.value("level_field", s.level_field);
    s.upper_level = c.value("upper_level", s.upper_level);
    s.tolerance_km2 = c.value("area_tolerance_km2", s.tolerance_km2);
    if (auto cit = c.value("citation", nlohmann::json()); cit.is_object()) s.clause = citation_of(cit);
    if (c.contains("inside_upper_zones") && c["inside_upper_zones"].is_array()) s.inside_upper_zones = c["inside_upper_zones"];
    return s;
}

std::string plan_name(const store::PlanStore& s) { return s.metadata("name_zh").value_or(s.location()); }

bool has_layer(const store::PlanStore& s, const std::string& id) {
    for (const auto& l : s.layers())
        if (l.id == id) return true;
    return false;
}

bool has_field(const TableSchema& s, const std::string& name) {
    return std::any_of(s.fields.begin(), s.fields.end(), [&](const FieldDef& f) { return f.name == name; });
}

std::string km2(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4f", v);
    return b;
}

bool schematic(const Feature& f) { return f.text(kGeometrySourceField) == kSchematic; }

// The lower plan's jurisdiction: the union of its admin_city polygons (empty when it has none).
std::optional<geo::Geometry> jurisdiction(const store::PlanStore& lower, bool& is_schematic) {
    if (!has_layer(lower, "admin_city")) return std::nullopt;
    std::vector<geo::Geometry> parts;
    for (const auto& f : lower.read("admin_city")) {
        if (f.wkb.empty()) continue;
        parts.push_back(geo::Geometry::from_wkb(f.wkb));
        is_schematic = is_schematic || schematic(f);
    }
    if (parts.empty()) return std::nullopt;
    std::vector<const geo::Geometry*> ptrs;
    for (const auto& g : parts) ptrs.push_back(&g);
    return geo::Geometry::union_of(ptrs);
}

void check_layer(const store::PlanStore& lower, const store::PlanStore& upper, const std::string& layer, const Settings& st,
                 const std::optional<geo::Geometry>& area, bool area_schematic, ConsistencyReport& out) {
    const TableSchema& ls = lower.schema(layer);
    const std::string id_field = ls.fields.front().name;
    const std::string mineral = has_field(ls, "mineral") ? "mineral" : has_field(ls, "minerals") ? "minerals" : "";
    std::map<std::string, Feature> lows, ups;
    for (auto& f : lower.read(layer)) lows.emplace(f.text(id_field), std::move(f));
    for (auto& f : upper.read(layer)) ups.emplace(f.text(id_field), std::move(f));
    auto add = [&](const std::string& check, const std::string& key, const std::string& message, std::optional<double> a, bool note) {
        out.findings.push_back({check, layer, ls.name_zh, key, message + (note ? "（示意几何，仅供提示，不作判定）" : ""), a, st.clause, !note});
    };
    // Upper features inside the jurisdiction that the lower plan must carry.
    for (const auto& [key, u] : ups) {
        if (lows.count(key)) continue;
        if (!u.wkb.empty() && area) {
            auto g = geo::Geometry::from_wkb(u.wkb);
            if (!g.intersects(*area)) continue;
            const double inside = geo::ellipsoidal_area_km2(g.intersection(*area));
            if (inside <= st.tolerance_km2) continue;
            add("missing_in_lower", key,
                "上级规划的" + ls.name_zh + " " + key + (u.text("name_zh").empty() ? "" : "「" + u.text("name_zh") + "」") + "有 " + km2(inside) +
                    " km² 位于本级行政区内，本级规划未落实（无同编号要素）",
                inside, schematic(u) || area_schematic);
        }  // an upper row without geometry cannot be placed: the identifier list is all there is
    }
    // Lower features marked as carrying out the upper plan.
    if (!has_field(ls, st.level_field)) return;
    for (const auto& [key, l] : lows) {
        if (l.text(st.level_field) != st.upper_level) continue;
        auto it = ups.find(key);
        if (it == ups.end()) {
            add("not_in_upper", key, ls.name_zh + " " + key + " 标为落实上级规划，但上级规划没有该编号", std::nullopt, false);
            continue;
        }
        const Feature& u = it->second;
        if (!mineral.empty() && l.text(mineral) != u.text(mineral))
            add("mineral_differs", key, ls.name_zh + " " + key + " 的矿种为 " + l.text(mineral) + "，上级规划为 " + u.text(mineral), std::nullopt, false);
        if (!l.wkb.empty() && !u.wkb.empty()) {
            auto lg = geo::Geometry::from_wkb(l.wkb);
            auto ug = geo::Geometry::from_wkb(u.wkb);
            const double outside = geo::ellipsoidal_area_km2(lg.difference(ug));
            if (outside > st.tolerance_km2)
                add("outside_upper", key,
                    ls.name_zh + " " + key + " 有 " + km2(outside) + " km² 超出上级规划同编号范围（容差 " + km2(st.tolerance_km2) + " km²）",
                    outside, schematic(l) || schematic(u));
        }
    }
}

// Features matching `where` ({field: [values]}; empty matches every feature).
bool matches(const Feature& f, const nlohmann::json& where) {
    if (!where.is_object()) return true;
    for (const auto& [field, values] : where.items()) {
        const std::string v = f.text(field);
        if (std::none_of(values.begin(), values.end(), [&](const nlohmann::json& x) { return x.is_string() && x.get<std::string>() == v; }))
            return false;
    }
    return true;
}

// Lower blocks that must lie inside the upper plan's zones (settings.consistency.inside_upper_zones:
// [{"layer", "where", "zone_layer", "zone_where", "citation"}]): the part of each such block outside the
// union of the upper zones, when over the tolerance, with its area.
void check_upper_zones(const store::PlanStore& lower, const store::PlanStore& upper, const Settings& st, ConsistencyReport& out) {
    for (const auto& req : st.inside_upper_zones) {
        const std::string layer = req.value("layer", ""), zone_layer = req.value("zone_layer", "");
        if (!has_layer(lower, layer))
            throw InputError("settings.consistency.inside_upper_zones 中的图层 “" + layer + "” 在本级规划数据库中不存在 / unknown layer");
        const TableSchema& ls = lower.schema(layer);
        const std::string clause = req.contains("citation") ? citation_of(req["citation"]) : st.clause;
        if (!has_layer(upper, zone_layer)) {
            out.findings.push_back({"outside_upper_zone", layer, ls.name_zh, "", "上级规划数据库没有图层 " + zone_layer + "，无法比对",
                                    std::nullopt, clause, false});
            continue;
        }
        const std::string zone_zh = upper.schema(zone_layer).name_zh;
        std::vector<geo::Geometry> zones;
        bool zones_schematic = false;
        for (const auto& z : upper.read(zone_layer)) {
            if (z.wkb.empty() || !matches(z, req.value("zone_where", nlohmann::json()))) continue;
            zones.push_back(geo::Geometry::from_wkb(z.wkb));
            zones_schematic = zones_schematic || schematic(z);
        }
        std::vector<const geo::Geometry*> ptrs;
        for (const auto& g : zones) ptrs.push_back(&g);
        std::optional<geo::Geometry> all;
        if (!ptrs.empty()) all = geo::Geometry::union_of(ptrs);
        for (const auto& f : lower.read(layer)) {
            if (f.wkb.empty() || !matches(f, req.value("where", nlohmann::json()))) continue;
            auto g = geo::Geometry::from_wkb(f.wkb);
            const double outside = geo::ellipsoidal_area_km2(all ? g.difference(*all) : g.clone());
            if (outside <= st.tolerance_km2) continue;
            const bool note = schematic(f) || zones_schematic;
            const std::string key = f.text(ls.fields.front().name);
            out.findings.push_back({"outside_upper_zone", layer, ls.name_zh, key,
                                    ls.name_zh + " " + key + " 有 " + km2(outside) + " km² 位于上级规划" + zone_zh + "之外（容差 " +
                                        km2(st.tolerance_km2) + " km²）" + (note ? "（示意几何，仅供提示，不作判定）" : ""),
                                    outside, clause, !note});
        }
    }
}

std::string minerals_key(std::vector<std::string> m) {
    std::sort(m.begin(), m.end());
    std::string k;
    for (const auto& s : m) k += s + "、";
    return k;
}

void check_targets(const store::PlanStore& lower, const store::PlanStore& upper, const Settings& st, ConsistencyReport& out) {
    std::optional<monitor::IndicatorSet> lo, up;
    try {
        lo = monitor::IndicatorSet::from_store(lower);
        up = monitor::IndicatorSet::from_store(upper);
    } catch (const InputError&) {
        return;  // a plan without indicators has no targets to compare
    }
    for (const auto& d : lo->indicators())
        for (const auto& u : up->indicators()) {
            if (d.measure != u.measure || d.unit != u.unit || minerals_key(d.minerals) != minerals_key(u.minerals)) continue;
            if (d.target_2025 <= u.target_2025) continue;
            out.findings.push_back({"target_above", "indicators", "规划指标", d.id,
                                    d.name_zh + " 目标 " + monitor::format_number(d.target_2025, 4) + " " + d.unit + " 高于上级规划 " + u.id + "「" +
                                        u.name_zh + "」的 " + monitor::format_number(u.target_2025, 4) + " " + u.unit,
                                    std::nullopt, st.clause, true});
        }
}

}  // namespace

bool ConsistencyReport::has_errors() const {
    return std::any_of(findings.begin(), findings.end(), [](const ConsistencyFinding& f) { return f.blocking; });
}

ConsistencyReport check_consistency(const store::PlanStore& lower, const store::PlanStore& upper) {
    ConsistencyReport out;
    out.lower = plan_name(lower);
    out.upper = plan_name(upper);
    const Settings st = settings_of(lower);
    bool area_schematic = false;
    const auto area = jurisdiction(lower, area_schematic);
    for (const auto& layer : st.layers) {
        if (!has_layer(lower, layer))
            throw InputError("settings.consistency.carry_layers 中的图层 “" + layer + "” 在本级规划数据库中不存在 / unknown layer");
        if (!has_layer(upper, layer)) {
            out.findings.push_back({"missing_in_lower", layer, lower.schema(layer).name_zh, "",
                                    "上级规划数据库没有图层 " + layer + "，无法比对", std::nullopt, st.clause, false});
            continue;
        }
        check_layer(lower, upper, layer, st, area, area_schematic, out);
    }
    check_upper_zones(lower, upper, st, out);
    check_targets(lower, upper, st, out);
    return out;
}

nlohmann::json consistency_json(const ConsistencyReport& r) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : r.findings)
        list.push_back({{"check", f.check}, {"layer", f.layer}, {"layer_zh", f.layer_zh}, {"key", f.key}, {"message", f.message},
                        {"area_km2", f.area_km2 ? nlohmann::json(*f.area_km2) : nlohmann::json()}, {"clause", f.clause},
                        {"blocking", f.blocking}});
    return {{"lower", r.lower}, {"upper", r.upper}, {"findings", list}, {"errors", r.has_errors()}};
}

TableView consistency_table(const ConsistencyReport& r) {
    TableView v;
    v.sheet_name = "上下级规划一致性";
    v.title = r.lower + " 落实 " + r.upper + " 情况";
    v.headers = {"检查项", "图层", "编号", "问题", "面积", "条款", "性质"};
    v.units = {"", "", "", "", "km²", "", ""};
    for (const auto& f : r.findings)
        v.rows.push_back({Cell::of(f.check), Cell::of(f.layer_zh), Cell::of(f.key), Cell::of(f.message), Cell::opt(f.area_km2, 4),
                          Cell::of(f.clause), Cell::of(f.blocking ? "错误" : "提示")});
    if (r.findings.empty()) v.notes.push_back("未发现不一致 / no inconsistency found");
    return v;
}

}  // namespace minplan::services
