// Test features drawn as rectangles in the CGCS2000 3° Gauss–Krüger plane of zone 38 (EPSG:4547), 60 km west
// of the central meridian, stored in lon/lat as the plan database holds them: areas and widths of the
// rectangles can be worked by hand.
#pragma once

#include <map>
#include <string>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"

namespace minplan::testing::plane_features {

inline constexpr double kE0 = 440000, kN0 = 4440000;  // easting 60 km west of the zone's central meridian (500 km)

inline geo::Geometry plane_box(double x1, double y1, double x2, double y2) {
    const auto& to_lonlat = geo::cached_transformer(geo::kCgcs2000Gk38, geo::kCgcs2000Geographic);
    return to_lonlat.apply(geo::Geometry::polygon({{{kE0 + x1, kN0 + y1}, {kE0 + x2, kN0 + y1}, {kE0 + x2, kN0 + y2},
                                                    {kE0 + x1, kN0 + y2}, {kE0 + x1, kN0 + y1}}}));
}

inline Feature feature(std::int64_t fid, const geo::Geometry& g, std::map<std::string, Value> attrs, bool schematic = false) {
    Feature f;
    f.fid = fid;
    f.attributes = std::move(attrs);
    f.attributes[kGeometrySourceField] = std::string(schematic ? kSchematic : "imported");
    f.wkb = g.to_wkb();
    return f;
}

inline TableSchema with_extras(TableSchema s) {
    for (const auto& extra : spatial_extra_fields())
        if (!s.field(extra.name)) s.fields.push_back(extra);
    return s;
}

}  // namespace minplan::testing::plane_features
