#include "server/monitor_api.hpp"
#include "monitor/sanlv_list.hpp"
#include "services/monitoring.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <system_error>

#include "core/error.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "services/geoenv/geoenv.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

using nlohmann::json;

// The plan's counties, then any other county a reporting mine names.
std::vector<std::string> dashboard_counties(const monitor::IntakeContext& c) {
    std::vector<std::string> out = c.plan_counties;
    for (const auto& n : services::counties_with_mines(c.existing))
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
}

}  // namespace

// What the monitoring answers need, read from one snapshot that is then closed (an idle service must not
// keep an old version open: SQLite could not recycle the WAL).
struct MonitorService::Loaded {
    monitor::IntakeContext context;
    std::shared_ptr<const services::geoenv::Data> geo;  // geo-environment layers and green-mine register
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
        auto snapshot = db_->snapshot();
        l->version = snapshot->version();
        l->context = monitor::context_from_store(*snapshot);
        l->geo = std::make_shared<const services::geoenv::Data>(services::geoenv::load(*snapshot));
        l->plan_name = snapshot->metadata("name_zh").value_or("规划");
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
    if (params.count("year")) {
        auto county = params.find("county");
        return year(year_param(params), county == params.end() ? std::string() : county->second);
    }
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
            {"counties", dashboard_counties(l.context)},  // for the dashboard's county views
            {"sample", monitor::is_sample(l.context.existing)}};
}

json MonitorService::year(int year, const std::string& county) {
    std::lock_guard lock(mutex_);
    check_year(year);
    const auto& l = loaded();
    json answer;
    if (county.empty()) {
        // The same answer as `minplan monitor --year Y --json`, plus where to download the report.
        answer = services::year_evaluation(services::monitoring_input(nullptr, l.context, l.plan_name, year, l.geo));
    } else {
        // The county's targets (指标分解) and its own data: the same as `minplan monitor --year Y --county X --json`.
        try {
            answer = services::county_year_evaluation(services::monitoring_input(nullptr, l.context, l.plan_name, year, l.geo), county);
        } catch (const InputError& e) {
            throw HttpError(400, e.what());
        }
    }
    std::string y = std::to_string(year);
    answer["downloads"] = {{"xlsx", "/api/downloads/report.xlsx?year=" + y}, {"html", "/api/downloads/report.html?year=" + y}};
    return answer;
}

json MonitorService::sanlv(int year) {
    std::lock_guard lock(mutex_);
    check_year(year);
    const auto& l = loaded();
    const auto in = services::monitoring_input(nullptr, l.context, l.plan_name, year);
    return monitor::sanlv_publication_json(monitor::sanlv_publication(*in.indicators, *in.standards, in.data, year));
}

std::pair<std::filesystem::path, std::filesystem::path> MonitorService::write_sanlv(int year, const std::filesystem::path& dir) {
    std::lock_guard lock(mutex_);
    check_year(year);
    const auto& l = loaded();
    const auto in = services::monitoring_input(nullptr, l.context, l.plan_name, year);
    const auto pub = monitor::sanlv_publication(*in.indicators, *in.standards, in.data, year);
    const std::string stem = "三率公布_" + std::to_string(year) + (monitor::is_sample(in.data) ? "_示例" : "");
    std::pair<std::filesystem::path, std::filesystem::path> files{dir / (stem + ".xlsx"), dir / (stem + ".html")};
    monitor::write_sanlv_publication(pub, in.plan_name, files.first, files.second);
    return files;
}

monitor::ReportFiles MonitorService::write_report(int year, const std::filesystem::path& dir) {
    std::lock_guard lock(mutex_);
    check_year(year);
    auto& l = loaded();
    auto snapshot = db_->snapshot();  // the report's history tables; the same version unless a write just came
    return monitor::write_report(services::monitoring_input(snapshot.get(), l.context, l.plan_name, year, l.geo), dir);
}

}  // namespace minplan::server
