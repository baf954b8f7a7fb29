#include "services/plan_diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geojson.hpp"
#include "geo/geometry.hpp"
#include "services/column_tables.hpp"

namespace minplan::services {

namespace {

bool is_digits(const std::string& s) {
    return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::map<std::string, Feature> by_key(const TableSchema& s, std::vector<Feature> rows) {
    std::map<std::string, Feature> out;
    for (auto& f : rows) {
        std::string key = f.text(s.fields.front().name);
        if (key.empty()) key = "#" + std::to_string(f.fid);
        out[key] = std::move(f);
    }
    return out;
}

// The ellipsoidal area of the feature's geometry (rows a change set added carry no area field yet).
std::optional<double> area_of(const Feature& f) {
    if (!f.wkb.empty()) return geo::ellipsoidal_area_km2(geo::Geometry::from_wkb(f.wkb));
    return as_number(f.get(kAreaField));
}

}  // namespace

std::string resolve_point(const store::PlanDatabase& db, const std::string& text) {
    if (is_digits(text)) {
        auto cs = db.change_set(std::stoll(text));
        if (!cs) throw InputError("没有调整批次 " + text + "（--from/--to 取日期 YYYY-MM-DD 或批次号）/ no such change set");
        if (cs->state != store::kApproved)
            throw InputError("调整批次 " + text + " 状态为" + store::state_zh(cs->state) + "，尚未生效 / the change set is not approved");
        return cs->effective_date;
    }
    return store::parse_date(text, "--from/--to");
}

PlanDiff diff_plan(const store::PlanDatabase& db, const std::string& from_date, const std::string& to_date) {
    PlanDiff d{from_date, to_date, {}, {}};
    auto a = db.snapshot_at(from_date);
    auto b = db.snapshot_at(to_date);
    std::map<std::string, std::string> columns;
    const nlohmann::json list = column_table_list(*b);
    for (const auto& t : list.at("tables")) columns[t.at("id").get<std::string>()] = t.at("number").get<std::string>();
    for (const auto& info : b->layers()) {
        // Only layers with a change between the two dates are read (the store answers from its indexes).
        const TableSchema& s = b->schema(info.id);
        if (!db.changed_between(s.code, std::min(from_date, to_date), std::max(from_date, to_date))) continue;
        if (s.fields.empty()) continue;
        auto before = by_key(s, a->read(info.id));
        auto after = by_key(s, b->read(info.id));
        std::vector<FeatureChange> layer_changes;
        for (const auto& [key, f] : before)
            if (!after.count(key)) layer_changes.push_back({s.id, s.name_zh, key, "retired", {}, false, area_of(f), std::nullopt, f, {}});
        for (const auto& [key, f] : after) {
            auto it = before.find(key);
            if (it == before.end()) {
                layer_changes.push_back({s.id, s.name_zh, key, "added", {}, false, std::nullopt, area_of(f), {}, f});
                continue;
            }
            FeatureChange c{s.id, s.name_zh, key, "changed", {}, it->second.wkb != f.wkb, area_of(it->second), area_of(f), it->second, f};
            for (const auto& fd : s.fields)
                if (it->second.text(fd.name) != f.text(fd.name)) c.fields.push_back({fd.name, fd.alias_zh, it->second.text(fd.name), f.text(fd.name)});
            if (!c.fields.empty() || c.geometry_changed) layer_changes.push_back(std::move(c));
        }
        if (layer_changes.empty()) continue;
        // The totals of the layer's numeric fields move by Σ after − Σ before over the changed rows.
        for (const auto& fd : s.fields) {
            if (fd.type != FieldType::Integer && fd.type != FieldType::Real) continue;
            TotalDelta t{s.id, s.name_zh, columns.count(s.id) ? columns[s.id] : "", fd.name, fd.alias_zh, fd.unit, 0, 0};
            for (const auto& c : layer_changes) {
                t.before += as_number(c.before.get(fd.name)).value_or(0);
                t.after += as_number(c.after.get(fd.name)).value_or(0);
            }
            if (std::fabs(t.after - t.before) > 1e-12) d.totals.push_back(t);
        }
        TotalDelta count{s.id, s.name_zh, columns.count(s.id) ? columns[s.id] : "", "count", "个数", "个", 0, 0};
        for (const auto& c : layer_changes) {
            count.before += c.kind != "added";
            count.after += c.kind != "retired";
        }
        if (count.before != count.after) d.totals.push_back(count);
        for (auto& c : layer_changes) d.changes.push_back(std::move(c));
    }
    return d;
}

nlohmann::json diff_json(const PlanDiff& d) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : d.changes) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : c.fields) fields.push_back({{"field", f.field}, {"alias_zh", f.alias_zh}, {"before", f.before}, {"after", f.after}});
        nlohmann::json j = {{"layer", c.layer}, {"layer_zh", c.layer_zh}, {"key", c.key}, {"change", c.kind}, {"fields", fields},
                            {"geometry_changed", c.geometry_changed}};
        j["area_before_km2"] = c.area_before ? nlohmann::json(*c.area_before) : nlohmann::json();
        j["area_after_km2"] = c.area_after ? nlohmann::json(*c.area_after) : nlohmann::json();
        changes.push_back(std::move(j));
    }
    nlohmann::json totals = nlohmann::json::array();
    for (const auto& t : d.totals)
        totals.push_back({{"layer", t.layer}, {"layer_zh", t.layer_zh}, {"column", t.column}, {"field", t.field}, {"alias_zh", t.alias_zh},
                          {"unit", t.unit}, {"before", t.before}, {"after", t.after}, {"delta", t.after - t.before}});
    return {{"from", d.from}, {"to", d.to}, {"changes", changes}, {"totals", totals}};
}

nlohmann::json diff_geojson(const PlanDiff& d) {
    nlohmann::json features = nlohmann::json::array();
    for (const auto& c : d.changes) {
        const Feature& f = c.kind == "retired" ? c.before : c.after;
        TableSchema s;
        s.id = c.layer;
        nlohmann::json g = geo::feature_to_geojson(s, f);
        g["properties"] = {{"layer", c.layer}, {"layer_zh", c.layer_zh}, {"key", c.key}, {"change", c.kind}};
        features.push_back(std::move(g));
    }
    return {{"type", "FeatureCollection"}, {"name", "plan_diff_" + d.from + "_" + d.to}, {"features", features}};
}

std::vector<TableView> diff_tables(const PlanDiff& d) {
    TableView changes;
    changes.sheet_name = "调整情况表";
    changes.title = "规划调整情况表（" + d.from + " → " + d.to + "）";
    changes.headers = {"图层", "标识", "调整方式", "调整内容", "调整前面积", "调整后面积", "面积变化"};
    changes.units = {"", "", "", "", "km²", "km²", "km²"};
    auto zh = [](const std::string& kind) { return kind == "added" ? "新增" : kind == "retired" ? "注销" : "修改"; };
    for (const auto& c : d.changes) {
        std::string what;
        for (const auto& f : c.fields)
            what += (what.empty() ? "" : "；") + (f.alias_zh.empty() ? f.field : f.alias_zh) + "：" + f.before + " → " + f.after;
        if (c.geometry_changed) what += std::string(what.empty() ? "" : "；") + "范围调整";
        std::optional<double> delta;
        if (c.area_before || c.area_after) delta = c.area_after.value_or(0) - c.area_before.value_or(0);
        changes.rows.push_back({Cell::of(c.layer_zh), Cell::of(c.key), Cell::of(zh(c.kind)), Cell::of(what), Cell::opt(c.area_before, 4),
                                Cell::opt(c.area_after, 4), Cell::opt(delta, 4)});
    }
    changes.notes.push_back("面积为 CGCS2000 椭球面积（图层面积字段）；修改 = 同一标识的要素在两个日期的属性或范围不同。");
    TableView totals;
    totals.sheet_name = "专栏合计变化";
    totals.title = "专栏合计变化（" + d.from + " → " + d.to + "）";
    totals.headers = {"专栏", "图层", "指标", "单位", "变化"};
    for (const auto& t : d.totals)
        totals.rows.push_back({Cell::of(t.column.empty() ? "" : "专栏" + t.column), Cell::of(t.layer_zh),
                               Cell::of(t.alias_zh.empty() ? t.field : t.alias_zh), Cell::of(t.unit), Cell::num(t.after - t.before, 4)});
    totals.notes.push_back("变化 = 调整后合计 − 调整前合计（按变动的要素计算）。");
    return {changes, totals};
}

}  // namespace minplan::services
