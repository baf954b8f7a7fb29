// The blocking quality check of `build` and `import`: data with 错误 is refused unless forced, and the
// result (forced or not) is recorded in the database's metadata (key qc_last) and change log.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/qc/qc.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::services::qc {

// Throws ProblemsError listing every 错误 (layer, feature, check, location) unless `force`; returns what
// to record otherwise.
store::PublishNote gate(const QcReport& report, const std::string& command, bool force);

// build: the whole finished database.
store::PublishNote check_build(const store::PlanStore& built, bool force);
// import, as store::import_layer streams the rows: checks them batch by batch when no check of `target`
// relates one row to another (no layer rules, no 专栏 column or total fed by it), else keeps them and
// checks them all at finish(); finish() is the gate. `snapshot` is read here only (the configuration).
std::unique_ptr<store::ImportCheck> import_gate(const store::PlanStore& snapshot, const TableSchema& target, bool append,
                                                bool force);
// import: the rows about to replace (or be appended to) `target`, against the rest of the snapshot.
std::vector<std::pair<std::string, std::string>> check_import(const store::PlanStore& snapshot, const TableSchema& target,
                                                              const std::vector<Feature>& rows, bool append, bool force);

}  // namespace minplan::services::qc
