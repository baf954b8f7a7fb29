#include "services/monitoring.hpp"

#include <set>

#include <algorithm>
#include <map>

#include "core/error.hpp"
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
    if (geo) {  // the geo-environment layers and the green-mine register decide their indicators
        if (geo->settings.configured) {
            in.external = geoenv::external_measures(geo);
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
    const auto& set = *in.indicators;
    const auto& data = in.data;
    const int year = in.year;
    auto ev = monitor::evaluate_year(set, *in.standards, data, year, in.external);

    json indicators = json::array();
    std::map<std::string, int> counts;
    for (const auto& r : ev.results) {
        const auto& d = *r.def;
        ++counts[monitor::to_key(r.status)];
        indicators.push_back({{"id", d.id}, {"name_zh", d.name_zh}, {"group", d.group}, {"unit", d.unit}, {"basis", d.basis},
                              {"kind", d.kind}, {"direction", d.direction == monitor::Direction::Cap ? "cap" : "floor"},
                              {"target_2025", d.target_2025}, {"base_2020", opt(d.base_2020)}, {"path_value", r.path_value},
                              {"actual", opt(r.actual)}, {"status", monitor::to_key(r.status)},
                              {"status_zh", monitor::to_zh(r.status)}, {"rule", r.rule}, {"notes", r.notes},
                              {"source", d.source}});
    }

    // Extraction against its cap, per year: actual up to the evaluated year, the yearly path to the target.
    json extraction = json::array();
    for (const auto& d : set.indicators()) {
        if (d.measure != "extraction") continue;
        json years = json::array();
        for (int y = set.base_year() + 1; y <= set.target_year(); ++y)
            years.push_back({{"year", y}, {"path", set.path_value(d, y)},
                             {"actual", y <= year ? opt(monitor::extraction_total(d, set, data, y)) : json(nullptr)}});
        extraction.push_back({{"id", d.id}, {"name_zh", d.name_zh}, {"unit", d.unit}, {"basis", d.basis},
                              {"kind", d.kind}, {"cap_2025", d.target_2025}, {"base_year", set.base_year()},
                              {"base", opt(d.base_2020)}, {"years", years}});
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

monitor::AnnualData county_data(const monitor::AnnualData& all, const std::string& county) {
    monitor::AnnualData out;
    std::set<std::string> ids;
    for (const auto& m : all.mines)
        if (m.county == county) {
            out.mines.push_back(m);
            ids.insert(m.mine_id);
        }
    for (const auto& y : all.years)
        if (ids.count(y.mine_id)) out.years.push_back(y);
    return out;
}

std::vector<std::string> counties_with_mines(const monitor::AnnualData& all) {
    std::set<std::string> names;
    for (const auto& m : all.mines)
        if (!m.county.empty()) names.insert(m.county);
    return {names.begin(), names.end()};
}

}  // namespace minplan::services
