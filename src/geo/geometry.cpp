#include "geo/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "geo/geos_context.hpp"

namespace minplan::geo {

using detail::check;
using detail::check_predicate;
using detail::geos;

namespace {

GEOSGeometry* make_ring(const Ring& ring) {
    if (ring.size() < 3) throw InputError("环的点数少于3个 / ring has fewer than 3 points");
    bool closed = ring.front().x == ring.back().x && ring.front().y == ring.back().y;
    unsigned int n = static_cast<unsigned int>(ring.size() + (closed ? 0 : 1));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), n, 2);
    if (!seq) detail::throw_geos("CoordSeq_create");
    for (unsigned int i = 0; i < ring.size(); ++i) {
        GEOSCoordSeq_setXY_r(geos(), seq, i, ring[i].x, ring[i].y);
    }
    if (!closed) GEOSCoordSeq_setXY_r(geos(), seq, n - 1, ring.front().x, ring.front().y);
    if (n < 4) {
        GEOSCoordSeq_destroy_r(geos(), seq);
        throw InputError("环的点数少于3个 / ring has fewer than 3 distinct points");
    }
    return check(GEOSGeom_createLinearRing_r(geos(), seq), "createLinearRing");
}

GEOSGeometry* make_polygon(const PolygonRings& rings) {
    if (rings.empty()) return check(GEOSGeom_createEmptyPolygon_r(geos()), "createEmptyPolygon");
    std::vector<GEOSGeometry*> made;
    try {
        for (const auto& r : rings) made.push_back(make_ring(r));
    } catch (...) {
        for (auto* g : made) GEOSGeom_destroy_r(geos(), g);
        throw;
    }
    std::vector<GEOSGeometry*> holes(made.begin() + 1, made.end());
    return check(GEOSGeom_createPolygon_r(geos(), made[0], holes.data(), static_cast<unsigned>(holes.size())),
                 "createPolygon");
}

Ring ring_coords(const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), ring);
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(geos(), seq, &n);
    Ring out(n);
    for (unsigned int i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(geos(), seq, i, &out[i].x, &out[i].y);
    return out;
}

void collect_polygons(const GEOSGeometry* g, std::vector<PolygonRings>& out) {
    int type = GEOSGeomTypeId_r(geos(), g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(geos(), g) == 1) return;
        PolygonRings rings;
        rings.push_back(ring_coords(GEOSGetExteriorRing_r(geos(), g)));
        int holes = GEOSGetNumInteriorRings_r(geos(), g);
        for (int i = 0; i < holes; ++i) rings.push_back(ring_coords(GEOSGetInteriorRingN_r(geos(), g, i)));
        out.push_back(std::move(rings));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(geos(), g);
        for (int i = 0; i < n; ++i) collect_polygons(GEOSGetGeometryN_r(geos(), g, i), out);
    }
}

template <class Deleter, class T>
std::unique_ptr<T, Deleter> own(T* p, Deleter d) {
    return std::unique_ptr<T, Deleter>(p, d);
}

}  // namespace

Geometry::Geometry(GEOSGeom_t* owned) : handle_(owned) {}
Geometry::Geometry(Geometry&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
Geometry& Geometry::operator=(Geometry&& o) noexcept {
    if (this != &o) {
        if (handle_) GEOSGeom_destroy_r(geos(), handle_);
        handle_ = std::exchange(o.handle_, nullptr);
    }
    return *this;
}
Geometry::~Geometry() {
    if (handle_) GEOSGeom_destroy_r(geos(), handle_);
}
GEOSGeom_t* Geometry::release() { return std::exchange(handle_, nullptr); }

Geometry Geometry::from_wkb(std::span<const unsigned char> wkb) {
    auto reader = own(GEOSWKBReader_create_r(geos()), [](GEOSWKBReader* r) { GEOSWKBReader_destroy_r(geos(), r); });
    GEOSGeometry* g = GEOSWKBReader_read_r(geos(), reader.get(), wkb.data(), wkb.size());
    if (!g) throw InputError("无法解析WKB几何 / invalid WKB geometry: " + detail::last_geos_error());
    return Geometry(g);
}

Geometry Geometry::from_wkt(std::string_view wkt) {
    auto reader = own(GEOSWKTReader_create_r(geos()), [](GEOSWKTReader* r) { GEOSWKTReader_destroy_r(geos(), r); });
    std::string text(wkt);
    GEOSGeometry* g = GEOSWKTReader_read_r(geos(), reader.get(), text.c_str());
    if (!g) throw InputError("无法解析WKT几何 / invalid WKT geometry: " + detail::last_geos_error());
    return Geometry(g);
}

Geometry Geometry::polygon(const PolygonRings& rings) { return Geometry(make_polygon(rings)); }

Geometry Geometry::multi_polygon(const std::vector<PolygonRings>& polygons) {
    std::vector<GEOSGeometry*> parts;
    try {
        for (const auto& p : polygons) parts.push_back(make_polygon(p));
    } catch (...) {
        for (auto* g : parts) GEOSGeom_destroy_r(geos(), g);
        throw;
    }
    return Geometry(check(GEOSGeom_createCollection_r(geos(), GEOS_MULTIPOLYGON, parts.data(),
                                                      static_cast<unsigned>(parts.size())),
                          "createCollection"));
}

Geometry Geometry::rectangle(const Envelope& e) {
    return polygon({{{e.min_x, e.min_y}, {e.max_x, e.min_y}, {e.max_x, e.max_y}, {e.min_x, e.max_y}}});
}

Geometry Geometry::clone() const { return Geometry(check(GEOSGeom_clone_r(geos(), handle_), "clone")); }

std::vector<unsigned char> Geometry::to_wkb() const {
    auto writer = own(GEOSWKBWriter_create_r(geos()), [](GEOSWKBWriter* w) { GEOSWKBWriter_destroy_r(geos(), w); });
    GEOSWKBWriter_setByteOrder_r(geos(), writer.get(), GEOS_WKB_NDR);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(geos(), writer.get(), handle_, &size);
    if (!buf) detail::throw_geos("WKBWriter_write");
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(geos(), buf);
    return out;
}

std::string Geometry::to_wkt(int decimals) const {
    auto writer = own(GEOSWKTWriter_create_r(geos()), [](GEOSWKTWriter* w) { GEOSWKTWriter_destroy_r(geos(), w); });
    GEOSWKTWriter_setRoundingPrecision_r(geos(), writer.get(), decimals);
    GEOSWKTWriter_setTrim_r(geos(), writer.get(), 1);
    char* s = GEOSWKTWriter_write_r(geos(), writer.get(), handle_);
    if (!s) detail::throw_geos("WKTWriter_write");
    std::string out(s);
    GEOSFree_r(geos(), s);
    return out;
}

std::string Geometry::to_geojson(int decimals) const {
    auto writer = own(GEOSGeoJSONWriter_create_r(geos()),
                      [](GEOSGeoJSONWriter* w) { GEOSGeoJSONWriter_destroy_r(geos(), w); });
    // GEOS' GeoJSON writer has no precision option; round coordinates first.
    double scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    Geometry rounded = transformed([scale](Coord c) {
        return Coord{static_cast<double>(static_cast<long long>(c.x * scale + (c.x >= 0 ? 0.5 : -0.5))) / scale,
                     static_cast<double>(static_cast<long long>(c.y * scale + (c.y >= 0 ? 0.5 : -0.5))) / scale};
    });
    char* s = GEOSGeoJSONWriter_writeGeometry_r(geos(), writer.get(), rounded.handle(), -1);
    if (!s) detail::throw_geos("GeoJSONWriter_write");
    std::string out(s);
    GEOSFree_r(geos(), s);
    return out;
}

bool Geometry::is_empty() const { return !handle_ || check_predicate(GEOSisEmpty_r(geos(), handle_), "isEmpty"); }

std::size_t Geometry::vertex_count() const {
    if (!handle_) return 0;
    int n = GEOSGetNumCoordinates_r(geos(), handle_);
    if (n < 0) throw InternalError("GEOS GetNumCoordinates failed: " + detail::last_geos_error());
    return static_cast<std::size_t>(n);
}

std::string Geometry::type_name() const {
    char* s = GEOSGeomType_r(geos(), handle_);
    std::string out(s ? s : "");
    GEOSFree_r(geos(), s);
    return out;
}

double Geometry::planar_area() const {
    double a = 0;
    if (!GEOSArea_r(geos(), handle_, &a)) detail::throw_geos("Area");
    return a;
}

Envelope Geometry::envelope() const {
    Envelope e;
    if (is_empty()) return e;
    GEOSGeom_getXMin_r(geos(), handle_, &e.min_x);
    GEOSGeom_getYMin_r(geos(), handle_, &e.min_y);
    GEOSGeom_getXMax_r(geos(), handle_, &e.max_x);
    GEOSGeom_getYMax_r(geos(), handle_, &e.max_y);
    return e;
}

std::optional<ValidityProblem> Geometry::validity_problem() const {
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    char valid = GEOSisValidDetail_r(geos(), handle_, 0, &reason, &location);
    if (valid == 2) detail::throw_geos("isValidDetail");
    if (valid == 1) return std::nullopt;
    ValidityProblem p;
    p.reason = reason ? reason : "invalid";
    if (location) {
        GEOSGeomGetX_r(geos(), location, &p.location.x);
        GEOSGeomGetY_r(geos(), location, &p.location.y);
        GEOSGeom_destroy_r(geos(), location);
    }
    GEOSFree_r(geos(), reason);
    return p;
}

std::vector<PolygonRings> Geometry::polygons() const {
    std::vector<PolygonRings> out;
    if (handle_) collect_polygons(handle_, out);
    return out;
}

bool Geometry::intersects(const Geometry& o) const {
    return check_predicate(GEOSIntersects_r(geos(), handle_, o.handle_), "Intersects");
}
bool Geometry::contains(const Geometry& o) const {
    return check_predicate(GEOSContains_r(geos(), handle_, o.handle_), "Contains");
}
bool Geometry::covers(const Geometry& o) const {
    return check_predicate(GEOSCovers_r(geos(), handle_, o.handle_), "Covers");
}
Geometry Geometry::intersection(const Geometry& o) const {
    return Geometry(check(GEOSIntersection_r(geos(), handle_, o.handle_), "Intersection"));
}
Geometry Geometry::clip_by_rect(const Envelope& e) const {
    return Geometry(check(GEOSClipByRect_r(geos(), handle_, e.min_x, e.min_y, e.max_x, e.max_y), "ClipByRect"));
}

bool Geometry::is_rectangle() const {
    if (!handle_) return false;
    const GEOSGeometry* polygon = handle_;
    if (GEOSGeomTypeId_r(geos(), handle_) == GEOS_MULTIPOLYGON && GEOSGetNumGeometries_r(geos(), handle_) == 1)
        polygon = GEOSGetGeometryN_r(geos(), handle_, 0);
    if (GEOSGeomTypeId_r(geos(), polygon) != GEOS_POLYGON) return false;
    if (GEOSGetNumInteriorRings_r(geos(), polygon) != 0) return false;
    const Ring r = ring_coords(GEOSGetExteriorRing_r(geos(), polygon));
    if (r.size() != 5) return false;
    const Envelope env = envelope();
    for (const Coord& c : r)
        if ((c.x != env.min_x && c.x != env.max_x) || (c.y != env.min_y && c.y != env.max_y)) return false;
    // Four corners, each on both an x and a y extreme: at least three distinct ones make the rectangle.
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        if (r[i].x != r[i + 1].x && r[i].y != r[i + 1].y) return false;  // a diagonal edge
    const double box = env.width() * env.height();
    return box > 0 && std::abs(std::abs(planar_area()) - box) <= 1e-12 * box;  // not a degenerate back-and-forth
}

Geometry Geometry::difference(const Geometry& o) const {
    return Geometry(check(GEOSDifference_r(geos(), handle_, o.handle_), "Difference"));
}
Geometry Geometry::union_with(const Geometry& o) const {
    return Geometry(check(GEOSUnion_r(geos(), handle_, o.handle_), "Union"));
}
double Geometry::distance(const Geometry& o) const {
    double d = 0;
    if (!GEOSDistance_r(geos(), handle_, o.handle_, &d)) detail::throw_geos("Distance");
    return d;
}

double Geometry::max_inscribed_radius(double tolerance) const {
    if (is_empty()) return 0;
    Geometry line(check(GEOSMaximumInscribedCircle_r(geos(), handle_, tolerance), "MaximumInscribedCircle"));
    double length = 0;
    if (!GEOSLength_r(geos(), line.handle(), &length)) detail::throw_geos("Length");
    return length;  // the result is the radius line from the centre to the nearest boundary point
}

std::vector<Geometry> Geometry::parts() const {
    std::vector<Geometry> out;
    const int n = GEOSGetNumGeometries_r(geos(), handle_);
    if (n <= 1 || GEOSGeomTypeId_r(geos(), handle_) == GEOS_POLYGON) {
        out.push_back(clone());
        return out;
    }
    for (int i = 0; i < n; ++i) out.emplace_back(check(GEOSGeom_clone_r(geos(), GEOSGetGeometryN_r(geos(), handle_, i)), "clone"));
    return out;
}

Geometry Geometry::union_of(const std::vector<const Geometry*>& gs) {
    std::vector<GEOSGeometry*> copies;
    copies.reserve(gs.size());
    for (const auto* g : gs) copies.push_back(check(GEOSGeom_clone_r(geos(), g->handle()), "clone"));
    // The collection takes ownership of the copies.
    Geometry all(check(GEOSGeom_createCollection_r(geos(), GEOS_GEOMETRYCOLLECTION, copies.data(),
                                                   static_cast<unsigned>(copies.size())), "createCollection"));
    return Geometry(check(GEOSUnaryUnion_r(geos(), all.handle()), "UnaryUnion"));
}

Geometry Geometry::buffer(double distance) const {
    return Geometry(check(GEOSBuffer_r(geos(), handle_, distance, 8), "Buffer"));
}
Geometry Geometry::make_valid() const { return Geometry(check(GEOSMakeValid_r(geos(), handle_), "MakeValid")); }
Geometry Geometry::densify(double max_segment) const {
    return Geometry(check(GEOSDensify_r(geos(), handle_, max_segment), "Densify"));
}
Geometry Geometry::simplify(double tolerance) const {
    return Geometry(check(GEOSTopologyPreserveSimplify_r(geos(), handle_, tolerance), "Simplify"));
}

Coord Geometry::point_on_surface() const {
    Geometry p(check(GEOSPointOnSurface_r(geos(), handle_), "PointOnSurface"));
    Coord c;
    GEOSGeomGetX_r(geos(), p.handle(), &c.x);
    GEOSGeomGetY_r(geos(), p.handle(), &c.y);
    return c;
}

double Geometry::boundary_distance(Coord p) const {
    Geometry boundary(check(GEOSBoundary_r(geos(), handle_), "Boundary"));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), 1, 2);
    if (!seq) detail::throw_geos("CoordSeq_create");
    GEOSCoordSeq_setXY_r(geos(), seq, 0, p.x, p.y);
    Geometry point(check(GEOSGeom_createPoint_r(geos(), seq), "createPoint"));
    return point.distance(boundary);
}

namespace {
int transform_callback(double* x, double* y, void* data) {
    auto* f = static_cast<const std::function<Coord(Coord)>*>(data);
    try {
        Coord c = (*f)(Coord{*x, *y});
        *x = c.x;
        *y = c.y;
        return 1;
    } catch (...) {
        return 0;
    }
}
}  // namespace

Geometry Geometry::transformed(const std::function<Coord(Coord)>& f) const {
    auto* fp = const_cast<std::function<Coord(Coord)>*>(&f);
    GEOSGeometry* g = GEOSGeom_transformXY_r(geos(), handle_, transform_callback, fp);
    if (!g) throw InputError("坐标转换失败 / coordinate transformation failed");
    return Geometry(g);
}

PreparedGeometry::PreparedGeometry(const Geometry& g)
    : handle_(GEOSPrepare_r(geos(), g.handle())) {
    if (!handle_) detail::throw_geos("Prepare");
}
PreparedGeometry::PreparedGeometry(PreparedGeometry&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
PreparedGeometry::~PreparedGeometry() {
    if (handle_) GEOSPreparedGeom_destroy_r(geos(), handle_);
}
bool PreparedGeometry::intersects(const Geometry& o) const {
    return check_predicate(GEOSPreparedIntersects_r(geos(), handle_, o.handle()), "PreparedIntersects");
}
bool PreparedGeometry::contains(const Geometry& o) const {
    return check_predicate(GEOSPreparedContains_r(geos(), handle_, o.handle()), "PreparedContains");
}
bool PreparedGeometry::covers(const Geometry& o) const {
    return check_predicate(GEOSPreparedCovers_r(geos(), handle_, o.handle()), "PreparedCovers");
}

EnvelopeIndex::EnvelopeIndex() : tree_(GEOSSTRtree_create_r(geos(), 10)) {
    if (!tree_) detail::throw_geos("STRtree_create");
}
EnvelopeIndex::~EnvelopeIndex() {
    if (tree_) GEOSSTRtree_destroy_r(geos(), tree_);
}
void EnvelopeIndex::insert(const Envelope& e, std::size_t item) {
    items_.push_back(item);
    boxes_.push_back(Geometry::rectangle(e));
    // GEOS stores the pointer we pass; point it at the stable position in items_'s index space.
    GEOSSTRtree_insert_r(geos(), tree_, boxes_.back().handle(),
                         reinterpret_cast<void*>(static_cast<std::uintptr_t>(items_.size() - 1)));
}
std::vector<std::size_t> EnvelopeIndex::query(const Envelope& e) const {
    std::vector<std::size_t> hits;
    Geometry box = Geometry::rectangle(e);
    GEOSSTRtree_query_r(
        geos(), tree_, box.handle(),
        [](void* item, void* data) {
            static_cast<std::vector<std::size_t>*>(data)->push_back(
                static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)));
        },
        &hits);
    std::vector<std::size_t> out;
    out.reserve(hits.size());
    std::sort(hits.begin(), hits.end());
    for (auto h : hits) out.push_back(items_[h]);
    return out;
}

}  // namespace minplan::geo
