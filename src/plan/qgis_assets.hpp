// Everything QGIS reads from a plan database besides the layers — default styles (layer_styles), layer
// titles and metadata, ISO 19115 dataset metadata, the QGIS project — prepared from the plan's schemas,
// code tables and map style (package file styles.json). `build` writes them (GpkgWriter::set_qgis);
// `export-qgis` writes the project as a .qgz file beside any copy of the database.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/code_table.hpp"
#include "core/map_style.hpp"
#include "core/schema.hpp"
#include "formats/qgis_project.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::store {
class PlanStore;
class PlanDatabase;
}

namespace minplan::plan {

struct QgisInputs {
    std::vector<TableSchema> schemas;              // plan layers and tables as stored
    std::map<std::string, CodeTable> code_tables;  // by table id
    MapStyle style;
    nlohmann::json manifest;  // plan.json
    nlohmann::json settings;  // rules.json "settings": gk_zone, issuing_unit_zh
    formats::Bounds city_lonlat;
    std::string datasource;  // how the project refers to the GeoPackage, e.g. "./datong-2021-2025.gpkg"
    std::string version = "1";
};

// The EPSG code of the project's CRS: the plan's Gauss–Krüger zone (settings.gk_zone), else the zone of
// the jurisdiction's centre; CGCS2000, eastings without the zone prefix.
int display_epsg(const QgisInputs& in);

store::QgisExtras qgis_extras(const QgisInputs& in);
std::string qgis_project(const QgisInputs& in);

// The same inputs read back from a plan database (for `minplan export-qgis`).
QgisInputs qgis_inputs(const store::PlanStore& store, const std::string& datasource);

// Writes the styles, titles, metadata and project again from the database's current content (after an
// import or an approved adjustment: the metadata's version and date follow the plan). A database without a
// map style (built before styles.json) is left as it is: returns false.
bool refresh_qgis_assets(store::PlanDatabase& db);

}  // namespace minplan::plan
