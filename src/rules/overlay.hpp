// The overlap of one right with one plan feature in the batch audit (audit_batch.cpp), cheapest answer
// first. Internal to src/rules. Objects live in one worker thread (GEOS prepared geometries are not to
// be shared between threads).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geo/geometry.hpp"
#include "rules/plan_index.hpp"

namespace minplan::rules {

// A part of a huge feature (as PostGIS's ST_Subdivide makes them): a right touches only the parts near
// it; the overlap is reported under the feature.
struct Piece {
    geo::Geometry geometry;
    geo::Envelope envelope;
    // Prepared on the first right that lies in the piece's envelope (kept with the piece in the worker's
    // HugeCache): an unprepared covers computed the full intersection matrix for every such right.
    mutable std::unique_ptr<geo::PreparedGeometry> prepared;
};

// What is learnt once about a feature, kept across the rights of a tile — and, for huge features, across
// the tiles of a worker (HugeCache): its validity, its repaired geometry, its parts.
struct FeatureState {
    std::optional<bool> valid;
    geo::Geometry repaired;  // make_valid of an invalid feature
    bool unusable = false;   // could not be repaired: left out, with a note
    std::vector<Piece> pieces;
    std::vector<geo::Coord> vertices;  // of the whole, sorted: tells the cuts' vertices from the feature's own
    bool subdivided = false;
    // The last parts merged for a right (their indices in `pieces`, ascending) and the merged geometry without
    // the cuts' vertices: neighbouring rights along a huge feature often meet the same parts.
    struct Merged {
        std::vector<std::size_t> parts;
        geo::Geometry geometry;
    };
    std::vector<Merged> merged;  // at most kMergedKept, the oldest replaced first
    std::size_t merged_next = 0;
};

// A plan feature read for one tile.
struct OverlayFeature {
    IndexedFeature feature;
    std::optional<double> own_m2;
    std::unique_ptr<geo::PreparedGeometry> prepared;
    // A huge feature's state is the worker's (HugeCache), kept across tiles; any other feature's is its own,
    // held inline: one allocation less for each of the 1.17 M features the goal audit reads.
    std::shared_ptr<FeatureState> huge;
    FeatureState own;
    // The read geometry's vertex count when known (overlay_features), 0 = not counted: asked per right.
    std::size_t vertices = 0;
    FeatureState& state() { return huge ? *huge : own; }
    const FeatureState& state() const { return huge ? *huge : own; }
    const geo::Geometry& geometry() const { return state().repaired.is_null() ? feature.geometry : state().repaired; }
};

// Features of more than kHugeVertices vertices are split into parts of at most that many and their state
// kept per worker, up to kHugeCacheVertices vertices (then the cache starts again).
inline constexpr std::size_t kHugeVertices = 256;
// Below this many m², a clipped overlap is overlaid again (RightOverlay::over_boundary): there, the last
// bits of a crossing point move the geodesic area by up to 1e-6 relative; above it, by less than 1e-7.
inline constexpr double kClipExactM2 = 100.0;
inline constexpr std::size_t kHugeCacheVertices = 4'000'000;  // ≈ 100 MB per worker
inline constexpr std::size_t kMergedKept = 8;  // merged parts kept per huge feature (FeatureState::merged)

class HugeCache {
public:
    // The state of a huge feature of `layer` seen before by this worker, or a new one kept for the next tiles.
    std::shared_ptr<FeatureState> get(const std::string& layer, std::int64_t fid, std::size_t vertices);

private:
    std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<FeatureState>> states_;
    std::size_t vertices_ = 0;
};

std::vector<OverlayFeature> overlay_features(const std::string& layer, std::vector<IndexedFeature> features, HugeCache& cache);

// make_valid of an invalid polygon (buffer(0) if that fails); nullopt when it is valid.
std::optional<geo::Geometry> repaired(const geo::Geometry& g);

// Parts of at most `max_vertices` vertices by recursive halving of the envelope (GEOSClipByRect); together
// they are the whole (their planar areas add up to its area).
std::vector<geo::Geometry> subdivide(const geo::Geometry& g, std::size_t max_vertices);

class RightOverlay {
public:
    // `min_m2`: the smallest overlap the caller keeps. When it is above 0, an axis-aligned rectangular right
    // lets its clip tell whether a known-valid feature meets it (an empty clip: apart or only touching, no
    // area to keep) instead of a prepared `intersects` first, which builds the feature's monotone chains
    // again for every right it is tested against (15 % of the mid-size audit); a touching feature is then
    // nullopt rather than 0 m². At 0 every feature is tested as before.
    RightOverlay(const geo::Geometry& polygon, double area_m2, double min_m2 = 0.0);
    // The overlap in m² (ellipsoidal), nullopt when they do not meet; `note` is told once why a feature was
    // repaired or left out.
    std::optional<double> overlap_m2(OverlayFeature& f, const std::function<void(const std::string&)>& note) const;

private:
    // `covered`: the right is known to cover the feature (its envelope's rectangle is covered).
    std::optional<double> compute(OverlayFeature& f, bool covered) const;
    std::optional<double> over_pieces(FeatureState& s) const;
    // The overlap of a feature that crosses the right's boundary: a clip for an axis-aligned rectangle
    // (overlaid again when small, see kClipExactM2), else an overlay; nullopt for an empty clip when
    // clip_decides_.
    std::optional<double> over_boundary(const geo::Geometry& g) const;
    const geo::Geometry& polygon_;
    double area_m2_;
    geo::PreparedGeometry prepared_;
    geo::Envelope envelope_;
    bool rectangle_;
    bool clip_decides_;  // rectangle_ and min_m2 > 0
};

}  // namespace minplan::rules
