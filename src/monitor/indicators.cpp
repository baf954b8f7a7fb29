#include "monitor/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/package.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

std::string to_zh(Status s) {
    switch (s) {
        case Status::Met: return "已达成";
        case Status::OnTrack: return "按进度";
        case Status::AtRisk: return "有风险";
        case Status::Breached: return "未达标";
        case Status::Manual: return "需人工核查";
        case Status::NoData: return "无数据";
    }
    return "";
}

std::string to_key(Status s) {
    switch (s) {
        case Status::Met: return "met";
        case Status::OnTrack: return "on_track";
        case Status::AtRisk: return "at_risk";
        case Status::Breached: return "breached";
        case Status::Manual: return "manual";
        case Status::NoData: return "no_data";
    }
    return "";
}

IndicatorSet IndicatorSet::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取指标定义 " + file.string() + " / cannot read indicators");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

IndicatorSet IndicatorSet::from_store(const store::PlanStore& store) {
    return parse(package::required(store.package_file(package::kIndicators), package::kIndicators, store.location()),
                 store.location() + "［" + package::kIndicators + "］");
}

IndicatorSet IndicatorSet::parse(const std::string& text, const std::string& file) {
    IndicatorSet set;
    try {
        auto j = nlohmann::json::parse(text);
        set.base_year_ = j.value("base_year", 2020);
        set.target_year_ = j.value("target_year", 2025);
        for (const auto& [k, v] : j.at("path_methods").items()) {
            PathMethod m = k == "linear_from_base" ? PathMethod::LinearFromBase
                           : k == "even_cumulative" ? PathMethod::EvenCumulative : PathMethod::Flat;
            set.path_text_.emplace_back(m, v.get<std::string>());
        }
        for (const auto& u : j.at("mineral_units"))
            set.units_.push_back({u.at("mineral"), u.at("dimension"), u.at("unit"), u.value("basis", ""), u.value("source", "")});
        for (const auto& i : j.at("indicators")) {
            IndicatorDef d;
            d.id = i.at("id");
            d.name_zh = i.at("name_zh");
            d.group = i.value("group", "");
            d.source = i.at("source");
            d.also_in = i.value("also_in", "");
            d.kind = i.at("kind");
            d.kind_note = i.value("kind_note", "");
            d.measure = i.at("measure");
            d.minerals = i.value("minerals", std::vector<std::string>{});
            d.unit = i.at("unit");
            d.basis = i.value("basis", "");
            std::string dir = i.at("direction");
            if (dir != "cap" && dir != "floor") throw InputError(file + ": 指标 " + d.id + " 的 direction 应为 cap 或 floor");
            d.direction = dir == "cap" ? Direction::Cap : Direction::Floor;
            d.target_2025 = i.at("target_2025");
            if (i.contains("base_2020") && i["base_2020"].is_number()) d.base_2020 = i["base_2020"].get<double>();
            d.base_source = i.value("base_source", "");
            std::string p = i.at("path");
            d.path = p == "linear_from_base" ? PathMethod::LinearFromBase
                     : p == "even_cumulative" ? PathMethod::EvenCumulative : PathMethod::Flat;
            d.at_risk_band = i.value("at_risk_band", 0.0);
            if (i.contains("deadline_year") && i["deadline_year"].is_number_integer()) d.deadline_year = i["deadline_year"].get<int>();
            d.except_minerals = i.value("except_minerals", std::vector<std::string>{});
            set.indicators_.push_back(std::move(d));
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file + ": 指标定义无法解析 / bad indicators JSON: " + e.what());
    }
    return set;
}

const MineralUnit* IndicatorSet::unit_of(const std::string& mineral) const {
    for (const auto& u : units_)
        if (u.mineral == mineral) return &u;
    return nullptr;
}

const std::string& IndicatorSet::path_description(PathMethod m) const {
    static const std::string none;
    for (const auto& [k, v] : path_text_)
        if (k == m) return v;
    return none;
}

double IndicatorSet::path_value(const IndicatorDef& d, int year) const {
    const int target_year = d.deadline_year.value_or(target_year_);
    const double span = std::max(1, target_year - base_year_);
    const double done = std::clamp(year - base_year_, 0, std::max(1, target_year - base_year_));
    switch (d.path) {
        case PathMethod::EvenCumulative: return d.target_2025 * done / span;
        case PathMethod::LinearFromBase:
            // Only a cap whose base exceeds it declines, and a floor whose base lies below it rises (a
            // cumulative area with a part done at the base, e.g. 第六章四 3603.55 ha, 2276.36 done);
            // otherwise the target holds every year.
            if (d.base_2020 && d.direction == Direction::Cap && *d.base_2020 > d.target_2025)
                return *d.base_2020 + (d.target_2025 - *d.base_2020) * done / span;
            if (d.base_2020 && d.direction == Direction::Floor && *d.base_2020 < d.target_2025)
                return *d.base_2020 + (d.target_2025 - *d.base_2020) * done / span;
            return d.target_2025;
        case PathMethod::Flat: return d.target_2025;
    }
    return d.target_2025;
}

StatusDecision IndicatorSet::evaluate(const IndicatorDef& d, int year, double a) const {
    const double t = d.target_2025, p = path_value(d, year);
    const bool final_year = year >= d.deadline_year.value_or(target_year_);
    const std::string A = format_number(a, 4), T = format_number(t, 4), P = format_number(p, 4);
    const std::string band = format_number(d.at_risk_band * 100, 1) + "%";
    if (d.direction == Direction::Cap) {
        if (a <= t) return {Status::Met, "实际 " + A + " ≤ 目标上限 " + T};
        if (a <= p) return {Status::OnTrack, "实际 " + A + " 高于目标上限 " + T + "，但 ≤ " + std::to_string(year) + "年路径值 " + P};
        if (!final_year && a <= p * (1 + d.at_risk_band))
            return {Status::AtRisk, "实际 " + A + " 超过年度路径值 " + P + "，在容差 " + band + " 以内"};
        return {Status::Breached, "实际 " + A + " 超过" + (final_year ? "目标上限 " + T : "年度路径值 " + P +
                                  (d.at_risk_band > 0 ? "（超出容差 " + band + "）" : "（约束性，无容差）"))};
    }
    if (a >= t) return {Status::Met, "实际 " + A + " ≥ 目标 " + T};
    if (a >= p) return {Status::OnTrack, "实际 " + A + " 低于目标 " + T + "，但 ≥ " + std::to_string(year) + "年路径值 " + P};
    if (!final_year && a >= p * (1 - d.at_risk_band))
        return {Status::AtRisk, "实际 " + A + " 低于年度路径值 " + P + "，在容差 " + band + " 以内（" +
                                    std::to_string(d.deadline_year.value_or(target_year_)) + "年前）"};
    return {Status::Breached, "实际 " + A + " 低于" + (final_year ? "目标 " + T : "年度路径值 " + P +
                              (d.at_risk_band > 0 ? "（超出容差 " + band + "）" : "（约束性，无容差）"))};
}

}  // namespace minplan::monitor
