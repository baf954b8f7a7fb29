// Whole-database copies for the exchange bundle (services/exchange_bundle.hpp): a consistent copy of a
// plan database with its history, change sets and audit trail, and the installation of such a copy as a
// new database. The only file-level writes of a plan database outside a transaction, and they live here.
#pragma once

#include <filesystem>

#include "store/plan_database.hpp"

namespace minplan::store {

// A consistent snapshot of `db` written to `out` (which must not exist): SQLite's VACUUM INTO, so
// the copy is one committed version whatever other writers do meanwhile.
void copy_database(const PlanDatabase& db, const std::filesystem::path& out);

// Installs `copy` (a plan GeoPackage) as the new database `target`, which must not exist or be an empty
// file: InputError otherwise (a database is never overwritten). The copy is checked to open as a plan
// database first; the installed database is opened and returned.
std::shared_ptr<PlanDatabase> install_database(const std::filesystem::path& copy, const std::filesystem::path& target);

}  // namespace minplan::store
