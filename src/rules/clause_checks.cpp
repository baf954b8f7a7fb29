// Checks for plan clauses that need an application fact and, where the plan database can hold it, a
// layer: 共伴生 comprehensive use, restricted exploration areas (大中型矿产地, 地下水采补平衡区, 财政出资项目),
// geothermal wells, output above the licensed scale. A layer the database lacks is named for import; an
// attribute the application lacks is named for the applicant. Each rule's clause is cited in rules.json.
#include <algorithm>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "rules/check_context.hpp"

namespace minplan::rules::detail {
namespace {

std::string layer_label(const nlohmann::json& p, const CheckContext& ctx, const std::string& layer) {
    return p.value("layer_label_zh", ctx.index.layer_name_zh(layer));
}

bool mineral_in(const CheckContext& ctx, const std::string& mine, const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& m) { return ctx.canonical(m) == mine; });
}

// The application's minerals that the clause is about: an empty list, or only "无", means none.
std::vector<std::string> real_items(const std::vector<std::string>& items) {
    std::vector<std::string> out;
    for (const auto& i : items)
        if (i != "无" && i != "none") out.push_back(i);
    return out;
}

// 对共伴生矿产有综合开发利用方案或保护措施: associated minerals → the plan for them is required.
Finding associated_use(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string list_key = p.value("list_attribute", "associated_minerals");
    if (!ctx.app.attrs.has(list_key)) return needs(f, {list_key}, "无共伴生矿产时填“无”");
    const auto minerals = real_items(ctx.app.attrs.list(list_key));
    if (minerals.empty()) {
        f.result = Result::Pass;
        f.message = "申请未列共伴生矿产，不涉及共伴生矿产综合利用要求";
        return f;
    }
    const std::string flag = p.value("require", "associated_use_plan");
    auto v = ctx.app.attrs.flag(flag);
    if (!v) return needs(f, {flag}, "共伴生矿产：" + join(minerals));
    f.result = *v ? Result::Pass : Result::Fail;
    f.message = fmt::format("共伴生矿产 {}：{}", join(minerals),
                            *v ? "开发利用方案含综合开发利用方案或保护措施" : "开发利用方案未包括共伴生矿产综合开发利用措施或保护措施");
    return f;
}

// A restriction inside an area the plan names, for applications of one purpose or mineral
// (限制在大、中型矿产地内进行以零星开采为目的的地质勘查; 限制在地下水采补平衡区进行地下水水源地勘查) or
// flagged by an attribute (财政出资的地质勘查项目，不再新设置探矿权).
Finding restricted_area(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string layer = p.value("layer", "");
    const std::string field = p.value("field", "");
    const auto values = string_list(p, "values");
    const std::string area_zh = layer_label(p, ctx, layer);
    const std::string what = p.value("case_zh", std::string("本条情形"));
    // 1. Is the application of the kind the clause is about?
    std::string when_key;
    bool when_unknown = false;
    if (p.contains("when")) {
        when_key = p["when"].at("attribute").get<std::string>();
        const auto when_values = string_list(p["when"], "values");
        const bool mineral = when_key == "main_mineral";
        auto v = ctx.app.attrs.text(when_key);
        if (!v) {
            when_unknown = true;
        } else if (!(mineral ? mineral_in(ctx, ctx.canonical(*v), when_values)
                             : std::find(when_values.begin(), when_values.end(), *v) != when_values.end())) {
            f.result = Result::Pass;
            f.message = fmt::format("{}为“{}”，不属{}", attribute_label(when_key), *v, what);
            return f;
        }
    }
    // 2. An attribute that decides on its own.
    std::string flag_key = p.value("flag", "");
    if (!flag_key.empty()) {
        if (auto v = ctx.app.attrs.flag(flag_key)) {
            f.result = *v ? Result::Fail : Result::Pass;
            f.message = *v ? fmt::format("申请属{}：{}", attribute_label(flag_key), p.value("fail_zh", what))
                           : fmt::format("申请不属{}", attribute_label(flag_key));
            return f;
        }
    }
    // 3. The area in the plan database.
    if (!ctx.layer_has_data(layer, field, values)) {
        f.result = Result::Review;
        f.missing.push_back(layer);
        std::vector<std::string> ask;
        if (when_unknown) ask.push_back(fmt::format("{}（{}）", attribute_label(when_key), when_key));
        if (!flag_key.empty()) ask.push_back(fmt::format("{}（{}）", attribute_label(flag_key), flag_key));
        for (const auto& k : {when_key, flag_key})
            if (!k.empty() && (k == flag_key || when_unknown)) f.missing.push_back(k);
        const std::string where = values.empty() ? fmt::format("图层 {}", layer)
                                                 : fmt::format("图层 {}，{} 为 {}", layer, field, join(values, " 或 "));
        f.message = fmt::format("规划数据库中没有{}数据（需导入：{}），无法核查申请范围是否位于其内{}；需人工核查", area_zh, where,
                                ask.empty() ? "" : "，或补充申请属性：" + join(ask));
        return f;
    }
    const auto hits = ctx.overlaps(layer, field, values);
    std::vector<double> hit_m2;
    bool real_hit = false;
    for (const auto& o : hits) {
        f.evidence.push_back(ctx.evidence(layer, o));
        ctx.draw(layer, *o.feature);
        real_hit = real_hit || !o.feature->schematic;
        hit_m2.push_back(o.m2);
    }
    const auto names = [&] {
        return named_overlaps(hit_m2, [&](std::size_t i) {
            const Overlap& o = hits[i];
            return fmt::format(FMT_COMPILE("{}（重叠 {}，占申请面积 {:.2f}%）"), o.feature->name.empty() ? o.feature->id : o.feature->name,
                               fmt_m2(o.m2), o.pct);
        }, "、");
    };
    if (!hits.empty() && when_unknown) return needs(f, {when_key}, fmt::format("申请范围位于{}{}", area_zh, names()));
    if (!hits.empty()) {
        f.result = Result::Fail;
        f.message = fmt::format("申请范围位于{}{}：{}", area_zh, names(), p.value("fail_zh", what));
    } else {
        f.result = Result::Pass;
        f.message = fmt::format("申请范围不在{}内", area_zh);
    }
    if (!real_hit)
        if (auto s = ctx.schematic_features(layer, field, values); !s.empty())
            ctx.schematic_review(f, layer, s, hits.empty() ? "不能据此认定申请范围不在其内" : "不能据此认定申请范围位于其内");
    return f;
}

// 制定单井最低开采规模……提出尾水处理及回灌要求 (geothermal): the plan announces both; the minimum comes
// from the rule's parameter (the plan gives no number: unset → 需人工核查 naming the parameter).
Finding geothermal_well(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    if (!mineral_in(ctx, mine, string_list(p, "minerals"))) {
        f.result = Result::NotApplicable;
        f.message = fmt::format("主矿种“{}”不是地热资源", mine);
        return f;
    }
    std::vector<std::string> missing, fails, notes;
    auto reinjection = ctx.app.attrs.flag("tail_water_reinjection");
    if (!reinjection) missing.push_back("tail_water_reinjection");
    else if (!*reinjection) fails.push_back("没有尾水处理及回灌方案");
    auto output = ctx.app.attrs.number("well_output");
    const nlohmann::json min = p.value("min_well_output", nlohmann::json());
    if (!output) {
        missing.push_back("well_output");
    } else if (!min.is_number()) {
        notes.push_back(fmt::format("单井设计开采量 {} 立方米/日；规划未给出单井最低开采规模数值（需在审查规则参数 min_well_output 中设定"
                                    "省市规定的数值），须人工核对",
                                    *output));
    } else if (*output < min.get<double>()) {
        fails.push_back(fmt::format("单井设计开采量 {} 立方米/日，低于单井最低开采规模 {} 立方米/日", *output, min.get<double>()));
    }
    f.data["min_well_output"] = min;
    if (!fails.empty()) {
        f.result = Result::Fail;
        f.message = join(fails, "；");
        return f;
    }
    if (!missing.empty()) return needs(f, missing, "地热开采");
    if (!notes.empty()) {
        f.result = Result::Review;
        f.missing.push_back("min_well_output");
        f.message = join(notes, "；");
        return f;
    }
    f.result = Result::Pass;
    f.message = fmt::format("单井设计开采量 {} 立方米/日，不低于单井最低开采规模 {} 立方米/日；有尾水处理及回灌方案", *output,
                            min.get<double>());
    return f;
}

// 矿山企业要严格按采矿许可规模进行生产，开采量超过许可规模的需变更采矿许可证.
Finding output_within_licence(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    auto licensed = ctx.app.attrs.number("licensed_scale");
    auto actual = ctx.app.attrs.number("actual_output");
    std::vector<std::string> missing;
    if (!licensed) missing.push_back("licensed_scale");
    if (!actual) missing.push_back("actual_output");
    if (!missing.empty()) return needs(f, missing);
    const std::string unit = ctx.app.attrs.text("scale_unit").value_or("");
    f.data = {{"licensed_scale", *licensed}, {"actual_output", *actual}};
    f.result = *actual > *licensed ? Result::Fail : Result::Pass;
    f.message = fmt::format("上一年度实际开采量 {}{}，采矿许可证载明生产规模 {}{}{}", *actual, unit, *licensed, unit,
                            *actual > *licensed ? "：开采量超过许可规模，须先变更采矿许可证" : "：未超过许可规模");
    return f;
}

}  // namespace

const std::map<std::string, CheckFn>& clause_checks() {
    static const std::map<std::string, CheckFn> m = {
        {"associated_use", associated_use},
        {"restricted_area", restricted_area},
        {"geothermal_well", geothermal_well},
        {"output_within_licence", output_within_licence},
    };
    return m;
}

}  // namespace minplan::rules::detail
