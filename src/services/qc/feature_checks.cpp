// Attribute and geometry checks of one feature.
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "geo/crs.hpp"
#include "services/qc/detail.hpp"

namespace minplan::services::qc::detail {

double plane_area_km2(const geo::Geometry& lonlat) { return to_plane(lonlat).planar_area() / 1e6; }

geo::Geometry to_plane(const geo::Geometry& lonlat) {
    const auto e = lonlat.envelope();
    const int epsg = geo::cgcs2000_gk3_epsg(geo::gk3_zone_of((e.min_x + e.max_x) / 2), false);
    return geo::cached_transformer(geo::kCgcs2000Geographic, epsg).apply(lonlat);
}

void check_attributes(const FeatureRef& ref, FeatureContext& ctx, Collector& out) {
    const TableSchema& s = *ref.schema;
    const Feature& f = *ref.feature;
    for (const auto& fd : s.fields) {
        const Value& v = f.get(fd.name);
        const std::string text = to_display(v);
        if (fd.required && text.empty() && out.enabled("required_value"))
            out.add("required_value", ref, "必填字段 " + fd.name + "（" + fd.code + " " + fd.alias_zh + "）为空", {{"field", fd.name}});
        auto codes = ctx.codes.find(fd.name);
        if (!text.empty() && codes != ctx.codes.end() && out.enabled("code_value")) {
            const std::string* code = codes->second.resolve(text);
            if (!code || *code != text)
                out.add("code_value", ref,
                        "字段 " + fd.name + " 的值 \"" + text + "\" " + (code ? "应写代码 " + *code : "不是代码表 " + codes->second.id() + " 的代码"),
                        {{"field", fd.name}, {"value", text}, {"code_table", codes->second.id()}});
        }
    }
    if (!ctx.rules) return;
    for (const auto& [field, range] : ctx.rules->ranges) {
        auto n = as_number(f.get(field));
        if (!n || !out.enabled("value_range")) continue;
        const auto& [lo, hi] = range;
        if ((lo && *n < *lo) || (hi && *n > *hi))
            out.add("value_range", ref, "字段 " + field + " 的值 " + std::to_string(*n) + " 超出范围",
                    {{"field", field}, {"value", *n}, {"min", lo ? nlohmann::json(*lo) : nlohmann::json()}, {"max", hi ? nlohmann::json(*hi) : nlohmann::json()}});
    }
    if (!ctx.rules->id_field.empty() && out.enabled("unique_id")) {
        const std::string id = f.text(ctx.rules->id_field);
        if (!id.empty() && !ctx.seen_ids.insert(id).second)
            out.add("unique_id", ref, "编号 " + id + " 重复", {{"field", ctx.rules->id_field}, {"value", id}});
    }
}

namespace {

// Duplicate vertices and spikes of one ring, in plane metres (angles in lon/lat would be distorted).
void check_ring(const FeatureRef& ref, const geo::Ring& plane, const geo::Ring& lonlat, const geo::Geometry& g, Collector& out) {
    const double spike = out.config().tolerances_for(ref.schema->id).spike_degrees;
    const std::size_t n = plane.size();
    if (n < 4) return;
    for (std::size_t i = 1; i < n; ++i) {
        if (std::hypot(plane[i].x - plane[i - 1].x, plane[i].y - plane[i - 1].y) < 0.001 && out.enabled("duplicate_vertex")) {
            auto& f = out.add("duplicate_vertex", ref, "第 " + std::to_string(i) + " 与第 " + std::to_string(i + 1) + " 个节点重合（相距不足 1 mm）",
                              {{"vertex", i + 1}});
            set_location(f, lonlat[i], g.envelope());
        }
    }
    // Vertex i between its neighbours, the closing point skipped (ring[0] == ring[n-1]).
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto& p = plane[i];
        const auto& a = plane[i == 0 ? n - 2 : i - 1];
        const auto& b = plane[i + 1];
        const double ax = a.x - p.x, ay = a.y - p.y, bx = b.x - p.x, by = b.y - p.y;
        const double la = std::hypot(ax, ay), lb = std::hypot(bx, by);
        if (la < 0.001 || lb < 0.001) continue;  // a duplicate vertex, reported above
        const double cosine = std::clamp((ax * bx + ay * by) / (la * lb), -1.0, 1.0);
        const double degrees = std::acos(cosine) * 180.0 / std::numbers::pi;
        if (degrees < spike && out.enabled("spike")) {
            auto& f = out.add("spike", ref, "第 " + std::to_string(i + 1) + " 个节点处夹角 " + std::to_string(degrees) + "°，小于 " +
                                                std::to_string(spike) + "°",
                              {{"vertex", i + 1}, {"angle_degrees", degrees}, {"threshold_degrees", spike}});
            set_location(f, lonlat[i], g.envelope());
        }
    }
}

}  // namespace

namespace {

// Whether shrinking the plane polygon by half the minimum width leaves nothing. A point inside farther than
// that from every ring keeps a disc that the shrunk polygon contains, so no buffer is needed (the margin
// covers GEOS's arcs drawn as chords: 8 segments a quadrant cut at most r(1 - cos 5.6°) < 0.5 % of r).
bool is_sliver(const geo::Geometry& plane, double width) {
    if (plane.boundary_distance(plane.point_on_surface()) > 0.55 * width) return false;
    return plane.buffer(-width / 2).is_empty();
}

}  // namespace

bool check_geometry(const FeatureRef& ref, const geo::Geometry& g, const LayerRules* rules, Collector& out, bool known_valid) {
    const auto problem = known_valid ? std::nullopt : g.validity_problem();
    if (problem && out.enabled("invalid_geometry")) {
        auto& f = out.add("invalid_geometry", ref, "图形无效：" + problem->reason, {{"reason", problem->reason}});
        set_location(f, problem->location, g.envelope());
    }
    const auto polygons = g.polygons();
    if (rules && rules->multipart == false && polygons.size() > 1 && out.enabled("multipart")) {
        auto& f = out.add("multipart", ref, "要素由 " + std::to_string(polygons.size()) + " 个部件组成，本图层不允许多部件",
                          {{"parts", polygons.size()}});
        set_location(f, g);
    }
    if (polygons.empty()) return !problem;
    geo::Geometry plane = to_plane(g);
    const auto plane_polygons = plane.polygons();
    for (std::size_t p = 0; p < polygons.size() && p < plane_polygons.size(); ++p)
        for (std::size_t r = 0; r < polygons[p].size() && r < plane_polygons[p].size(); ++r)
            check_ring(ref, plane_polygons[p][r], polygons[p][r], g, out);
    // A sliver vanishes when shrunk by half the minimum width (a width measure that also finds thin arms).
    const double w = out.config().tolerances_for(ref.schema->id).sliver_width_m;
    if (w > 0 && out.enabled("sliver") && !problem && is_sliver(plane, w)) {
        auto& f = out.add("sliver", ref, "狭长碎面：处处宽度不足 " + format_number(w, 2) + " 米",
                          {{"min_width_m", w}, {"area_m2", plane.planar_area()}});
        set_location(f, g);
    }
    return !problem;
}

void check_areas(const FeatureRef& ref, const geo::Geometry& g, const LayerRules& rules, Collector& out) {
    if (rules.stated_area_field.empty()) return;
    auto stated = as_number(ref.feature->get(rules.stated_area_field));
    if (!stated) return;
    const auto& t = out.config().tolerances_for(ref.schema->id);
    const double tolerance = std::max(t.area_km2, t.area_ratio * std::abs(*stated));
    auto compare = [&](const char* check, double computed, const char* how) {
        if (!out.enabled(check) || std::abs(computed - *stated) <= tolerance) return;
        auto& f = out.add(check, ref,
                          "所列面积 " + format_number(*stated, 4) + " km² 与图形" + how + " " + format_number(computed, 4) +
                              " km² 相差 " + format_number(computed - *stated, 4) + " km²，超过容差 " + format_number(tolerance, 4),
                          {{"field", rules.stated_area_field}, {"stated_km2", *stated}, {"computed_km2", computed},
                           {"difference_km2", computed - *stated}, {"tolerance_km2", tolerance}});
        set_location(f, g);
    };
    compare("stated_area_ellipsoid", geo::ellipsoidal_area_km2(g), "椭球面积");
    compare("stated_area_plane", plane_area_km2(g), "平面面积");
}

namespace {

// The corner string's polygon in EPSG:4490.
geo::Geometry corner_polygon(const formats::ParsedInput& in) {
    std::function<geo::Coord(formats::Point)> to_lonlat = [](formats::Point p) { return geo::Coord{p.x, p.y}; };
    if (in.kind == formats::CoordKind::PlaneGaussKruger) {
        if (!in.gk_zone) throw InputError("拐点坐标串没有带号，无法换算 / no zone");
        const bool prefixed = !in.parcels.empty() && !in.parcels[0].rings.empty() && in.parcels[0].rings[0].points[0].y >= 1e7;
        const auto& tr = geo::cached_transformer(geo::cgcs2000_gk3_epsg(*in.gk_zone, prefixed), geo::kCgcs2000Geographic);
        to_lonlat = [&tr](formats::Point p) { return tr.apply(geo::Coord{p.y, p.x}); };  // X = northing, Y = easting
    }
    std::vector<geo::PolygonRings> polygons;
    for (const auto& parcel : in.parcels)
        for (const auto& ring : parcel.rings) {
            geo::Ring r;
            for (const auto& p : ring.points) r.push_back(to_lonlat(p));
            if (ring.hole && !polygons.empty()) polygons.back().push_back(std::move(r));
            else polygons.push_back({std::move(r)});
        }
    return geo::Geometry::multi_polygon(polygons);
}

}  // namespace

void check_corners(const FeatureRef& ref, const geo::Geometry& g, const LayerRules& rules, Collector& out) {
    if (rules.corner_field.empty() || !out.enabled("corner_string")) return;
    const std::string text = ref.feature->text(rules.corner_field);
    if (text.empty()) return;
    geo::Geometry stated;
    try {
        formats::ParsedInput in = rules.corner_format == "mining_right_string"        ? formats::parse_mining_right_string(text)
                                  : rules.corner_format == "exploration_right_string" ? formats::parse_exploration_right_string(text)
                                                                                      : formats::parse_auto(text);
        stated = corner_polygon(in);
    } catch (const Error& e) {
        auto& f = out.add("corner_string", ref, "拐点坐标串无法解析：" + std::string(e.what()), {{"field", rules.corner_field}});
        set_location(f, g);
        return;
    }
    const double only_string = geo::ellipsoidal_area_km2(stated.difference(g));
    const double only_geometry = geo::ellipsoidal_area_km2(g.difference(stated));
    const double tolerance = out.config().tolerances_for(ref.schema->id).corner_km2;
    if (only_string + only_geometry <= tolerance) return;
    auto& f = out.add("corner_string", ref,
                      "拐点坐标串围成的图形与要素图形不一致：仅在坐标串中 " + format_number(only_string, 4) + " km²，仅在图形中 " +
                          format_number(only_geometry, 4) + " km²",
                      {{"field", rules.corner_field}, {"string_area_km2", geo::ellipsoidal_area_km2(stated)},
                       {"geometry_area_km2", geo::ellipsoidal_area_km2(g)}, {"only_in_string_km2", only_string},
                       {"only_in_geometry_km2", only_geometry}, {"tolerance_km2", tolerance}});
    // Where they differ, without the slivers of rounding along the edges they share (≈ 1 m² and under).
    std::vector<geo::PolygonRings> parts;
    for (auto& part : stated.difference(g).union_with(g.difference(stated)).polygons())
        if (geo::Geometry::polygon(part).planar_area() > 1e-10) parts.push_back(std::move(part));
    if (parts.empty()) set_location(f, g);
    else set_location(f, geo::Geometry::multi_polygon(parts));
}

}  // namespace minplan::services::qc::detail
