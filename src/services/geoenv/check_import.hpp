// What an import into a geo-environment layer must satisfy beyond its schema (store::read_for_import
// checks types, required fields and code tables): references to zones, sites, projects and campaigns
// that exist, completed area not above planned, no formation date in the future, register transitions
// the plan allows. Runs before anything is written (store::ImportOptions::before_write); every problem
// names the row; any problem means nothing is written.
#pragma once

#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/plan_store.hpp"

namespace minplan::services::geoenv {

// Throws InputProblems listing every problem; does nothing for layers that are not geo-environment ones.
// `today` (YYYY-MM-DD, Asia/Shanghai; empty = store::today()) bounds formation dates.
void check_import(const store::PlanStore& snapshot, const TableSchema& target, const std::vector<Feature>& rows, bool append,
                  const std::string& today = {});

}  // namespace minplan::services::geoenv
