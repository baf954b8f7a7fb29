// The year's monitoring tables and the evaluation report (规划实施情况评估): an XLSX workbook with one sheet
// per table (laid out like 专栏4 and 专栏8: target, actual, attribute, status) and an HTML page with inline
// SVG charts (extraction against cap by year, 三率 per mineral, restoration progress).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "monitor/annual.hpp"
#include "monitor/county_split.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/table_view.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

struct ReportInput {
    const store::PlanStore* store = nullptr;
    std::shared_ptr<const IndicatorSet> indicators;  // the plan's, from its database
    std::shared_ptr<const Standards> standards;
    AnnualData data;
    int year = 0;
    std::string plan_name;  // plan.json name_zh
    int first_year = 0, last_year = 0;  // the plan period
    // Indicators computed from the plan database's geo-environment layers and green-mine register
    // (services::geoenv::external_measures); empty: from the annual data alone.
    ExternalMeasure external;
    // Extra tables of the workbook and the HTML report (e.g. restoration per 专栏15 zone), after the others.
    std::vector<TableView> extra_tables;
    // The county split (指标分解) and the plan's counties: the report's 分县监测 sheet (services::county_evaluation).
    CountySplit county_split;
    std::vector<std::string> plan_counties;
    // The external measures restricted to one county (its geo-environment sites and projects); empty: none.
    std::function<ExternalMeasure(const std::string& county)> county_external;
};

// 专栏8-style indicator table for one year.
TableView indicator_table(const YearEvaluation& ev, const IndicatorSet& set);
// Extraction per mineral: 2020 base and every year up to `year`, against the cap and yearly path.
TableView extraction_table(const ReportInput& in);
// 三率 of each mine reporting in the year.
TableView sanlv_table(const YearEvaluation& ev);
// Cumulative restoration and reclamation against 50 / 45 km².
TableView restoration_table(const ReportInput& in);

// Every table of the report, in workbook order.
std::vector<TableView> report_tables(const ReportInput& in, const YearEvaluation& ev);

std::string render_html(const ReportInput& in, const YearEvaluation& ev);
// One table as the report prints it (title, header, rows with status classes, notes); text escaped.
std::string table_html(const TableView& t);
std::string html_escape(const std::string& s);

struct ReportFiles {
    std::filesystem::path xlsx, html;
};
ReportFiles write_report(const ReportInput& in, const std::filesystem::path& out_dir);

// True if the data carry the sample marker (示例) in a source cell: reports then say so in their title.
bool is_sample(const AnnualData& data);

}  // namespace minplan::monitor
