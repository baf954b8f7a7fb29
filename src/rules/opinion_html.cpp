// The review opinion as one HTML page: shown in the portal, printed to PDF by Chromium and converted to DOCX
// by pandoc (opinion_docx.cpp), so the three carry the same content.
#include <map>

#include <fmt/format.h>

#include "geo/crs.hpp"
#include "rules/detail/opinion_text.hpp"
#include "rules/report.hpp"

namespace minplan::rules {
namespace detail {
namespace {

const char* kPageStyle = R"(<style>
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC","SimSun","Microsoft YaHei",serif;margin:24px 32px;color:#222;font-size:13px;line-height:1.6}
.unit{text-align:center;font-size:16px;margin:0}h1{font-size:22px;text-align:center;margin:4px 0}.number{text-align:right;margin:0 0 12px}
h2{font-size:16px;border-left:4px solid #2a6fdb;padding-left:8px;margin:18px 0 8px}h3{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;width:100%;margin:4px 0}td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}
th{background:#f0f3f8;text-align:left;white-space:nowrap}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.verdict{font-size:18px;font-weight:bold;padding:4px 12px;display:inline-block;border-radius:4px}
td.pass,td.fail,td.review,td.na{white-space:nowrap}.pass{color:#1b7a2f}.fail{color:#c0121f}.review{color:#b36b00}.na{color:#888}
.verdict.pass{background:#e3f5e6}.verdict.fail{background:#fde4e6}.verdict.review{background:#fff2d9}
.warn{background:#fff7e0;border:1px solid #e0b040;padding:6px 10px;margin:8px 0}.quote{color:#444}.cite{color:#555;font-size:12px}
table.sign td{height:44px}table.sign th{width:16%}.seal{height:110px;text-align:center;color:#aaa}
tr{page-break-inside:avoid}.map{display:block;margin:0 auto}@page{size:A4;margin:14mm}</style>)";

std::string esc(const std::string& s) { return html_escape(s); }

std::string fmt_m2(double m2) { return fmt::format("{:.2f}", m2); }

// Column widths in percent: pandoc carries them into the DOCX (without them every column gets the same width
// and coordinates wrap mid-number).
std::string table(std::initializer_list<int> widths, const char* cls = nullptr) {
    std::string t = cls ? fmt::format("<table class=\"{}\"><colgroup>", cls) : std::string("<table><colgroup>");
    for (int w : widths) t += fmt::format("<col style=\"width:{}%\" />", w);
    return t + "</colgroup>";
}

// Whenever any finding relied on schematic data (issue 10): on the page, the PDF and the DOCX alike.
std::string schematic_banner(const Report& r) {
    if (!relies_on_schematic(r)) return "";
    std::string layers;
    for (const auto& x : r.schematic.layers_zh) layers += (layers.empty() ? "" : "、") + esc(x);
    return "<div class=\"warn\" data-role=\"schematic-banner\"><p><strong>示意几何提示：</strong>本审查所依据的部分规划区块、规划分区或管控区域为"
           "<strong>示意几何</strong>（规划文本未给出坐标，按所在县区与规定面积示意放置），并非真实位置。凡依据示意几何得出的结论"
           "均不能据此判定，须对照正式规划图件人工核实。" +
           (layers.empty() ? std::string() : "涉及图层：" + layers + "。") + "</p></div>";
}

void basic_info(std::string& h, const Report& r) {
    const auto& a = r.application;
    std::map<Result, int> counts;
    for (const auto& f : r.findings) counts[f.result]++;
    const std::string verdict_class = r.verdict == Verdict::Conformant ? "pass" : r.verdict == Verdict::NonConformant ? "fail" : "review";
    // 一、申请基本情况
    const std::string applicant = a.attrs.text("applicant").value_or([&] {
        for (const char* k : {"采矿权人", "探矿权人", "申请人", "申请单位"})
            if (auto it = a.header.find(k); it != a.header.end() && !it->second.empty()) return it->second;
        return std::string("（未提供）");
    }());
    h += "<h2>一、申请基本情况</h2>" + table({22, 78});
    auto row = [&](const std::string& k, const std::string& v) { h += "<tr><th>" + k + "</th><td>" + v + "</td></tr>"; };
    row("项目名称", esc(a.name));
    row("申请人", esc(applicant));
    row("矿业权类型", to_zh(a.kind));
    row("申请事项", to_zh(a.action));
    row("主矿种", esc(a.attrs.text("main_mineral").value_or("（未提供）")));
    row("坐标来源", esc(source_format_zh(a.source_format)) + "；" + esc(crs_zh(a.source_epsg)));
    if (a.plane_epsg > 0 && a.plane_area_m2 > 0) {
        row("登记面积（平面）", fmt::format("{:.4f} 平方千米（{} 平方米，{}）", geo::round_km2(a.plane_area_m2 / 1e6), fmt_m2(a.plane_area_m2),
                                         esc(crs_zh(a.plane_epsg))));
        row("椭球面积", fmt::format("{:.4f} 平方千米（{} 平方米，2000国家大地坐标系椭球面）", geo::round_km2(a.area_m2 / 1e6), fmt_m2(a.area_m2)));
        row("面积判定依据", a.plane_decides ? "登记面积（申请坐标所在的高斯-克吕格平面，边为平面直线）" : "椭球面积（申请坐标为经纬度）");
    } else {
        row("申请面积（椭球面积）", fmt::format("{:.4f} 平方千米（{} 平方米，2000国家大地坐标系椭球面计算）", geo::round_km2(a.area_m2 / 1e6),
                                            fmt_m2(a.area_m2)));
    }
    row("审查依据", "《" + esc(r.plan_name_zh) + "》");
    row("审查结论", fmt::format("<span class=\"verdict {}\"><strong>{}</strong></span>　通过 {} 项，不通过 {} 项，需人工核查 {} 项，不适用 {} 项",
                               verdict_class, to_zh(r.verdict), counts[Result::Pass], counts[Result::Fail], counts[Result::Review],
                               counts[Result::NotApplicable]));
    h += "</table>";
    if (!a.notes.empty()) {
        h += "<p><strong>坐标说明：</strong></p><ul>";
        for (const auto& n : a.notes) h += "<li>" + esc(user_text(r, n)) + "</li>";
        h += "</ul>";
    }
    if (!a.input_notes.empty()) {
        h += "<div class=\"warn\"><p><strong>坐标读取提示：</strong></p><ul>";
        for (const auto& n : a.input_notes) h += "<li>" + esc(user_text(r, n)) + "</li>";
        h += "</ul></div>";
    }
}

void corner_section(std::string& h, const Report& r, const OpinionInfo& info) {
    // 二、拐点坐标
    const Corners corners = corner_table(r, info.settings.gk_zone);
    h += "<h2>二、申请范围拐点坐标</h2><p>平面坐标：" + esc(corners.plane_crs_zh) +
         (corners.plane_is_source ? "（与申请文件一致）" : "（申请文件为经纬度，按规划所在带换算，供核对）") +
         "；经纬度：2000国家大地坐标系。</p>";
    h += table({7, 7, 20, 20, 23, 23}) + "<tr><th>圈</th><th>点号</th><th>X（纵坐标，米）</th><th>Y（横坐标，米）</th><th>经度</th><th>纬度</th></tr>";
    for (const auto& c : corners.rows)
        h += fmt::format("<tr><td>{}{}</td><td>{}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{}</td>"
                         "<td class=\"num\">{}</td></tr>",
                         c.ring, c.hole ? "（扣除）" : "", esc(c.point), c.x, c.y, dms(c.lon), dms(c.lat));
    h += "</table>";
}

void overlap_section(std::string& h, const Report& r) {
    const auto& a = r.application;
    // 三、与规划要素的重叠
    h += "<h2>三、与规划要素的空间关系</h2>";
    const auto tables = overlap_tables(r);
    if (tables.empty()) h += "<p>申请范围与规划数据库中的规划区块、管控区域及已设矿业权均无重叠（各项审查结果见第四部分）。</p>";
    bool both = false;
    for (const auto& [layer, rows] : tables)
        for (const auto& o : rows) both = both || (o.plane_m2 > 0 && o.ellipsoid_m2 > 0);
    if (both) h += "<p>重叠面积按申请坐标所在的高斯-克吕格平面（登记面积）与2000国家大地坐标系椭球面分别计算，占比按" +
                   std::string(a.plane_decides ? "登记面积" : "椭球面积") + "。</p>";
    for (const auto& [layer, rows] : tables) {
        h += "<h3>" + esc(layer_zh(r, layer)) + "</h3>";
        if (both)
            h += table({26, 18, 17, 17, 10, 12}) + "<tr><th>要素名称</th><th>编号</th><th>重叠面积（登记平面，平方米）</th><th>重叠面积（椭球，平方米）</th><th>占申请面积</th><th>几何来源</th></tr>";
        else
            h += table({30, 22, 18, 12, 18}) + "<tr><th>要素名称</th><th>编号</th><th>重叠面积（平方米）</th><th>占申请面积</th><th>几何来源</th></tr>";
        for (const auto& o : rows) {
            const std::string area = both ? fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", fmt_m2(o.plane_m2), fmt_m2(o.ellipsoid_m2))
                                          : fmt::format("<td class=\"num\">{}</td>", fmt_m2(o.m2));
            h += fmt::format("<tr><td>{}</td><td>{}</td>{}<td class=\"num\">{:.2f}%</td><td>{}</td></tr>", esc(o.name.empty() ? "（无名称）" : o.name),
                             esc(o.feature_id), area, o.pct, o.schematic ? "示意几何（非真实位置）" : "规划图件");
        }
        h += "</table>";
    }
}

void findings_section(std::string& h, const Report& r) {
    // 四、逐项审查结果
    h += "<h2>四、逐项审查结果</h2>" + table({5, 16, 9, 6, 34, 30}) + "<tr><th>序号</th><th>审查事项</th><th>结果</th><th>类别</th><th>说明</th><th>规划依据</th></tr>";
    int n = 0;
    for (const auto& f : r.findings) {
        std::string note = esc(user_text(r, f.message));
        if (!f.missing.empty()) {
            std::string m;
            for (const auto& x : f.missing) m += (m.empty() ? "" : "、") + missing_zh(r, x);
            note += "<br>缺少：" + esc(m);
        }
        std::string cite = esc(clean_section(f.citation.section));
        if (!f.citation.quote.empty()) cite += (cite.empty() ? "" : "：") + std::string("<span class=\"quote\">“") + esc(f.citation.quote) + "”</span>";
        h += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\"><strong>{}</strong></td><td>{}</td><td>{}</td><td class=\"cite\">{}</td></tr>",
                         ++n, esc(f.title_zh), result_class(f.result), to_zh(f.result), to_zh(f.severity), note, cite);
    }
    h += "</table>";
}

void conclusion_section(std::string& h, const Report& r) {
    // 五、审查结论
    const Conclusion c = conclusion(r);
    h += "<h2>五、审查结论</h2><p><strong>" + esc(c.summary) + "</strong></p>";
    if (!c.deciding.empty()) {
        h += "<p>决定结论的审查事项：</p><ol>";
        for (const auto& d : c.deciding) h += "<li>" + esc(d) + "</li>";
        h += "</ol>";
    }
    if (!c.to_verify.empty()) {
        h += fmt::format("<p>需人工核查的事项（共 {} 项），审查人须逐项核实：</p>", c.to_verify.size()) + table({6, 26, 68}) +
             "<tr><th>序号</th><th>事项</th><th>须核实的内容</th></tr>";
        int k = 0;
        for (const auto& t : c.to_verify)
            h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ++k, esc(t.title), esc(t.what_to_verify));
        h += "</table>";
    }
}

void map_section(std::string& h, const Report& r) {
    // 六、示意图
    h += "<h2>六、申请范围与周边规划要素示意图</h2>";
    h += report_map_svg(r);
    h += "<p class=\"cite\">示意图仅表示申请范围与规划要素的相对位置，不作为测绘成果。</p>";
}

void signature_section(std::string& h, const OpinionInfo& info) {
    // Signature and seal.
    h += "<h2>审查签署</h2>" + table({15, 35, 15, 35}, "sign");
    h += "<tr><th>审查人</th><td>" + esc(info.reviewer) + (info.reviewer_role.empty() ? "" : "（" + esc(info.reviewer_role) + "）") +
         "</td><th>签字</th><td></td></tr>";
    h += "<tr><th>复核人</th><td></td><th>签字</th><td></td></tr>";
    h += "<tr><th>签发人</th><td></td><th>签字</th><td></td></tr>";
    h += "<tr><th>日期</th><td>" + esc(info.date_zh) + "</td><th>盖章处</th><td class=\"seal\">（" +
         esc(info.settings.issuing_unit.empty() ? "审查单位" : info.settings.issuing_unit) + " 盖章）</td></tr>";
    h += "</table>";
    h += "<p class=\"cite\">本意见依据规划数据库与规则文件逐项审查生成" +
         (info.issued_at.empty() ? std::string() : "，生成时间 " + esc(info.issued_at) + "（北京时间）") +
         "；面积的计算方法见第一部分；经审查人核实、签署并加盖公章后生效。</p>";
}

std::string opinion_document(const Report& r, const OpinionInfo& info) {
    std::string h = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>矿业权规划符合性审查意见</title>";
    h += kPageStyle;
    h += "</head><body>";
    if (!info.settings.issuing_unit.empty()) h += "<p class=\"unit\"><strong>" + esc(info.settings.issuing_unit) + "</strong></p>";
    h += "<h1>矿业权规划符合性审查意见</h1>";
    h += "<p class=\"number\">" + (info.number.empty() ? std::string("编号：＿＿＿＿＿＿＿＿（待登记）") : "编号：" + esc(info.number)) + "</p>";

    h += schematic_banner(r);
    basic_info(h, r);
    corner_section(h, r, info);
    overlap_section(h, r);
    findings_section(h, r);
    conclusion_section(h, r);
    map_section(h, r);
    signature_section(h, info);
    h += "</body></html>";
    return h;
}

}  // namespace

}  // namespace detail

std::string opinion_html(const Report& r, const OpinionInfo& info) { return detail::opinion_document(r, info); }

std::string report_to_html(const Report& r) { return opinion_html(r, OpinionInfo{}); }

}  // namespace minplan::rules
