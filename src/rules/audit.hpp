// Re-auditing existing rights: every feature of the rights layer is checked as if its holder applied to
// extend it (action = extension), with the right's holder, mineral, scale and licence as attributes, so
// that the right itself is not reported as an overlap. One report per right.
#pragma once

#include <string>
#include <vector>

#include "rules/engine.hpp"

namespace minplan::rules {

// Something the audit could not use as it is: a whole layer (feature_id empty) or one feature (left out,
// or repaired before use).
struct SkipNote {
    std::string layer, feature_id, message_zh;
};

struct AuditEntry {
    std::string right_id, licence_no, holder, mineral, kind;
    Report report;
};

// The batch engine (audit_batch.hpp) with its defaults; kept for callers that want the entries only.
std::vector<AuditEntry> audit_rights(const Engine& engine, const PlanIndex& index, const std::string& layer = "mineral_rights");

// One row per right and finding that is not 通过/不适用 (or a single 符合 row), as CSV (UTF-8 with BOM so
// that spreadsheet programs show the Chinese) or JSON.
// What was skipped follows the rights: CSV rows with 规则 = 跳过, JSON elements {"skipped": {layer,
// feature_id, message}} after the rights' (none when nothing was skipped).
std::string audit_to_csv(const std::vector<AuditEntry>& entries, const std::vector<SkipNote>& skipped = {});
nlohmann::json audit_to_json(const std::vector<AuditEntry>& entries, const std::vector<SkipNote>& skipped = {});

// The same output in pieces, for writing one right at a time (the CLI keeps the text, not the reports):
// audit_to_csv = audit_csv_header() + audit_csv_rows(e)... + audit_csv_skipped(skipped), and audit_to_json's
// elements are audit_entry_json(e)... then audit_skipped_json(s)....
std::string audit_csv_header();
std::string audit_csv_rows(const AuditEntry& e);
std::string audit_csv_skipped(const std::vector<SkipNote>& skipped);
nlohmann::json audit_entry_json(const AuditEntry& e);
nlohmann::json audit_skipped_json(const SkipNote& s);

}  // namespace minplan::rules
