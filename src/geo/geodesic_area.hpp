// The area of a lon/lat ring with geodesic edges on the CGCS2000 ellipsoid, for rings of short edges (the
// overlaps of a batch audit or a check: pieces of mineral rights, farmland patches, red lines), about ten
// times cheaper than geod_polygonarea's geodesic per edge and at least as exact there (its own rounding is
// about 1e-4 m²; tests/geo/geodesic_area_test.cpp compares the two).
#pragma once

#include <cstddef>
#include <optional>

namespace minplan::geo {

// The longest edge short_ring_area_m2 measures, in radians of latitude or of longitude × cos(latitude)
// (≈ 5 km): its truncation stays below 1e-9 of a 5 km × 1 m sliver.
inline constexpr double kShortEdgeRad = 8e-4;
// ellipsoidal_area_km2 leaves rings smaller than this (m²) to geod_polygonarea (crs.cpp).
inline constexpr double kGeodesicBelowM2 = 1000;

// The signed area (m², positive when the ring runs counter-clockwise in lon/lat, as geod_polygonarea signs
// it) of the ring `lon`/`lat` (degrees, n vertices, the closing one not repeated) whose edges are
// geodesics; nullopt when an edge is longer than kShortEdgeRad (then geod_polygonarea measures it).
std::optional<double> short_ring_area_m2(const double* lon, const double* lat, std::size_t n);

}  // namespace minplan::geo
