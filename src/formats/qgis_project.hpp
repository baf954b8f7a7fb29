// A QGIS project (.qgs XML) over the layers of one plan database, and the metadata documents QGIS and
// catalogue software read from a GeoPackage: ISO 19115 (gmd) for the dataset, QGIS layer metadata (QMD)
// per layer. Pure text; the store puts them into the database (qgis_projects, gpkg_metadata).
#pragma once

#include <string>
#include <vector>

#include "formats/qgis_style.hpp"

namespace minplan::formats {

struct ProjectLayer {
    StyledLayer styled;
    std::string title_zh;  // name in the layer tree
};

struct Bounds {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct ProjectSpec {
    std::string title_zh;
    std::string datasource;            // path of the GeoPackage as the project refers to it, e.g. "./plan.gpkg"
    int storage_epsg = 4490;           // the layers' CRS
    int display_epsg = 0;              // the project's (a Gauss–Krüger zone): the city is not squashed
    std::string storage_wkt, display_wkt;  // their WKT (QGIS trusts a CRS it is given as WKT)
    Bounds display_extent;             // initial view, in display_epsg
    std::vector<ProjectLayer> layers;  // spatial layers in drawing order (bottom to top), then tables
    std::string schematic_note_zh;
};

std::string qgis_project_xml(const ProjectSpec& spec);

struct DatasetInfo {
    std::string id, title_zh, level_zh, period, issuing_body_zh, version, jurisdiction_zh;
    std::string schematic_note_zh;
    std::string date;                          // YYYY-MM-DD of the build
    Bounds lonlat;                             // geographic extent (EPSG:4490)
    std::vector<std::pair<std::string, std::string>> layer_sources;  // "KAICQK 开采规划区块" → source
};

// ISO 19115 / ISO 19139 (gmd) dataset metadata.
std::string iso19115_xml(const DatasetInfo& d);
// QGIS layer metadata (QMD): title, abstract, publisher, CRS of one layer.
std::string layer_qmd(const DatasetInfo& d, const std::string& layer_code, const std::string& title_zh,
                      const std::string& abstract_zh, int epsg);

}  // namespace minplan::formats
