#include "rules/application.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geo/crs.hpp"

namespace minplan::rules {
namespace {

bool easting_like(double v) { return v >= 1e7 || (v >= 2e5 && v <= 8e5); }
bool northing_like(double v) { return v >= 1e6 && v < 1e7; }

struct SourceRing {
    geo::Ring coords;  // x easting / longitude, y northing / latitude
    bool hole = false;
    std::string where;  // "第2圈（第5行）"
};

// The corner table: every vertex as given (plane X northing / Y easting, or lon/lat) with its lon/lat.
std::vector<Application::Corner> corners_of(const std::vector<SourceRing>& rings, const geo::Transformer* tf) {
    std::vector<Application::Corner> out;
    int ring_no = 0;
    for (const auto& r : rings) {
        ++ring_no;
        const std::size_t n = r.coords.size() > 1 && r.coords.front().x == r.coords.back().x &&
                                      r.coords.front().y == r.coords.back().y
                                  ? r.coords.size() - 1
                                  : r.coords.size();
        for (std::size_t k = 0; k < n; ++k) {
            const geo::Coord c = r.coords[k];
            const geo::Coord ll = tf ? tf->apply(c) : c;
            Application::Corner corner;
            corner.id = std::to_string(k + 1);
            corner.ring = ring_no;
            corner.hole = r.hole;
            corner.x = tf ? c.y : c.x;  // plane: X is the northing
            corner.y = tf ? c.x : c.y;
            corner.lon = ll.x;
            corner.lat = ll.y;
            out.push_back(corner);
        }
    }
    return out;
}

int epsg_for(int zone, int width, bool prefixed) {
    if (width == 6) {
        if (zone < 13 || zone > 23)
            throw InputError(fmt::format("6度带带号应为13–23，实际为{} / 6-degree zone must be 13..23", zone));
        return prefixed ? 4478 + zone : 4489 + zone;
    }
    return geo::cgcs2000_gk3_epsg(zone, prefixed);
}

// A polygon valid where it was given can be invalid in another CRS: the vertices are transformed, the
// edges stay straight, so a vertex a few metres from a long edge can cross it (an edge of 2° bows by
// hundreds of metres between lon/lat and the Gauss–Krüger plane). GEOS would then fail in the overlay with
// a TopologyException; say what happened instead.
void check_valid_after(const geo::Geometry& g, bool to_plane, int plane_epsg) {
    const std::string plane_zh = fmt::format("平面坐标（EPSG:{}）", plane_epsg), plane_en = fmt::format("EPSG:{}", plane_epsg);
    const std::string from = to_plane ? "经纬度" : plane_zh, to = to_plane ? plane_zh : "经纬度";
    const std::string from_en = to_plane ? "lon/lat" : plane_en, to_en = to_plane ? plane_en : "lon/lat";
    const auto problem = g.validity_problem();
    if (!problem) return;
    throw InputError(fmt::format("申请范围由{}换算为{}后不是有效多边形：{}，位置约（{:.6f}，{:.6f}）；拐点离另一条边线太近或边线过长"
                                 "（换算后直边与原边线不再重合），请在长边上加密拐点或核对坐标 / the polygon is invalid after conversion "
                                 "from {} to {}: {}",
                                 from, to, problem->reason, problem->location.x, problem->location.y, from_en, to_en, problem->reason));
}

std::string hint() {
    return "常见原因：X/Y颠倒、带号错误或缺失、度分秒按十进制度读取（或反之）、坐标系不是2000国家大地坐标系";
}

// Validates each shell with its holes in source coordinates (messages name the ring), then transforms.
PolygonResult assemble(std::vector<SourceRing> rings, const geo::Transformer* tf, int epsg,
                       std::vector<std::string> notes, const PolygonOptions& o) {
    auto corners = corners_of(rings, tf);
    std::vector<geo::PolygonRings> polys;
    std::vector<std::string> shell_where;
    for (auto& r : rings)
        if (!r.hole) {
            polys.push_back({r.coords});
            shell_where.push_back(r.where);
        }
    if (polys.empty()) throw InputError("坐标中没有矿区范围圈（全部为扣除范围）/ no outer ring, only holes");
    for (auto& r : rings) {
        if (!r.hole) continue;
        geo::Geometry hole = geo::Geometry::polygon({r.coords});
        bool placed = false;
        for (auto& p : polys) {
            if (geo::Geometry::polygon({p.front()}).covers(hole)) {
                p.push_back(r.coords);
                placed = true;
                break;
            }
        }
        if (!placed)
            throw InputError(fmt::format("{}为扣除范围（标志−1），但不在任何矿区范围圈之内 / a hole lies outside every shell",
                                         r.where));
    }
    for (std::size_t i = 0; i < polys.size(); ++i) {
        auto problem = geo::Geometry::polygon(polys[i]).validity_problem();
        if (problem)
            throw InputError(fmt::format("{}及其扣除范围不是有效多边形：{}，位置约（{:.3f}，{:.3f}）；请检查拐点顺序、自相交（蝴蝶形）"
                                         "或重复点 / invalid polygon: {}",
                                         shell_where[i], problem->reason, problem->location.x, problem->location.y,
                                         problem->reason));
    }
    geo::Geometry src = polys.size() == 1 ? geo::Geometry::polygon(polys[0]) : geo::Geometry::multi_polygon(polys);
    if (polys.size() > 1 && src.validity_problem())
        throw InputError("多个矿区范围圈相互重叠 / several shells overlap; 请合并为一个范围或确认是否重复");
    geo::Geometry lonlat = tf ? tf->apply(src) : src.clone();
    if (tf) check_valid_after(lonlat, false, epsg);

    // Every vertex in the province; the first bad one is named.
    int ring_no = 0;
    for (const auto& poly : lonlat.polygons())
        for (const auto& ring : poly) {
            ++ring_no;
            for (std::size_t k = 0; k < ring.size(); ++k) {
                const auto& c = ring[k];
                if (c.x < o.province.min_x || c.x > o.province.max_x || c.y < o.province.min_y || c.y > o.province.max_y)
                    throw InputError(fmt::format(
                        "第{}圈第{}个拐点换算为经纬度（{:.6f}，{:.6f}），不在{}范围内（经度{}–{}，纬度{}–{}）。{} / point outside the "
                        "province",
                        ring_no, k + 1, c.x, c.y, o.province_zh, o.province.min_x, o.province.max_x, o.province.min_y,
                        o.province.max_y, hint()));
            }
        }
    if (o.city) {
        if (!o.city->intersects(lonlat)) {
            const auto c = lonlat.point_on_surface();
            throw InputError(fmt::format("申请范围（约东经{:.4f}°、北纬{:.4f}°）不在{}行政区内，本规划不适用；{} / the application "
                                         "lies outside the city",
                                         c.x, c.y, o.city_zh, hint()));
        }
        if (!o.city->covers(lonlat))
            notes.push_back(fmt::format("申请范围部分超出{}行政区界线，超出部分不受本规划管辖，须与相邻行政区规划衔接", o.city_zh));
    }
    PolygonResult out;
    out.corners = std::move(corners);
    if (tf) {
        // Registered input: the edges are straight in the plane the corners are given in; overlay and
        // the deciding area (登记面积) are computed there.
        out.plane = src.clone();
        out.plane_epsg = epsg;
        out.plane_decides = true;
    } else if (o.default_zone > 0) {
        // Geographic input: overlay in the plan's zone (unprefixed), the ellipsoid area decides.
        out.plane_epsg = geo::cgcs2000_gk3_epsg(o.default_zone, false);
        out.plane = geo::cached_transformer(geo::kCgcs2000Geographic, out.plane_epsg).apply(lonlat);
        check_valid_after(out.plane, true, out.plane_epsg);
        out.info.push_back(fmt::format("坐标为经纬度：叠加分析在规划区所在的3度带第{}带平面（EPSG:{}）内进行，面积以2000国家大地坐标系椭球面积为准",
                                       o.default_zone, out.plane_epsg));
    }
    if (!out.plane.is_null()) {
        out.plane_area_m2 = out.plane.planar_area();
        out.ellipsoid_area_m2 = out.plane_decides ? geo::plane_polygon_ellipsoidal_area_km2(out.plane, out.plane_epsg) * 1e6
                                                  : geo::ellipsoidal_area_km2(lonlat) * 1e6;
    } else {
        out.ellipsoid_area_m2 = geo::ellipsoidal_area_km2(lonlat) * 1e6;
    }
    out.lonlat = std::move(lonlat);
    out.source_epsg = epsg;
    out.notes = std::move(notes);
    return out;
}

// Plane Gauss–Krüger rings (x easting, y northing) to a transformer, choosing the zone.
PolygonResult plane(std::vector<SourceRing> rings, std::optional<int> zone, std::optional<int> width,
                    std::vector<std::string> notes, const PolygonOptions& o) {
    // Swapped X/Y: the "easting" looks like a northing and vice versa (every point).
    bool all_swapped = true;
    for (const auto& r : rings)
        for (const auto& c : r.coords)
            if (!(northing_like(c.x) && easting_like(c.y) && c.x < 1e7)) all_swapped = false;
    if (all_swapped) {
        for (auto& r : rings)
            for (auto& c : r.coords) std::swap(c.x, c.y);
        notes.push_back("坐标疑似X/Y颠倒（X像横坐标、Y像纵坐标），已互换后计算；请核对原始坐标：X为纵坐标（北），Y为横坐标（东）");
    }
    const double e0 = rings.front().coords.front().x;
    const bool prefixed = e0 >= 1e7;
    if (prefixed) {
        const int pz = static_cast<int>(e0 / 1e6);
        if (zone && *zone != pz)
            notes.push_back(fmt::format("表头带号{}与横坐标前缀带号{}不一致，按坐标前缀{}计算", *zone, pz, pz));
        zone = pz;
    }
    for (const auto& r : rings)
        for (const auto& c : r.coords)
            if ((c.x >= 1e7) != prefixed)
                throw InputError(fmt::format("{}：横坐标有的带带号前缀、有的没有 / mixed prefixed and unprefixed eastings", r.where));
    if (!zone) {
        zone = o.default_zone;
        notes.push_back(fmt::format("坐标缺少带号（表头无带号，Y坐标也无带号前缀），已按规划区所在的3度带第{}带（EPSG:{}）试算；"
                                    "须人工确认投影带",
                                    o.default_zone, geo::cgcs2000_gk3_epsg(o.default_zone, false)));
        width = 3;
    }
    const int w = width.value_or(*zone <= 23 ? 6 : 3);
    const int epsg = epsg_for(*zone, w, prefixed);
    return assemble(std::move(rings), &geo::cached_transformer(epsg, geo::kCgcs2000Geographic), epsg,
                    std::move(notes), o);
}

PolygonResult geographic(std::vector<SourceRing> rings, std::vector<std::string> notes, int epsg, const PolygonOptions& o) {
    bool swapped = true;
    for (const auto& r : rings)
        for (const auto& c : r.coords)
            if (!(c.x >= o.province.min_y && c.x <= o.province.max_y && c.y >= o.province.min_x && c.y <= o.province.max_x))
                swapped = false;
    if (swapped) {
        for (auto& r : rings)
            for (auto& c : r.coords) std::swap(c.x, c.y);
        notes.push_back("经纬度疑似颠倒（先纬度后经度），已互换后计算；请核对原始坐标");
    }
    return assemble(std::move(rings), nullptr, epsg, std::move(notes), o);
}

}  // namespace

PolygonResult polygon_from_parsed(const formats::ParsedInput& in, const PolygonOptions& o) {
    std::vector<SourceRing> rings;
    int n = 0;
    for (const auto& parcel : in.parcels)
        for (const auto& r : parcel.rings) {
            ++n;
            SourceRing s;
            s.hole = r.hole;
            s.where = r.source_line > 0 ? fmt::format("第{}圈（第{}行起）", n, r.source_line) : fmt::format("第{}圈", n);
            for (const auto& p : r.points)
                s.coords.push_back(in.kind == formats::CoordKind::PlaneGaussKruger ? geo::Coord{p.y, p.x} : geo::Coord{p.x, p.y});
            rings.push_back(std::move(s));
        }
    if (rings.empty()) throw InputError("坐标中没有任何圈 / no rings in the input");
    std::vector<std::string> notes;
    for (const auto& w : in.warnings)
        if (w.find("颠倒") == std::string::npos && w.find("缺少带号") == std::string::npos) notes.push_back(w);
    if (in.kind == formats::CoordKind::PlaneGaussKruger) return plane(std::move(rings), in.gk_zone, in.zone_width, notes, o);
    return geographic(std::move(rings), std::move(notes), geo::kCgcs2000Geographic, o);
}

bool is_cgcs2000_gk_epsg(int epsg) { return epsg >= 4491 && epsg <= 4554; }

namespace {
std::vector<SourceRing> rings_of(const geo::Geometry& g) {
    std::vector<SourceRing> rings;
    int p = 0;
    for (const auto& poly : g.polygons()) {
        ++p;
        for (std::size_t i = 0; i < poly.size(); ++i)
            rings.push_back({poly[i], i > 0, fmt::format("第{}个多边形第{}圈", p, i + 1)});
    }
    if (rings.empty()) throw InputError("文件中没有面状几何（多边形）/ no polygon in the file");
    return rings;
}
}  // namespace

PolygonResult polygon_from_plane(const geo::Geometry& g, int plane_epsg, const PolygonOptions& o) {
    return assemble(rings_of(g), &geo::cached_transformer(plane_epsg, geo::kCgcs2000Geographic), plane_epsg, {}, o);
}

PolygonResult polygon_from_geometry(const geo::Geometry& g, bool crs_known, int source_epsg, const PolygonOptions& o) {
    std::vector<SourceRing> rings;
    int n = 0, p = 0;
    bool degrees = true;
    for (const auto& poly : g.polygons()) {
        ++p;
        for (std::size_t i = 0; i < poly.size(); ++i) {
            SourceRing s;
            s.coords = poly[i];
            s.hole = i > 0;
            s.where = fmt::format("第{}个多边形第{}圈", p, i + 1);
            for (const auto& c : s.coords)
                if (std::fabs(c.x) > 360 || std::fabs(c.y) > 360) degrees = false;
            rings.push_back(std::move(s));
            ++n;
        }
    }
    if (rings.empty()) throw InputError("文件中没有面状几何（多边形）/ no polygon in the file");
    if (crs_known) return geographic(std::move(rings), {}, source_epsg, o);
    std::vector<std::string> notes{"文件未声明坐标系，已按坐标数值推断"};
    if (degrees) return geographic(std::move(rings), notes, geo::kCgcs2000Geographic, o);
    return plane(std::move(rings), std::nullopt, std::nullopt, notes, o);
}

}  // namespace minplan::rules
