#include "services/qc/gate.hpp"

#include <algorithm>

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

namespace {

class ImportGate final : public store::ImportCheck {
public:
    ImportGate(const store::PlanStore& snapshot, const TableSchema& target, bool append, bool force)
        : target_(target), append_(append), force_(force) {
        config_ = load_config(snapshot, &config_source_);
        const std::string& id = target.id;
        whole_ = config_.rules_for(id) != nullptr ||
                 std::any_of(config_.columns.begin(), config_.columns.end(), [&](const ColumnRule& c) { return c.table == id || c.layer == id; }) ||
                 std::any_of(config_.totals.begin(), config_.totals.end(), [&](const TotalRule& t) { return t.table == id; });
    }

    void add(const store::PlanStore& snapshot, const std::vector<Feature>& rows) override {
        if (whole_) {
            rows_.insert(rows_.end(), rows.begin(), rows.end());
            return;
        }
        // Row by row checks only: a batch judged alone finds what the whole would. Rows the reader numbered
        // in import order (fids seen_ + 1, seen_ + 2, …; they only increase, so the ends tell) are checked
        // where they are, with those fids; others are copied and numbered from 1, and their findings moved
        // to the rows' places in the import.
        const auto first = static_cast<std::int64_t>(seen_) + 1;
        const bool own_fids = !rows.empty() && rows.front().fid == first &&
                              rows.back().fid == first + static_cast<std::int64_t>(rows.size()) - 1;
        auto report = run(snapshot, rows, false, own_fids);
        for (auto& f : report.findings) {
            if (f.layer == target_.id && f.fid > 0) {
                const std::int64_t in_import = own_fids ? f.fid : static_cast<std::int64_t>(seen_) + f.fid;
                f.fid = append_ ? -in_import : in_import;
            }
            const bool repeated = !f.fid && std::any_of(findings_.begin(), findings_.end(), [&](const Finding& g) {
                return !g.fid && g.check == f.check && g.layer == f.layer && g.message == f.message;
            });
            if (!repeated) findings_.push_back(std::move(f));
        }
        seen_ += rows.size();
    }

    std::vector<std::pair<std::string, std::string>> finish(const store::PlanStore& snapshot) override {
        QcReport report;
        if (whole_) {
            report = run(snapshot, rows_, append_);
        } else {
            // Appending: the layer's own rows are judged once, with no new row beside them.
            if (append_) report = run(snapshot, {}, true);
            report.findings.insert(report.findings.end(), findings_.begin(), findings_.end());
        }
        report.config_source = config_source_;
        auto note = gate(report, "import " + target_.id, force_);
        return {note.metadata.begin(), note.metadata.end()};
    }

private:
    QcReport run(const store::PlanStore& snapshot, const std::vector<Feature>& rows, bool append, bool own_fids = false) const {
        QcOptions options;
        options.config = config_;
        // The import's reader refused every invalid geometry (store/import_reader.cpp): not tested again.
        options.pending = PendingLayer{target_, &rows, append, true, own_fids};
        options.only_pending = true;
        return run_qc(snapshot, options);
    }

    TableSchema target_;
    bool append_, force_, whole_ = true;
    QcConfig config_;
    std::string config_source_;
    std::vector<Feature> rows_;  // whole_: every row, checked at finish()
    std::vector<Finding> findings_;
    std::size_t seen_ = 0;
};

}  // namespace

std::unique_ptr<store::ImportCheck> import_gate(const store::PlanStore& snapshot, const TableSchema& target, bool append,
                                                bool force) {
    return std::make_unique<ImportGate>(snapshot, target, append, force);
}

}  // namespace minplan::services::qc
