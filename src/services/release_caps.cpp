// RP6, the second half: the extraction and count caps of the plan's indicators (indicators.json: measures
// extraction, total_capacity, mine_count with direction cap, e.g. 第四章第二节 煤炭产能 ≤ 1.2亿吨/年) against the
// latest reported year plus what this year's mining releases would add (the release plan's 拟设生产规模 per
// block; one mine per released block for the counts). A 预期性 cap exceeded is 提示, a 约束性 one 不符合; a
// release without its capacity, or a plan without annual data, is 需人工核查 — never a silent pass.
#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/annual.hpp"
#include "standards/loader.hpp"
#include "services/release_quota.hpp"
#include "standards/units.hpp"

namespace minplan::services {

std::vector<ReleaseFinding> check_release_caps(const QuotaInputs& in) {
    std::vector<ReleaseFinding> out;
    std::vector<const ReleaseEntry*> mining;
    for (const auto& e : in.plan.entries)
        if (e.kind == ReleaseKind::Mining) mining.push_back(&e);
    if (mining.empty()) return out;
    std::optional<monitor::IndicatorSet> set;
    std::optional<standards::Standards> st;
    try {
        set = monitor::IndicatorSet::from_store(in.store);
        st = standards::Standards::from_store(in.store);
    } catch (const Error& e) {
        out.push_back({0, "", "RP6", ReleaseVerdict::Manual, std::string("规划数据库缺少指标定义或标准表，无法核对开采总量调控，需人工核查：") + e.what(), in.clause_zh});
        return out;
    }
    const monitor::AnnualData data = monitor::load_annual(in.store);
    int latest = 0;
    for (const auto& y : data.years) latest = std::max(latest, y.year);
    std::optional<monitor::YearEvaluation> ev;
    if (latest > 0) ev = monitor::evaluate_year(*set, *st, data, latest);
    auto canonical = [&](const std::string& m) { return in.names.canonical(m).value_or(m); };

    for (const auto& d : set->indicators()) {
        if (d.direction != monitor::Direction::Cap) continue;
        if (d.measure != "extraction" && d.measure != "total_capacity" && d.measure != "mine_count") continue;
        std::vector<const ReleaseEntry*> rows;
        for (const auto* e : mining)
            if (std::find(d.minerals.begin(), d.minerals.end(), canonical(e->mineral)) != d.minerals.end()) rows.push_back(e);
        if (rows.empty()) continue;
        std::string blocks, missing;
        double added = 0;
        for (const auto* e : rows) {
            blocks += (blocks.empty() ? "" : "、") + e->block_id;
            if (d.measure == "mine_count") {
                added += 1;
            } else if (!e->capacity) {
                missing += (missing.empty() ? "第" : "、第") + std::to_string(e->row) + "行";
            } else {
                try {
                    added += standards::convert(*e->capacity, e->capacity_unit, "", d.unit, "", "第" + std::to_string(e->row) + "行 拟设生产规模");
                } catch (const InputError& x) {
                    out.push_back({e->row, e->block_id, "RP6", ReleaseVerdict::Manual, fmt::format("{}：{}", d.name_zh, x.what()), d.source});
                    missing += (missing.empty() ? "第" : "、第") + std::to_string(e->row) + "行";
                }
            }
        }
        const int row = rows.size() == 1 ? rows.front()->row : 0;
        const std::string block = rows.size() == 1 ? rows.front()->block_id : blocks;
        if (!missing.empty()) {
            out.push_back({row, block, "RP6", ReleaseVerdict::Manual,
                           fmt::format("{}（上限 {} {}）：{}未填拟设生产规模，无法核对投放后的开采总量，需人工核查", d.name_zh,
                                       format_number(d.target_2025, 4), d.unit, missing),
                           d.source});
            continue;
        }
        const monitor::IndicatorResult* now = nullptr;
        if (ev)
            for (const auto& r : ev->results)
                if (r.def->id == d.id) now = &r;
        if (!now || !now->actual) {
            out.push_back({row, block, "RP6", ReleaseVerdict::Manual,
                           fmt::format("{}（上限 {} {}）：尚无年度报送数据，无法得知现有{}，投放将新增 {} {}，需人工核查", d.name_zh,
                                       format_number(d.target_2025, 4), d.unit, d.measure == "mine_count" ? "矿山数" : "开采量或产能",
                                       format_number(added, 4), d.unit),
                           d.source});
            continue;
        }
        const double total = *now->actual + added;
        const bool over = total > d.target_2025;
        const auto verdict = !over ? ReleaseVerdict::Pass : d.kind == "约束性" ? ReleaseVerdict::Fail : ReleaseVerdict::Advice;
        out.push_back({row, block, "RP6", verdict,
                       fmt::format("{}：{}年实际 {} + 拟投放新增 {} = {} {}，{}规划上限 {} {}（{}）", d.name_zh, latest, format_number(*now->actual, 4),
                                   format_number(added, 4), format_number(total, 4), d.unit, over ? "超过" : "不超过",
                                   format_number(d.target_2025, 4), d.unit, d.kind),
                       d.source});
    }
    return out;
}

}  // namespace minplan::services
