#include "rules/overlay.hpp"

#include "core/error.hpp"
#include "geo/crs.hpp"

namespace minplan::rules {
namespace {

double area_m2(const geo::Geometry& g) { return g.is_empty() ? 0.0 : geo::ellipsoidal_area_km2(g) * 1e6; }

}  // namespace

std::vector<OverlayFeature> overlay_features(std::vector<IndexedFeature> features) {
    std::vector<OverlayFeature> out(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) out[i].feature = std::move(features[i]);
    return out;
}

std::optional<geo::Geometry> repaired(const geo::Geometry& g) {
    if (!g.validity_problem()) return std::nullopt;
    try {
        geo::Geometry fixed = g.make_valid();
        if (!fixed.is_empty()) return fixed;
    } catch (const Error&) {
    }
    return g.buffer(0);
}

RightOverlay::RightOverlay(const geo::Geometry& polygon, double area_m2)
    : polygon_(polygon), area_m2_(area_m2), prepared_(polygon), envelope_(polygon.envelope()),
      rectangle_(polygon.is_rectangle()) {}

std::optional<double> RightOverlay::overlap_m2(OverlayFeature& f, const std::function<void(const std::string&)>& note) const {
    if (f.unusable || !f.feature.envelope.intersects(envelope_)) return std::nullopt;
    if (!prepared_.intersects(f.feature.geometry)) return std::nullopt;
    // Validity is learnt only for features that meet a right, once per tile: a self-intersecting feature
    // makes GEOS's overlay fail or miscount, so it is repaired first (and the audit says so).
    if (!f.valid) {
        try {
            auto fixed = repaired(f.feature.geometry);
            f.valid = !fixed;
            if (fixed) {
                f.repaired = std::move(*fixed);
                note("要素几何无效（自相交等），已按修复（make_valid）后的几何计算重叠面积");
            }
        } catch (const Error& e) {
            f.unusable = true;
            note(std::string("要素几何无效且无法修复，未参与叠加：") + e.what());
            return std::nullopt;
        }
    }
    try {
        return compute(f);
    } catch (const Error& e) {
        f.unusable = true;
        note(std::string("要素与矿业权的叠加计算失败，未参与叠加：") + e.what());
        return std::nullopt;
    }
}

double RightOverlay::compute(OverlayFeature& f) const {
    const geo::Geometry& g = f.geometry();
    const geo::Envelope& fe = f.feature.envelope;
    // The feature lies inside the right: its own area, computed once for all the rights that cover it.
    if (envelope_.contains(fe) && prepared_.covers(g)) {
        if (!f.own_m2) f.own_m2 = area_m2(g);
        return *f.own_m2;
    }
    // The right lies inside the feature (as the single check tests first): the right's own area. The
    // feature is prepared on first use, as it may cover several rights of the tile.
    if (fe.contains(envelope_)) {
        if (!f.prepared) f.prepared = std::make_unique<geo::PreparedGeometry>(g);
        if (f.prepared->covers(polygon_)) return area_m2_;
    }
    // An axis-aligned rectangular right: a clip, linear in the feature's vertices, instead of an overlay.
    if (rectangle_) return area_m2(g.clip_by_rect(envelope_));
    return area_m2(polygon_.intersection(g));
}

}  // namespace minplan::rules
