// The overlap of one right with one plan feature in the batch audit (audit_batch.cpp), cheapest answer
// first. Internal to src/rules. Objects live in one worker thread (GEOS prepared geometries are not to
// be shared between threads).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry.hpp"
#include "rules/plan_index.hpp"

namespace minplan::rules {

// A plan feature read for one tile, with what is learnt about it once and reused for every right of the
// tile: its own area, its prepared form, its repaired geometry when it is invalid.
struct OverlayFeature {
    IndexedFeature feature;
    std::optional<double> own_m2;
    std::unique_ptr<geo::PreparedGeometry> prepared;
    std::optional<bool> valid;
    geo::Geometry repaired;  // make_valid of an invalid feature
    bool unusable = false;   // could not be repaired: left out, with a note
    const geo::Geometry& geometry() const { return repaired.is_null() ? feature.geometry : repaired; }
};

std::vector<OverlayFeature> overlay_features(std::vector<IndexedFeature> features);

// make_valid of an invalid polygon (buffer(0) if that fails); nullopt when it is valid.
std::optional<geo::Geometry> repaired(const geo::Geometry& g);

class RightOverlay {
public:
    RightOverlay(const geo::Geometry& polygon, double area_m2);
    // The overlap in m² (ellipsoidal), nullopt when they do not meet; `note` is told once why a feature was
    // repaired or left out.
    std::optional<double> overlap_m2(OverlayFeature& f, const std::function<void(const std::string&)>& note) const;

private:
    double compute(OverlayFeature& f) const;
    const geo::Geometry& polygon_;
    double area_m2_;
    geo::PreparedGeometry prepared_;
    geo::Envelope envelope_;
    bool rectangle_;
};

}  // namespace minplan::rules
