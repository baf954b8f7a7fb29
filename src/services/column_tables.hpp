// The plan's 专栏 tables as one answer for both front ends: `minplan table N --json` prints it and
// /api/tables/{N} serves it, so that the two never disagree. A 专栏 is found by number through the tables
// named zlNN_* and the layers whose Chinese name cites it (（专栏12）: the zone layers).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "store/plan_store.hpp"

namespace minplan::services {

// Table and layer ids of 专栏 `key` ("12", "专栏12"); empty when the key is not a 专栏 number.
std::vector<std::string> column_table_ids(const store::PlanStore& store, const std::string& key);

// {"key", "tables": [{id, code, title, fields, rows, pivot?, regenerated?}]}. `key` is a 专栏 number or a
// table id; NotFoundError when it names neither.
nlohmann::json column_tables(const store::PlanStore& store, const std::string& key);

// {"tables": [{id, number, title, rows}]}: every 专栏 the database holds.
nlohmann::json column_table_list(const store::PlanStore& store);

}  // namespace minplan::services
