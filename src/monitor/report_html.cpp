// The HTML evaluation report (规划实施情况评估, chapter 7 section 4: evaluate and publish). Charts are inline
// SVG generated here; the page loads nothing from the network.
#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "monitor/report.hpp"

namespace minplan::monitor {

std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '&') o += "&amp;";
        else if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

namespace {

std::string esc(const std::string& s) { return html_escape(s); }
std::string n(double v) { return format_number(v, 1); }

const std::map<std::string, std::string> kStatusColour = {{"met", "#4caf50"}, {"on_track", "#8bc34a"}, {"at_risk", "#ffc107"},
                                                          {"breached", "#e53935"}, {"manual", "#ff9800"}, {"no_data", "#9e9e9e"}};

}  // namespace

std::string table_html(const TableView& t) {
    std::ostringstream o;
    o << "<h3>" << esc(t.title) << "</h3><table><thead><tr>";
    for (std::size_t c = 0; c < t.headers.size(); ++c)
        o << "<th>" << esc(t.headers[c]) << (c < t.units.size() && !t.units[c].empty() ? "（" + esc(t.units[c]) + "）" : "") << "</th>";
    o << "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
        o << "<tr>";
        for (const auto& c : row) {
            if (!c.style.empty()) o << "<td class=\"st " << c.style << "\">" << esc(c.text) << "</td>";
            else o << (c.number ? "<td class=\"num\">" : "<td>") << esc(c.text) << "</td>";
        }
        o << "</tr>";
    }
    o << "</tbody></table>";
    for (const auto& note : t.notes) o << "<p class=\"note\">" << esc(note) << "</p>";
    return o.str();
}

namespace {

// Small multiple: bars of yearly extraction (2020 base grey), dashed line of the yearly path, red line at the cap.
std::string extraction_chart(const ReportInput& in, const IndicatorDef& d) {
    const int w = 340, h = 200, left = 48, bottom = 28, top = 30;
    std::vector<std::pair<int, std::optional<double>>> vals = {{in.indicators->base_year(), d.base_2020}};
    for (int y = in.indicators->base_year() + 1; y <= in.indicators->target_year(); ++y)
        vals.emplace_back(y, y <= in.year ? extraction_total(d, *in.indicators, in.data, y) : std::nullopt);
    double vmax = d.target_2025;
    for (auto& [y, v] : vals) vmax = std::max(vmax, v.value_or(0));
    for (int y = in.indicators->base_year() + 1; y <= in.indicators->target_year(); ++y) vmax = std::max(vmax, in.indicators->path_value(d, y));
    vmax *= 1.15;
    const double plot_h = h - bottom - top, slot = (w - left - 10) / static_cast<double>(vals.size());
    auto Y = [&](double v) { return top + plot_h * (1 - v / vmax); };
    std::ostringstream s;
    s << "<svg class=\"chart\" viewBox=\"0 0 " << w << " " << h << "\" width=\"" << w << "\" height=\"" << h << "\" role=\"img\">"
      << "<text x=\"4\" y=\"16\" class=\"ct\">" << esc(d.name_zh) << "（" << esc(d.unit + d.basis) << "）</text>"
      << "<line x1=\"" << left << "\" y1=\"" << Y(0) << "\" x2=\"" << w - 8 << "\" y2=\"" << Y(0) << "\" stroke=\"#333\"/>"
      << "<text x=\"" << left - 4 << "\" y=\"" << Y(vmax / 1.15) + 4 << "\" class=\"ax\" text-anchor=\"end\">" << n(vmax / 1.15) << "</text>";
    std::string path;
    for (std::size_t i = 0; i < vals.size(); ++i) {
        const auto& [y, v] = vals[i];
        double x = left + slot * static_cast<double>(i) + slot * 0.2;
        if (v) {
            bool over = i > 0 && *v > in.indicators->path_value(d, y);
            s << "<rect x=\"" << x << "\" y=\"" << Y(*v) << "\" width=\"" << slot * 0.6 << "\" height=\"" << Y(0) - Y(*v)
              << "\" fill=\"" << (i == 0 ? "#9e9e9e" : over ? "#e53935" : "#1e88e5") << "\"><title>" << y << "：" << n(*v) << "</title></rect>";
        }
        s << "<text x=\"" << x + slot * 0.3 << "\" y=\"" << h - 10 << "\" class=\"ax\" text-anchor=\"middle\">" << y << "</text>";
        if (i > 0) path += (path.empty() ? "M" : "L") + n(x + slot * 0.3) + "," + n(Y(in.indicators->path_value(d, y))) + " ";
    }
    s << "<path d=\"" << path << "\" fill=\"none\" stroke=\"#6a1b9a\" stroke-dasharray=\"4 3\"/>"
      << "<line x1=\"" << left << "\" y1=\"" << Y(d.target_2025) << "\" x2=\"" << w - 8 << "\" y2=\"" << Y(d.target_2025)
      << "\" stroke=\"#e53935\"/><text x=\"" << w - 10 << "\" y=\"" << Y(d.target_2025) - 4 << "\" class=\"ax\" text-anchor=\"end\">上限 "
      << n(d.target_2025) << "</text></svg>";
    return s.str();
}

// 三率 result per mineral as stacked horizontal bars (达标 / 未达标 / 需人工核查).
std::string sanlv_chart(const YearEvaluation& ev) {
    std::map<std::string, std::array<int, 3>> by;
    for (const auto& m : ev.sanlv) by[m.mineral][static_cast<std::size_t>(m.check.result)]++;
    const int row_h = 26, left = 110, w = 700;
    int maxn = 1;
    for (auto& [k, c] : by) maxn = std::max(maxn, c[0] + c[1] + c[2]);
    std::ostringstream s;
    const int h = 40 + row_h * static_cast<int>(by.size()) + 20;
    s << "<svg class=\"chart\" viewBox=\"0 0 " << w << " " << h << "\" width=\"" << w << "\" height=\"" << h << "\">"
      << "<text x=\"4\" y=\"16\" class=\"ct\">各矿种矿山“三率”达标情况（座）</text>";
    const char* colours[] = {"#4caf50", "#e53935", "#ff9800"};
    const char* labels[] = {"达标", "未达标", "需人工核查"};
    for (int k = 0; k < 3; ++k)
        s << "<rect x=\"" << 300 + k * 120 << "\" y=\"6\" width=\"12\" height=\"12\" fill=\"" << colours[k] << "\"/><text x=\"" << 316 + k * 120
          << "\" y=\"16\" class=\"ax\">" << labels[k] << "</text>";
    int row = 0;
    for (auto& [mineral, c] : by) {
        double x = left;
        const int y = 34 + row_h * row++;
        s << "<text x=\"" << left - 6 << "\" y=\"" << y + 15 << "\" class=\"ax\" text-anchor=\"end\">" << esc(mineral) << "</text>";
        for (int k = 0; k < 3; ++k) {
            double bw = (w - left - 20) * c[static_cast<std::size_t>(k)] / static_cast<double>(maxn);
            if (c[static_cast<std::size_t>(k)] == 0) continue;
            s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << bw << "\" height=\"" << row_h - 6 << "\" fill=\"" << colours[k]
              << "\"/><text x=\"" << x + bw / 2 << "\" y=\"" << y + 15 << "\" class=\"ax w\" text-anchor=\"middle\">" << c[static_cast<std::size_t>(k)] << "</text>";
            x += bw;
        }
    }
    s << "</svg>";
    return s.str();
}

// Cumulative restoration and reclamation against the even path to 50 and 45 km².
std::string restoration_chart(const ReportInput& in, const TableView& t) {
    const int w = 700, h = 240, left = 50, bottom = 30, top = 30;
    const double vmax = 55;
    const int y0 = in.indicators->base_year(), y1 = in.indicators->target_year();
    auto X = [&](int y) { return left + (w - left - 20) * (y - y0) / static_cast<double>(y1 - y0); };
    auto Y = [&](double v) { return top + (h - top - bottom) * (1 - v / vmax); };
    std::ostringstream s;
    s << "<svg class=\"chart\" viewBox=\"0 0 " << w << " " << h << "\" width=\"" << w << "\" height=\"" << h << "\">"
      << "<text x=\"4\" y=\"16\" class=\"ct\">治理恢复与土地复垦累计面积（平方公里）</text>";
    for (double v : {0.0, 25.0, 45.0, 50.0})
        s << "<line x1=\"" << left << "\" x2=\"" << w - 20 << "\" y1=\"" << Y(v) << "\" y2=\"" << Y(v) << "\" stroke=\"#ddd\"/><text x=\""
          << left - 4 << "\" y=\"" << Y(v) + 4 << "\" class=\"ax\" text-anchor=\"end\">" << n(v) << "</text>";
    for (int y = y0; y <= y1; ++y)
        s << "<text x=\"" << X(y) << "\" y=\"" << h - 10 << "\" class=\"ax\" text-anchor=\"middle\">" << y << "</text>";
    const struct { double target; int col; const char* colour; const char* label; } series[] = {
        {50, 1, "#2e7d32", "治理恢复（目标50）"}, {45, 3, "#1565c0", "土地复垦（目标45）"}};
    int k = 0;
    for (const auto& se : series) {
        s << "<path d=\"M" << X(y0) << "," << Y(0) << " L" << X(y1) << "," << Y(se.target) << "\" stroke=\"" << se.colour
          << "\" stroke-dasharray=\"5 4\" fill=\"none\"/>";
        std::string path = "M" + n(X(y0)) + "," + n(Y(0));
        for (const auto& row : t.rows)
            if (row[static_cast<std::size_t>(se.col)].number)
                path += " L" + n(X(static_cast<int>(*row[0].number))) + "," + n(Y(*row[static_cast<std::size_t>(se.col)].number));
        s << "<path d=\"" << path << "\" stroke=\"" << se.colour << "\" stroke-width=\"2.5\" fill=\"none\"/>"
          << "<text x=\"" << 260 + 200 * k++ << "\" y=\"16\" class=\"ax\" fill=\"" << se.colour << "\">— " << se.label << "（虚线为路径）</text>";
    }
    s << "</svg>";
    return s.str();
}

}  // namespace

std::string render_html(const ReportInput& in, const YearEvaluation& ev) {
    const bool sample = is_sample(in.data);
    auto tables = report_tables(in, ev);
    std::map<Status, int> counts;
    for (const auto& r : ev.results) counts[r.status]++;
    std::ostringstream o;
    o << "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" << esc(in.plan_name) << " 实施情况评估 " << in.year
      << "</title><style>body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:24px;color:#222;max-width:1150px}"
         "h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #1e88e5;padding-bottom:4px;margin-top:28px}h3{font-size:15px}"
         "table{border-collapse:collapse;font-size:12px;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}"
         "th{background:#d9e1f2}td.num{text-align:right}td.st{text-align:center;white-space:nowrap}"
         ".met{background:#c6efce}.on_track{background:#e2f0d9}.at_risk{background:#ffeb9c}.breached{background:#ffc7ce}"
         ".manual{background:#fce4d6}.no_data{background:#ededed}.note{font-size:11px;color:#555;margin:2px 0}"
         ".sample{background:#fff3cd;border:2px solid #e0a800;padding:8px 12px;font-weight:bold}"
         ".charts{display:flex;flex-wrap:wrap;gap:8px}.chart{border:1px solid #eee}.ct{font-size:13px;font-weight:bold}"
         ".ax{font-size:10px}.w{fill:#fff}.badge{display:inline-block;padding:4px 10px;margin:2px;border-radius:4px}</style></head><body>";
    o << "<h1>" << esc(in.plan_name) << "<br>规划实施情况评估（" << in.year << " 年度）</h1>";
    if (sample)
        o << "<p class=\"sample\">示例数据（SAMPLE）：本报告由 data/samples/ 中虚构的 2021–2023 年示例数据生成，仅用于演示与测试，不代表真实情况。</p>";
    o << "<h2>一、总体情况</h2><p>";
    for (Status s : {Status::Met, Status::OnTrack, Status::AtRisk, Status::Breached, Status::Manual, Status::NoData})
        o << "<span class=\"badge " << to_key(s) << "\">" << to_zh(s) << " " << counts[s] << " 项</span>";
    o << "</p><p class=\"note\">共 " << ev.results.size() << " 项指标（专栏8 及第四章第二、三节），全部由年度数据计算。年度路径为 minplan "
         "对2025年目标的推导分解（见表注），非规划原文。</p>";
    o << "<h2>二、开采总量与上限（逐年）</h2><div class=\"charts\">";
    for (const auto& d : in.indicators->indicators())
        if (d.measure == "extraction") o << extraction_chart(in, d);
    o << "</div><p class=\"note\">灰色为2020年基期，蓝色为实际（红色表示高于当年路径值），紫色虚线为年度路径，红线为2025年上限。</p>";
    o << "<h2>三、矿山“三率”</h2>" << sanlv_chart(ev);
    o << "<h2>四、矿山地质环境治理恢复与土地复垦</h2>" << restoration_chart(in, tables[3]);
    o << "<h2>五、指标明细</h2>";
    for (const auto& t : tables) o << table_html(t);
    o << "<p class=\"note\">由 minplan 生成。数据：规划数据库 " << esc(in.store->location()) << "。</p></body></html>\n";
    return o.str();
}

}  // namespace minplan::monitor
