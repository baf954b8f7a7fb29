// Consistency: the plan's 专栏 and summary tables against the features they count, and their totals
// against their items. Which table counts which features is the plan's qc.json (columns, totals).
#include <cmath>

#include "services/qc/detail.hpp"

namespace minplan::services::qc::detail {

namespace {

using Group = std::vector<std::string>;

std::string group_text(const std::map<std::string, std::string>& match, const Group& g) {
    std::string out;
    std::size_t i = 0;
    for (const auto& [field, _] : match) {
        const std::string& v = g[i++];
        out += (out.empty() ? "" : "，") + field + "=" + (v.empty() ? "（空）" : v);
    }
    return out.empty() ? "全部" : out;
}

struct Tally {
    std::int64_t count = 0;
    double area = 0;
    bool schematic = false;
};

}  // namespace

void check_columns(const LayerReader& reader, Collector& out) {
    for (const auto& rule : out.config().columns) {
        if (!reader.has(rule.table) || !reader.has(rule.layer)) continue;
        const TableSchema& table = reader.schema(rule.table);
        std::map<Group, Tally> features;
        reader.each(rule.layer, [&](const Feature& f) {
            if (!matches(f, rule.features)) return;
            Group g;
            for (const auto& [_, field] : rule.match) g.push_back(f.text(field));
            auto& t = features[g];
            ++t.count;
            t.area += as_number(f.get(kAreaField)).value_or(0);
            t.schematic = t.schematic || f.text(kGeometrySourceField) == kSchematic;
        });
        for (const auto& row : reader.all(rule.table)) {
            if (!matches(row, rule.rows)) continue;
            Group g;
            for (const auto& [field, _] : rule.match) g.push_back(row.text(field));
            const Tally t = features.count(g) ? features[g] : Tally{};
            const std::string what = (rule.title.empty() ? table.name_zh : rule.title) + "（" + group_text(rule.match, g) + "）";
            FeatureRef ref{&table, &row, group_text(rule.match, g), {}, false};
            nlohmann::json values = {{"table", rule.table}, {"layer", rule.layer}, {"group", group_text(rule.match, g)}};
            if (!rule.clause.empty()) values["clause"] = rule.clause;
            if (auto stated = as_number(row.get(rule.count_field)); stated && out.enabled("column_count") &&
                                                                    static_cast<std::int64_t>(std::llround(*stated)) != t.count) {
                values["stated_count"] = *stated;
                values["feature_count"] = t.count;
                out.add("column_count", ref, what + " 所列 " + format_number(*stated, 0) + " 个，图层 " + rule.layer + " 中有 " +
                                                 std::to_string(t.count) + " 个", values);
            }
            if (rule.area_field.empty()) continue;
            auto stated = as_number(row.get(rule.area_field));
            const auto& tol = out.config().tolerances_for(rule.layer);
            if (!stated || !out.enabled("column_area")) continue;
            const double tolerance = std::max(tol.area_km2, tol.area_ratio * std::abs(*stated));
            if (std::abs(*stated - t.area) <= tolerance) continue;
            ref.schematic = t.schematic;
            values["stated_km2"] = *stated;
            values["feature_km2"] = t.area;
            values["tolerance_km2"] = tolerance;
            out.add("column_area", ref, what + " 所列面积 " + format_number(*stated, 4) + " km²，要素面积合计 " + format_number(t.area, 4) + " km²",
                    values);
        }
    }
}

void check_totals(const LayerReader& reader, Collector& out) {
    if (!out.enabled("stated_total")) return;
    for (const auto& rule : out.config().totals) {
        if (!reader.has(rule.table)) continue;
        const TableSchema& table = reader.schema(rule.table);
        struct Sums {
            double items = 0;
            std::size_t item_rows = 0;
            std::vector<Feature> totals;
        };
        std::map<Group, Sums> groups;
        for (const auto& row : reader.all(rule.table)) {
            Group g;
            for (const auto& field : rule.group_fields) g.push_back(row.text(field));
            const std::string kind = row.text(rule.kind_field);
            if (kind == rule.total_value) groups[g].totals.push_back(row);
            else if (kind == rule.item_value) {
                groups[g].items += as_number(row.get(rule.value_field)).value_or(0);
                ++groups[g].item_rows;
            }
        }
        for (const auto& [g, sums] : groups) {
            if (sums.item_rows == 0) continue;  // a total printed without its items: nothing to add up
            for (const auto& total : sums.totals) {
                auto stated = as_number(total.get(rule.value_field));
                if (!stated || std::abs(*stated - sums.items) <= 1e-6) continue;
                std::string group;
                for (std::size_t i = 0; i < g.size(); ++i) group += (group.empty() ? "" : "，") + rule.group_fields[i] + "=" + g[i];
                FeatureRef ref{&table, &total, group, {}, false};
                out.add("stated_total", ref,
                        table.name_zh + "（" + group + "）合计行 " + format_number(*stated, 4) + "，分项之和 " + format_number(sums.items, 4),
                        {{"table", rule.table}, {"field", rule.value_field}, {"stated_total", *stated}, {"sum_of_items", sums.items},
                         {"item_rows", sums.item_rows}, {"clause", rule.clause}});
            }
        }
    }
}

}  // namespace minplan::services::qc::detail
