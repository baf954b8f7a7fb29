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
#include "rules/model.hpp"

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
    geo::Geometry lonlat;  // EPSG:4490, valid, polygonal (the corners; edges straight in lon/lat)
    int source_epsg = 0;
    std::vector<std::string> notes;  // corrections and doubts, Chinese
    // The Gauss–Krüger plane of the overlay: the registered plane for plane input (edges straight there),
    // the plan's zone for geographic input (facts go to `info`).
    geo::Geometry plane;
    int plane_epsg = 0;
    bool plane_decides = false;
    double plane_area_m2 = 0, ellipsoid_area_m2 = 0;
    std::vector<Application::Corner> corners;
    std::vector<std::string> info;  // informational notes that cast no doubt (Application::notes)
};

// Rings of the parsed input: per parcel, non-hole rings are shells, holes go to the shell that contains
// them. Plane coordinates: X northing, Y easting (zone-prefixed or not).
PolygonResult polygon_from_parsed(const formats::ParsedInput& in, const PolygonOptions& o);

// A polygon read through GDAL. crs_known: lonlat holds EPSG:4490 coordinates. Otherwise the file had no
// CRS and the coordinates are as stored (x easting / longitude, y northing / latitude): lon/lat when they
// look like degrees, else Gauss–Krüger plane with the zone from the prefix or the default.
PolygonResult polygon_from_geometry(const geo::Geometry& g, bool crs_known, int source_epsg, const PolygonOptions& o);

// A polygon whose coordinates are in a Gauss–Krüger plane with a known EPSG code (x easting, y northing):
// its edges are straight in that plane, which becomes the plane of the overlay.
PolygonResult polygon_from_plane(const geo::Geometry& g, int plane_epsg, const PolygonOptions& o);

// True for the CGCS2000 Gauss–Krüger EPSG codes (3° zones 25–45 and 6° zones 13–23, with or without prefix).
bool is_cgcs2000_gk_epsg(int epsg);

}  // namespace minplan::rules
