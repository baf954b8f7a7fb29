#include "rules/audit.hpp"
#include "core/text.hpp"

#include <algorithm>

#include "rules/audit_batch.hpp"

#include "core/error.hpp"
#include "rules/report.hpp"

namespace minplan::rules {

std::vector<AuditEntry> audit_rights(const Engine& engine, const PlanIndex&, const std::string& layer_id) {
    BatchOptions options;
    options.rights_layer = layer_id;
    return audit_batch(engine, options).entries;
}

namespace {
std::string csv_cell(const std::string& s) {
    std::string out;
    append_csv_cell(out, s);
    return out;
}
}  // namespace

std::string audit_csv_header() {
    return "\xEF\xBB\xBF"
           "矿业权编号,许可证号,矿业权人,主矿种,类型,审查结论,规则,审查事项,结果,类别,说明,依据示意几何\n";
}

std::string audit_csv_rows(const AuditEntry& e) {
    std::string out;
    auto row = [&](const std::string& rule, const std::string& title, const std::string& result, const std::string& sev,
                   const std::string& msg, bool schematic) {
        const std::string verdict = to_zh(e.report.verdict);
        for (const std::string* c : {&e.right_id, &e.licence_no, &e.holder, &e.mineral, &e.kind, &verdict, &rule, &title, &result,
                                     &sev, &msg}) {
            append_csv_cell(out, *c);
            out += ',';
        }
        out += schematic ? "是\n" : "否\n";
    };
    bool any = false;
    for (const auto& f : e.report.findings) {
        if (f.result == Result::Pass || f.result == Result::NotApplicable) continue;
        row(f.rule_id, f.title_zh, to_zh(f.result), to_zh(f.severity), f.message, f.relies_on_schematic());
        any = true;
    }
    if (!any) row("", "", "通过", "", "全部适用规则通过", false);
    return out;
}

std::string audit_csv_skipped(const std::vector<SkipNote>& skipped) {
    std::string out;
    for (const auto& s : skipped) {
        for (const auto& c : {std::string(), std::string(), std::string(), std::string(), std::string(), std::string(),
                              std::string("跳过"), s.layer + (s.feature_id.empty() ? "" : " " + s.feature_id), std::string("未使用或已修复"),
                              std::string(), s.message_zh})
            out += csv_cell(c) + ",";
        out += "否\n";
    }
    return out;
}

std::string audit_to_csv(const std::vector<AuditEntry>& entries, const std::vector<SkipNote>& skipped) {
    std::string out = audit_csv_header();
    for (const auto& e : entries) out += audit_csv_rows(e);
    return out + audit_csv_skipped(skipped);
}

nlohmann::json audit_entry_json(const AuditEntry& e) {
    nlohmann::json r = report_to_json(e.report);
    return {{"right_id", e.right_id},
            {"licence_no", e.licence_no},
            {"holder", e.holder},
            {"mineral", e.mineral},
            {"kind", e.kind},
            {"verdict", to_zh(e.report.verdict)},
            {"findings", std::move(r["findings"])}};
}

nlohmann::json audit_skipped_json(const SkipNote& s) {
    return {{"skipped", {{"layer", s.layer}, {"feature_id", s.feature_id}, {"message", s.message_zh}}}};
}

nlohmann::json audit_to_json(const std::vector<AuditEntry>& entries, const std::vector<SkipNote>& skipped) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& e : entries) arr.push_back(audit_entry_json(e));
    for (const auto& s : skipped) arr.push_back(audit_skipped_json(s));
    return arr;
}

}  // namespace minplan::rules
