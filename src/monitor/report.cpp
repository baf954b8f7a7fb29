#include "monitor/report.hpp"

#include <fstream>

#include "core/error.hpp"
#include "monitor/history.hpp"
#include "monitor/reserves.hpp"
#include "formats/xlsx_writer.hpp"

namespace minplan::monitor {

namespace {

std::string direction_text(const IndicatorDef& d) { return (d.direction == Direction::Cap ? "≤" : "≥") + format_number(d.target_2025, 4); }

Cell status_cell(Status s) {
    Cell c = Cell::of(to_zh(s));
    c.style = to_key(s);
    return c;
}

int decimals_for(const std::string& unit) { return unit == "座" || unit == "个" ? 0 : 2; }

}  // namespace

bool is_sample(const AnnualData& data) {
    for (const auto& m : data.mines)
        if (m.source.find("示例") != std::string::npos) return true;
    for (const auto& y : data.years)
        if (y.source.find("示例") != std::string::npos) return true;
    return false;
}

TableView indicator_table(const YearEvaluation& ev, const IndicatorSet& set) {
    TableView t;
    t.sheet_name = "规划指标监测";
    const std::string target = std::to_string(set.target_year());
    t.title = "规划主要指标 " + std::to_string(ev.year) + " 年度监测表";
    t.headers = {"编号", "指标类别", "指标", "单位", target + "年规划目标", std::to_string(ev.year) + "年路径值",
                 std::to_string(ev.year) + "年实际", "属性", "状态", "判定依据", "指标来源"};
    t.units = std::vector<std::string>(t.headers.size());
    for (const auto& r : ev.results) {
        const IndicatorDef& d = *r.def;
        int dec = decimals_for(d.unit);
        std::string unit = d.unit + (d.basis.empty() ? "" : "（" + d.basis + "）");
        std::string rule = r.rule;
        for (const auto& n : r.notes) rule += "；" + n;
        t.rows.push_back({Cell::of(d.id), Cell::of(d.group), Cell::of(d.name_zh), Cell::of(unit), Cell::of(direction_text(d)),
                          Cell::num(r.path_value, dec), Cell::opt(r.actual, dec, "—"), Cell::of(d.kind), status_cell(r.status),
                          Cell::of(rule), Cell::of(d.source)});
    }
    t.notes.push_back("状态：已达成 = 已满足" + target + "年目标；按进度 = 满足年度路径值；有风险 = 偏离路径但在容差内；未达标 = 超出容差或目标年未达到；"
                      "需人工核查 = 无法换算或标准未配置，不判为达标。");
    for (PathMethod m : {PathMethod::LinearFromBase, PathMethod::EvenCumulative, PathMethod::Flat})
        t.notes.push_back("年度路径（minplan 推导，非规划原文）：" + set.path_description(m));
    return t;
}

TableView extraction_table(const ReportInput& in) {
    TableView t;
    t.sheet_name = "开采总量逐年";
    const std::string base = std::to_string(in.indicators->base_year());
    t.title = "重要矿种年开采总量逐年情况（" + base + "年为基期）";
    t.headers = {"指标", "单位", std::to_string(in.indicators->target_year()) + "年上限", base + "年基期"};
    for (int y = in.indicators->base_year() + 1; y <= in.year; ++y) {
        t.headers.push_back(std::to_string(y) + "年实际");
        t.headers.push_back(std::to_string(y) + "年路径值");
    }
    t.units = std::vector<std::string>(t.headers.size());
    for (const auto& d : in.indicators->indicators()) {
        if (d.measure != "extraction") continue;
        std::vector<Cell> row = {Cell::of(d.name_zh), Cell::of(d.unit + (d.basis.empty() ? "" : "（" + d.basis + "）")),
                                 Cell::num(d.target_2025, 2), Cell::opt(d.base_2020, 2)};
        for (int y = in.indicators->base_year() + 1; y <= in.year; ++y) {
            row.push_back(Cell::opt(extraction_total(d, *in.indicators, in.data, y), 2, "—"));
            row.push_back(Cell::num(in.indicators->path_value(d, y), 2));
        }
        t.rows.push_back(std::move(row));
    }
    t.notes.push_back("2020年基期取自专栏4（建筑石料用灰岩取专栏3，单位万立方米）；各年实际为报送矿山产量之和，按指标口径换算。");
    return t;
}

TableView sanlv_table(const YearEvaluation& ev) {
    TableView t;
    t.sheet_name = "三率达标";
    t.title = std::to_string(ev.year) + " 年度矿山“三率”达标情况（最低指标）";
    t.headers = {"矿山编号", "矿山名称", "矿种", "开采回采率", "选矿回收率", "综合利用率", "结果", "依据"};
    t.units = {"", "", "", "%", "%", "%", "", ""};
    for (const auto& m : ev.sanlv) {
        std::string why;
        for (const auto& d : m.check.details) why += (why.empty() ? "" : "；") + d;
        Cell result = Cell::of(to_zh(m.check.result));
        result.style = m.check.result == SanlvResult::Pass ? "met" : m.check.result == SanlvResult::Fail ? "breached" : "manual";
        t.rows.push_back({Cell::of(m.mine_id), Cell::of(m.name), Cell::of(m.mineral), Cell::opt(m.mining_recovery, 2),
                          Cell::opt(m.processing_recovery, 2), Cell::opt(m.utilisation, 2), result, Cell::of(why)});
    }
    t.notes.push_back("阈值见 data/standards/sanlv_thresholds.csv（各值注明出处）；未配置的矿种记为“需人工核查”，不计为达标。");
    if (!ev.leader_tier_configured) t.notes.push_back("领跑者档：DZ/T 0462.x-2023 数值未取得，未配置。");
    return t;
}

TableView restoration_table(const ReportInput& in) {
    TableView t;
    t.sheet_name = "治理与复垦进度";
    t.title = "历史遗留矿山地质环境治理恢复与矿区土地复垦累计进度";
    t.headers = {"年度", "治理恢复面积累计", "治理恢复路径值", "土地复垦面积累计", "土地复垦路径值"};
    t.units = {"", "平方公里", "平方公里", "平方公里", "平方公里"};
    const IndicatorDef *g1 = nullptr, *g2 = nullptr;
    for (const auto& d : in.indicators->indicators()) {
        if (d.measure == "restoration_area") g1 = &d;
        if (d.measure == "reclamation_area") g2 = &d;
    }
    for (int y = in.indicators->base_year() + 1; y <= in.year; ++y) {
        YearEvaluation ev = evaluate_year(*in.indicators, *in.standards, in.data, y, in.external);
        std::optional<double> a1, a2;
        for (const auto& r : ev.results) {
            if (r.def == g1) a1 = r.actual;
            if (r.def == g2) a2 = r.actual;
        }
        t.rows.push_back({Cell::num(y, 0), Cell::opt(a1, 2, "—"), Cell::num(g1 ? in.indicators->path_value(*g1, y) : 0, 2),
                          Cell::opt(a2, 2, "—"), Cell::num(g2 ? in.indicators->path_value(*g2, y) : 0, 2)});
    }
    const std::string period = std::to_string(in.indicators->base_year() + 1) + "–" + std::to_string(in.indicators->target_year());
    for (const IndicatorDef* g : {g1, g2})
        if (g) t.notes.push_back("目标：" + g->name_zh + " " + format_number(g->target_2025, 4) + " " + g->unit + "（" + period +
                                 "年累计，" + g->source + "）；路径值为平均分解。");
    return t;
}

std::vector<TableView> report_tables(const ReportInput& in, const YearEvaluation& ev) {
    std::vector<TableView> out = {indicator_table(ev, *in.indicators), extraction_table(in), sanlv_table(ev), restoration_table(in)};
    out.insert(out.end(), in.extra_tables.begin(), in.extra_tables.end());
    // 指标分解 (chapter 7 一) and every indicator per county.
    out.push_back(split_table(in.county_split, *in.indicators));
    std::vector<CountyEvaluation> counties;
    for (const auto& c : monitored_counties(in.data, in.county_split, in.plan_counties))
        counties.push_back(evaluate_county(*in.indicators, *in.standards, in.data, in.year, c, in.county_split,
                                           in.county_external ? in.county_external(c) : ExternalMeasure{}));
    if (!counties.empty()) out.push_back(county_table(counties));
    out.push_back(regenerate_zl04(*in.store));
    out.push_back(regenerate_zl03(*in.store));
    out.push_back(regenerate_zl05_exploration(*in.store));
    // 专栏1 rolled forward to the year (保有资源储量台账), and what did not fit into it.
    if (in.year > std::stoi(in.store->metadata("base_year").value_or("0"))) {
        const auto ledger = reserves_ledger(*in.store, in.year);
        out.push_back(reserves_table(ledger, in.year));
        if (!ledger.discrepancies.empty()) out.push_back(reserves_discrepancies_table(ledger));
    }
    if (is_sample(in.data))
        for (auto& t : out) t.title = "【示例数据 SAMPLE】" + t.title;
    return out;
}

ReportFiles write_report(const ReportInput& in, const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError("无法创建输出目录 " + dir.string() + ": " + ec.message());
    YearEvaluation ev = evaluate_year(*in.indicators, *in.standards, in.data, in.year, in.external);
    std::string stem = "规划实施监测_" + std::to_string(in.year) + (is_sample(in.data) ? "_示例" : "");
    ReportFiles files{dir / (stem + ".xlsx"), dir / (stem + "_评估报告.html")};
    formats::write_xlsx(files.xlsx, report_tables(in, ev));
    std::ofstream html(files.html, std::ios::binary | std::ios::trunc);
    if (!html) throw IoError("无法写入 " + files.html.string());
    html << render_html(in, ev);
    return files;
}

}  // namespace minplan::monitor
