#include "services/adjustment_quotas.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "standards/units.hpp"

namespace minplan::services::detail {

using store::ChangeAction;
using store::ChangeItem;

namespace {

std::string fmt_num(double v, const char* spec = "%.10g") {
    char buf[48];
    std::snprintf(buf, sizeof buf, spec, v);
    return buf;
}

const nlohmann::json* rule_by_id(const nlohmann::json& rules, const std::string& id) {
    if (!rules.is_object() || !rules.contains("rules")) return nullptr;
    for (const auto& r : rules.at("rules"))
        if (r.value("id", "") == id) return &r;
    return nullptr;
}

std::string rule_clause(const nlohmann::json& rule) {
    return rule.value("id", "") + " " + rule.value("title_zh", "") + "；" + citation_text(rule.value("citation", nlohmann::json()));
}

std::set<std::string> string_set(const nlohmann::json& j, const char* key) {
    std::set<std::string> out;
    if (j.contains(key))
        for (const auto& v : j.at(key)) out.insert(v.get<std::string>());
    return out;
}

// A layer before and after the set: rows in force on the date, with the set's retirements and
// modifications taken out and its additions and new rows put in. Empty for a layer the plan lacks.
struct LayerStates {
    const TableSchema* schema = nullptr;
    std::vector<Feature> before, after;
};

LayerStates states(const store::PlanStore& at, const store::ChangeSet& cs, const std::string& layer) {
    LayerStates out;
    try {
        out.schema = &at.schema(layer);
        out.before = at.read(layer);
    } catch (const NotFoundError&) {
        return out;
    }
    const std::string id_field = out.schema->fields.front().name;
    std::set<std::string> replaced;
    for (const auto& item : cs.items)
        if (item.layer == layer && item.action != ChangeAction::Add) replaced.insert(item.key);
    for (const auto& f : out.before)
        if (!replaced.count(to_display(f.get(id_field)))) out.after.push_back(f);
    for (const auto& item : cs.items)
        if (item.layer == layer && item.action != ChangeAction::Retire) out.after.push_back(item.feature);
    return out;
}

bool schematic(const Feature& f) { return f.text(kGeometrySourceField) == kSchematic; }

// A block counts for a zone when at least half of its (ellipsoidal) area lies inside it.
bool block_in_zone(const geo::Geometry& zone, const Feature& block) {
    if (block.wkb.empty()) return false;
    auto g = geo::Geometry::from_wkb(block.wkb);
    if (!g.intersects(zone)) return false;
    const double whole = geo::ellipsoidal_area_km2(g);
    return whole > 0 && geo::ellipsoidal_area_km2(g.intersection(zone)) >= 0.5 * whole;
}

struct ZoneCount {
    std::vector<std::string> blocks;
    bool schematic = false;
};

ZoneCount count_blocks(const Feature& zone, const std::vector<Feature>& blocks, const std::string& block_id) {
    ZoneCount out;
    auto z = geo::Geometry::from_wkb(zone.wkb);
    out.schematic = schematic(zone);
    for (const auto& b : blocks)
        if (block_in_zone(z, b)) {
            out.blocks.push_back(b.text(block_id));
            out.schematic = out.schematic || schematic(b);
        }
    return out;
}

}  // namespace

std::vector<AdjustmentFinding> zone_quota_findings(const store::PlanStore& at, const nlohmann::json& rules,
                                                   const store::ChangeSet& cs) {
    std::vector<AdjustmentFinding> out;
    const auto adj = rules.value("settings", nlohmann::json::object()).value("adjustment", nlohmann::json::object());
    for (const auto& q : adj.value("zone_quotas", nlohmann::json::array())) {
        // The review rule's parameters and clause, or the entry's own (a plan without such a review rule).
        const nlohmann::json* rule = rule_by_id(rules, q.value("rule", ""));
        if (!rule && q.contains("rule")) continue;  // the package names no such rule: nothing to hold
        const auto p = rule ? rule->value("parameters", nlohmann::json::object()) : q;
        const std::string clause = rule ? rule_clause(*rule) : citation_text(q.value("citation", nlohmann::json()));
        const std::string zone_layer = p.value("zone_layer", ""), block_layer = q.value("block_layer", "");
        const std::string kind_field = p.value("zone_kind_field", ""), count_field = p.value("count_field", "planned_rights_count");
        const auto kinds = string_set(p, "zone_kinds");
        const std::string zone_zh = p.value("zone_label_zh", std::string("规划分区")), right_zh = p.value("right_label_zh", std::string("矿业权"));
        auto zones = states(at, cs, zone_layer);
        auto blocks = states(at, cs, block_layer);
        if (!zones.schema || !blocks.schema) continue;
        const std::string zone_id = zones.schema->fields.front().name, block_id = blocks.schema->fields.front().name;
        // Zones the set touches: changed itself, or meeting a block the set adds, changes or moves.
        std::set<std::string> touched;
        std::vector<const Feature*> moved;
        for (const auto& item : cs.items) {
            if (item.layer == zone_layer) touched.insert(item.key);
            if (item.layer == block_layer && item.action != ChangeAction::Retire && !item.feature.wkb.empty()) moved.push_back(&item.feature);
        }
        std::map<std::string, const Feature*> zone_before;
        for (const auto& z : zones.before) zone_before[z.text(zone_id)] = &z;
        for (const auto& z : zones.after) {
            if (z.wkb.empty()) continue;
            if (!kind_field.empty() && !kinds.empty() && !kinds.count(z.text(kind_field))) continue;
            const std::string key = z.text(zone_id);
            if (!touched.count(key)) {
                auto g = geo::Geometry::from_wkb(z.wkb);
                for (const Feature* b : moved)
                    if (block_in_zone(g, *b)) touched.insert(key);
            }
            if (!touched.count(key)) continue;
            auto planned = as_number(z.get(count_field));
            if (!planned) continue;  // no quota stated for this zone
            const ZoneCount now = count_blocks(z, blocks.after, block_id);
            if (static_cast<double>(now.blocks.size()) <= *planned) continue;
            // Already over before the set and not made worse by it: not this set's doing.
            if (auto it = zone_before.find(key); it != zone_before.end() && !it->second->wkb.empty()) {
                auto before_planned = as_number(it->second->get(count_field));
                const ZoneCount then = count_blocks(*it->second, blocks.before, block_id);
                if (before_planned && static_cast<double>(then.blocks.size()) > *before_planned &&
                    now.blocks.size() <= then.blocks.size() && *planned >= *before_planned)
                    continue;
            }
            std::string list;
            for (const auto& b : now.blocks) list += (list.empty() ? "" : "、") + b;
            out.push_back({"zone_quota", zone_zh + " " + key,
                           zone_zh + "「" + z.text(p.value("zone_name_field", std::string("name"))) + "」（" + key + "）拟设" + right_zh + "数量 " +
                               fmt_num(*planned, "%.0f") + " 个，本批次调整后区内" + blocks.schema->name_zh + " " +
                               std::to_string(now.blocks.size()) + " 个（" + list + "），超过拟设数量" +
                               (now.schematic ? "（示意几何，仅供提示，不作判定）" : ""),
                           clause, !now.schematic && q.value("blocking", true)});
        }
    }
    return out;
}

std::vector<AdjustmentFinding> extraction_cap_findings(const store::PlanStore& at, const nlohmann::json& rules,
                                                       const store::ChangeSet& cs) {
    std::vector<AdjustmentFinding> out;
    const auto adj = rules.value("settings", nlohmann::json::object()).value("adjustment", nlohmann::json::object());
    if (!adj.contains("extraction_caps")) return out;
    const auto& conf = adj.at("extraction_caps");
    const nlohmann::json* rule = rule_by_id(rules, conf.value("rule", ""));
    if (!rule && conf.contains("rule")) return out;
    const auto p = rule ? rule->value("parameters", nlohmann::json::object()) : conf;
    const std::string clause = rule ? rule_clause(*rule) : citation_text(conf.value("citation", nlohmann::json()));
    const std::string caps_table = p.value("caps_table", "ch4_extraction_caps"), rights_layer = p.value("rights_layer", "mineral_rights");
    const auto metrics = string_set(p, "metrics"), active = string_set(p, "active_states");
    const auto factors = p.value("unit_factors", nlohmann::json::object());
    auto caps = states(at, cs, caps_table);
    auto rights = states(at, cs, rights_layer);
    if (!caps.schema) return out;
    // Minerals whose cap or whose rights the set changes.
    std::set<std::string> minerals;
    for (const auto& item : cs.items)
        if ((item.layer == caps_table || item.layer == rights_layer) && item.action != ChangeAction::Retire)
            minerals.insert(item.feature.text("mineral"));
    auto to_base = [&](double v, const std::string& unit, std::string& base) -> std::optional<double> {
        const std::string u = standards::normalise_unit(unit);
        if (!factors.contains(u)) return std::nullopt;
        base = factors[u].value("base", "");
        return v * factors[u].value("factor", 1.0);
    };
    auto capacity = [&](const std::vector<Feature>& rows, const std::string& mineral, const std::string& base, int& unknown) {
        double sum = 0;
        for (const auto& r : rows) {
            if (r.text("kind") != "mining" || r.text("mineral") != mineral) continue;
            if (!active.empty() && !active.count(r.text("state"))) continue;
            std::string b;
            auto v = as_number(r.get("scale"));
            auto s = v ? to_base(*v, r.text("scale_unit"), b) : std::nullopt;
            if (!s || b != base) {
                ++unknown;
                continue;
            }
            sum += *s;
        }
        return sum;
    };
    std::map<std::string, const Feature*> cap_before;
    for (const auto& c : caps.before) cap_before[c.text("mineral") + "|" + c.text("metric")] = &c;
    for (const auto& cap : caps.after) {
        const std::string mineral = cap.text("mineral");
        if (!minerals.count(mineral) || (!metrics.empty() && !metrics.count(cap.text("metric")))) continue;
        std::string base;
        auto value = as_number(cap.get("value"));
        auto limit = value ? to_base(*value, cap.text("unit"), base) : std::nullopt;
        if (!limit) continue;
        int unknown = 0, unknown_before = 0;
        const double now = capacity(rights.after, mineral, base, unknown);
        if (now <= *limit) continue;
        if (auto it = cap_before.find(mineral + "|" + cap.text("metric")); it != cap_before.end()) {
            // A cap already exceeded before the batch is not reported when the batch neither adds capacity
            // nor tightens the cap.
            std::string b;
            const auto v = as_number(it->second->get("value"));
            if (const auto before_limit = v ? to_base(*v, it->second->text("unit"), b) : std::nullopt; before_limit && b == base) {
                const double then = capacity(rights.before, mineral, base, unknown_before);
                if (then > before_limit.value() && now <= then && *limit >= before_limit.value()) continue;
            }
        }
        out.push_back({"extraction_cap", caps.schema->name_zh + " " + cap.text(caps.schema->fields.front().name),
                       mineral + cap.text("metric") + "控制指标 " + fmt_num(*value) + " " + cap.text("unit") + "（" + fmt_num(*limit) + " " + base +
                           "），本批次调整后有效采矿权生产规模合计 " + fmt_num(now) + " " + base + "，超过控制指标" +
                           (unknown ? "；另有 " + std::to_string(unknown) + " 个采矿权规模单位无法换算，未计入" : ""),
                       clause, conf.value("blocking", true)});
    }
    return out;
}

std::string citation_text(const nlohmann::json& c) {
    if (!c.is_object()) return "（规划包未给出条款 / no clause given in the plan package）";
    std::string text = c.value("section", "");
    if (c.contains("quote")) text += "：“" + c.value("quote", "") + "”";
    return text;
}

std::string item_label(const ChangeItem& item) {
    return "第 " + std::to_string(item.seq) + " 项 " + item.key + "（" + store::action_zh(item.action) + "）" +
           (item.source.empty() ? "" : "［" + item.source + "］");
}

}  // namespace minplan::services::detail
