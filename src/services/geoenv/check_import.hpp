// What an import into a geo-environment layer must satisfy beyond its schema (store::read_for_import
// checks types, required fields and code tables): references to zones, sites, projects and campaigns
// that exist, completed area not above planned, no formation date in the future, register transitions
// the plan allows. Runs as the import's check (store::ImportOptions::quality_check, before the swap-in);
// every problem names the row; any problem means nothing is written.
#pragma once

#include <memory>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/exchange.hpp"
#include "store/plan_store.hpp"

namespace minplan::services::geoenv {

// Throws InputProblems listing every problem; does nothing for layers that are not geo-environment ones.
// `today` (YYYY-MM-DD, Asia/Shanghai; empty = store::today()) bounds formation dates.
void check_import(const store::PlanStore& snapshot, const TableSchema& target, const std::vector<Feature>& rows, bool append,
                  const std::string& today = {});

// The import check of `target`: for a geo-environment layer (small: its rows are kept) check_import on all
// rows at finish, then `next` (the quality-check gate; may be null); for any other layer `next` itself.
std::unique_ptr<store::ImportCheck> import_check(const TableSchema& target, bool append,
                                                 std::unique_ptr<store::ImportCheck> next);

}  // namespace minplan::services::geoenv
