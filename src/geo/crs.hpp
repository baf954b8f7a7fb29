// Coordinate reference systems through PROJ. Storage is CGCS2000 geographic (EPSG:4490, lon/lat order);
// plane coordinates are 3° Gauss–Krüger zones, e.g. zone 38 around 114°E (EPSG:4526 with the zone prefix,
// EPSG:4547 without).
#pragma once

#include <memory>
#include <string>

#include "geo/geometry.hpp"

namespace minplan::geo {

inline constexpr int kCgcs2000Geographic = 4490;
inline constexpr int kCgcs2000Gk38Prefixed = 4526;
inline constexpr int kCgcs2000Gk38 = 4547;

// EPSG code of the CGCS2000 3° Gauss–Krüger zone (25..45), with or without the zone prefix on eastings.
int cgcs2000_gk3_epsg(int zone, bool prefixed);
// The 3° zone whose central meridian (3° × zone) is nearest to `lon`.
int gk3_zone_of(double lon);

// The CRS's definition as WKT2 (2019) from PROJ's database, e.g. for QGIS project files.
std::string crs_wkt(int epsg);

// A PROJ transformation between two EPSG CRSs, axis order normalised to x = easting/longitude,
// y = northing/latitude. Not thread-safe: make one per thread.
class Transformer {
public:
    Transformer(int from_epsg, int to_epsg);
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;
    ~Transformer();
    Coord apply(Coord c) const;
    Geometry apply(const Geometry& g) const;
    int from_epsg() const { return from_; }
    int to_epsg() const { return to_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int from_ = 0, to_ = 0;
};

// A per-thread cache of transformers: creating one (proj_create_crs_to_crs) costs far more than using it.
const Transformer& cached_transformer(int from_epsg, int to_epsg);

// Opens this thread's PROJ context and its connection to proj.db, which the thread's first transformer
// would otherwise open: for a server thread started ahead of its first request. 64 new server threads opening
// them in their first checks held 64 new clients ≈ 0.2 s (docs/performance.md, session 17).
void prepare_thread();

// Ellipsoidal area in km² of a lon/lat (EPSG:4490) polygonal geometry, on the CGCS2000 ellipsoid
// (MNR 2022 rule for mineral-right areas: computed on the ellipsoid, reported in km² to 4 decimals).
double ellipsoidal_area_km2(const Geometry& lonlat);

// Ellipsoidal area in km² of a polygon whose edges are straight in the Gauss–Krüger plane `plane_epsg`
// (a registered mineral-right polygon): the boundary's image in PROJ's cylindrical equal-area projection of the
// CGCS2000 ellipsoid, integrated piece by piece (Green's theorem, ≤ 1 km pieces, the curve's departure from its
// chord by Simpson's rule). It equals the earlier densified measure (20 m segments, GeographicLib's geodesic
// polygon area) within 1e-9 relative + 1e-3 m², that measure's own rounding (tests/geo/plane_area_test.cpp).
// Polygons up to a few km across (most) map their points through a local cubic polynomial of the pipeline
// (geo/local_cubic_map.hpp) instead of PROJ; `pointwise` calls PROJ on every point, the reference for that.
enum class PlaneAreaPoints { local_polynomial, pointwise };
double plane_polygon_ellipsoidal_area_km2(const Geometry& plane, int plane_epsg,
                                          PlaneAreaPoints points = PlaneAreaPoints::local_polynomial);

// Rounds to 4 decimals the way the MNR rule reports areas.
double round_km2(double km2);

}  // namespace minplan::geo
