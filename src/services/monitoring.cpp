#include "services/monitoring.hpp"

#include <set>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "monitor/county_split.hpp"
#include "monitor/evaluate.hpp"
#include "services/geoenv/indicators.hpp"

namespace minplan::services {
namespace {

using nlohmann::json;

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string sanlv_key(monitor::SanlvResult r) {
    switch (r) {
        case monitor::SanlvResult::Pass: return "pass";
        case monitor::SanlvResult::Fail: return "fail";
        case monitor::SanlvResult::Manual: return "manual";
    }
    return "manual";
}

// The geo-environment measures of one county: its sites and projects (both carry a county). The remote-sensing
// coverage has no county: 需人工核查 per county, never the city's figure.
monitor::ExternalMeasure county_measures(const std::shared_ptr<const geoenv::Data>& geo, const std::string& county) {
    auto sub = std::make_shared<geoenv::Data>(*geo);
    std::erase_if(sub->sites, [&](const auto& s) { return s.county != county; });
    std::erase_if(sub->projects, [&](const auto& p) { return p.county != county; });
    auto inner = geoenv::external_measures(sub);
    return [inner](const monitor::IndicatorDef& d, int year, const monitor::AnnualData& data) -> std::optional<monitor::MeasureValue> {
        if (d.measure == "geoenv_coverage") {
            monitor::MeasureValue v;
            v.manual = true;
            v.manual_why = "需人工核查：遥感监测覆盖范围不带行政区，无法分县计算";
            return v;
        }
        return inner(d, year, data);
    };
}

json indicator_json(const monitor::IndicatorResult& r, bool allocated) {
    const auto& d = *r.def;
    return {{"id", d.id}, {"name_zh", d.name_zh}, {"group", d.group}, {"unit", d.unit}, {"basis", d.basis},
            {"kind", d.kind}, {"direction", d.direction == monitor::Direction::Cap ? "cap" : "floor"},
            {"target_2025", allocated ? json(d.target_2025) : json(nullptr)}, {"base_2020", opt(d.base_2020)},
            {"path_value", allocated ? json(r.path_value) : json(nullptr)}, {"actual", opt(r.actual)},
            {"status", monitor::to_key(r.status)}, {"status_zh", monitor::to_zh(r.status)}, {"rule", r.rule},
            {"notes", r.notes}, {"source", d.source}};
}

// The year's answer from one evaluation: the city's (all indicators allocated) or a county's.
json evaluation_json(const monitor::ReportInput& in, const monitor::IndicatorSet& set, const monitor::AnnualData& data,
                     const monitor::YearEvaluation& ev, const std::set<std::string>& unallocated) {
    const int year = in.year;
    json indicators = json::array();
    std::map<std::string, int> counts;
    for (const auto& r : ev.results) {
        ++counts[monitor::to_key(r.status)];
        json i = indicator_json(r, !unallocated.count(r.def->id));
        i["allocated"] = !unallocated.count(r.def->id);
        indicators.push_back(std::move(i));
    }

    // Extraction against its cap, per year: actual up to the evaluated year, the yearly path to the target.
    json extraction = json::array();
    for (const auto& d : set.indicators()) {
        if (d.measure != "extraction") continue;
        const bool allocated = !unallocated.count(d.id);
        json years = json::array();
        for (int y = set.base_year() + 1; y <= set.target_year(); ++y)
            years.push_back({{"year", y}, {"path", allocated ? json(set.path_value(d, y)) : json(nullptr)},
                             {"actual", y <= year ? opt(monitor::extraction_total(d, set, data, y)) : json(nullptr)}});
        extraction.push_back({{"id", d.id}, {"name_zh", d.name_zh}, {"unit", d.unit}, {"basis", d.basis},
                              {"kind", d.kind}, {"cap_2025", allocated ? json(d.target_2025) : json(nullptr)},
                              {"base_year", set.base_year()}, {"base", opt(d.base_2020)}, {"years", years}});
    }

    // 三率 of each reporting mine, and per mineral the number of mines passing, failing, needing a check.
    json mines = json::array();
    std::map<std::string, std::map<std::string, int>> by_mineral;
    for (const auto& m : ev.sanlv) {
        std::string key = sanlv_key(m.check.result);
        ++by_mineral[m.mineral][key];
        mines.push_back({{"mine_id", m.mine_id}, {"name", m.name}, {"mineral", m.mineral},
                         {"mining_recovery", opt(m.mining_recovery)}, {"processing_recovery", opt(m.processing_recovery)},
                         {"utilisation", opt(m.utilisation)}, {"result", key}, {"result_zh", monitor::to_zh(m.check.result)},
                         {"details", m.check.details}});
    }
    json minerals = json::array();
    for (const auto& [mineral, c] : by_mineral)
        minerals.push_back({{"mineral", mineral}, {"pass", c.count("pass") ? c.at("pass") : 0},
                            {"fail", c.count("fail") ? c.at("fail") : 0}, {"manual", c.count("manual") ? c.at("manual") : 0}});

    bool has_data = std::any_of(data.years.begin(), data.years.end(), [&](auto& y) { return y.year == year; }) ||
                    std::any_of(data.exploration.begin(), data.exploration.end(), [&](auto& e) { return e.year == year; });
    return {{"year", year},
            {"plan_name", in.plan_name},
            {"period", {{"first_year", in.first_year}, {"last_year", in.last_year}}},
            {"sample", monitor::is_sample(data)},
            {"has_data", has_data},
            {"status_counts", counts},
            {"indicators", indicators},
            {"extraction", extraction},
            {"sanlv", {{"mines", mines}, {"by_mineral", minerals}, {"leader_tier_configured", ev.leader_tier_configured}}}};
}

}  // namespace

monitor::ReportInput monitoring_input(const store::PlanStore* store, const monitor::IntakeContext& context,
                                      const std::string& plan_name, int year, std::shared_ptr<const geoenv::Data> geo) {
    if (year < context.first_year || year > context.last_year)
        throw InputError("年度 " + std::to_string(year) + " 不在规划期 " + std::to_string(context.first_year) + "–" +
                         std::to_string(context.last_year) + " 内，请选择规划期内的年度 / year outside the plan period");
    monitor::ReportInput in;
    in.store = store;
    in.indicators = context.indicators;
    in.standards = context.standards;
    in.data = context.existing;
    in.year = year;
    in.plan_name = plan_name;
    in.first_year = context.first_year;
    in.last_year = context.last_year;
    if (!geo && store) geo = std::make_shared<const geoenv::Data>(geoenv::load(*store));
    in.county_split = context.county_split;
    in.plan_counties = context.plan_counties;
    if (geo) {  // the geo-environment layers and the green-mine register decide their indicators
        if (geo->settings.configured) {
            in.external = geoenv::external_measures(geo);
            in.county_external = [geo](const std::string& county) { return county_measures(geo, county); };
            in.extra_tables = {geoenv::zone_progress_table(*geo, year), geoenv::coverage_table(*geo, year, *in.indicators),
                               geoenv::register_table(*geo, std::to_string(year) + "-12-31")};
        }
    }
    return in;
}

monitor::ReportInput monitoring_input(const store::PlanStore& store, int year,
                                      const std::vector<std::filesystem::path>& extra_files) {
    auto context = monitor::context_from_store(store);
    auto in = monitoring_input(&store, context, store.metadata("name_zh").value_or("规划"), year);
    if (!extra_files.empty()) in.data.append(monitor::read_intake(extra_files, context));
    return in;
}

json year_evaluation(const monitor::ReportInput& in) {
    auto ev = monitor::evaluate_year(*in.indicators, *in.standards, in.data, in.year, in.external);
    json out = evaluation_json(in, *in.indicators, in.data, ev, {});
    for (auto& i : out["indicators"]) i.erase("allocated");  // the city's answer keeps its shape
    return out;
}

std::vector<std::string> monitored_counties(const monitor::ReportInput& in) {
    return monitor::monitored_counties(in.data, in.county_split, in.plan_counties);
}

monitor::CountyEvaluation county_evaluation(const monitor::ReportInput& in, const std::string& county) {
    auto known = monitored_counties(in);
    for (const auto& c : in.plan_counties)
        if (std::find(known.begin(), known.end(), c) == known.end()) known.push_back(c);
    if (std::find(known.begin(), known.end(), county) == known.end()) {
        std::string list;
        for (const auto& c : known) list += (list.empty() ? "" : "、") + c;
        throw InputError("县区 \"" + county + "\" 不是本规划的县区，也没有矿山报送" + (list.empty() ? std::string("（尚无县区数据）") : "；可选：" + list) +
                         " / unknown county");
    }
    return monitor::evaluate_county(*in.indicators, *in.standards, in.data, in.year, county, in.county_split,
                                    in.county_external ? in.county_external(county) : monitor::ExternalMeasure{});
}

json county_year_evaluation(const monitor::ReportInput& in, const std::string& county) {
    const auto ce = county_evaluation(in, county);
    json out = evaluation_json(in, *ce.set, monitor::county_data(in.data, county), ce.ev, ce.unallocated);
    out["county"] = county;
    out["county_split_rows"] = static_cast<int>(std::count_if(in.county_split.rows.begin(), in.county_split.rows.end(),
                                                              [&](const auto& r) { return r.county == county; }));
    return out;
}

monitor::AnnualData county_data(const monitor::AnnualData& all, const std::string& county) {
    return monitor::county_data(all, county);
}

std::vector<std::string> counties_with_mines(const monitor::AnnualData& all) {
    std::set<std::string> names;
    for (const auto& m : all.mines)
        if (!m.county.empty()) names.insert(m.county);
    return {names.begin(), names.end()};
}

}  // namespace minplan::services
