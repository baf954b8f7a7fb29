// Spatial checks about planning zones and prohibited uses: the planned number of rights per zone (专栏12,
// 专栏13) and the plan's prohibited mining cases. Rules and their clauses are in the plan's rules.json.
#include <algorithm>

#include <fmt/format.h>

#include "rules/check_context.hpp"

namespace minplan::rules::detail {

// In a zone with a planned number of rights (专栏12 拟设探矿权数量, 专栏13 拟设采矿数量): new rights in the period + this one ≤ planned.
Finding zone_planned_count(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string layer = p.value("zone_layer", "key_mining_zones");
    const std::string zone_field = p.value("zone_kind_field", "zone_kind");
    const auto zone_kinds = string_list(p, "zone_kinds");
    const std::string zone_zh = p.value("zone_label_zh", std::string("集中开采区"));
    const std::string right_zh = p.value("right_label_zh", std::string("采矿权"));
    const auto zones = ctx.overlaps(layer, zone_field, zone_kinds);
    if (zones.empty()) {
        f.result = Result::NotApplicable;
        f.message = fmt::format("申请范围不在{}内", zone_zh);
        if (auto s = ctx.schematic_features(layer, zone_field, zone_kinds); !s.empty()) {
            f.result = Result::Review;
            ctx.schematic_review(f, layer, s, fmt::format("不能据此认定申请范围不在{}内", zone_zh));
        }
        return f;
    }
    const std::string since = ctx.index.metadata("period_start");
    const bool rights_data = ctx.layer_has_data(p.value("rights_layer", "mineral_rights"));
    bool fail = false, review = false;
    std::vector<std::string> parts;
    for (const auto& z : zones) {
        f.evidence.push_back(ctx.evidence(layer, z));
        ctx.draw(layer, *z.feature);
        auto planned = as_number(z.feature->feature.get(p.value("count_field", "planned_rights_count")));
        if (!planned) {
            review = true;
            parts.push_back(fmt::format("{}未给出拟设{}数量", overlap_label(z), right_zh));
            continue;
        }
        if (!rights_data) {
            review = true;
            parts.push_back(fmt::format("{}拟设{}数量 {:.0f} 个；矿业权图层为空，无法统计规划期已新设数量", overlap_label(z), right_zh, *planned));
            continue;
        }
        // The rights granted in the zone since the period began. Their overlaps with the zone depend on the plan
        // alone and are memoised across checks (shared_area_m2); their dates and states are read each time.
        int count = 0;
        for (const IndexedFeature* r : rights_in(ctx, p, *z.feature))
            if (r->feature.text(p.value("since_field", "valid_from")) >= since) ++count;
        f.data["zones"][z.feature->id] = {{"planned", *planned}, {"granted_since_period_start", count}};
        if (count + 1 > *planned) fail = true;
        parts.push_back(fmt::format("{}拟设{}数量 {:.0f} 个，{}年以来已新设 {} 个，本次申请后为 {} 个", overlap_label(z), right_zh, *planned,
                                    since, count, count + 1));
    }
    f.result = fail ? Result::Fail : review ? Result::Review : Result::Pass;
    f.message = join(parts, "；") + (fail ? "，超过规划拟设数量" : "");
    if (auto s = schematic_hits(zones); !s.empty())
        ctx.schematic_review(f, layer, s, fmt::format("不能据此认定申请范围位于该{}内", zone_zh));
    return f;
}

// 禁止将优质石灰岩、白云岩等作为普通建筑石料开采；禁止开采可耕地内砖瓦粘土，禁止在河道内开采砂金.
Finding prohibited_use(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    auto in_list = [&](const nlohmann::json& j) {
        for (const auto& m : string_list(j, "minerals"))
            if (ctx.canonical(m) == mine) return true;
        return false;
    };
    for (const auto& c : p.at("cases")) {
        if (!in_list(c)) continue;
        const std::string what = c.at("label_zh").get<std::string>();
        if (c.contains("uses")) {  // a use that is prohibited for premium ore
            auto use = ctx.app.attrs.text("intended_use");
            if (!use) return needs(f, {"intended_use"}, what);
            const auto uses = string_list(c, "uses");
            if (std::find(uses.begin(), uses.end(), *use) == uses.end()) continue;
            auto premium = ctx.app.attrs.flag("premium_quality");
            if (!premium) return needs(f, {"premium_quality"}, what);
            if (*premium) {
                f.result = Result::Fail;
                f.message = fmt::format("{}：优质“{}”拟作“{}”", what, mine, *use);
                return f;
            }
            continue;
        }
        std::vector<std::string> hits, no_data;
        std::vector<std::pair<std::string, const IndexedFeature*>> schematic;
        bool real_hit = false;
        for (const auto& s : c.at("sources")) {
            const std::string layer = s.at("layer").get<std::string>();
            const auto values = string_list(s, "values");
            if (!ctx.layer_has_data(layer, s.value("field", ""), values)) {
                no_data.push_back(s.value("label_zh", layer));
                continue;
            }
            for (const auto& o : ctx.overlaps(layer, s.value("field", ""), values)) {
                f.evidence.push_back(ctx.evidence(layer, o));
                ctx.draw(layer, *o.feature);
                hits.push_back(fmt::format("{}（重叠 {}）", overlap_label(o), fmt_m2(o.m2)));
                real_hit = real_hit || !o.feature->schematic;
                if (o.feature->schematic) schematic.emplace_back(layer, o.feature);
            }
        }
        if (!hits.empty()) {
            f.result = Result::Fail;
            f.message = fmt::format("{}：申请范围位于{}", what, join(hits, "；"));
            if (!real_hit)
                for (const auto& [layer, x] : schematic) ctx.schematic_review(f, layer, {x}, "不能据此认定申请范围位于其内");
            return f;
        }
        f.result = Result::Review;
        f.message = fmt::format("{}：{}", what, c.value("review_zh", std::string("相关范围数据不全，需人工核查")));
        if (!no_data.empty()) f.message += fmt::format("（未导入：{}）", join(no_data));
        return f;
    }
    f.result = Result::Pass;
    f.message = fmt::format("主矿种“{}”不涉及规划禁止的开采情形", mine);
    return f;
}

}  // namespace minplan::rules::detail
