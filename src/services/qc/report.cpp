#include "services/qc/report.hpp"

#include <map>
#include <ostream>
#include <sstream>

namespace minplan::services::qc {

namespace {

nlohmann::json finding_json(const Finding& f) {
    const CheckDef* def = find_check(f.check);
    nlohmann::json j = {{"check", f.check},
                        {"severity", severity_zh(f.severity)},
                        {"severity_key", severity_key(f.severity)},
                        {"category", def ? category_zh(def->category) : ""},
                        {"description", def ? def->description : ""},
                        {"clause", def ? def->clause : ""},
                        {"layer", f.layer},
                        {"layer_code", f.layer_code},
                        {"layer_name", f.layer_name},
                        {"fid", f.fid},
                        {"feature_id", f.feature_id},
                        {"feature_name", f.feature_name},
                        {"message", f.message},
                        {"values", f.values},
                        {"schematic", f.schematic}};
    j["point"] = f.point ? nlohmann::json::array({f.point->first, f.point->second}) : nlohmann::json();
    j["extent"] = f.extent ? nlohmann::json::array({f.extent->min_x, f.extent->min_y, f.extent->max_x, f.extent->max_y}) : nlohmann::json();
    return j;
}

std::string escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}

std::string point_text(const Finding& f) {
    return f.point ? format_number(f.point->first, 6) + "," + format_number(f.point->second, 6) : "";
}

std::string verdict(const QcReport& r) {
    return r.has_errors() ? "不通过：有 " + std::to_string(r.count(Severity::Error)) + " 处错误" : "通过：无错误";
}

}  // namespace

nlohmann::json to_json(const QcReport& r) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : r.findings) findings.push_back(finding_json(f));
    nlohmann::json summary = nlohmann::json::array();
    for (const auto& s : r.summary()) {
        const CheckDef* def = find_check(s.check);
        summary.push_back({{"check", s.check}, {"severity", severity_zh(s.severity)}, {"count", s.count},
                           {"description", def ? def->description : ""}});
    }
    return {{"database", r.database}, {"plan", r.plan_name}, {"version", r.version}, {"config", r.config_source},
            {"passed", !r.has_errors()}, {"errors", r.count(Severity::Error)}, {"warnings", r.count(Severity::Warning)},
            {"hints", r.count(Severity::Hint)}, {"summary", summary}, {"findings", findings}};
}

void write_text(const QcReport& r, std::ostream& out) {
    out << "质检 " << r.plan_name << "（" << r.database << "，版本 " << r.version << "，配置：" << r.config_source << "）\n";
    out << verdict(r) << "；警告 " << r.count(Severity::Warning) << " 处，提示 " << r.count(Severity::Hint) << " 处\n";
    if (!r.findings.empty()) out << "\n汇总 / summary:\n";
    for (const auto& s : r.summary())
        out << "  " << severity_zh(s.severity) << "  " << s.check << "  " << find_check(s.check)->description << "：" << s.count << "\n";
    if (!r.findings.empty()) out << "\n问题清单 / findings:\n";
    // Every 错误; of each check's 警告 and 提示 the first few (all of them are in --json, --xlsx, --html).
    constexpr std::size_t kShownPerCheck = 10;
    std::map<std::string, std::size_t> shown;
    std::size_t hidden = 0;
    for (const auto& f : r.findings) {
        if (f.severity != Severity::Error && ++shown[f.check] > kShownPerCheck) {
            ++hidden;
            continue;
        }
        out << "[" << severity_zh(f.severity) << "] " << f.check << " " << f.layer_code << "（" << f.layer << "）";
        if (f.fid) out << " fid " << f.fid;
        if (!f.feature_id.empty()) out << " " << f.feature_id;
        if (!f.feature_name.empty()) out << " " << f.feature_name;
        out << "：" << f.message;
        if (f.point) out << " @ " << point_text(f);
        out << "\n";
    }
    if (hidden) out << "…（另有 " << hidden << " 条警告/提示未列出，见 --json、--xlsx 或 --html）\n";
}

std::vector<TableView> to_tables(const QcReport& r) {
    TableView summary{"汇总", "质检汇总：" + r.plan_name + "（" + verdict(r) + "）", {"质检项", "类别", "严重程度", "说明", "依据", "数量"}, {}, {}, {}};
    for (const auto& s : r.summary()) {
        const CheckDef* def = find_check(s.check);
        summary.rows.push_back({Cell::of(s.check), Cell::of(category_zh(def->category)), Cell::of(severity_zh(s.severity)),
                                Cell::of(def->description), Cell::of(def->clause), Cell::num(static_cast<double>(s.count), 0)});
    }
    summary.notes.push_back("数据库：" + r.database + "，版本 " + std::to_string(r.version) + "；配置：" + r.config_source);
    TableView list{"问题清单", "问题清单", {"严重程度", "质检项", "图层代码", "图层", "FID", "编号", "名称", "说明", "位置（经度,纬度）", "范围", "比较值", "示意几何"}, {}, {}, {}};
    for (const auto& f : r.findings) {
        std::string extent = f.extent ? format_number(f.extent->min_x, 6) + "," + format_number(f.extent->min_y, 6) + "," +
                                            format_number(f.extent->max_x, 6) + "," + format_number(f.extent->max_y, 6)
                                      : "";
        list.rows.push_back({Cell::of(severity_zh(f.severity)), Cell::of(f.check), Cell::of(f.layer_code), Cell::of(f.layer_name),
                             Cell::num(static_cast<double>(f.fid), 0), Cell::of(f.feature_id), Cell::of(f.feature_name), Cell::of(f.message),
                             Cell::of(point_text(f)), Cell::of(extent), Cell::of(f.values.dump()), Cell::of(f.schematic ? "是" : "")});
    }
    return {summary, list};
}

std::string to_html(const QcReport& r) {
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>质检报告 " << escape(r.plan_name)
      << "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #999;padding:2px 6px;font-size:13px}.错误{background:#fdd}.警告{background:#ffd}.提示{background:#eef}"
         "</style></head><body>\n";
    h << "<h1>质检报告：" << escape(r.plan_name) << "</h1>\n<p>数据库 " << escape(r.database) << "，版本 " << r.version << "，配置 "
      << escape(r.config_source) << "</p>\n<p><strong>" << escape(verdict(r)) << "</strong>；警告 " << r.count(Severity::Warning)
      << " 处，提示 " << r.count(Severity::Hint) << " 处</p>\n";
    for (const auto& t : to_tables(r)) {
        h << "<h2>" << escape(t.sheet_name) << "</h2>\n<table><tr>";
        for (const auto& c : t.headers) h << "<th>" << escape(c) << "</th>";
        h << "</tr>\n";
        for (const auto& row : t.rows) {
            h << "<tr class=\"" << escape(row[0].text) << "\">";
            for (const auto& c : row) h << "<td>" << escape(c.text) << "</td>";
            h << "</tr>\n";
        }
        h << "</table>\n";
    }
    h << "</body></html>\n";
    return h.str();
}

nlohmann::json locations_geojson(const QcReport& r) {
    nlohmann::json features = nlohmann::json::array();
    for (const auto& f : r.findings) {
        if (!f.point) continue;
        nlohmann::json props = finding_json(f);
        props.erase("point");
        props.erase("extent");
        props["values"] = f.values.dump();  // QGIS shows nested objects poorly
        nlohmann::json feature = {{"type", "Feature"},
                                  {"geometry", {{"type", "Point"}, {"coordinates", {f.point->first, f.point->second}}}},
                                  {"properties", props}};
        if (f.extent) feature["bbox"] = {f.extent->min_x, f.extent->min_y, f.extent->max_x, f.extent->max_y};
        features.push_back(std::move(feature));
    }
    return {{"type", "FeatureCollection"},
            {"name", "qc_findings"},
            {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
            {"features", features}};
}

}  // namespace minplan::services::qc
