// The batch audit engine: every right of the rights layer overlaid with the plan layers and reviewed, for a
// bureau's tens of thousands of rights over millions of control features, in bounded memory on every core.
//
//   tiles      the rights sorted along a Hilbert curve of their envelope centres, cut into tiles of
//              tile_size rights; a worker takes the next tile and reads each plan layer once for the
//              tile's envelope through the store's spatial index (PlanStore::features_in).
//   cheap first  envelope disjoint → nothing; prepared intersects false → nothing; feature inside the
//              right (envelope, then prepared covers) → the feature's own area, computed once per tile;
//              right inside the feature → the right's area; a rectangular right → GEOSClipByRect;
//              otherwise the GEOS intersection.
//   review     each right is then checked by the same Engine as `minplan check`, with the overlaps handed in
//              (PrecomputedOverlaps): findings equal those of a single check.
//   workers    one thread per core, each with its own read view of the database and its own GEOS context;
//              tiles are delivered in order to the caller's thread through a small reorder window, which
//              bounds what is held in memory to a few tiles.
//
// Areas are ellipsoidal (CGCS2000) in m², as the single check computes them.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "rules/audit.hpp"

namespace minplan::rules {

struct OverlapRow {
    std::string right_id, layer, feature_id;
    double m2 = 0;
};

struct BatchOptions {
    std::string rights_layer = "mineral_rights";
    // The plan layers overlaid and reported (OverlapRow); empty = every spatial layer but the rights layer.
    std::vector<std::string> layers;
    unsigned threads = 0;        // 0 = one per core
    // Rights per tile. A feature near several tiles is read, parsed and learnt (validity, own area) once per
    // tile: at goal size 64 read 1.35 M features for the 998 k, 256 reads 1.17 M (2048: 1.02 M, but 1.3 GB);
    // 256 keeps the peak near 350 MiB (docs/performance.md, session 10 `audit8`).
    std::size_t tile_size = 256;
    std::string as_of{};         // the date whose plan the workers read (YYYY-MM-DD; empty = today)
};

struct BatchSinks {
    // The overlaps of one right (features at or above the rule set's min_overlap_m2), called on the
    // caller's thread, tile by tile in Hilbert order.
    std::function<void(const std::vector<OverlapRow>&)> overlaps;
    std::function<void(std::size_t rights_done, std::size_t rights_total)> progress;
    // When set, each right's entry is handed over as soon as its tile is delivered (caller's thread, Hilbert
    // order; `ordinal` is its place in the rights layer) and BatchResult::entries stays empty: the findings
    // of 10^4-10^5 rights (with their evidence) are then never all held at once.
    std::function<void(std::size_t ordinal, AuditEntry&& entry)> entry;
};

struct BatchResult {
    std::vector<AuditEntry> entries;  // in the order of the rights layer (empty with BatchSinks::entry)
    std::vector<SkipNote> skipped;
};

BatchResult audit_batch(const Engine& engine, const BatchOptions& options, const BatchSinks& sinks = {});

// The overlap CSV (`minplan audit --overlaps`): UTF-8 without BOM, header right_id,layer,feature_id,overlap_m2.
std::string overlap_csv_header();
std::string overlap_csv_rows(const std::vector<OverlapRow>& rows);

}  // namespace minplan::rules
