// Attribute checks. A rule whose input attribute is absent answers 需人工核查 and names the attribute; a
// threshold that is not configured answers 需人工核查 and names the value, never a silent pass.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "rules/check_context.hpp"
#include "standards/units.hpp"

namespace minplan::rules::detail {
namespace {

bool listed(const CheckContext& ctx, const nlohmann::json& p, const std::string& key, const std::string& canonical) {
    for (const auto& m : string_list(p, key))
        if (ctx.canonical(m) == canonical) return true;
    return false;
}

// 最低开采规模与规模类型 (国土资发〔2004〕208号 via data/standards/mine_size_classes.csv). The size class is
// standards::SizeClassTable::classify(), as in the monitoring; the review does not convert units: a scale in
// another unit than the table's goes to a person.
Finding min_scale(const RuleDef& rule, CheckContext& ctx) {
    using standards::SizeOutcome;
    Finding f = start(rule);
    const std::string mine = ctx.main_mineral();
    std::vector<std::string> missing;
    if (mine.empty()) missing.push_back("main_mineral");
    if (!ctx.app.attrs.number("scale")) missing.push_back("scale");
    if (!ctx.app.attrs.text("scale_unit")) missing.push_back("scale_unit");
    if (!missing.empty()) return needs(f, missing);
    const double scale = *ctx.app.attrs.number("scale");
    const std::string unit = *ctx.app.attrs.text("scale_unit");
    const auto method = ctx.app.attrs.text("mining_method");
    const standards::SizeDecision d = ctx.sizes.classify(mine, method.value_or(""), scale, unit);
    switch (d.outcome) {
        case SizeOutcome::NotInTable:
            f.result = Result::Review;
            f.missing.push_back("mine_size_classes:" + mine);
            f.message = fmt::format("规模分类表（{}）中没有“{}”的配置值，最低开采规模与大中小型分界未配置，需人工核查",
                                    ctx.sizes.path().filename().string(), mine);
            return f;
        case SizeOutcome::MethodNeeded:
            if (!method) return needs(f, {"mining_method"}, mine + "的规模分界按开采方式区分");
            [[fallthrough]];
        case SizeOutcome::NoRowForMethod:
            f.result = Result::Review;
            f.message = fmt::format("规模分类表中没有“{}”（{}）的配置值，需人工核查", mine, method.value_or(""));
            return f;
        default: break;
    }
    const standards::SizeClassRow& row = *d.row;
    f.data = {{"mineral", mine}, {"table_row_source", row.source}};
    if (d.outcome == SizeOutcome::NotConfigured) {
        f.result = Result::Review;
        f.missing.push_back("mine_size_classes:" + mine);
        f.message = fmt::format("“{}”的规模分界未取得（{}），需人工核查", mine, row.note.empty() ? row.source : row.note);
        return f;
    }
    if (standards::normalise_unit(unit) != standards::normalise_unit(row.unit)) {
        f.result = Result::Review;
        f.message = fmt::format("申请规模单位“{}”与规模分类表单位“{}”不一致，需人工换算核查", unit, row.unit);
        return f;
    }
    const std::string& cls = d.size_class;
    f.data["size_class"] = cls;
    const std::string basis = fmt::format("{} {}：大型≥{}，中型{}–{}（{}）", mine, row.mining_method, *row.large_min,
                                          *row.medium_min, *row.large_min, row.source);
    if (!row.minimum_scale) {
        f.result = Result::Review;
        f.missing.push_back("minimum_scale:" + mine);
        f.message = fmt::format("设计规模 {} {}，规模类型为{}（{}）；“{}”的最低开采规模未配置，需人工核查", scale, unit, cls,
                                basis, mine);
        return f;
    }
    f.data["minimum_scale"] = *row.minimum_scale;
    f.result = scale >= *row.minimum_scale ? Result::Pass : Result::Fail;
    f.message = fmt::format("设计规模 {} {}，规模类型为{}；最低开采规模 {} {}{}（{}）", scale, unit, cls, *row.minimum_scale,
                            row.unit, f.result == Result::Pass ? "，达到" : "，未达到", row.note.empty() ? basis : row.note);
    return f;
}

// 勘查程度: 大型非煤、大中型煤矿须勘探，其他须详查及以上（第三类矿产除外）.
Finding exploration_stage(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    if (listed(ctx, p, "class3_minerals", mine) || ctx.minerals.mineral_class(mine) == 3) {
        f.result = Result::NotApplicable;
        f.message = fmt::format("“{}”属第三类矿产，勘查程度要求除外", mine);
        return f;
    }
    auto stage = ctx.app.attrs.text("exploration_stage");
    if (!stage) return needs(f, {"exploration_stage"});
    const auto order = string_list(p, "stage_order");
    auto rank = [&](const std::string& s) {
        auto it = std::find(order.begin(), order.end(), s);
        return it == order.end() ? -1 : static_cast<int>(it - order.begin());
    };
    if (rank(*stage) < 0) {
        f.result = Result::Review;
        f.message = fmt::format("勘查程度“{}”不是{}之一，需人工核查", *stage, join(order));
        return f;
    }
    const bool coal = listed(ctx, p, "coal_minerals", mine);
    std::string required = "详查";
    if (*stage != "勘探") {
        auto size = ctx.app.attrs.text("deposit_size");
        if (!size) return needs(f, {"deposit_size"}, coal ? "大中型煤矿须达勘探" : "大型非煤矿山须达勘探");
        if (*size == "大型" || (coal && *size == "中型")) required = "勘探";
    } else {
        required = "勘探";
    }
    f.data = {{"stage", *stage}, {"required", required}};
    f.result = rank(*stage) >= rank(required) ? Result::Pass : Result::Fail;
    f.message = fmt::format("资源储量勘查程度为“{}”，要求达到“{}”{}", *stage, required, f.result == Result::Pass ? "" : "，未达到");
    return f;
}

// 开采规模、服务年限与资源储量规模相适应: reserves ÷ annual scale against the design service life.
Finding scale_consistency(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    std::vector<std::string> missing;
    for (const char* k : {"reserves", "reserves_unit", "scale", "scale_unit", "service_life"})
        if (!ctx.app.attrs.has(k)) missing.push_back(k);
    if (!missing.empty()) return needs(f, missing);
    const std::string ru = *ctx.app.attrs.text("reserves_unit"), su = *ctx.app.attrs.text("scale_unit");
    if (standards::normalise_unit(ru) != standards::normalise_unit(su)) {
        f.result = Result::Review;
        f.message = fmt::format("资源储量单位“{}”与生产规模单位“{}”不一致，需人工换算核查", ru, su);
        return f;
    }
    const double reserves = *ctx.app.attrs.number("reserves"), scale = *ctx.app.attrs.number("scale");
    const double life = *ctx.app.attrs.number("service_life");
    if (scale <= 0 || life <= 0) {
        f.result = Result::Fail;
        f.message = "生产规模与服务年限须为正数";
        return f;
    }
    const double implied = reserves / scale, ratio = implied / life, max_ratio = rule.params.value("max_ratio", 1.5);
    f.data = {{"implied_life_years", implied}, {"declared_life_years", life}, {"ratio", ratio}, {"max_ratio", max_ratio}};
    const bool ok = ratio <= max_ratio && ratio >= 1.0 / max_ratio;
    f.result = ok ? Result::Pass : Result::Fail;
    f.message = fmt::format("保有资源储量 {} {} ÷ 生产规模 {} {} = {:.1f} 年，设计服务年限 {} 年，比值 {:.2f}（允许 {:.2f}–{:.2f}）{}",
                            reserves, ru, scale, su, implied, life, ratio, 1.0 / max_ratio, max_ratio,
                            ok ? "，相适应" : "，不相适应");
    return f;
}

// 总量控制 (第四章第二节; 专栏8): licensed capacity of producing rights + this application ≤ the 2025 cap.
Finding extraction_cap(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    const Feature* cap = nullptr;
    for (const auto& row : ctx.index.table(p.value("caps_table", "ch4_extraction_caps")))
        if (ctx.canonical(row.text("mineral")) == mine) {
            auto metrics = string_list(p, "metrics");
            if (metrics.empty() || std::find(metrics.begin(), metrics.end(), row.text("metric")) != metrics.end()) {
                cap = &row;
                break;
            }
        }
    if (!cap) {
        f.result = Result::NotApplicable;
        f.message = fmt::format("规划未对“{}”设年开采总量控制指标", mine);
        return f;
    }
    std::vector<std::string> missing;
    if (!ctx.app.attrs.number("scale")) missing.push_back("scale");
    if (!ctx.app.attrs.text("scale_unit")) missing.push_back("scale_unit");
    if (!missing.empty()) return needs(f, missing);
    const auto& factors = p.at("unit_factors");  // to the base unit (万吨 / 万立方米)
    auto to_base = [&](double v, const std::string& unit, std::string& base) -> std::optional<double> {
        const std::string u = standards::normalise_unit(unit);
        if (!factors.contains(u)) return std::nullopt;
        base = factors[u].at("base").get<std::string>();
        return v * factors[u].at("factor").get<double>();
    };
    std::string cap_base, app_base;
    auto cap_v = to_base(*as_number(cap->get("value")), cap->text("unit"), cap_base);
    auto app_v = to_base(*ctx.app.attrs.number("scale"), *ctx.app.attrs.text("scale_unit"), app_base);
    if (!cap_v || !app_v || cap_base != app_base) {
        f.result = Result::Review;
        f.message = fmt::format("控制指标单位“{}”与申请规模单位“{}”无法换算，需人工核查", cap->text("unit"),
                                *ctx.app.attrs.text("scale_unit"));
        return f;
    }
    // Existing licensed capacity of producing rights of this mineral. The rights that count (mining, this
    // mineral, an active state) and their scale in the cap's unit depend on the plan version and the rule only:
    // kept in the index's memo in the rows' order with their sum, so that only an application naming one of
    // them as its own licence sums them again (in the same order: the same figure as over all rows). The sum
    // over 20,000 rights was 2.5 % of a server check at goal size (docs/performance.md, session 17).
    struct Counted {
        std::string licence;
        std::optional<double> value;  // in cap_base; none: no scale or a unit that does not convert
    };
    struct Tally {
        double existing = 0;
        int counted = 0, unknown = 0;
        void add(const Counted& r) {
            if (r.value) existing += *r.value, ++counted;
            else ++unknown;
        }
    };
    struct CountedRights {
        std::vector<Counted> rows;
        std::unordered_set<std::string> licences;
        Tally all;
    };
    const std::string rights_layer = p.value("rights_layer", "mineral_rights");
    const auto& rights = ctx.index.derived<CountedRights>(
        "extraction_cap\x1f" + rule.id + "\x1f" + p.dump() + "\x1f" + mine + "\x1f" + cap_base, [&] {
            CountedRights out;
            const auto active = string_list(p, "active_states");
            for (const auto& r : ctx.index.attribute_rows(ctx.reader, rights_layer,
                                                          {"kind", "mineral", "state", "scale", "scale_unit", "licence_no"})) {
                if (r.text("kind") != "mining" || ctx.canonical(r.text("mineral")) != mine) continue;
                const std::string state = r.text("state");
                if (!state.empty() && !active.empty() && std::find(active.begin(), active.end(), state) == active.end()) continue;
                std::string b;
                auto s = as_number(r.get("scale"));
                auto v = s ? to_base(*s, r.text("scale_unit"), b) : std::nullopt;
                out.rows.push_back({r.text("licence_no"), v && b == cap_base ? v : std::nullopt});
                out.licences.insert(out.rows.back().licence);
                out.all.add(out.rows.back());
            }
            return out;
        });
    Tally tally = rights.all;
    if (const auto licence = ctx.app.attrs.text("existing_licence"); licence && rights.licences.contains(*licence)) {
        tally = {};
        for (const auto& r : rights.rows)
            if (r.licence != *licence) tally.add(r);
    }
    const auto [existing, counted, unknown] = tally;
    const double headroom = *cap_v - existing - *app_v;
    f.data = {{"cap", *cap_v},          {"unit", cap_base}, {"existing", existing}, {"applied", *app_v},
              {"headroom", headroom},   {"rights_counted", counted}, {"rights_without_scale", unknown},
              {"cap_id", cap->text("cap_id")}};
    const std::string head = fmt::format("“{}”2025年控制指标 {} {}（{}）；现有生产矿业权证载规模合计 {:.2f}（{}个）+ 本申请 {:.2f} = {:.2f} {}，余量 {:.2f}",
                                         mine, *cap_v, cap_base, cap->text("quote"), existing, counted, *app_v,
                                         existing + *app_v, cap_base, headroom);
    if (headroom < 0) {
        f.result = Result::Fail;
        f.message = head + "，超过总量控制指标";
    } else if (counted == 0 || unknown > 0) {
        f.result = Result::Review;
        f.message = head + (counted == 0 ? "；矿业权图层中没有该矿种的证载规模（尚未导入），现有产能无法统计，需人工核查"
                                         : fmt::format("；另有{}个矿业权缺少证载规模，需人工核查", unknown));
    } else {
        f.result = Result::Pass;
        f.message = head;
    }
    return f;
}

// 申请煤炭开采企业：具备煤炭开采经验，原有规模≥300万吨/年，机械化程度100%.
Finding coal_applicant(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    if (!listed(ctx, p, "coal_minerals", mine)) {
        f.result = Result::NotApplicable;
        f.message = "非煤矿山，本条不适用";
        return f;
    }
    std::vector<std::string> missing;
    for (const char* k : {"coal_existing_scale", "mechanisation_pct", "coal_experience"})
        if (!ctx.app.attrs.has(k)) missing.push_back(k);
    if (!missing.empty()) return needs(f, missing);
    const double scale = *ctx.app.attrs.number("coal_existing_scale"), mech = *ctx.app.attrs.number("mechanisation_pct");
    const bool exp = *ctx.app.attrs.flag("coal_experience");
    const double min_scale = p.value("min_existing_scale", 300.0), min_mech = p.value("min_mechanisation_pct", 100.0);
    std::vector<std::string> bad;
    if (scale < min_scale) bad.push_back(fmt::format("原有煤炭企业规模 {} 万吨/年 低于 {} 万吨/年", scale, min_scale));
    if (mech < min_mech) bad.push_back(fmt::format("机械化程度 {}% 未达到 {}%", mech, min_mech));
    if (!exp) bad.push_back("不具备煤炭开采经验");
    f.data = {{"existing_scale", scale}, {"mechanisation_pct", mech}};
    f.result = bad.empty() ? Result::Pass : Result::Fail;
    f.message = bad.empty() ? fmt::format("原有规模 {} 万吨/年，机械化程度 {}%，具备煤炭开采经验", scale, mech) : join(bad, "；");
    return f;
}

// Generic: every listed boolean attribute is true (营利法人, 绿色矿山设计, 要件齐全).
Finding attribute_true(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    std::vector<std::string> missing, no;
    for (const auto& k : string_list(rule.params, "attributes")) {
        auto v = ctx.app.attrs.flag(k);
        if (!v) missing.push_back(k);
        else if (!*v) no.push_back(attribute_label(k));
    }
    if (!no.empty()) {
        f.result = Result::Fail;
        f.message = "不满足：" + join(no);
        return f;
    }
    if (!missing.empty()) return needs(f, missing);
    f.result = Result::Pass;
    f.message = rule.params.value("pass_zh", std::string("满足"));
    return f;
}

}  // namespace

const std::map<std::string, CheckFn>& attribute_checks() {
    static const std::map<std::string, CheckFn> m = {
        {"min_scale", min_scale},         {"exploration_stage", exploration_stage},
        {"scale_consistency", scale_consistency}, {"extraction_cap", extraction_cap},
        {"coal_applicant", coal_applicant}, {"attribute_true", attribute_true},
    };
    return m;
}

}  // namespace minplan::rules::detail
