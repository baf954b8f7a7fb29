#include "server/monitor_api.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <system_error>

#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
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

struct MonitorService::Loaded {
    std::unique_ptr<store::PlanStore> store;
    monitor::IntakeContext context;
    std::string plan_name;
    std::int64_t version = 0;
};

MonitorService::MonitorService(std::shared_ptr<store::PlanDatabase> db) : db_(std::move(db)) {}
MonitorService::~MonitorService() = default;

// Every plan write (an intake from the portal, the CLI or another process) moves the version: the portal
// shows newly imported years at once, like every other service.
MonitorService::Loaded& MonitorService::loaded() {
    if (!loaded_ || loaded_->version != db_->version()) {
        auto l = std::make_unique<Loaded>();
        l->store = db_->snapshot();
        l->version = l->store->version();
        l->context = monitor::context_from_store(*l->store);
        l->plan_name = l->store->metadata("name_zh").value_or("规划");
        loaded_ = std::move(l);
    }
    return *loaded_;
}

void MonitorService::check_year(int year) {
    const auto& c = loaded().context;
    if (year < c.first_year || year > c.last_year)
        throw HttpError(400, "年度 " + std::to_string(year) + " 不在规划期 " + std::to_string(c.first_year) + "–" +
                                 std::to_string(c.last_year) + " 内，请选择规划期内的年度");
}

int MonitorService::year_param(const Params& params) {
    auto it = params.find("year");
    std::lock_guard lock(mutex_);
    const auto& c = loaded().context;
    std::string range = std::to_string(c.first_year) + "–" + std::to_string(c.last_year);
    if (it == params.end() || it->second.empty())
        throw HttpError(400, "缺少参数 year：请给出规划期内的年度（" + range + "），如 year=" + std::to_string(c.first_year));
    int year = 0;
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
    if (ec != std::errc() || p != s.data() + s.size())
        throw HttpError(400, "参数 year 应为整数年度（" + range + "），实际为 \"" + s + "\"");
    check_year(year);
    return year;
}

json MonitorService::answer(const Params& params) {
    if (params.count("year")) return year(year_param(params));
    std::lock_guard lock(mutex_);
    const auto& l = loaded();
    std::set<int> with_data;
    for (const auto& y : l.context.existing.years) with_data.insert(y.year);
    for (const auto& e : l.context.existing.exploration) with_data.insert(e.year);
    int latest = with_data.empty() ? l.context.first_year : *with_data.rbegin();
    return {{"plan_name", l.plan_name},
            {"period", {{"first_year", l.context.first_year}, {"last_year", l.context.last_year}}},
            {"years_with_data", with_data},
            {"default_year", latest},
            {"sample", monitor::is_sample(l.context.existing)}};
}

json MonitorService::year(int year) {
    std::lock_guard lock(mutex_);
    check_year(year);
    const auto& l = loaded();
    const auto& set = *l.context.indicators;
    const auto& data = l.context.existing;
    auto ev = monitor::evaluate_year(set, *l.context.standards, data, year);

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
    std::string y = std::to_string(year);
    return {{"year", year},
            {"plan_name", l.plan_name},
            {"period", {{"first_year", l.context.first_year}, {"last_year", l.context.last_year}}},
            {"sample", monitor::is_sample(data)},
            {"has_data", has_data},
            {"status_counts", counts},
            {"indicators", indicators},
            {"extraction", extraction},
            {"sanlv", {{"mines", mines}, {"by_mineral", minerals}, {"leader_tier_configured", ev.leader_tier_configured}}},
            {"downloads", {{"xlsx", "/api/downloads/report.xlsx?year=" + y}, {"html", "/api/downloads/report.html?year=" + y}}}};
}

monitor::ReportFiles MonitorService::write_report(int year, const std::filesystem::path& dir) {
    std::lock_guard lock(mutex_);
    check_year(year);
    auto& l = loaded();
    monitor::ReportInput in;
    in.store = l.store.get();
    in.indicators = l.context.indicators;
    in.standards = l.context.standards;
    in.data = l.context.existing;
    in.year = year;
    in.plan_name = l.plan_name;
    return monitor::write_report(in, dir);
}

}  // namespace minplan::server
