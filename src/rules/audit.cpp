#include "rules/audit.hpp"

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "rules/report.hpp"

namespace minplan::rules {

std::vector<AuditEntry> audit_rights(const Engine& engine, const PlanIndex& index, const std::string& layer_id) {
    std::vector<AuditEntry> out;
    const LayerIndex* layer = index.layer(layer_id);
    if (!layer) return out;
    for (const auto& f : layer->features) {
        AuditEntry e;
        e.right_id = f.id;
        e.licence_no = f.feature.text("licence_no");
        e.holder = f.feature.text("holder");
        e.mineral = f.feature.text("mineral");
        e.kind = f.feature.text("kind");
        Application app;
        app.name = f.feature.text("mine_name").empty() ? f.id : f.feature.text("mine_name");
        app.source_format = layer_id;
        app.source_epsg = 4490;
        try {
            app.kind = parse_kind(e.kind);
        } catch (const InputError&) {
            app.kind = Kind::Mining;
            app.input_notes.push_back("矿业权类型“" + e.kind + "”无法识别，按采矿权审查");
        }
        app.action = Action::Extension;
        app.polygon = f.geometry.clone();
        app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
        nlohmann::json attrs = nlohmann::json::object();
        if (!e.holder.empty()) attrs["applicant"] = e.holder;
        if (!e.mineral.empty()) attrs["main_mineral"] = e.mineral;
        if (!e.licence_no.empty()) attrs["existing_licence"] = e.licence_no;
        if (auto s = as_number(f.feature.get("scale"))) attrs["scale"] = *s;
        if (!f.feature.text("scale_unit").empty()) attrs["scale_unit"] = f.feature.text("scale_unit");
        app.attrs = Attributes::from_json(attrs, "矿业权 " + f.id);
        e.report = engine.check(app);
        out.push_back(std::move(e));
    }
    return out;
}

namespace {
std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}
}  // namespace

std::string audit_to_csv(const std::vector<AuditEntry>& entries) {
    std::string out = "\xEF\xBB\xBF";
    out += "矿业权编号,许可证号,矿业权人,主矿种,类型,审查结论,规则,审查事项,结果,类别,说明,依据示意几何\n";
    for (const auto& e : entries) {
        auto row = [&](const std::string& rule, const std::string& title, const std::string& result, const std::string& sev,
                       const std::string& msg, bool schematic) {
            for (const auto& c : {e.right_id, e.licence_no, e.holder, e.mineral, e.kind, to_zh(e.report.verdict), rule, title, result,
                                  sev, msg})
                out += csv_cell(c) + ",";
            out += schematic ? "是\n" : "否\n";
        };
        bool any = false;
        for (const auto& f : e.report.findings) {
            if (f.result == Result::Pass || f.result == Result::NotApplicable) continue;
            row(f.rule_id, f.title_zh, to_zh(f.result), to_zh(f.severity), f.message, f.relies_on_schematic());
            any = true;
        }
        if (!any) row("", "", "通过", "", "全部适用规则通过", false);
    }
    return out;
}

nlohmann::json audit_to_json(const std::vector<AuditEntry>& entries) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& e : entries) {
        nlohmann::json r = report_to_json(e.report);
        r["application"].erase("geometry");
        arr.push_back({{"right_id", e.right_id},
                       {"licence_no", e.licence_no},
                       {"holder", e.holder},
                       {"mineral", e.mineral},
                       {"kind", e.kind},
                       {"verdict", to_zh(e.report.verdict)},
                       {"findings", r["findings"]}});
    }
    return arr;
}

}  // namespace minplan::rules
