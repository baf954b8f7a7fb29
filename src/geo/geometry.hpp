// Geometry facade over the GEOS C API. The only headers that include geos_c.h are under src/geo/*.cpp;
// the rest of minplan speaks in these types. One GEOS context per thread; Geometry is move-only and owns
// its handle; predicates check GEOS's error code 2 and throw instead of letting it read as true.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct GEOSGeom_t;
struct GEOSPrepGeom_t;
struct GEOSSTRtree_t;

namespace minplan::geo {

struct Coord {
    double x = 0;  // longitude or easting
    double y = 0;  // latitude or northing
};

struct Envelope {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool intersects(const Envelope& o) const {
        return !(o.min_x > max_x || o.max_x < min_x || o.min_y > max_y || o.max_y < min_y);
    }
    bool contains(const Envelope& o) const {
        return o.min_x >= min_x && o.max_x <= max_x && o.min_y >= min_y && o.max_y <= max_y;
    }
    double width() const { return max_x - min_x; }
    double height() const { return max_y - min_y; }
    Envelope expanded(const Envelope& o) const {
        return {std::min(min_x, o.min_x), std::min(min_y, o.min_y), std::max(max_x, o.max_x), std::max(max_y, o.max_y)};
    }
};

using Ring = std::vector<Coord>;
using PolygonRings = std::vector<Ring>;  // first ring = shell, the rest = holes

struct ValidityProblem {
    std::string reason;  // GEOS's reason, e.g. "Self-intersection"
    Coord location;
};

class Geometry {
public:
    Geometry() = default;
    explicit Geometry(GEOSGeom_t* owned);
    Geometry(Geometry&& o) noexcept;
    Geometry& operator=(Geometry&& o) noexcept;
    Geometry(const Geometry&) = delete;
    Geometry& operator=(const Geometry&) = delete;
    ~Geometry();

    static Geometry from_wkb(std::span<const unsigned char> wkb);
    static Geometry from_wkt(std::string_view wkt);
    static Geometry polygon(const PolygonRings& rings);
    static Geometry multi_polygon(const std::vector<PolygonRings>& polygons);
    static Geometry rectangle(const Envelope& e);
    // The union of every geometry of `gs` in one pass (GEOSUnaryUnion of a collection); empty for none.
    static Geometry union_of(const std::vector<const Geometry*>& gs);

    Geometry clone() const;
    std::vector<unsigned char> to_wkb() const;
    std::string to_wkt(int decimals = 6) const;
    std::string to_geojson(int decimals = 7) const;

    bool is_null() const { return handle_ == nullptr; }
    bool is_empty() const;
    std::string type_name() const;
    std::size_t vertex_count() const;  // all coordinates, rings' closing points included
    double planar_area() const;
    Envelope envelope() const;
    std::optional<ValidityProblem> validity_problem() const;
    std::vector<PolygonRings> polygons() const;  // polygonal parts; other parts are ignored

    bool intersects(const Geometry& o) const;
    bool contains(const Geometry& o) const;
    bool covers(const Geometry& o) const;
    Geometry intersection(const Geometry& o) const;
    // The part inside an axis-aligned rectangle (GEOSClipByRect): linear in the vertices, no overlay; the
    // same polygon as intersection() with the rectangle (up to vertex order and rounding).
    Geometry clip_by_rect(const Envelope& e) const;
    // A single polygon without holes equal to its envelope (4 corners, axis-aligned in lon/lat); also a
    // multipolygon of one such polygon (the store keeps every polygon layer as MultiPolygon).
    bool is_rectangle() const;
    Geometry difference(const Geometry& o) const;
    Geometry union_with(const Geometry& o) const;
    Geometry buffer(double distance) const;
    double distance(const Geometry& o) const;  // in the coordinates' unit; 0 when they meet
    // Radius of the largest circle inside a polygonal geometry (GEOSMaximumInscribedCircle, to `tolerance`):
    // twice it is the width of the widest strip the shape can hold.
    double max_inscribed_radius(double tolerance) const;
    std::vector<Geometry> parts() const;  // the components of a collection; a copy of itself otherwise
    Geometry make_valid() const;
    Geometry simplify(double tolerance) const;  // topology-preserving
    Geometry densify(double max_segment) const;  // vertices added so no segment is longer than max_segment
    Coord point_on_surface() const;
    // Distance from `p` to the boundary (every ring) of a polygonal geometry, in the coordinates' unit: for a
    // point inside, the radius of the largest disc around it that stays inside.
    double boundary_distance(Coord p) const;

    // Applies f to every coordinate (used with PROJ transforms).
    Geometry transformed(const std::function<Coord(Coord)>& f) const;

    GEOSGeom_t* handle() const { return handle_; }
    GEOSGeom_t* release();

private:
    GEOSGeom_t* handle_ = nullptr;
};

// A geometry prepared for repeated predicates against many others (GEOS PreparedGeometry).
class PreparedGeometry {
public:
    explicit PreparedGeometry(const Geometry& g);  // g must outlive this object
    PreparedGeometry(PreparedGeometry&& o) noexcept;
    PreparedGeometry& operator=(PreparedGeometry&&) = delete;
    PreparedGeometry(const PreparedGeometry&) = delete;
    ~PreparedGeometry();
    bool intersects(const Geometry& o) const;
    bool contains(const Geometry& o) const;
    bool covers(const Geometry& o) const;

private:
    const GEOSPrepGeom_t* handle_ = nullptr;
};

// Envelope index (GEOS STRtree) returning the caller's item numbers.
class EnvelopeIndex {
public:
    EnvelopeIndex();
    EnvelopeIndex(const EnvelopeIndex&) = delete;
    EnvelopeIndex& operator=(const EnvelopeIndex&) = delete;
    ~EnvelopeIndex();
    void insert(const Envelope& e, std::size_t item);
    std::vector<std::size_t> query(const Envelope& e) const;  // items in insertion order
    std::size_t size() const { return items_.size(); }

private:
    GEOSSTRtree_t* tree_ = nullptr;
    std::vector<std::size_t> items_;
    std::vector<Geometry> boxes_;
};

}  // namespace minplan::geo
