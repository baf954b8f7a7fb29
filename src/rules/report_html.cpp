// The review opinion (审查意见) as one self-contained HTML page: no scripts, no external files, fonts from
// the system (Noto CJK), an inline SVG map. Printed to PDF by headless Chromium.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "geo/crs.hpp"
#include "rules/report.hpp"

namespace minplan::rules {

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

struct Style {
    const char* fill;
    const char* stroke;
};

Style style_for(const std::string& layer) {
    static const std::map<std::string, Style> styles = {
        {"exploration_blocks", {"#cfe3ff", "#2a6fdb"}},   {"mining_blocks", {"#d6f5d6", "#2e8b57"}},
        {"key_mining_zones", {"#fff1c9", "#c99a06"}},     {"key_exploration_zones", {"#e8e0ff", "#6a4fc7"}},
        {"strategic_reserve_zones", {"#f3d9ff", "#9b30d0"}}, {"control_areas", {"#ffe0e0", "#d03030"}},
        {"control_lines", {"#ffd6d6", "#b00020"}},        {"mineral_rights", {"#eeeeee", "#555555"}},
    };
    auto it = styles.find(layer);
    return it == styles.end() ? Style{"#f0f0f0", "#888888"} : it->second;
}

struct View {
    geo::Envelope e;
    double sx = 1, sy = 1, ox = 0, oy = 0;
    double x(double lon) const { return ox + (lon - e.min_x) * sx; }
    double y(double lat) const { return oy + (e.max_y - lat) * sy; }
};

std::string path_of(const geo::Geometry& g, const View& v) {
    std::string d;
    for (const auto& poly : g.polygons())
        for (const auto& ring : poly) {
            for (std::size_t i = 0; i < ring.size(); ++i)
                d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : "L", v.x(ring[i].x), v.y(ring[i].y));
            d += "Z";
        }
    return d;
}

const char* result_class(Result r) {
    switch (r) {
        case Result::Pass: return "pass";
        case Result::Fail: return "fail";
        case Result::Review: return "review";
        case Result::NotApplicable: return "na";
    }
    return "na";
}

}  // namespace

std::string report_map_svg(const Report& r, int width, int height) {
    const auto& app = r.application;
    if (app.polygon.is_null()) return "";
    geo::Envelope ae = app.polygon.envelope();
    // Show the application and what it touches, but never zoom out so far that the application vanishes.
    geo::Envelope e = ae;
    const double span = std::max({ae.width(), ae.height(), 1e-4});
    geo::Envelope limit{ae.min_x - 4 * span, ae.min_y - 4 * span, ae.max_x + 4 * span, ae.max_y + 4 * span};
    for (const auto& m : r.map_features) {
        auto fe = m.geometry.envelope();
        e.min_x = std::max(limit.min_x, std::min(e.min_x, fe.min_x));
        e.min_y = std::max(limit.min_y, std::min(e.min_y, fe.min_y));
        e.max_x = std::min(limit.max_x, std::max(e.max_x, fe.max_x));
        e.max_y = std::min(limit.max_y, std::max(e.max_y, fe.max_y));
    }
    const double pad = 0.08 * std::max(e.width(), e.height()) + 1e-5;
    e = {e.min_x - pad, e.min_y - pad, e.max_x + pad, e.max_y + pad};
    const double coslat = std::cos((e.min_y + e.max_y) / 2 * M_PI / 180);
    const double map_h = height - 40.0;
    const double scale = std::min(width / (e.width() * coslat), map_h / e.height());
    View v{e, scale * coslat, scale, (width - e.width() * coslat * scale) / 2, (map_h - e.height() * scale) / 2};

    std::string s = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" class=\"map\">"
        "<defs><clipPath id=\"frame\"><rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{2}\"/></clipPath></defs>"
        "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{2}\" fill=\"#fbfbf8\" stroke=\"#999\"/><g clip-path=\"url(#frame)\">",
        width, height, map_h);
    for (const auto& m : r.map_features) {
        Style st = style_for(m.layer);
        s += fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.6\" fill-rule=\"evenodd\" stroke=\"{}\" stroke-width=\"1.5\"{}/>",
                         path_of(m.geometry, v), st.fill, st.stroke, m.schematic ? " stroke-dasharray=\"6 4\"" : "");
    }
    s += fmt::format("<path d=\"{}\" fill=\"#ff8c00\" fill-opacity=\"0.35\" fill-rule=\"evenodd\" stroke=\"#d9480f\" "
                     "stroke-width=\"2.5\"/>",
                     path_of(app.polygon, v));
    // Labels: at each feature's point on surface, nudged down until they do not collide with earlier ones.
    std::vector<std::pair<double, double>> used;
    auto place = [&](double x, double y) {
        for (bool moved = true; moved;) {
            moved = false;
            for (const auto& [ux, uy] : used)
                if (std::fabs(ux - x) < 150 && std::fabs(uy - y) < 15) {
                    y = uy + 16;
                    moved = true;
                }
        }
        used.emplace_back(x, y);
        return y;
    };
    auto ac = app.polygon.point_on_surface();
    place(v.x(ac.x), v.y(ac.y));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"lbl app\" text-anchor=\"middle\">申请范围</text>", v.x(ac.x), v.y(ac.y));
    for (const auto& m : r.map_features) {
        auto c = m.geometry.point_on_surface();
        double x = std::clamp(v.x(c.x), 20.0, width - 160.0), y = place(x, std::clamp(v.y(c.y), 14.0, map_h - 6));
        s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"lbl\" fill=\"{}\">{}{}</text>", x, y, style_for(m.layer).stroke,
                         html_escape(m.name.empty() ? m.feature_id : m.name), m.schematic ? "（示意）" : "");
    }
    // Scale bar: a round number of km near a fifth of the width.
    const double km_per_px = 111.32 * coslat / v.sx;
    double bar_km = std::pow(10, std::floor(std::log10(km_per_px * width / 5)));
    for (double m : {5.0, 2.0})
        if (bar_km * m / km_per_px < width / 4.0) {
            bar_km *= m;
            break;
        }
    const double bar_px = bar_km / km_per_px;
    s += fmt::format("</g><line x1=\"12\" y1=\"{0:.0f}\" x2=\"{1:.1f}\" y2=\"{0:.0f}\" stroke=\"#333\" stroke-width=\"3\"/>"
                     "<text x=\"12\" y=\"{2:.0f}\" class=\"lbl\">{3} 千米</text>",
                     map_h - 12, 12 + bar_px, map_h - 18, bar_km >= 1 ? fmt::format("{:.0f}", bar_km) : fmt::format("{:g}", bar_km));
    s += fmt::format("<text x=\"{}\" y=\"20\" class=\"lbl\" text-anchor=\"end\">北 ↑</text>", width - 10);
    // Legend.
    double lx = 8;
    std::vector<std::string> seen;
    s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"#ff8c00\" fill-opacity=\"0.35\" "
                     "stroke=\"#d9480f\"/><text x=\"{:.0f}\" y=\"{:.0f}\" class=\"leg\">申请范围</text>",
                     lx, map_h + 12, lx + 18, map_h + 21);
    lx += 80;
    bool any_schematic = false;
    for (const auto& m : r.map_features) {
        any_schematic = any_schematic || m.schematic;
        if (std::find(seen.begin(), seen.end(), m.layer) != seen.end()) continue;
        seen.push_back(m.layer);
        Style st = style_for(m.layer);
        s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"{}\"/>"
                         "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"leg\">{}</text>",
                         lx, map_h + 12, st.fill, st.stroke, lx + 18, map_h + 21, html_escape(m.layer_zh));
        lx += 26 + 13.0 * static_cast<double>(m.layer_zh.size() / 3 + 1);
    }
    if (any_schematic)
        s += fmt::format("<text x=\"8\" y=\"{:.0f}\" class=\"leg\">虚线边界 = 示意几何（规划文本无坐标，非真实位置）</text>", map_h + 36);
    s += "</svg>";
    return s;
}

std::string report_to_html(const Report& r) {
    const auto& a = r.application;
    bool schematic = false;
    std::map<Result, int> counts;
    for (const auto& f : r.findings) {
        schematic = schematic || (f.relies_on_schematic() && f.result != Result::NotApplicable);
        counts[f.result]++;
    }
    const char* verdict_class = r.verdict == Verdict::Conformant ? "pass" : r.verdict == Verdict::NonConformant ? "fail" : "review";
    std::string h = R"(<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>矿业权规划符合性审查意见</title><style>
body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px 32px;color:#222;font-size:13px;line-height:1.55}
h1{font-size:22px;text-align:center;margin:0 0 4px}h2{font-size:16px;border-left:4px solid #2a6fdb;padding-left:8px;margin:18px 0 8px}
.sub{text-align:center;color:#555;margin-bottom:14px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
th{background:#f0f3f8;text-align:left;white-space:nowrap}.verdict{font-size:20px;font-weight:bold;padding:6px 14px;display:inline-block;border-radius:4px}
td.pass,td.fail,td.review,td.na,td.sev{white-space:nowrap}.pass{color:#1b7a2f}.fail{color:#c0121f}.review{color:#b36b00}.na{color:#888}.verdict.pass{background:#e3f5e6}.verdict.fail{background:#fde4e6}.verdict.review{background:#fff2d9}
.warn{background:#fff7e0;border:1px solid #e0b040;padding:6px 10px;margin:8px 0}.quote{color:#444}.cite{color:#666;font-size:12px}
.map .lbl{font-size:12px}.map .app{fill:#a03000;font-weight:bold}.map .leg{font-size:11px;fill:#333}
tr{page-break-inside:avoid}@page{size:A4;margin:14mm}</style></head><body>)";
    h += "<h1>矿业权规划符合性审查意见</h1>";
    h += fmt::format("<div class=\"sub\">依据：{}　规则集：{}</div>", html_escape(r.plan_name_zh), html_escape(r.rule_set_id));
    h += "<table>";
    h += fmt::format("<tr><th>申请项目</th><td>{}</td><th>申请类型</th><td>{}{}</td></tr>", html_escape(a.name), to_zh(a.action),
                     to_zh(a.kind));
    h += fmt::format("<tr><th>申请人</th><td>{}</td><th>主矿种</th><td>{}</td></tr>",
                     html_escape(a.attrs.text("applicant").value_or("（未提供）")),
                     html_escape(a.attrs.text("main_mineral").value_or("（未提供）")));
    h += fmt::format("<tr><th>坐标来源</th><td>{}（EPSG:{}）</td><th>面积（椭球）</th><td>{:.4f} 平方千米（{:.2f} 公顷）</td></tr>",
                     html_escape(a.source_format), a.source_epsg, geo::round_km2(a.area_m2 / 1e6), a.area_m2 / 1e4);
    h += fmt::format("<tr><th>审查结论</th><td colspan=\"3\"><span class=\"verdict {}\">{}</span>　通过 {} 项，不通过 {} 项，需人工核查 {} 项，不适用 {} 项</td></tr>",
                     verdict_class, to_zh(r.verdict), counts[Result::Pass], counts[Result::Fail], counts[Result::Review],
                     counts[Result::NotApplicable]);
    h += "</table>";
    if (schematic)
        h += "<div class=\"warn\">注意：本规划数据库中的规划区块、规划分区和管控区域为<b>示意几何</b>（geometry_source = schematic，"
             "规划文本未给出坐标，按所在县区与规定面积示意放置），并非真实位置。以下依据示意要素得出的空间结论仅供演示与流程核对，"
             "正式审查须以正式规划数据库复核。</div>";
    if (!a.input_notes.empty()) {
        h += "<div class=\"warn\"><b>坐标读取提示：</b><ul>";
        for (const auto& n : a.input_notes) h += "<li>" + html_escape(n) + "</li>";
        h += "</ul></div>";
    }
    h += "<h2>一、申请范围与相关规划要素示意图</h2>" + report_map_svg(r);
    h += "<h2>二、逐项审查结果</h2><table><tr><th>编号</th><th>审查事项</th><th>结果</th><th>类别</th><th>说明与证据</th><th>规划依据</th></tr>";
    for (const auto& f : r.findings) {
        std::string ev;
        for (const auto& e : f.evidence)
            ev += fmt::format("<br>· {} {}{}{}", html_escape(e.feature_id), html_escape(e.name),
                              e.overlap_m2 > 0 ? fmt::format("，重叠 {:.1f} 平方米（{:.2f}%）", e.overlap_m2, e.overlap_pct) : "",
                              e.schematic ? "（示意几何）" : "");
        h += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\"><b>{}</b></td><td class=\"sev\">{}</td><td>{}{}</td><td class=\"cite\">{}{}<br><span "
                         "class=\"quote\">“{}”</span></td></tr>",
                         html_escape(f.rule_id), html_escape(f.title_zh), result_class(f.result), to_zh(f.result),
                         to_zh(f.severity), html_escape(f.message), ev,
                         f.citation.clause_id.empty() ? "" : "条款 " + html_escape(f.citation.clause_id) + "；",
                         html_escape(f.citation.section), html_escape(f.citation.quote));
    }
    h += "</table><h2>三、申请属性</h2><table>";
    int shown = 0;
    for (const auto& d : attribute_defs()) {
        if (!a.attrs.has(d.key)) continue;
        const auto& v = a.attrs.json()[d.key];
        std::string text = v.is_string() ? v.get<std::string>() : v.is_boolean() ? (v.get<bool>() ? "是" : "否") : v.dump();
        h += fmt::format("<tr><th>{}</th><td>{}</td></tr>", html_escape(d.label_zh), html_escape(text));
        ++shown;
    }
    if (shown == 0) h += "<tr><td>未提供申请属性（仅有坐标范围）：属性类规则均为需人工核查，结论至多为“需人工核查”。</td></tr>";
    h += "</table>";
    h += "<h2>四、审查意见</h2><p>";
    if (r.verdict == Verdict::NonConformant) h += "经审查，该申请存在否决项（见上表“不通过”且类别为“否决”的条目），不符合规划。";
    else if (r.verdict == Verdict::Review) h += "经审查，未发现否决项，但上表所列“需人工核查”或警告事项须经人工核查后方可形成结论。";
    else h += "经审查，该申请符合规划各项准入要求。";
    h += "</p><p class=\"cite\">本意见由 minplan 依规则文件自动生成，审查引擎用时 " + fmt::format("{:.2f}", r.engine_ms) +
         " 毫秒；面积按2000国家大地坐标系椭球计算。</p></body></html>";
    return h;
}

}  // namespace minplan::rules
