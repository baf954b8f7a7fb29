#include "services/changeset_qc.hpp"

#include <map>
#include <set>
#include <tuple>

namespace minplan::services {

using store::ChangeAction;

namespace {

constexpr const char* kHead = "2999-12-31";  // a read at this date is the head of the history

using FindingKey = std::tuple<std::string, std::string, std::string, std::string>;

FindingKey key_of(const qc::Finding& f) { return {f.check, f.layer, f.feature_id, f.message}; }

qc::QcReport run_on(const store::PlanStore& head, const TableSchema& schema, const std::vector<Feature>& rows) {
    qc::QcOptions options;
    options.pending = qc::PendingLayer{schema, &rows, false};
    options.only_pending = true;
    return qc::run_qc(head, options);
}

}  // namespace

ChangeSetQc qc_change_set(const store::PlanDatabase& db, const store::ChangeSet& cs) {
    auto head = db.snapshot_at(kHead);
    std::map<std::string, std::vector<const store::ChangeItem*>> by_layer;
    for (const auto& item : cs.items) by_layer[item.layer].push_back(&item);
    ChangeSetQc out;
    out.report.database = "调整批次 " + std::to_string(cs.id) + "「" + cs.name + "」";
    out.report.version = db.version();
    for (const auto& [layer, items] : by_layer) {
        const TableSchema& s = head->schema(layer);
        const std::string id_field = s.fields.front().name;
        std::set<std::string> replaced;
        for (const auto* item : items)
            if (item->action != ChangeAction::Add) replaced.insert(item->key);
        std::vector<Feature> before = head->read(layer);
        std::vector<Feature> after;
        for (const auto& f : before)
            if (!replaced.count(to_display(f.get(id_field)))) after.push_back(f);
        for (const auto* item : items)
            if (item->action != ChangeAction::Retire) after.push_back(item->feature);
        std::multiset<FindingKey> baseline;
        for (const auto& f : run_on(*head, s, before).findings) baseline.insert(key_of(f));
        auto report = run_on(*head, s, after);
        if (out.report.plan_name.empty()) out.report.plan_name = report.plan_name;
        out.report.config_source = report.config_source;
        for (auto& f : report.findings) {
            if (auto it = baseline.find(key_of(f)); it != baseline.end()) {
                baseline.erase(it);
                ++out.already_present;
                continue;
            }
            out.report.findings.push_back(std::move(f));
        }
    }
    return out;
}

std::string qc_note(const qc::QcReport& report, bool forced, const std::string& reason) {
    return "质检：错误 " + std::to_string(report.count(qc::Severity::Error)) + "，警告 " +
           std::to_string(report.count(qc::Severity::Warning)) + "，提示 " + std::to_string(report.count(qc::Severity::Hint)) +
           (forced ? "（强制批准，理由：" + reason + "）" : "");
}

}  // namespace minplan::services
