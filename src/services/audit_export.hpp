// The audit trail as a bureau files it: one table (审计记录) for XLSX and CSV, shared by
// `minplan log --audit --out` and the portal's audit page (GET /api/audit?format=csv|xlsx).
#pragma once

#include <string>
#include <vector>

#include "core/table_view.hpp"
#include "store/history.hpp"

namespace minplan::services {

const std::vector<std::string>& audit_header();
std::vector<std::string> audit_row(const store::AuditEntry& e);
TableView audit_table(const std::vector<store::AuditEntry>& entries, const std::string& database);
// UTF-8 with a BOM (so that Excel opens it as such), CRLF lines, RFC 4180 quoting.
std::string audit_csv(const std::vector<store::AuditEntry>& entries);

}  // namespace minplan::services
