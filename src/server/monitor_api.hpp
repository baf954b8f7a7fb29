// GET /api/monitor: the plan-implementation indicators of one year (src/monitor) as JSON for the
// dashboard — every indicator with its status and the rule that decided it, the yearly extraction
// against each cap and the 三率 results — and the year's evaluation report (XLSX + HTML) for the
// downloads. Works on any plan database: one without annual data answers 无数据 for every indicator.
// The service opens its own store from the database location (the store is not thread-safe) and
// serialises its work with a mutex.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "monitor/report.hpp"
#include "server/api.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::server {

class MonitorService {
public:
    explicit MonitorService(std::shared_ptr<store::PlanDatabase> db);
    ~MonitorService();

    // Without `year`: the plan period and the years holding data. With `year`: that year's evaluation.
    // A year that is not an integer inside the plan period is HttpError 400.
    nlohmann::json answer(const Params& params);
    // With `county`: the evaluation of that county's mines only (county view of the dashboard); HttpError 400
    // when no reporting mine lies in it.
    nlohmann::json year(int year, const std::string& county = {});
    // The year's 三率 publication (`minplan sanlv YEAR --json`, monitor/sanlv_list.hpp).
    nlohmann::json sanlv(int year);
    // Writes the year's 三率 publication (XLSX, HTML) into `dir`: the files `minplan sanlv YEAR --xlsx/--html` writes.
    std::pair<std::filesystem::path, std::filesystem::path> write_sanlv(int year, const std::filesystem::path& dir);
    // Writes the XLSX workbook and the HTML report of `year` into `dir` (monitor::write_report).
    monitor::ReportFiles write_report(int year, const std::filesystem::path& dir);
    // The `year` parameter, checked against the plan period; HttpError 400 if missing or outside.
    int year_param(const Params& params);

private:
    struct Loaded;
    Loaded& loaded();  // the store and the annual data, (re)read when the plan version moved
    void check_year(int year);

    std::mutex mutex_;
    std::shared_ptr<store::PlanDatabase> db_;
    std::unique_ptr<Loaded> loaded_;
};

}  // namespace minplan::server
