// The yearly monitoring answer for both front ends: `minplan monitor --year Y --json` prints it and
// /api/monitor?year=Y serves it (plus the download links), so that the two never disagree.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <vector>

#include "monitor/intake.hpp"
#include "monitor/report.hpp"
#include "store/plan_store.hpp"

namespace minplan::services {

namespace geoenv {
struct Data;
}

// The stored annual data of `store` plus `extra_files` (validated, not stored), with the plan's indicators
// and standards, for `year`; InputError when the year lies outside the plan period.
monitor::ReportInput monitoring_input(const store::PlanStore& store, int year,
                                      const std::vector<std::filesystem::path>& extra_files = {});
// The same from an already loaded intake context (the server keeps one per plan version). The geo-environment
// data and the green-mine register decide their indicators (services/geoenv): `geo` when given (the server
// keeps them per version too), else read from `store`; with neither, the annual data alone.
monitor::ReportInput monitoring_input(const store::PlanStore* store, const monitor::IntakeContext& context,
                                      const std::string& plan_name, int year,
                                      std::shared_ptr<const geoenv::Data> geo = nullptr);

// The annual data of one county's mines (the mines whose county it is, and their yearly rows), for the
// dashboard's county view. Exploration projects carry no county and are left out.
monitor::AnnualData county_data(const monitor::AnnualData& all, const std::string& county);
// The counties of the reporting mines, sorted.
std::vector<std::string> counties_with_mines(const monitor::AnnualData& all);

// {year, plan_name, period, sample, has_data, status_counts, indicators, extraction, sanlv}.
nlohmann::json year_evaluation(const monitor::ReportInput& in);

// One county's year (指标分解, monitor/county_split): the county's mines and geo-environment sites and projects
// against the county's targets. InputError naming the known counties when `county` is none of them.
monitor::CountyEvaluation county_evaluation(const monitor::ReportInput& in, const std::string& county);
// The same shape as year_evaluation, plus county, and per indicator `allocated` (false: no county target,
// target_2025 and path_value null). `minplan monitor --county X --json` = /api/monitor?year=Y&county=X.
nlohmann::json county_year_evaluation(const monitor::ReportInput& in, const std::string& county);
// The counties of in's county views (monitor::monitored_counties).
std::vector<std::string> monitored_counties(const monitor::ReportInput& in);

}  // namespace minplan::services
