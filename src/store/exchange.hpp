// Import and export of plan layers through GDAL: GeoPackage, Shapefile (with .cpg; GBK or UTF-8),
// GeoJSON, and reading File Geodatabase. Imports are validated completely before anything is written
// and replace the target layer all-or-nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/plan_store.hpp"

namespace minplan::store {

enum class VectorFormat { GeoPackage, Shapefile, GeoJson, FileGdb };

VectorFormat format_for_path(const std::filesystem::path& p);  // by extension; InputError if unknown
const char* gdal_driver_name(VectorFormat f);

struct ExportOptions {
    std::string encoding = "UTF-8";  // Shapefile only: written to the .cpg
};

// Writes one layer of the store to a new file (the file must not exist). Returns the feature count.
std::size_t export_layer(const PlanStore& store, const std::string& layer, const std::filesystem::path& out,
                         const ExportOptions& options = {});

struct ImportOptions {
    std::string source_layer;  // layer inside the source file; default: the first
    std::string encoding;      // source text encoding when the file does not declare it (e.g. GBK)
    int source_epsg = 0;       // CRS when the source declares none
};

// Reads and validates features for `target`. Every problem is collected; if any, throws InputError
// whose message lists them all (file, feature number, field, what was expected).
std::vector<Feature> read_for_import(const std::filesystem::path& file, const TableSchema& target,
                                     const ImportOptions& options,
                                     const std::vector<std::string>& known_counties = {},
                                     const std::vector<std::string>& known_minerals = {});

class PlanDatabase;

// Replaces `layer` of the plan database with the features of `file` in one transaction; nothing is
// written on error.
std::size_t import_layer(PlanDatabase& db, const std::string& layer, const std::filesystem::path& file,
                         const ImportOptions& options);
std::size_t import_layer(const std::filesystem::path& db, const std::string& layer,
                         const std::filesystem::path& file, const ImportOptions& options);

}  // namespace minplan::store
