// The exchange bundle (汇交数据包) a city files with the province, and the import of one into a new
// database: a zip holding
//   metadata.json     plan, version, date, change set and its 批复文号, CRS, every file with its SHA-256;
//   plan.gpkg         the plan database itself (a consistent copy: layers, history, change sets, audit);
//   <CODE>.shp …      every spatial layer as in force on the date, Shapefile with .cpg (GBK by default);
//   调整情况表.xlsx    with a change set: the adjustment table (services/plan_diff) of that set.
// Importing checks the metadata and checksums, quality-checks the bundled database (services/qc) and
// refuses 错误 unless forced, then installs it as a new, empty target database (never over one). A bundle
// with a change set can instead be imported into a database that holds the plan: the set is recreated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "services/qc/qc.hpp"
#include "store/plan_database.hpp"

namespace minplan::services {

inline constexpr const char* kBundleFormat = "minplan-exchange-1";

struct BundleOptions {
    std::string as_of;            // the date the Shapefiles show (default today)
    std::int64_t change_set = 0;  // an approved change set: its date, 批复文号 and adjustment table
    std::string encoding = "GBK";
};

// Writes the bundle to `zip` (which must not exist); returns its metadata.
nlohmann::json export_bundle(const store::PlanDatabase& db, const std::filesystem::path& zip, const BundleOptions& options);

// Extracts `zip` into the existing directory `dir` and checks it: the metadata's format, every listed file
// present with its checksum, nothing else. InputError naming the file and the problem otherwise.
// Returns the metadata; the database is dir / "plan.gpkg".
nlohmann::json open_bundle(const std::filesystem::path& zip, const std::filesystem::path& dir);

// The quality check of a bundle before import (`minplan qc --bundle`).
qc::QcReport qc_bundle(const std::filesystem::path& zip);

struct BundleImport {
    nlohmann::json metadata;
    qc::QcReport qc;
};

// Imports the bundle as the new database `target`: open_bundle, the quality check (ProblemsError listing
// the 错误 unless `force`, whose reason is recorded), install, and an audit entry in the new database.
BundleImport import_bundle(const std::filesystem::path& zip, const std::filesystem::path& target, const std::string& actor,
                           bool force, const std::string& force_reason = {});

// The bundle's change set recreated in `db`, a database that already holds the same plan (metadata id):
// the set is read from the bundled database and written as a draft of `db` (services::recreate_change_set:
// items checked against `db`, conflicts with its newer approved sets named, a set imported before refused;
// nothing written on any error). The receiving office then submits and approves it as its own.
struct ChangeSetImport {
    nlohmann::json metadata;
    std::int64_t change_set = 0;  // the new id in `db`
    std::size_t items = 0;
};
ChangeSetImport import_changeset_bundle(const std::filesystem::path& zip, store::PlanDatabase& db, const std::string& actor);

}  // namespace minplan::services
