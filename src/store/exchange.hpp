// Import and export of plan layers through GDAL: GeoPackage, Shapefile (with .cpg; GBK or UTF-8),
// GeoJSON, and reading File Geodatabase. An import reads one or more bureau files, maps their fields onto
// the target layer, validates everything (coded fields against the plan's code tables) before anything is
// written, and then replaces or appends to the target layer all-or-nothing (store/plan_database.hpp: staged, then swapped in by one transaction).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/code_table.hpp"
#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/plan_store.hpp"

namespace minplan::store {

// Xlsx: attribute tables only (a worksheet per layer, the first row the field names or aliases), through
// GDAL's XLSX driver: registers such as the geo-environment projects and the green-mine register.
// Csv: attribute tables only, import only: read as text rows by formats::read_csv_sheet (UTF-8 or GBK, as the
// annual intake reads them), every cell text, the first line the field names or aliases.
enum class VectorFormat { GeoPackage, Shapefile, GeoJson, FileGdb, Xlsx, Csv };

VectorFormat format_for_path(const std::filesystem::path& p);  // by extension; InputError if unknown
const char* gdal_driver_name(VectorFormat f);

struct ExportOptions {
    std::string encoding = "UTF-8";  // Shapefile only: written to the .cpg
};

// Writes one layer of the store to a new file (the file must not exist). Returns the feature count.
std::size_t export_layer(const PlanStore& store, const std::string& layer, const std::filesystem::path& out,
                         const ExportOptions& options = {});

// What an import's quality check sees (ImportOptions::quality_check): the validated rows, a batch at a time
// in the order they will be written; then finish(), which throws to refuse the import, or returns the
// metadata to write in its transaction. A check relating rows to each other keeps what it needs. Each call
// gets a snapshot of the plan opened for it: none stays open while the import stages (an open read
// transaction would keep SQLite from resetting its WAL, which would grow by the whole staged layer).
class ImportCheck {
public:
    virtual ~ImportCheck() = default;
    virtual void add(const PlanStore& snapshot, const std::vector<Feature>& rows) = 0;
    virtual std::vector<std::pair<std::string, std::string>> finish(const PlanStore& snapshot) = 0;
};

struct ImportOptions {
    std::string source_layer;  // layer inside each source file; default: the first
    std::string encoding;      // source text encoding when the file does not declare it (e.g. GBK)
    int source_epsg = 0;       // CRS when the source declares none
    // Source field → target field (internal name, code or Chinese alias); wins over matching by name.
    std::vector<std::pair<std::string, std::string>> field_map{};
    // Target field → value given to every imported feature (--set kind=mining).
    std::vector<std::pair<std::string, std::string>> constants{};
    std::string where{};  // OGR SQL attribute filter applied to every source layer
    bool append = false;  // add to the layer's features instead of replacing them
    // The import's quality check (services/qc/gate.hpp), made once per import (from a snapshot it must not
    // keep): it sees every validated row, batch by batch, while they are staged; its finish() throwing swaps
    // nothing in.
    std::function<std::unique_ptr<ImportCheck>(const PlanStore& snapshot, const TableSchema& target, bool append)>
        quality_check{};
    // Rows read, validated and staged at a time: what an import holds in memory. Up to one batch, every row is
    // read and checked before anything is written; a larger import stages as it reads and drops the stage on
    // a problem found later (the plan is unchanged either way).
    std::size_t batch_rows = 20000;
    // Threads deriving the per-feature values (validity, area) while one thread reads and one writes; 0: one
    // per core. The rows, fids and messages do not depend on it.
    unsigned workers = 0;
    std::string effective_date{};  // YYYY-MM-DD the new rows take effect (and the old ones end); empty = today
    // Read, validate, stage and run the quality check's finish() as a real import does, then drop the stage:
    // the plan is unchanged; ImportResult says what would be imported (layer_total: the layer's count after).
    bool dry_run = false;
    std::string actor{};  // who imports, for the audit trail (the portal's user); empty: the CLI's caller
};

// What the plan database contributes to validating an import: the administrative and mineral names, and
// the code tables of the target's coded fields (FieldDef::codes).
struct ImportReference {
    std::vector<std::string> known_counties;
    std::vector<std::string> known_minerals;
    std::vector<CodeTable> code_tables;
};

// The reference of `target` read from the plan database (names, code tables).
ImportReference import_reference(const PlanStore& store, const TableSchema& target);

struct ImportBatch {
    std::vector<Feature> features;      // coded fields hold codes
    std::vector<std::string> warnings;  // e.g. source fields that reach no target field
};

// Reads, maps and validates the features of `files` (merged in order) for `target`. Every problem of every
// file is collected; if any, throws InputError listing them all (file, feature number and FID, field, what
// was expected). Unreadable files throw IoError, unknown --map/--set targets NotFoundError.
ImportBatch read_for_import(const std::vector<std::filesystem::path>& files, const TableSchema& target,
                            const ImportOptions& options, const ImportReference& reference = {});

// The same, a batch at a time (import_layer streams with it): the sources are opened (and their headers
// checked) on construction; next() fills `batch` with up to `max_rows` valid rows, with fids from 1 in
// order, and returns false at the end. A row with a problem is never returned; once one is found, reading
// goes on only to list every problem, and no row is returned any more. throw_if_problems() at the end.
class ImportReader {
public:
    ImportReader(const std::vector<std::filesystem::path>& files, const TableSchema& target, const ImportOptions& options,
                 const ImportReference& reference);
    ~ImportReader();
    bool next(std::vector<Feature>& batch, std::size_t max_rows);
    bool has_problems() const;
    void throw_if_problems() const;
    const std::vector<std::string>& warnings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct ImportResult {
    std::size_t imported = 0;     // features read from the sources
    std::size_t layer_total = 0;  // features of the layer afterwards
    std::vector<std::string> warnings;
};

class PlanDatabase;

// Imports `files` into `layer` of the plan database: replaces its features (or appends to them) in one
// transaction; nothing is written when any problem exists.
ImportResult import_layer(PlanDatabase& db, const std::string& layer, const std::vector<std::filesystem::path>& files,
                          const ImportOptions& options);
ImportResult import_layer(const std::filesystem::path& db, const std::string& layer,
                          const std::vector<std::filesystem::path>& files, const ImportOptions& options);
// One file, replacing or appending as `options` say; returns the number of features imported.
std::size_t import_layer(PlanDatabase& db, const std::string& layer, const std::filesystem::path& file,
                         const ImportOptions& options);
std::size_t import_layer(const std::filesystem::path& db, const std::string& layer,
                         const std::filesystem::path& file, const ImportOptions& options);

}  // namespace minplan::store
