// Internal: the GeoPackage tables of the plan's history (docs/database.md, "History"), shared by the plan
// database (writes) and the store (as-of reads).
//
//   minplan_hist_<CODE>     a GeoPackage layer per plan layer: its retired rows, with the layer's fields and
//                           minplan_fid (the row's fid while it was live), minplan_valid_from/_to,
//                           minplan_set_from/_to (the change sets that added and retired it)
//   minplan_validity        (layer, fid) → valid_from, change_set of live rows added by a change set; a live
//                           row without an entry has been valid since the database was built (change set 0)
//   minplan_changesets, minplan_changeset_items, minplan_audit (append-only: triggers refuse UPDATE/DELETE)
#pragma once

#include <string>
#include <vector>

#include "core/schema.hpp"
#include "store/history.hpp"

class GDALDataset;

namespace minplan::store {
class SqliteDb;
}

namespace minplan::store::detail {

inline constexpr const char* kValidityTable = "minplan_validity";
inline constexpr const char* kChangeSetsTable = "minplan_changesets";
inline constexpr const char* kChangeItemsTable = "minplan_changeset_items";
inline constexpr const char* kAuditTable = "minplan_audit";

std::string history_table(const std::string& layer_code);
std::string quoted(const std::string& name);  // an SQL identifier in double quotes

// Creates the history's plain tables if missing (idempotent; inside the caller's transaction).
void ensure_history_schema(SqliteDb& sql);
// Creates the history layer of each schema that lacks one (GDAL: registered, with an R*Tree).
void ensure_history_layers(GDALDataset& ds, const std::vector<TableSchema>& schemas);

void insert_audit(SqliteDb& sql, AuditEntry entry);
std::vector<AuditEntry> select_audit(SqliteDb& sql, const AuditFilter& filter);

std::int64_t write_change_set(SqliteDb& sql, const ChangeSet& cs);  // header and items; returns the id
std::vector<ChangeSet> select_change_sets(SqliteDb& sql, std::int64_t id);  // id 0: all (no items)

}  // namespace minplan::store::detail
