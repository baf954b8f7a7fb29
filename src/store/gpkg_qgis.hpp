// Writes the QGIS styles, project and metadata into a GeoPackage being built (GpkgWriter::commit), and
// takes minplan's own tables out of gpkg_contents so that QGIS lists only the plan.
#pragma once

#include <filesystem>
#include <string>

#include "store/gpkg_store.hpp"

namespace minplan::store {

class SqliteDb;

void write_qgis_extras(SqliteDb& db, const QgisExtras& extras);

// Writes a project as a .qgz file (all-or-nothing: a temporary file renamed into place).
void write_qgz_file(const std::filesystem::path& out, const std::string& qgs_name, const std::string& qgs_xml);

}  // namespace minplan::store
