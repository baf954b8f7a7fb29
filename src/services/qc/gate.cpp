#include "services/qc/gate.hpp"

#include "core/error.hpp"
#include "core/table_view.hpp"

namespace minplan::services::qc {

store::PublishNote gate(const QcReport& report, const std::string& command, bool force) {
    const std::size_t errors = report.count(Severity::Error);
    if (errors && !force) {
        std::vector<std::string> problems;
        for (const auto& f : report.findings) {
            if (f.severity != Severity::Error) continue;
            std::string where = f.layer_code + "（" + f.layer + "）";
            if (f.fid) where += " fid " + std::to_string(f.fid);
            if (!f.feature_id.empty()) where += " " + f.feature_id;
            if (f.point) where += " @ " + format_number(f.point->first, 6) + "," + format_number(f.point->second, 6);
            problems.push_back(where + " [" + f.check + "] " + f.message);
        }
        throw ProblemsError("质检发现 " + std::to_string(errors) + " 处错误，未写入（" + command +
                                "）；请修正后重试，或加 --force 强制写入（将记录在变更记录中）/ quality check found errors, nothing written:",
                            std::move(problems));
    }
    store::PublishNote note;
    note.metadata[kLastResultKey] = last_result(report, command, force && errors).dump();
    note.change_note = "；质检：错误 " + std::to_string(errors) + "，警告 " + std::to_string(report.count(Severity::Warning)) +
                       "，提示 " + std::to_string(report.count(Severity::Hint)) + (errors ? "（--force 强制写入）" : "");
    return note;
}

store::PublishNote check_build(const store::PlanStore& built, bool force) { return gate(run_qc(built), "build", force); }

std::vector<std::pair<std::string, std::string>> check_import(const store::PlanStore& snapshot, const TableSchema& target,
                                                              const std::vector<Feature>& rows, bool append, bool force) {
    QcOptions options;
    options.pending = PendingLayer{target, &rows, append};
    options.only_pending = true;
    auto note = gate(run_qc(snapshot, options), "import " + target.id, force);
    return {note.metadata.begin(), note.metadata.end()};
}

}  // namespace minplan::services::qc
