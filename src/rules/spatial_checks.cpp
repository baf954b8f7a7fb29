// Spatial checks. Each is generic (layers, fields and values come from the rule's parameters); the plan
// clause each rule enforces is cited in the plan's rules.json.
#include <algorithm>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "rules/check_context.hpp"

namespace minplan::rules::detail {

std::string overlap_label(const Overlap& o) {
    return o.feature->name.empty() ? o.feature->id : fmt::format(FMT_COMPILE("{}（{}）"), o.feature->name, o.feature->id);
}

// The features among the overlaps that are schematic.
std::vector<const IndexedFeature*> schematic_hits(const std::vector<Overlap>& hits) {
    std::vector<const IndexedFeature*> out;
    for (const auto& o : hits)
        if (o.feature->schematic) out.push_back(o.feature);
    return out;
}

// Rights of `kind` (and active state) overlapping `area` by more than 1 m².
std::vector<const IndexedFeature*> rights_in(CheckContext& ctx, const nlohmann::json& p, const IndexedFeature& area) {
    std::vector<const IndexedFeature*> out;
    const auto active = string_list(p, "active_states");
    for (const IndexedFeature* rp : ctx.window(p.value("rights_layer", "mineral_rights"), area.envelope)) {
        const IndexedFeature& r = *rp;
        if (p.contains("rights_kind") && r.feature.text("kind") != p["rights_kind"].get<std::string>()) continue;
        const std::string state = r.feature.text(p.value("state_field", "state"));
        if (!state.empty() && !active.empty() && std::find(active.begin(), active.end(), state) == active.end()) continue;
        if (ctx.shared_area_m2(area, r) < 1.0) continue;
        out.push_back(&r);
    }
    return out;
}

namespace {

std::string layer_for_kind(const RuleDef& rule, const CheckContext& ctx) {
    return rule.params.at("layers_by_kind").at(to_string(ctx.app.kind)).get<std::string>();
}

bool is_own(const CheckContext& ctx, const nlohmann::json& p, const IndexedFeature& r) {
    auto licence = ctx.app.attrs.text("existing_licence");
    if (licence && r.feature.text(p.value("licence_field", "licence_no")) == *licence) return true;
    auto applicant = ctx.app.attrs.text("applicant");
    return applicant && r.feature.text(p.value("holder_field", "holder")) == *applicant;
}

// A planning block of the application's kind contains it; the part outside is measured.
Finding inside_block(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const std::string layer = layer_for_kind(rule, ctx);
    if (!ctx.layer_has_data(layer)) {
        f.result = Result::Review;
        f.missing.push_back(layer);
        f.message = fmt::format("规划数据库中没有{}数据，无法核查", ctx.index.layer_name_zh(layer));
        return f;
    }
    const auto& hits = ctx.overlaps(layer);
    double inside = 0;
    for (const auto& o : hits) {
        inside += o.m2;
        f.evidence.push_back(ctx.evidence(layer, o));
        ctx.draw(layer, *o.feature);
    }
    const double total = ctx.app_area_m2();
    inside = std::min(inside, total);  // blocks of one layer do not overlap each other
    const double outside = total - inside;
    const double tol = std::max(ctx.settings.value("min_overlap_m2", 1.0), total * rule.params.value("tolerance_pct", 0.01) / 100.0);
    f.data = {{"inside_m2", inside}, {"outside_m2", outside}, {"outside_pct", 100.0 * outside / total},
              {"area_basis", ctx.app.plane_decides ? "plane" : "ellipsoid"}};
    std::vector<std::string> names;
    for (const auto& o : hits) names.push_back(overlap_label(o));
    if (hits.empty()) {
        f.result = Result::Fail;
        f.message = fmt::format("申请范围不在任何{}内（{}）", to_zh(ctx.app.kind) == "探矿权" ? "勘查规划区块" : "开采规划区块",
                                fmt_m2(total));
    } else if (outside > tol) {
        f.result = Result::Fail;
        f.message = fmt::format("申请范围与{}相交，但有 {}（占申请面积 {:.2f}%）位于规划区块之外", join(names), fmt_m2(outside),
                                100.0 * outside / total);
    } else {
        f.result = Result::Pass;
        f.message = fmt::format("申请范围位于{}内", join(names));
    }
    if (hits.size() > 1) f.message += fmt::format("；申请范围跨{}个区块", hits.size());
    // Inside a schematic block proves nothing; nor does being outside (or partly outside) every block when
    // the layer holds schematic blocks, whose real place is unknown.
    if (f.result == Result::Pass) {
        if (auto s = schematic_hits(hits); !s.empty()) ctx.schematic_review(f, layer, s, "不能据此认定申请范围位于规划区块内");
    } else if (auto s = ctx.schematic_features(layer); !s.empty()) {
        ctx.schematic_review(f, layer, s, "不能据此认定申请范围位于规划区块之外");
    }
    return f;
}

// The application's main mineral equals the block's (拟投放探矿权不得变更主攻矿种; 不得变更开采主矿种).
Finding block_mineral(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const std::string layer = layer_for_kind(rule, ctx);
    const auto& hits = ctx.overlaps(layer);
    if (hits.empty()) {
        f.result = Result::NotApplicable;
        f.message = "申请范围未落入规划区块，无区块主矿种可比（见区块范围规则）";
        return f;
    }
    const std::string mine = ctx.main_mineral();
    if (mine.empty()) return needs(f, {"main_mineral"});
    const std::string field = rule.params.value("mineral_field", "mineral");
    bool fail = false, review = false;
    std::vector<std::string> parts;
    for (const auto& o : hits) {
        f.evidence.push_back(ctx.evidence(layer, o));
        const std::string block = ctx.canonical(o.feature->feature.text(field));
        bool related = false;
        for (const auto& group : rule.params.value("related_groups", nlohmann::json::array())) {
            bool a = false, b = false;
            for (const auto& m : group) {
                a = a || ctx.canonical(m.get<std::string>()) == mine;
                b = b || ctx.canonical(m.get<std::string>()) == block;
            }
            related = related || (a && b);
        }
        if (block.empty()) review = true;
        else if (block != mine && related) review = true;
        else if (block != mine) fail = true;
        parts.push_back(fmt::format("{}主矿种为“{}”", overlap_label(o), block.empty() ? "（未填）" : block));
    }
    f.data["application_mineral"] = mine;
    f.result = fail ? Result::Fail : review ? Result::Review : Result::Pass;
    f.message = fmt::format("申请主矿种“{}”；{}{}", mine, join(parts, "；"),
                            fail     ? "：与区块确定的主矿种不一致"
                            : review ? "：矿种名称不同但属同类，需人工确认是否变更主矿种"
                                     : "：一致");
    if (auto s = schematic_hits(hits); !s.empty()) ctx.schematic_review(f, layer, s, "不能据此认定申请范围落在哪个区块");
    return f;
}

// 一个勘查规划区块原则上只设一个勘查主体: other holders' exploration rights in the same block.
Finding one_right_per_block(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string layer = p.value("block_layer", "exploration_blocks");
    const auto& hits = ctx.overlaps(layer);
    if (hits.empty()) {
        f.result = Result::NotApplicable;
        f.message = "申请范围未落入勘查规划区块";
        return f;
    }
    if (!ctx.layer_has_data(p.value("rights_layer", "mineral_rights"))) {
        f.result = Result::Review;
        f.missing.push_back(p.value("rights_layer", "mineral_rights"));
        f.message = "矿业权图层为空（尚未导入现有矿业权），无法核查区块内是否已设勘查主体";
        for (const auto& o : hits) f.evidence.push_back(ctx.evidence(layer, o));
        return f;
    }
    std::vector<std::string> others;
    bool unknown_owner = false;
    for (const auto& o : hits) {
        f.evidence.push_back(ctx.evidence(layer, o));
        for (const IndexedFeature* r : rights_in(ctx, p, *o.feature)) {
            if (is_own(ctx, p, *r)) continue;
            if (!ctx.app.attrs.text("applicant")) unknown_owner = true;
            others.push_back(fmt::format("{}内已有{}（{}）", overlap_label(o), r->id, r->feature.text(p.value("holder_field", "holder"))));
            // The right's overlap with the application (0 when it lies elsewhere in the block).
            f.evidence.push_back(ctx.evidence(p.value("rights_layer", "mineral_rights"), ctx.overlap_with(*r)));
            ctx.draw(p.value("rights_layer", "mineral_rights"), *r);
        }
    }
    if (unknown_owner) f = needs(f, {"applicant"}, "区块内已有探矿权：" + join(others, "；"));
    else {
        f.result = others.empty() ? Result::Pass : Result::Fail;
        f.message = others.empty() ? "所在勘查规划区块内没有其他勘查主体" : join(others, "；") + "，同一区块原则上只设一个勘查主体";
    }
    if (auto s = schematic_hits(hits); !s.empty()) ctx.schematic_review(f, layer, s, "不能据此认定区块内的勘查主体");
    return f;
}

// 严禁大矿小开、一矿多开: other mining rights in the block, or an application covering a small share of it.
Finding no_split(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string layer = p.value("block_layer", "mining_blocks");
    const auto& hits = ctx.overlaps(layer);
    if (hits.empty()) {
        f.result = Result::NotApplicable;
        f.message = "申请范围未落入开采规划区块";
        return f;
    }
    const bool rights_data = ctx.layer_has_data(p.value("rights_layer", "mineral_rights"));
    const double min_share = p.value("min_block_share_pct", 50.0);
    std::vector<std::string> problems, doubts;
    for (const auto& o : hits) {
        f.evidence.push_back(ctx.evidence(layer, o));
        const double block_m2 = ctx.feature_area_m2(*o.feature);
        const double share = block_m2 > 0 ? 100.0 * o.m2 / block_m2 : 0;
        f.data["block_share_pct"][o.feature->id] = share;
        if (share < min_share)
            doubts.push_back(fmt::format("申请范围仅占{}面积的 {:.1f}%（低于 {:.0f}%，疑似大矿小开）", overlap_label(o), share, min_share));
        for (const IndexedFeature* r : rights_in(ctx, p, *o.feature)) {
            if (is_own(ctx, p, *r)) continue;
            problems.push_back(fmt::format("{}内已有采矿权{}（{}）", overlap_label(o), r->id, r->feature.text(p.value("holder_field", "holder"))));
            ctx.draw(p.value("rights_layer", "mineral_rights"), *r);
        }
    }
    if (!problems.empty()) {
        f.result = Result::Fail;
        f.message = join(problems, "；") + "：一个区块再设采矿权属一矿多开";
    } else if (!doubts.empty() || !rights_data) {
        f.result = Result::Review;
        if (!rights_data) doubts.push_back("矿业权图层为空（尚未导入），无法核查区块内已有采矿权");
        f.message = join(doubts, "；");
    } else {
        f.result = Result::Pass;
        f.message = "区块内无其他采矿权，申请范围占区块主体";
    }
    if (auto s = schematic_hits(hits); !s.empty()) ctx.schematic_review(f, layer, s, "不能据此判断区块占用和一矿多开");
    return f;
}

// No overlap with existing rights of other holders.
Finding no_overlap_rights(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const std::string layer = p.value("rights_layer", "mineral_rights");
    if (!ctx.layer_has_data(layer)) {
        f.result = Result::Review;
        f.missing.push_back(layer);
        f.message = "矿业权图层为空（尚未导入现有矿业权），无法核查与已设矿业权的重叠";
        return f;
    }
    const auto active = string_list(p, "active_states");
    std::vector<std::string> names;
    std::vector<const IndexedFeature*> schematic;
    bool unknown_owner = false, real_hit = false;
    for (const auto& o : ctx.overlaps(layer)) {
        const std::string state = o.feature->feature.text(p.value("state_field", "state"));
        if (!state.empty() && !active.empty() && std::find(active.begin(), active.end(), state) == active.end()) continue;
        if (is_own(ctx, p, *o.feature)) continue;
        if (!ctx.app.attrs.text("applicant") && !ctx.app.attrs.text("existing_licence")) unknown_owner = true;
        f.evidence.push_back(ctx.evidence(layer, o));
        ctx.draw(layer, *o.feature);
        real_hit = real_hit || !o.feature->schematic;
        if (o.feature->schematic) schematic.push_back(o.feature);
        names.push_back(fmt::format(FMT_COMPILE("{}（{}，重叠 {}，占申请面积 {:.2f}%）"), o.feature->id,
                                    o.feature->feature.text(p.value("holder_field", "holder")), fmt_m2(o.m2), o.pct));
    }
    if (!names.empty() && unknown_owner) return needs(f, {"applicant"}, "与已设矿业权重叠：" + join(names, "；"));
    f.result = names.empty() ? Result::Pass : Result::Fail;
    f.message = names.empty() ? "与已设矿业权（其他权利人）无重叠" : "与其他权利人的矿业权重叠：" + join(names, "；");
    // A real overlap decides; an overlap with, or the absence of, schematic rights does not.
    if (names.empty()) schematic = ctx.schematic_features(layer);
    if (!real_hit && !schematic.empty())
        ctx.schematic_review(f, layer, schematic, names.empty() ? "不能据此认定与其无重叠" : "不能据此认定重叠");
    return f;
}

// Generic "must not lie in": sources [{layer, field, values}], optional exempt minerals.
Finding no_overlap(const RuleDef& rule, CheckContext& ctx) {
    Finding f = start(rule);
    const auto& p = rule.params;
    const auto exempt = string_list(p, "exempt_minerals");
    const std::string mine = ctx.main_mineral();
    for (const auto& e : exempt)
        if (!mine.empty() && ctx.canonical(e) == mine) {
            f.result = Result::NotApplicable;
            f.message = fmt::format("主矿种“{}”属本条除外情形（{}）", mine, join(exempt));
            return f;
        }
    std::vector<std::string> no_data;
    std::vector<std::pair<std::string, Overlap>> hits;  // what the source is called, and the overlap
    bool real_hit = false;
    // Per layer: the schematic features that kept the answer open (hit, or could lie anywhere).
    std::vector<std::pair<std::string, std::vector<const IndexedFeature*>>> unsure;
    for (const auto& s : p.at("sources")) {
        const std::string layer = s.at("layer").get<std::string>();
        const std::string field = s.value("field", "");
        const auto values = string_list(s, "values");
        const std::string what = s.value("label_zh", ctx.index.layer_name_zh(layer));
        if (!ctx.layer_has_data(layer, field, values)) {
            // An optional source (a supplement to features the plan names) may be absent.
            if (!s.value("optional", false)) no_data.push_back(what);
            continue;
        }
        const auto layer_hits = ctx.overlaps(layer, field, values);
        for (const auto& o : layer_hits) {
            f.evidence.push_back(ctx.evidence(layer, o));
            ctx.draw(layer, *o.feature);
            real_hit = real_hit || !o.feature->schematic;
            hits.emplace_back(what, o);
        }
        if (auto sch = ctx.schematic_features(layer, field, values); !sch.empty()) unsure.emplace_back(layer, std::move(sch));
    }
    std::vector<double> hit_m2;
    for (const auto& h : hits) hit_m2.push_back(h.second.m2);
    const auto named = [&] {
        return named_overlaps(hit_m2, [&](std::size_t i) {
            const auto& [what, o] = hits[i];
            return fmt::format(FMT_COMPILE("{}“{}”（重叠 {}，占申请面积 {:.2f}%）"), what, overlap_label(o), fmt_m2(o.m2), o.pct);
        }, "；");
    };
    if (!hits.empty() && !exempt.empty() && mine.empty())
        return needs(f, {"main_mineral"}, fmt::format("位于{}，须确认是否属{}除外情形", named(), join(exempt)));
    if (!hits.empty()) {
        f.result = Result::Fail;
        f.message = "申请范围位于" + named() + "内";
    } else if (!no_data.empty()) {
        f.result = Result::Review;
        for (const auto& n : no_data) f.missing.push_back(n);
        f.message = fmt::format("规划数据库中没有{}数据（尚未导入），无法核查", join(no_data));
    } else {
        f.result = Result::Pass;
        f.message = "申请范围与" + p.value("summary_zh", std::string("管控范围")) + "无重叠";
    }
    // A veto needs a real overlap; without one, schematic control features leave the answer open.
    if (!real_hit && f.result != Result::NotApplicable)
        for (const auto& [layer, sch] : unsure)
            ctx.schematic_review(f, layer, sch, hits.empty() ? "不能据此认定申请范围与其无重叠" : "不能据此认定重叠");
    return f;
}

}  // namespace

const std::map<std::string, CheckFn>& spatial_checks() {
    static const std::map<std::string, CheckFn> m = {
        {"inside_block", inside_block},       {"block_mineral", block_mineral},
        {"one_right_per_block", one_right_per_block}, {"no_split", no_split},
        {"no_overlap_rights", no_overlap_rights}, {"no_overlap", no_overlap},
        {"zone_planned_count", zone_planned_count}, {"prohibited_use", prohibited_use},
    };
    return m;
}

}  // namespace minplan::rules::detail
