// Writes the QGIS styles, project and metadata into a GeoPackage being built (GpkgWriter::commit), and
// takes minplan's own tables out of gpkg_contents so that QGIS lists only the plan.
#pragma once

#include <filesystem>
#include <string>

#include "store/gpkg_store.hpp"
#include "store/plan_database.hpp"

namespace minplan::store {

class SqliteDb;

// Idempotent: minplan's earlier styles, titles and metadata are replaced.
void write_qgis_extras(SqliteDb& db, const QgisExtras& extras);
// The same on an open plan database, in one record transaction (after an import or an approved adjustment,
// so that the metadata's version and date follow the plan).
void replace_qgis_extras(PlanDatabase& db, const QgisExtras& extras);
// The default style of `table` into an exported GeoPackage (layer_styles, as QGIS reads it).
void write_style_into(const std::filesystem::path& gpkg, const std::string& table, const LayerStyleText& style);

// Writes a project as a .qgz file (all-or-nothing: a temporary file renamed into place).
void write_qgz_file(const std::filesystem::path& out, const std::string& qgs_name, const std::string& qgs_xml);

}  // namespace minplan::store
