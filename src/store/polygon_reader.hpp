// Reads an application polygon from a GeoJSON, Shapefile or GeoPackage file through GDAL: all polygonal
// features of one layer combined into one (multi)polygon. With a declared CRS the result is transformed
// to EPSG:4490 (lon/lat); without one the coordinates are returned as stored and crs_known is false, so
// the review can infer degrees or Gauss–Krüger metres and say so.
#pragma once

#include <filesystem>
#include <map>
#include <cstddef>
#include <string>
#include <vector>

namespace minplan::store {

struct ReadPolygon {
    std::vector<unsigned char> wkb;  // ISO WKB, polygon or multipolygon
    bool crs_known = false;
    int source_epsg = 0;             // 0 when the CRS is unknown or has no EPSG code
    std::string format;              // geojson / shapefile / geopackage
    std::map<std::string, std::string> properties;  // the first feature's attributes, as text
};

// Bounds on what one application may hold, counted on GDAL's features before anything is copied,
// transformed or handed to GEOS (the caller passes formats::InputLimits; 0 = unbounded).
struct PolygonLimits {
    std::size_t max_vertices = 0;  // points of all rings, closing points included
    std::size_t max_parts = 0;     // polygons (a multipolygon's parts count one each)
};

// InputError when the file has no polygon, a non-polygonal geometry, an untransformable CRS, or more
// vertices or parts than `limits` allow (the message names the feature where the limit was crossed).
ReadPolygon read_application_polygon(const std::filesystem::path& file, const std::string& layer = {},
                                     const PolygonLimits& limits = {});

}  // namespace minplan::store
