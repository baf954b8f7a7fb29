// Internal to src/rules: the state of one check (prepared application polygon, memoised overlaps per
// layer, features to draw) and the signatures of the check functions.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "rules/engine.hpp"
#include "rules/feature_cache.hpp"
#include "rules/plane_cache.hpp"

namespace minplan::rules::detail {

struct Overlap {
    const IndexedFeature* feature = nullptr;
    double m2 = 0;   // the deciding area: plane for registered (plane) input, else ellipsoid
    double pct = 0;  // of the application's deciding area
    double plane_m2 = 0, ellipsoid_m2 = 0;
};

class CheckContext {
public:
    CheckContext(const Application& app, const PlanIndex& index, const store::PlanStore& reader,
                 const standards::MineralNames& minerals, const standards::SizeClassTable& sizes,
                 const nlohmann::json& settings, const PrecomputedOverlaps* precomputed = nullptr,
                 PlaneCache* plane_cache = nullptr, SharedAreaMemo* shared_areas = nullptr,
                 FeatureCache* feature_cache = nullptr);

    const Application& app;
    const PlanIndex& index;
    const store::PlanStore& reader;  // this check's own read view (one per thread)
    const standards::MineralNames& minerals;
    const standards::SizeClassTable& sizes;
    const nlohmann::json& settings;
    std::vector<MapFeature> map_features;

    // Features of `layer` whose overlap with the application exceeds the tolerance (settings
    // min_overlap_m2, default 1 m²); envelope prefilter, then prepared intersects, then intersection.
    const std::vector<Overlap>& overlaps(const std::string& layer);
    // Same, filtered by an attribute value (field in values); empty values = no filter.
    std::vector<Overlap> overlaps(const std::string& layer, const std::string& field,
                                  const std::vector<std::string>& values);
    // The application's overlap with one feature (0 m² when disjoint), on both bases.
    Overlap overlap_with(const IndexedFeature& f);
    // Area of a plan feature, or of the overlap of two plan features, on the deciding basis (in the
    // application's plane when it has one: vertices projected, edges straight in the plane).
    double feature_area_m2(const IndexedFeature& f);
    // Memoised across checks (the engine's SharedAreaMemo) when both came from layer windows.
    double shared_area_m2(const IndexedFeature& a, const IndexedFeature& b);
    double area_m2(const geo::Geometry& lonlat) const;  // ellipsoidal
    double app_area_m2() const;  // the application's deciding area
    std::string area_basis_zh() const;  // "登记平面面积" / "椭球面积"
    // Schematic features of `layer` (optionally only those whose field has one of values).
    std::vector<const IndexedFeature*> schematic_features(const std::string& layer, const std::string& field = {},
                                                          const std::vector<std::string>& values = {}) const;
    // Marks the finding 需人工核查 because its decision rests on schematic features of `layer`:
    // "示意几何，不能据此判定", naming the layer and (a few of) the features. `what` says which decision.
    void schematic_review(Finding& f, const std::string& layer, const std::vector<const IndexedFeature*>& features,
                          const std::string& what) const;
    // The features of `layer` whose envelope meets `box`, read through the store's spatial index and kept
    // for the rest of the check (the evidence points at them).
    std::vector<const IndexedFeature*> window(const std::string& layer, const geo::Envelope& box);
    geo::Geometry intersection_with(const IndexedFeature& f) const;  // ellipsoid basis, lon/lat
    void draw(const std::string& layer, const IndexedFeature& f);
    Evidence evidence(const std::string& layer, const Overlap& o) const;
    // A mineral name as the review compares it: canonical (standards::MineralNames) if the name or the
    // name without a trailing 矿 is listed (石灰岩矿 -> 石灰岩), else the trimmed name as written, so that
    // two spellings of an unlisted mineral still compare equal to themselves.
    std::string canonical(const std::string& name) const;
    std::string main_mineral() const;  // canonical(main_mineral); "" when not given
    bool layer_has_data(const std::string& layer, const std::string& field = {},
                        const std::vector<std::string>& values = {}) const;

private:
    double measure_shared_area_m2(const IndexedFeature& a, const IndexedFeature& b);
    // A feature in the application's plane: the shared entry (envelope, plane area, ellipsoidal area in the
    // plane model) when the feature came from a layer window, and this check's own copy of the geometry,
    // made by own_plane() only when a GEOS operation needs it (a feature whose envelope misses the
    // application's never does: the clone was 5 % of a check, docs/performance.md session 9 check7).
    struct PlaneFeature {
        geo::Geometry plane;  // null until own_plane() when `entry` is set
        std::shared_ptr<const PlaneCache::Entry> entry;
    };
    PlaneFeature& plane_of(const IndexedFeature& f);
    PlaneFeature& derive_plane(const IndexedFeature& f, const std::string* cache_layer,
                               std::shared_ptr<const PlaneCache::Entry> entry);
    void find_planes(const std::string& layer, const std::vector<const IndexedFeature*>& features);
    const geo::Geometry& own_plane(PlaneFeature& p) const;
    double plane_ellipsoid_m2(PlaneFeature& p) const;
    bool is_the_rectangle(const geo::Geometry& clip) const;
    bool plane() const { return app.plane_epsg != 0 && !app.plane_polygon.is_null(); }
    geo::PreparedGeometry prepared_;
    std::unique_ptr<geo::PreparedGeometry> prepared_plane_;
    geo::Envelope envelope_;
    geo::Envelope app_envelope_, plane_envelope_;  // of the polygon itself (envelope_ has a margin)
    bool plane_rectangle_ = false;  // the plane polygon is its own envelope (Geometry::is_rectangle)
    std::unordered_map<const IndexedFeature*, PlaneFeature> plane_memo_;
    PlaneCache* plane_cache_ = nullptr;  // the engine's, shared by its checks; nullptr: derive per check
    SharedAreaMemo* shared_areas_ = nullptr;  // the engine's; nullptr: compute per check
    std::unordered_map<const IndexedFeature*, const std::string*> layer_of_;  // features read by window()
    double min_overlap_m2_ = 1.0;
    bool draw_ = true;  // PrecomputedOverlaps::draw
    std::map<std::string, std::vector<Overlap>> memo_;
    std::deque<IndexedFeature> read_;  // features this check read; a deque keeps their addresses
    FeatureCache* feature_cache_ = nullptr;  // the reader's (the server's); nullptr: read_ holds them
    std::vector<std::shared_ptr<const IndexedFeature>> kept_;  // the cache's features this check uses
};

using CheckFn = std::function<Finding(const RuleDef&, CheckContext&)>;

// Shared by the spatial checks (spatial_checks.cpp, zone_checks.cpp).
std::string overlap_label(const Overlap& o);  // "name（id）" or the id
std::vector<const IndexedFeature*> schematic_hits(const std::vector<Overlap>& hits);
// Rights of the parameters' kind (and active state) overlapping `area` by at least 1 m².
std::vector<const IndexedFeature*> rights_in(CheckContext& ctx, const nlohmann::json& p, const IndexedFeature& area);
Finding zone_planned_count(const RuleDef& rule, CheckContext& ctx);
Finding prohibited_use(const RuleDef& rule, CheckContext& ctx);
const std::map<std::string, CheckFn>& spatial_checks();
const std::map<std::string, CheckFn>& attribute_checks();
const std::map<std::string, CheckFn>& clause_checks();

// A finding pre-filled from the rule (id, title, severity, citation).
Finding start(const RuleDef& rule);
// 需人工核查 for missing attributes: names each attribute with its Chinese label.
Finding needs(Finding f, const std::vector<std::string>& keys, const std::string& why = {});
std::string fmt_m2(double m2);  // "12345.6 平方米（0.0123 平方公里）"
std::vector<std::string> string_list(const nlohmann::json& j, const std::string& key);
std::string join(const std::vector<std::string>& items, const std::string& sep = "、");
// A message names at most this many overlaps; the evidence lists them all.
inline constexpr std::size_t kNamedOverlaps = 10;
// The overlaps a message names, joined by `sep`: all of them when there are at most kNamedOverlaps, else the
// kNamedOverlaps largest (by `m2`, ties in their order) and how many there are in all. `line(i)` spells the
// i-th; only the named ones are spelt. A message naming 167 farmland patches could not be read, and
// spelling them was ≈ 6 % of a server check (docs/performance.md, session 16).
std::string named_overlaps(const std::vector<double>& m2, const std::function<std::string(std::size_t)>& line,
                           const std::string& sep);

}  // namespace minplan::rules::detail
