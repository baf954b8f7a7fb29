#include "standards/sanlv.hpp"

#include <algorithm>

#include "standards/reference_csv.hpp"

namespace minplan::standards {

using detail::plain_number;

std::string to_zh(SanlvResult r) {
    switch (r) {
        case SanlvResult::Pass: return "达标";
        case SanlvResult::Fail: return "未达标";
        case SanlvResult::Manual: return "需人工核查";
    }
    return "";
}

SanlvTable SanlvTable::load(const std::filesystem::path& file) { return from_table(read_csv(file)); }

SanlvTable SanlvTable::from_table(const CsvTable& t) {
    SanlvTable s;
    t.require({"mineral", "mining_method", "condition", "rate_type", "tier", "min_pct", "valid_from_year",
               "valid_to_year", "status", "note", "source"});
    auto year = [](const CsvRecord& r, const char* column) {
        auto v = r.number(column);
        return v ? static_cast<int>(*v) : 0;
    };
    for (const auto& r : t.records) {
        ThresholdRow row{r.text("mineral"), r.text("mining_method"), r.text("condition"), r.text("rate_type"),
                         r.text("tier"), r.number("min_pct"), year(r, "valid_from_year"), year(r, "valid_to_year"),
                         r.text("status") == "configured", r.text("note"), r.text("source")};
        s.rows_.push_back(std::move(row));
    }
    return s;
}

bool SanlvTable::leader_tier_configured() const {
    for (const auto& r : rows_)
        if (r.tier == "领跑者" && r.configured && r.min_pct) return true;
    return false;
}

SanlvCheck SanlvTable::check(const SanlvMine& m, int year, const std::string& tier) const {
    SanlvCheck out;
    bool fail = false, manual = false, any_rule = false;
    std::map<std::string, std::vector<const ThresholdRow*>> by_rate;
    bool known_mineral = false;
    for (const auto& r : rows_) {
        if ((r.mineral != m.mineral && r.mineral != "*") || r.tier != tier) continue;
        if (!r.configured || !r.min_pct) {
            // A row saying a value was not retrieved speaks only for its years (the 领跑者 tier exists from 2024).
            if ((r.valid_from && year < r.valid_from) || (r.valid_to && year > r.valid_to)) continue;
            known_mineral = true;
            out.details.push_back(r.note + "（" + r.source + "）");
            manual = true;
            continue;
        }
        known_mineral = true;
        by_rate[r.rate_type].push_back(&r);
    }
    if (!known_mineral) {
        out.details.push_back(m.mineral + " 的“三率”" + tier + "指标未配置（data/standards/sanlv_thresholds.csv），需人工核查");
        return out;
    }
    for (const auto& [rate, rows] : by_rate) {
        std::vector<const ThresholdRow*> in_year, match;
        for (const auto* r : rows)
            if ((!r->valid_from || year >= r->valid_from) && (!r->valid_to || year <= r->valid_to)) in_year.push_back(r);
        if (in_year.empty()) {
            out.details.push_back(rate + "：" + std::to_string(year) +
                                  "年适用的指标未取得（2024-04-01起由DZ/T 0462.x-2023替代），需人工核查");
            manual = true;
            continue;
        }
        for (const auto* r : in_year)
            if ((r->method.empty() || r->method == m.method) && (r->condition.empty() || m.conditions.count(r->condition)))
                match.push_back(r);
        // Prefer the most specific rows (method and condition given).
        auto spec = [](const ThresholdRow* r) { return (r->method.empty() ? 0 : 1) + (r->condition.empty() ? 0 : 1); };
        int best = -1;
        for (const auto* r : match) best = std::max(best, spec(r));
        std::erase_if(match, [&](const ThresholdRow* r) { return spec(r) != best; });
        if (match.size() != 1) {
            out.details.push_back(rate + "：开采方式“" + m.method + "”/开采条件未能唯一确定适用的" + tier + "指标（" +
                                  std::to_string(match.size()) + " 条匹配），需人工核查");
            manual = true;
            continue;
        }
        const ThresholdRow& r = *match.front();
        any_rule = true;
        auto it = m.rates.find(rate);
        if (it == m.rates.end() || !it->second) {
            out.details.push_back(rate + "：未报送（" + tier + " " + plain_number(*r.min_pct) + "%），需人工核查");
            manual = true;
        } else if (*it->second + 1e-9 < *r.min_pct) {
            out.details.push_back(rate + " " + plain_number(*it->second) + "% < " + tier + " " + plain_number(*r.min_pct) + "%（" + r.source + "）");
            fail = true;
        } else {
            out.details.push_back(rate + " " + plain_number(*it->second) + "% ≥ " + tier + " " + plain_number(*r.min_pct) + "%（" + r.source + "）");
        }
    }
    out.result = fail ? SanlvResult::Fail : (manual || !any_rule) ? SanlvResult::Manual : SanlvResult::Pass;
    return out;
}

}  // namespace minplan::standards
