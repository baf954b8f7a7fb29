#include "monitor/sanlv_list.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"

#include <fstream>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <map>
#include <sstream>

#include "monitor/report.hpp"

namespace minplan::monitor {
namespace {

constexpr const char* kMinimum = "最低";
constexpr const char* kLeading = "领跑者";

std::string joined(const std::vector<std::string>& parts) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : "；") + p;
    return s;
}

std::string pct(double v) { return format_number(v, 2) + "%"; }

Cell verdict_cell(SanlvResult r, const char* pass_text) {
    Cell c = Cell::of(r == SanlvResult::Pass ? pass_text : to_zh(r));
    c.style = r == SanlvResult::Pass ? "met" : r == SanlvResult::Fail ? "breached" : "manual";
    return c;
}

std::vector<Cell> mine_cells(const SanlvListedMine& m) {
    return {Cell::of(m.mineral),
            Cell::of(m.mine_id),
            Cell::of(m.name),
            Cell::of(m.county),
            Cell::of(m.size_class.empty() ? "未定" : m.size_class),
            Cell::of(m.method),
            Cell::opt(m.mining_recovery, 2, "—"),
            Cell::opt(m.processing_recovery, 2, "—"),
            Cell::opt(m.utilisation, 2, "—")};
}

const std::vector<std::string> kMineHeaders = {"矿种", "矿山编号", "矿山名称", "县（区）", "规模", "开采方式", "开采回采率", "选矿回收率", "综合利用率"};

}  // namespace

SanlvPublication sanlv_publication(const IndicatorSet& set, const Standards& st, const AnnualData& data, int year) {
    SanlvPublication p;
    p.year = year;
    for (const auto& d : set.indicators())
        if (d.measure == "sanlv_rate") {
            p.target_pct = d.target_2025;
            p.target_source = d.source;
        }
    for (const auto& y : data.years) {
        if (y.year != year) continue;
        const MineInfo* info = data.mine(y.mine_id);
        const SanlvMine m = sanlv_mine(y, info, st);
        SanlvListedMine l{y.mine_id, info ? info->name : "", info ? info->county : "", y.mineral, m.method, mine_size_class(y, info, st),
                          y.mining_recovery, y.processing_recovery, y.utilisation, st.sanlv.check(m, year, kMinimum), st.sanlv.check(m, year, kLeading)};
        p.mines.push_back(std::move(l));
    }
    std::sort(p.mines.begin(), p.mines.end(),
              [](const SanlvListedMine& a, const SanlvListedMine& b) { return std::tie(a.mineral, a.mine_id) < std::tie(b.mineral, b.mine_id); });
    for (const auto& m : p.mines) {
        if (m.size_class.empty()) ++p.unknown_size;
        if (!m.large_or_medium()) continue;
        p.pass += m.minimum.result == SanlvResult::Pass;
        p.fail += m.minimum.result == SanlvResult::Fail;
        p.manual += m.minimum.result == SanlvResult::Manual;
    }
    const int n = p.pass + p.fail + p.manual;
    if (n == 0) {
        p.status_rule = fmt::format("{}年没有报送规模可定为大中型的矿山", year);
        return p;
    }
    p.share_low = 100.0 * p.pass / n;
    p.share_high = 100.0 * (p.pass + p.manual) / n;
    if (!p.target_pct) {
        p.status = Status::Manual;
        p.status_rule = "规划指标中没有“三率”达标率目标（measure sanlv_rate），需人工判断";
    } else if (*p.share_low + 1e-9 >= *p.target_pct) {
        p.status = Status::Met;
        p.status_rule = fmt::format("达标率 {} ≥ 目标 {}", pct(*p.share_low), pct(*p.target_pct));
    } else if (*p.share_high + 1e-9 < *p.target_pct) {
        p.status = Status::Breached;
        p.status_rule = fmt::format("达标率 {} < 目标 {}{}", pct(*p.share_low), pct(*p.target_pct),
                                    p.manual ? fmt::format("（{}座需人工核查的矿山全部达标也只有 {}）", p.manual, pct(*p.share_high)) : "");
    } else {
        p.status = Status::Manual;
        p.status_rule = fmt::format("达标率 {} < 目标 {}，但{}座矿山需人工核查，全部达标可达 {}：核查结果决定结论", pct(*p.share_low), pct(*p.target_pct),
                                    p.manual, pct(*p.share_high));
    }
    return p;
}

std::vector<TableView> sanlv_publication_tables(const SanlvPublication& p) {
    std::vector<TableView> out;
    {
        TableView t;
        t.sheet_name = "三率公布汇总";
        t.title = fmt::format("{}年度大中型矿山“三率”达标情况（按矿种）", p.year);
        t.headers = {"矿种", "大中型矿山", "达到最低指标", "低于最低指标", "最低需人工核查", "达到领跑者", "领跑者需人工核查"};
        std::map<std::string, std::array<int, 6>> by;
        for (const auto& m : p.mines) {
            if (!m.large_or_medium()) continue;
            auto& c = by[m.mineral];
            ++c[0];
            c[1] += m.minimum.result == SanlvResult::Pass;
            c[2] += m.minimum.result == SanlvResult::Fail;
            c[3] += m.minimum.result == SanlvResult::Manual;
            c[4] += m.leading.result == SanlvResult::Pass;
            c[5] += m.leading.result == SanlvResult::Manual;
        }
        for (const auto& [mineral, c] : by) {
            std::vector<Cell> row = {Cell::of(mineral)};
            for (int v : c) row.push_back(Cell::num(v, 0));
            t.rows.push_back(std::move(row));
        }
        Cell status = Cell::of(to_zh(p.status));
        status.style = to_key(p.status);
        t.rows.push_back({Cell::of("合计"), Cell::num(p.pass + p.fail + p.manual, 0), Cell::num(p.pass, 0), Cell::num(p.fail, 0), Cell::num(p.manual, 0),
                          Cell::of(""), status});
        t.notes.push_back(fmt::format("大中型矿山“三率”达标率：{}（目标 {}，{}）。{}", p.share_low ? pct(*p.share_low) : "—",
                                      p.target_pct ? "≥ " + pct(*p.target_pct) : "规划未给出", p.target_source, p.status_rule));
        t.notes.push_back("需人工核查的矿山不计为达标；阈值见 sanlv_thresholds.csv，各值注明出处，未取得的阈值（银、石墨、石灰岩、领跑者档）记为需人工核查。");
        if (p.unknown_size)
            t.notes.push_back(fmt::format("另有 {} 座矿山未报送生产规模或规模无法分类，未计入大中型矿山统计。", p.unknown_size));
        out.push_back(std::move(t));
    }
    auto listing = [&](const char* sheet, const std::string& title, auto keep, const SanlvCheck SanlvListedMine::*check) {
        TableView t;
        t.sheet_name = sheet;
        t.title = title;
        t.headers = kMineHeaders;
        t.headers.push_back("依据");
        for (const auto& m : p.mines)
            if (m.large_or_medium() && keep(m)) {
                auto row = mine_cells(m);
                row.push_back(Cell::of(joined((m.*check).details)));
                t.rows.push_back(std::move(row));
            }
        if (t.rows.empty()) t.notes.push_back("无。");
        out.push_back(std::move(t));
    };
    listing("低于最低指标", fmt::format("{}年度“三率”低于最低指标（底线）的大中型矿山", p.year),
            [](const SanlvListedMine& m) { return m.minimum.result == SanlvResult::Fail; }, &SanlvListedMine::minimum);
    listing("达到领跑者", fmt::format("{}年度“三率”达到领跑者水平的大中型矿山", p.year),
            [](const SanlvListedMine& m) { return m.leading.result == SanlvResult::Pass; }, &SanlvListedMine::leading);
    {
        TableView t;
        t.sheet_name = "全部矿山三率";
        t.title = fmt::format("{}年度报送矿山“三率”明细", p.year);
        t.headers = kMineHeaders;
        for (const char* h : {"最低指标", "最低指标依据", "领跑者", "领跑者依据"}) t.headers.push_back(h);
        for (const auto& m : p.mines) {
            auto row = mine_cells(m);
            row.push_back(verdict_cell(m.minimum.result, "达标"));
            row.push_back(Cell::of(joined(m.minimum.details)));
            row.push_back(verdict_cell(m.leading.result, "领跑者"));
            row.push_back(Cell::of(joined(m.leading.details)));
            t.rows.push_back(std::move(row));
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::string sanlv_publication_html(const SanlvPublication& p, const std::string& plan_name) {
    std::ostringstream o;
    o << "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" << html_escape(plan_name) << " " << p.year
      << "年度矿山“三率”公布</title><style>body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:24px;color:#222;max-width:1150px}"
         "table{border-collapse:collapse;font-size:12px;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}"
         "th{background:#d9e1f2}td.num{text-align:right}td.st{text-align:center;white-space:nowrap}.met{background:#c6efce}"
         ".breached{background:#ffc7ce}.manual{background:#fce4d6}.no_data{background:#ededed}.note{font-size:11px;color:#555;margin:2px 0}"
         "</style></head><body>";
    o << "<h1>" << html_escape(plan_name) << "<br>" << p.year << "年度矿山“三率”指标公布</h1>";
    for (const auto& t : sanlv_publication_tables(p)) o << table_html(t);
    o << "<p class=\"note\">由 minplan 根据年度报送数据生成。</p></body></html>\n";
    return o.str();
}

nlohmann::json sanlv_publication_json(const SanlvPublication& p) {
    auto check = [](const SanlvCheck& c) {
        return nlohmann::json{{"result", c.result == SanlvResult::Pass ? "pass" : c.result == SanlvResult::Fail ? "fail" : "manual"},
                              {"result_zh", to_zh(c.result)}, {"details", c.details}};
    };
    auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json mines = nlohmann::json::array();
    for (const auto& m : p.mines)
        mines.push_back({{"mine_id", m.mine_id}, {"name", m.name}, {"county", m.county}, {"mineral", m.mineral}, {"method", m.method},
                         {"size_class", m.size_class}, {"large_or_medium", m.large_or_medium()}, {"mining_recovery", opt(m.mining_recovery)},
                         {"processing_recovery", opt(m.processing_recovery)}, {"utilisation", opt(m.utilisation)},
                         {"minimum", check(m.minimum)}, {"leading", check(m.leading)}});
    return {{"year", p.year}, {"pass", p.pass}, {"fail", p.fail}, {"manual", p.manual}, {"unknown_size", p.unknown_size},
            {"share_pct", opt(p.share_low)}, {"share_if_all_manual_pass_pct", opt(p.share_high)}, {"target_pct", opt(p.target_pct)},
            {"target_source", p.target_source}, {"status", to_key(p.status)}, {"status_zh", to_zh(p.status)}, {"status_rule", p.status_rule},
            {"mines", mines}};
}

void write_sanlv_publication(const SanlvPublication& p, const std::string& plan_name, const std::filesystem::path& xlsx,
                             const std::filesystem::path& html) {
    if (!xlsx.empty()) formats::write_xlsx(xlsx, sanlv_publication_tables(p));
    if (!html.empty()) {
        std::ofstream f(html, std::ios::binary | std::ios::trunc);
        f << sanlv_publication_html(p, plan_name);
        if (!f) throw IoError(html.string() + "：无法写入 / cannot write");
    }
}

}  // namespace minplan::monitor
