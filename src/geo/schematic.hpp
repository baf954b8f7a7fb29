// Schematic geometry for plan objects the seed describes without coordinates: a square of the stated
// area inside the object's county (or counties), placed deterministically. Objects are spread over their
// region (a Halton sequence) clear of every earlier object of any layer and of the room where the map writes
// each county's name; where no such room is left they are packed around the region's interior point,
// still without overlapping the layer's earlier objects; a zone too large for any free square is a square
// clipped to the room the layer's earlier objects left (only when not even that room is left does it
// overlap them, and its note says so). Every output carries geometry_source = schematic.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace minplan::geo {

struct Placement {
    Geometry lonlat;     // EPSG:4490
    double area_km2 = 0;  // ellipsoidal, CGCS2000
    std::string note;     // Chinese: how the shape was made, and any compromise
};

class SchematicPlacer {
public:
    // regions: county name -> boundary (EPSG:4490); city: the whole city's boundary, named city_zh in notes.
    SchematicPlacer(std::map<std::string, Geometry> regions, Geometry city, std::string city_zh);
    ~SchematicPlacer();
    SchematicPlacer(const SchematicPlacer&) = delete;
    SchematicPlacer& operator=(const SchematicPlacer&) = delete;

    // Places a polygon of area_km2 inside the union of the named regions (the city when empty or
    // unknown). `group` separates layers: objects of one group do not overlap each other.
    Placement place(const std::string& group, const std::vector<std::string>& regions, double area_km2);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace minplan::geo
