// Turning what reviewers receive into an Application polygon in CGCS2000 geographic coordinates: the
// coordinate texts parsed by src/formats (plane Gauss–Krüger or geographic) and polygons read through GDAL.
// The usual mistakes are caught here with messages that say what to check: swapped X/Y (corrected, and
// noted), a missing zone (the plan's zone assumed, and noted), points outside the province (InputError,
// with the likely causes), an application outside the city (InputError), invalid rings (InputError with
// the ring's line and the GEOS reason).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formats/coordinate_input.hpp"
#include "geo/geometry.hpp"

namespace minplan::rules {

// Filled from the plan (Engine::polygon_options): rules.json settings and the plan's boundary.
struct PolygonOptions {
    int default_zone = 0;   // the plan area's 3° zone, assumed (with a note) when the input has none
    geo::Envelope province;  // coordinates outside are refused as mistyped (lon/lat)
    std::string province_zh;
    const geo::PreparedGeometry* city = nullptr;  // the plan's jurisdiction (EPSG:4490); nullptr = not checked
    std::string city_zh;
};

struct PolygonResult {
    geo::Geometry lonlat;  // EPSG:4490, valid, polygonal
    int source_epsg = 0;
    std::vector<std::string> notes;  // corrections and doubts, Chinese
};

// Rings of the parsed input: per parcel, non-hole rings are shells, holes go to the shell that contains
// them. Plane coordinates: X northing, Y easting (zone-prefixed or not).
PolygonResult polygon_from_parsed(const formats::ParsedInput& in, const PolygonOptions& o);

// A polygon read through GDAL. crs_known: lonlat holds EPSG:4490 coordinates. Otherwise the file had no
// CRS and the coordinates are as stored (x easting / longitude, y northing / latitude): lon/lat when they
// look like degrees, else Gauss–Krüger plane with the zone from the prefix or the default.
PolygonResult polygon_from_geometry(const geo::Geometry& g, bool crs_known, int source_epsg, const PolygonOptions& o);

}  // namespace minplan::rules
