#include "rules/engine.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "rules/check_context.hpp"
#include "rules/overlay.hpp"
#include "standards/loader.hpp"

namespace minplan::rules {
namespace detail {

namespace {
// The application's lon/lat envelope, widened for edges that are straight in the plane and so bow away
// from the straight lon/lat chords (≈0.13 m on a 1 km edge, growing with the square of the length).
geo::Envelope search_envelope(const Application& app) {
    geo::Envelope e = app.polygon.envelope();
    if (app.plane_epsg == 0) return e;
    const double m = std::max(0.0005, 0.01 * std::max(e.width(), e.height()));
    return {e.min_x - m, e.min_y - m, e.max_x + m, e.max_y + m};
}
}  // namespace

CheckContext::CheckContext(const Application& a, const PlanIndex& i, const store::PlanStore& r,
                           const standards::MineralNames& m, const standards::SizeClassTable& s, const nlohmann::json& st,
                           const PrecomputedOverlaps* precomputed, PlaneCache* plane_cache, SharedAreaMemo* shared_areas,
                           FeatureCache* feature_cache)
    : app(a), index(i), reader(r), minerals(m), sizes(s), settings(st), prepared_(a.polygon), envelope_(search_envelope(a)),
      app_envelope_(a.polygon.envelope()), plane_cache_(plane_cache), shared_areas_(shared_areas),
      min_overlap_m2_(st.value("min_overlap_m2", 1.0)), feature_cache_(feature_cache) {
    if (plane()) {
        prepared_plane_ = std::make_unique<geo::PreparedGeometry>(app.plane_polygon);
        plane_envelope_ = app.plane_polygon.envelope();
        plane_rectangle_ = app.plane_polygon.is_rectangle();
    }
    if (!precomputed) return;
    draw_ = precomputed->draw;
    // The batch audit's overlaps: existing rights are in CGCS2000 lon/lat, so the ellipsoid decides.
    for (const auto& [layer, hits] : precomputed->layers) {
        auto& out = memo_[layer];
        for (const auto& [f, m2] : hits) {
            Overlap o;
            o.feature = f;
            o.ellipsoid_m2 = m2;
            o.m2 = m2;
            const double total = app_area_m2();
            o.pct = total > 0 ? 100.0 * m2 / total : 0;
            out.push_back(o);
        }
    }
}

std::vector<const IndexedFeature*> CheckContext::window(const std::string& layer, const geo::Envelope& box) {
    std::vector<const IndexedFeature*> out;
    const SpatialLayer* l = index.layer(layer);
    if (feature_cache_) {
        for (auto& f : index.window(reader, layer, box, *feature_cache_)) {
            out.push_back(f.get());
            if (l) layer_of_[f.get()] = &l->id;
            kept_.push_back(std::move(f));
        }
        return out;
    }
    for (auto& f : index.window(reader, layer, box)) {
        read_.push_back(std::move(f));
        out.push_back(&read_.back());
        if (l) layer_of_[&read_.back()] = &l->id;
    }
    return out;
}

const std::vector<Overlap>& CheckContext::overlaps(const std::string& layer_id) {
    if (auto it = memo_.find(layer_id); it != memo_.end()) return it->second;
    std::vector<Overlap> out;
    // Only the features near the application are read (the store's spatial index); the envelope test
    // comes before any GEOS work: GEOS 3.11.1's overlay is slow on disjoint inputs (references.md).
    const std::vector<const IndexedFeature*> near = window(layer_id, envelope_);
    find_planes(layer_id, near);
    for (const IndexedFeature* f : near) {
        if (!f->envelope.intersects(envelope_)) continue;
        Overlap o = overlap_with(*f);
        if (o.m2 < min_overlap_m2_) continue;
        out.push_back(o);
    }
    return memo_[layer_id] = std::move(out);
}

std::vector<Overlap> CheckContext::overlaps(const std::string& layer, const std::string& field,
                                            const std::vector<std::string>& values) {
    std::vector<Overlap> out;
    for (const auto& o : overlaps(layer)) {
        if (values.empty() || field.empty()) {
            out.push_back(o);
            continue;
        }
        const std::string v = o.feature->feature.text(field);
        for (const auto& want : values)
            if (v == want) out.push_back(o);
    }
    return out;
}

// The plane cache's entries of a window's features (those overlaps() measures), asked for together: one
// lock, not one a feature.
void CheckContext::find_planes(const std::string& layer, const std::vector<const IndexedFeature*>& features) {
    const SpatialLayer* l = index.layer(layer);
    if (!plane() || !plane_cache_ || !l) return;  // as plane_of(): window features only
    std::vector<PlaneCache::Ask> asks;
    std::vector<const IndexedFeature*> asked;
    for (const IndexedFeature* f : features) {
        if (f->wkb_hash == 0 || !f->envelope.intersects(envelope_) || plane_memo_.contains(f)) continue;
        asks.push_back({f->feature.fid, f->wkb_hash});
        asked.push_back(f);
    }
    if (asks.empty()) return;
    auto entries = plane_cache_->find_many(l->id, app.plane_epsg, asks);
    for (std::size_t k = 0; k < asked.size(); ++k) derive_plane(*asked[k], &l->id, std::move(entries[k]));
}

CheckContext::PlaneFeature& CheckContext::plane_of(const IndexedFeature& f) {
    auto it = plane_memo_.find(&f);
    if (it != plane_memo_.end()) return it->second;
    // What the feature alone determines is derived once per plan version and feature (PlaneCache), when
    // the feature came from a layer window (its layer and fid name it); this check works on its own clone
    // (own_plane), made only when it is needed.
    const auto layer = layer_of_.find(&f);
    const bool cacheable = plane_cache_ && layer != layer_of_.end() && f.wkb_hash != 0;
    if (!cacheable) return derive_plane(f, nullptr, nullptr);
    return derive_plane(f, layer->second, plane_cache_->find(*layer->second, f.feature.fid, app.plane_epsg, f.wkb_hash));
}

// The feature in the application's plane: the cache's entry when it has one, else projected here (and kept
// in the cache under `cache_layer`, when given).
CheckContext::PlaneFeature& CheckContext::derive_plane(const IndexedFeature& f, const std::string* cache_layer,
                                                       std::shared_ptr<const PlaneCache::Entry> entry) {
    PlaneFeature p;
    p.entry = std::move(entry);
    if (!p.entry) {
        // Vertices projected, edges straight in the plane: plan blocks are delineated by corner coordinates in
        // the plane too, and a PostGIS ST_Transform of the plan layer gives the same shapes.
        geo::Geometry g = geo::cached_transformer(geo::kCgcs2000Geographic, app.plane_epsg).apply(f.geometry);
        if (!cache_layer) p.plane = std::move(g);
        else p.entry = plane_cache_->put(*cache_layer, f.feature.fid, app.plane_epsg, f.wkb_hash, std::move(g));
    }
    return plane_memo_[&f] = std::move(p);
}

// The entry's geometry is never given to GEOS: GEOS does not promise that a geometry may be used by two
// threads at once (geos_c.h: one context per thread; nothing on shared geometries), so each check clones it.
const geo::Geometry& CheckContext::own_plane(PlaneFeature& p) const {
    if (p.plane.is_null() && p.entry) p.plane = p.entry->plane.clone();
    return p.plane;
}

// The plane polygon's ellipsoidal area (geo::plane_polygon_ellipsoidal_area_km2): once per feature and
// plan version when the cache holds the feature.
double CheckContext::plane_ellipsoid_m2(PlaneFeature& p) const {
    if (!p.entry) return geo::plane_polygon_ellipsoidal_area_km2(p.plane, app.plane_epsg) * 1e6;
    double m2 = p.entry->ellipsoid_m2.load(std::memory_order_relaxed);
    if (std::isnan(m2)) {
        m2 = geo::plane_polygon_ellipsoidal_area_km2(own_plane(p), app.plane_epsg) * 1e6;
        p.entry->ellipsoid_m2.store(m2, std::memory_order_relaxed);
    }
    return m2;
}

// The clip of a feature that is the application's whole rectangle: then the feature covers the application.
bool CheckContext::is_the_rectangle(const geo::Geometry& clip) const {
    if (!clip.is_rectangle()) return false;
    const geo::Envelope e = clip.envelope();
    return e.min_x == plane_envelope_.min_x && e.min_y == plane_envelope_.min_y && e.max_x == plane_envelope_.max_x &&
           e.max_y == plane_envelope_.max_y;
}

Overlap CheckContext::overlap_with(const IndexedFeature& f) {
    Overlap o;
    o.feature = &f;
    if (plane()) {
        PlaneFeature& p = plane_of(f);
        const geo::Envelope env = p.entry ? p.entry->envelope : p.plane.envelope();
        if (!env.intersects(plane_envelope_)) return o;
        // A feature inside the application (most farmland patches around a mine) is its own overlap: no
        // overlay (GEOS's intersection was a third of a check), and its areas are the feature's own, which
        // the plane cache keeps across checks. The stored features are valid (import).
        // An application that is an axis-aligned rectangle in its plane (Geometry::is_rectangle: it is its own
        // envelope) covers every non-empty feature whose envelope it contains (feature ⊆ its envelope ⊆ the
        // rectangle), which is what GEOS's covers would answer: no predicate and no clone of the cached
        // geometry for those (the clone and the two predicates were ≈ 8 % of a check, performance.md, check7).
        const bool has_vertices = p.entry ? p.entry->vertices > 0 : !p.plane.is_empty();
        const bool rectangle_covers = plane_rectangle_ && has_vertices && plane_envelope_.contains(env);
        const geo::Geometry* g = nullptr;
        if (!rectangle_covers) {
            g = &own_plane(p);
            // A rectangle's clip below answers a disjoint feature too (empty: an overlap of 0 m², dropped), in
            // one pass over the feature's vertices instead of a predicate's pass and then the clip's (≈ 6 % of
            // a server check at goal size, docs/performance.md, session 16). A plan that keeps overlaps of 0 m²
            // (min_overlap_m2 0: touching features) needs the predicate to leave the apart ones out.
            const bool clip_decides = plane_rectangle_ && min_overlap_m2_ > 0;
            if (!clip_decides && !prepared_plane_->intersects(*g)) return o;
        }
        if (rectangle_covers || (plane_envelope_.contains(env) && prepared_plane_->covers(*g))) {
            o.plane_m2 = p.entry ? p.entry->plane_m2 : p.plane.planar_area();
            o.ellipsoid_m2 = plane_ellipsoid_m2(p);
        } else {
            // A feature covers the application only if its envelope holds the application's: no relate else.
            // An application that is an axis-aligned rectangle in its plane (corner coordinates often are)
            // is clipped (GEOSClipByRect, linear in the feature's vertices) instead of overlaid; a clip that
            // gives the whole rectangle back says the feature covers it, which a relate (covers) of a large
            // feature took ≈ 8 % of a check to say (docs/performance.md, session 16).
            const bool may_cover = env.contains(plane_envelope_);
            geo::Geometry x;
            if (plane_rectangle_) {
                x = g->clip_by_rect(plane_envelope_);
                if (may_cover && is_the_rectangle(x)) x = app.plane_polygon.clone();
            } else {
                x = may_cover && g->covers(app.plane_polygon) ? app.plane_polygon.clone() : app.plane_polygon.intersection(*g);
            }
            o.plane_m2 = x.is_empty() ? 0.0 : x.planar_area();
            o.ellipsoid_m2 = geo::plane_polygon_ellipsoidal_area_km2(x, app.plane_epsg) * 1e6;
        }
    } else {
        if (!prepared_.intersects(f.geometry)) return o;
        // A valid feature inside the application is its own overlap (an invalid one goes through the
        // intersection, which repairs it).
        // The store's record, when it has one, gives both the validity and the exact area.
        auto valid = [&] { return f.stored ? f.stored->valid : !f.geometry.validity_problem(); };
        if (app_envelope_.contains(f.envelope) && prepared_.covers(f.geometry) && valid())
            o.ellipsoid_m2 = f.stored ? f.stored->area_m2 : area_m2(f.geometry);
        else
            o.ellipsoid_m2 = area_m2(intersection_with(f));
    }
    o.m2 = app.plane_decides ? o.plane_m2 : o.ellipsoid_m2;
    const double total = app_area_m2();
    o.pct = total > 0 ? 100.0 * o.m2 / total : 0;
    return o;
}

double CheckContext::feature_area_m2(const IndexedFeature& f) {
    if (plane() && app.plane_decides) {
        const PlaneFeature& p = plane_of(f);
        return p.entry ? p.entry->plane_m2 : p.plane.planar_area();
    }
    return area_m2(f.geometry);
}

double CheckContext::shared_area_m2(const IndexedFeature& a, const IndexedFeature& b) {
    if (!a.envelope.intersects(b.envelope)) return 0;
    const auto la = layer_of_.find(&a), lb = layer_of_.find(&b);
    if (!shared_areas_ || la == layer_of_.end() || lb == layer_of_.end() || a.wkb_hash == 0 || b.wkb_hash == 0)
        return measure_shared_area_m2(a, b);
    // The area basis is part of the key: when the plane decides, areas between plan features are measured in
    // the application's plane, so the same pair may measure differently from one plane to another.
    const int basis = plane() && app.plane_decides ? app.plane_epsg : 0;
    const std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", *la->second, a.feature.fid, a.wkb_hash,
                                        *lb->second, b.feature.fid, b.wkb_hash, basis);
    if (auto m2 = shared_areas_->find(key)) return *m2;
    const double m2 = measure_shared_area_m2(a, b);
    shared_areas_->put(key, m2);
    return m2;
}

double CheckContext::measure_shared_area_m2(const IndexedFeature& a, const IndexedFeature& b) {
    if (plane() && app.plane_decides) {
        const geo::Geometry &ga = own_plane(plane_of(a)), &gb = own_plane(plane_of(b));
        return ga.intersects(gb) ? ga.intersection(gb).planar_area() : 0.0;
    }
    return a.geometry.intersects(b.geometry) ? area_m2(a.geometry.intersection(b.geometry)) : 0.0;
}

geo::Geometry CheckContext::intersection_with(const IndexedFeature& f) const {
    try {
        if (f.geometry.covers(app.polygon)) return app.polygon.clone();
        return app.polygon.intersection(f.geometry);
    } catch (const InternalError&) {
        // A plan feature GEOS cannot overlay (self-intersecting): measured on its repaired geometry, as the
        // batch audit does (which also lists it); an invalid application never gets here (application.cpp).
        auto fixed = repaired(f.geometry);
        if (!fixed) throw;
        return app.polygon.intersection(*fixed);
    }
}

double CheckContext::area_m2(const geo::Geometry& g) const {
    return g.is_empty() ? 0.0 : geo::ellipsoidal_area_km2(g) * 1e6;
}

double CheckContext::app_area_m2() const { return app.plane_decides ? app.plane_area_m2 : app.area_m2; }

std::string CheckContext::area_basis_zh() const { return app.plane_decides ? "登记平面面积" : "椭球面积"; }

std::vector<const IndexedFeature*> CheckContext::schematic_features(const std::string& layer, const std::string& field,
                                                                    const std::vector<std::string>& values) const {
    std::vector<const IndexedFeature*> out;
    for (const auto& f : index.schematic_features(reader, layer, field, values)) out.push_back(&f);
    return out;
}

void CheckContext::schematic_review(Finding& f, const std::string& layer, const std::vector<const IndexedFeature*>& features,
                                    const std::string& what) const {
    SchematicUse use;
    use.layer = layer;
    use.layer_zh = index.layer_name_zh(layer);
    if (auto p = use.layer_zh.find("（"); p != std::string::npos) use.layer_zh = use.layer_zh.substr(0, p);
    use.feature_count = features.size();
    constexpr std::size_t kNamed = 5;
    for (std::size_t k = 0; k < features.size() && k < kNamed; ++k) {
        const IndexedFeature* x = features[k];
        use.features.push_back(x->name.empty() ? x->id : fmt::format("{}（{}）", x->name, x->id));
    }
    std::string named = join(use.features);
    if (features.size() > kNamed) named += fmt::format("等{}个", features.size());
    const std::string note =
        fmt::format("示意几何，不能据此判定：{}中的{}为示意几何（非真实位置），{}；须以正式规划数据库的真实范围人工核查", use.layer_zh,
                    named, what);
    for (auto& u : f.schematic)
        if (u.layer == layer) return;  // one note per layer
    f.schematic.push_back(std::move(use));
    if (f.result != Result::NotApplicable) f.result = Result::Review;
    f.message = f.message.empty() ? note : note + "。原判定依据：" + f.message;
}

void CheckContext::draw(const std::string& layer, const IndexedFeature& f) {
    if (!draw_) return;
    for (const auto& m : map_features)
        if (m.layer == layer && m.feature_id == f.id) return;
    std::string zh = index.layer_name_zh(layer);
    if (auto p = zh.find("（"); p != std::string::npos) zh = zh.substr(0, p);
    map_features.push_back({layer, zh, f.id, f.name, f.geometry.clone(), f.schematic});
}

Evidence CheckContext::evidence(const std::string& layer, const Overlap& o) const {
    return {layer, o.feature->id, o.feature->name, o.m2, o.pct, o.feature->schematic, o.plane_m2, o.ellipsoid_m2};
}

std::string CheckContext::canonical(const std::string& raw) const {
    const std::string name = trim(raw);
    if (auto c = minerals.canonical(name)) return *c;
    static const std::string kMine = "矿";
    if (name.size() > kMine.size() && name.ends_with(kMine))
        if (auto c = minerals.canonical(std::string_view(name).substr(0, name.size() - kMine.size()))) return *c;
    return name;
}

std::string CheckContext::main_mineral() const {
    auto m = app.attrs.text("main_mineral");
    return m ? canonical(*m) : std::string();
}

bool CheckContext::layer_has_data(const std::string& layer, const std::string& field,
                                  const std::vector<std::string>& values) const {
    // A probe of the store, memoised in the index per plan version: never a scan of the layer per check.
    return index.has_data(reader, layer, field, values);
}

Finding start(const RuleDef& rule) {
    Finding f;
    f.rule_id = rule.id;
    f.title_zh = rule.title_zh;
    f.severity = rule.severity;
    f.citation = rule.citation;
    return f;
}

Finding needs(Finding f, const std::vector<std::string>& keys, const std::string& why) {
    f.result = Result::Review;
    std::vector<std::string> labels;
    for (const auto& k : keys) {
        f.missing.push_back(k);
        labels.push_back(fmt::format("{}（{}）", attribute_label(k), k));
    }
    f.message = fmt::format("缺少申请属性：{}，无法自动判定{}；需人工核查", join(labels), why.empty() ? "" : "（" + why + "）");
    return f;
}

// Areas as mineral-right registers give them: m², and km² to 4 decimals.
// Compiled: one per evidence row and message line, ≈ 3 % of a server check as a runtime format (session 16).
std::string fmt_m2(double m2) { return fmt::format(FMT_COMPILE("{:.1f} 平方米（{:.4f} 平方公里）"), m2, geo::round_km2(m2 / 1e6)); }

std::string named_overlaps(const std::vector<double>& m2, const std::function<std::string(std::size_t)>& line,
                           const std::string& sep) {
    std::vector<std::size_t> named(m2.size());
    std::iota(named.begin(), named.end(), std::size_t{0});
    if (named.size() > kNamedOverlaps) {
        std::stable_sort(named.begin(), named.end(), [&](std::size_t a, std::size_t b) { return m2[a] > m2[b]; });
        named.resize(kNamedOverlaps);
    }
    std::string out;
    for (std::size_t i : named) {
        if (!out.empty()) out += sep;
        out += line(i);
    }
    if (m2.size() > kNamedOverlaps)
        out += fmt::format("等共 {} 处（此处列出重叠面积最大的 {} 处，全部见证据）", m2.size(), kNamedOverlaps);
    return out;
}

std::vector<std::string> string_list(const nlohmann::json& j, const std::string& key) {
    std::vector<std::string> out;
    if (j.contains(key))
        for (const auto& v : j[key]) out.push_back(v.get<std::string>());
    return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
    return s;
}

}  // namespace detail

namespace {

// The coordinate input itself: any correction or doubt noted while reading it needs a person.
Finding coordinates(const RuleDef& rule, detail::CheckContext& ctx) {
    Finding f = detail::start(rule);
    const Application& a = ctx.app;
    f.data["area_m2"] = a.area_m2;
    f.data["ellipsoid_area_m2"] = a.area_m2;
    f.data["plane_area_m2"] = a.plane_area_m2;
    f.data["plane_epsg"] = a.plane_epsg;
    f.data["area_basis"] = a.plane_decides ? "plane" : "ellipsoid";
    f.data["source_epsg"] = a.source_epsg;
    std::string areas = fmt::format("椭球面积 {}", detail::fmt_m2(a.area_m2));
    if (a.plane_epsg != 0)
        areas = fmt::format("登记平面面积（EPSG:{}）{:.1f} 平方米（{:.4f} 平方公里），2000国家大地坐标系椭球面积 {:.1f} 平方米（{:.4f} 平方公里），"
                            "以{}为准",
                            a.plane_epsg, a.plane_area_m2, geo::round_km2(a.plane_area_m2 / 1e6), a.area_m2,
                            geo::round_km2(a.area_m2 / 1e6), ctx.area_basis_zh());
    if (a.input_notes.empty()) {
        f.result = Result::Pass;
        f.message = fmt::format("坐标已读取（{}，EPSG:{}）；{}", source_format_zh(a.source_format), a.source_epsg, areas);
    } else {
        f.result = Result::Review;
        f.message = "坐标读取时作了推断或更正，需人工确认：" + detail::join(a.input_notes, "；") + "。" + areas;
    }
    for (const auto& n : a.notes) f.message += "。" + n;
    return f;
}

SchematicSummary summarize_schematic(const std::vector<Finding>& findings) {
    SchematicSummary s;
    for (const auto& f : findings) {
        if (f.result == Result::NotApplicable || !f.relies_on_schematic()) continue;
        s.rule_ids.push_back(f.rule_id);
        for (const auto& u : f.schematic)
            if (std::find(s.layers_zh.begin(), s.layers_zh.end(), u.layer_zh) == s.layers_zh.end()) s.layers_zh.push_back(u.layer_zh);
    }
    return s;
}

}  // namespace

Engine::Engine(const PlanIndex& index, const RuleSet& rules, const standards::MineralNames& minerals,
               const standards::SizeClassTable& sizes, std::size_t plane_cache_vertices)
    : index_(index), rules_(rules), minerals_(minerals), sizes_(sizes),
      plane_cache_(std::make_unique<PlaneCache>(plane_cache_vertices)), shared_areas_(std::make_unique<SharedAreaMemo>()) {}

PolygonOptions Engine::polygon_options(const geo::PreparedGeometry* city) const {
    PolygonOptions o;
    const auto& s = rules_.settings;
    o.city = city ? city : index_.city_prepared();
    o.city_zh = s.value("city_zh", index_.metadata("jurisdiction_zh"));
    if (o.city_zh.empty()) o.city_zh = "规划区";
    // Without settings, the plan's own boundary decides: the zone of its centre, and a margin of 1° around
    // it as the area where coordinates are plausible at all.
    const geo::Envelope area = index_.city() ? index_.city()->envelope() : geo::Envelope{73.0, 3.0, 136.0, 54.0};
    o.default_zone = s.value("gk_zone", geo::gk3_zone_of((area.min_x + area.max_x) / 2));
    if (s.contains("province_bounds")) {
        const auto& b = s["province_bounds"];
        o.province = {b.at(0).get<double>(), b.at(1).get<double>(), b.at(2).get<double>(), b.at(3).get<double>()};
        o.province_zh = s.value("province_zh", "所在省");
    } else {
        o.province = {area.min_x - 1, area.min_y - 1, area.max_x + 1, area.max_y + 1};
        o.province_zh = o.city_zh + "及周边";
    }
    return o;
}

Report Engine::check(const Application& app) const { return check(app, index_.reader()); }

Report Engine::check(const Application& app, const store::PlanStore& reader, const PrecomputedOverlaps* precomputed,
                     FeatureCache* cache) const {
    const auto t0 = std::chrono::steady_clock::now();
    Report r;
    r.plan_id = index_.metadata("id");
    r.plan_name_zh = index_.metadata("name_zh");
    r.rule_set_id = rules_.id;
    detail::CheckContext ctx(app, index_, reader, minerals_, sizes_, rules_.settings, precomputed, plane_cache_.get(),
                             shared_areas_.get(), cache);
    const auto& spatial = detail::spatial_checks();
    const auto& attribute = detail::attribute_checks();
    const auto& clause = detail::clause_checks();
    for (const auto& rule : rules_.rules) {
        Finding f;
        if (!rule.applies(app.kind, app.action)) {
            f = detail::start(rule);
            f.result = Result::NotApplicable;
            f.message = fmt::format("本条不适用于{}{}申请", to_zh(app.action), to_zh(app.kind));
        } else if (rule.check == "coordinates") {
            f = coordinates(rule, ctx);
        } else if (auto it = spatial.find(rule.check); it != spatial.end()) {
            f = it->second(rule, ctx);
        } else if (auto it2 = attribute.find(rule.check); it2 != attribute.end()) {
            f = it2->second(rule, ctx);
        } else if (auto it3 = clause.find(rule.check); it3 != clause.end()) {
            f = it3->second(rule, ctx);
        } else {
            throw InternalError("no implementation for check " + rule.check);
        }
        if (f.relies_on_schematic() && f.schematic.empty() && f.result != Result::NotApplicable)
            f.message += "（依据的规划要素为示意几何，非真实位置，结论须以正式规划数据库复核）";
        r.findings.push_back(std::move(f));
    }
    r.verdict = decide(r.findings, !app.input_notes.empty());
    r.map_features = std::move(ctx.map_features);
    r.application.name = app.name;
    r.application.source_format = app.source_format;
    r.application.kind = app.kind;
    r.application.action = app.action;
    r.application.polygon = app.polygon.clone();
    r.application.area_m2 = app.area_m2;
    r.application.source_epsg = app.source_epsg;
    r.application.input_notes = app.input_notes;
    r.application.notes = app.notes;
    r.application.plane_epsg = app.plane_epsg;
    if (!app.plane_polygon.is_null()) r.application.plane_polygon = app.plane_polygon.clone();
    r.application.plane_area_m2 = app.plane_area_m2;
    r.application.plane_decides = app.plane_decides;
    r.application.corners = app.corners;
    r.application.attrs = app.attrs;
    r.schematic = summarize_schematic(r.findings);
    r.engine_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

std::unique_ptr<ReviewSetup> ReviewSetup::load(const store::PlanStore& store, const std::filesystem::path& rules_file) {
    auto s = std::make_unique<ReviewSetup>();
    s->index = PlanIndex::load(store);
    s->rules = rules_file.empty() ? RuleSet::from_store(store) : RuleSet::load(rules_file);
    auto standards = standards::Standards::from_store(store);
    s->minerals = std::move(standards.minerals);
    s->sizes = std::move(standards.sizes);
    s->engine = std::make_unique<Engine>(*s->index, s->rules, s->minerals, s->sizes);
    return s;
}

}  // namespace minplan::rules
