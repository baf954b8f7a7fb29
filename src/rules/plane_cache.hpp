// What a single check in a registered plane derives from a plan feature alone, kept across checks: the
// feature projected into the application's plane (vertices projected, edges straight in the plane), its
// plane area, and its ellipsoidal area in that model (geo::plane_polygon_ellipsoidal_area_km2, as for any
// overlap in the plane). None of it depends on the application, and before this cache
// every check recomputed it for every feature near it: for a feature inside the application (most
// farmland patches around a mine) that was the whole cost of its overlap (about 40 % of a server check,
// docs/performance.md, session 8).
//
// Staleness: one cache belongs to one Engine, i.e. to one plan version (the server loads a new review setup
// when a write through the store moves the version, and the old cache goes with the old setup). Within a
// version, an entry is used only for the very geometry it was derived from: the caller gives the hash of
// the stored WKB it read (IndexedFeature::wkb_hash), so a geometry edited past the store (QGIS writing the
// GeoPackage) is derived afresh, never answered from the entry of its old shape.
//
// Memory: bounded by the vertices held (plane coordinates): the least recently used entries are dropped
// beyond the budget; a feature larger than the whole budget is not kept.
//
// Threads: any number of checks may use one cache. An entry is immutable once published, except for its
// ellipsoidal area, computed on first need (an atomic: every thread computes the same value). Checks never
// run GEOS on an entry's geometry: they clone it (a read of coordinates) and work on their own copy, since
// GEOS objects may fill lazy caches when used and are not to be shared between threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/geometry.hpp"

namespace minplan::rules {

class PlaneCache {
public:
    // About 24 bytes a vertex in GEOS plus the entry: 2·10⁶ vertices ≈ 70 MB, room for the neighbourhoods
    // of a few thousand recent applications at goal size (≈ 40 vertices a farmland patch).
    static constexpr std::size_t kDefaultMaxVertices = 2'000'000;

    struct Entry {
        geo::Geometry plane;  // read-only once published: clone it before any GEOS operation
        geo::Envelope envelope;
        double plane_m2 = 0;
        std::size_t vertices = 0;
        std::uint64_t wkb_hash = 0;
        // The plane polygon's ellipsoidal area (geo::plane_polygon_ellipsoidal_area_km2 × 10⁶); NaN until a
        // check needs it (only features inside an application do).
        mutable std::atomic<double> ellipsoid_m2;
        Entry();
    };
    struct Stats {
        std::size_t entries = 0, vertices = 0;
        std::uint64_t hits = 0, misses = 0, evictions = 0;
    };

    explicit PlaneCache(std::size_t max_vertices = kDefaultMaxVertices);

    // The entry of (layer, fid) in the plane `epsg`, when one was derived from a geometry with this WKB
    // hash; nullptr otherwise (absent, dropped, or another geometry under that fid).
    std::shared_ptr<const Entry> find(const std::string& layer, std::int64_t fid, int epsg, std::uint64_t wkb_hash);
    // find() of many features of one layer and plane under one lock (a check asks for a whole window: one
    // lock a feature was 2.6 % of a server check at 64 clients, docs/performance.md, session 17).
    struct Ask {
        std::int64_t fid = 0;
        std::uint64_t wkb_hash = 0;
    };
    std::vector<std::shared_ptr<const Entry>> find_many(const std::string& layer, int epsg, const std::vector<Ask>& asks);
    // Keeps `plane` (the feature projected into `epsg`) for (layer, fid) and returns its entry; an entry of
    // the same key is replaced. The entry is returned even when it is too large to be kept.
    std::shared_ptr<const Entry> put(const std::string& layer, std::int64_t fid, int epsg, std::uint64_t wkb_hash,
                                     geo::Geometry plane);
    Stats stats() const;
    std::size_t max_vertices() const { return max_vertices_; }

private:
    // Entries by layer and plane, then by fid: a window's lookups find their layer once.
    struct Slot;
    using FidSlots = std::unordered_map<std::int64_t, Slot>;
    struct Position {  // in the recency order
        FidSlots* slots;
        std::int64_t fid;
    };
    struct Slot {
        std::shared_ptr<const Entry> entry;
        std::list<Position>::iterator order;
    };
    std::shared_ptr<const Entry> hit(FidSlots* slots, std::int64_t fid, std::uint64_t wkb_hash);  // under the lock
    FidSlots* slots_of(const std::string& layer, int epsg);  // nullptr when none; under the lock
    void drop(FidSlots& slots, FidSlots::iterator it);

    const std::size_t max_vertices_;
    mutable std::mutex mutex_;
    std::list<Position> order_;  // most recently used first
    std::map<std::string, std::map<int, FidSlots>> layers_;  // by layer, then plane EPSG; nodes never move
    Stats stats_;
};

// Areas shared by two plan features (e.g. a planning zone and a right in it: the rights already granted in
// the zone are counted by one overlay per right, the same for every application in the zone), kept for one
// plan version like PlaneCache. The key names both features by (layer, fid, WKB hash) and the area basis, so
// a geometry edited past the store (QGIS) is measured afresh; attributes are not memoised at all: the rule
// reads them from the window each check. Bounded: cleared when it holds kMaxEntries.
class SharedAreaMemo {
public:
    static constexpr std::size_t kMaxEntries = 200'000;
    std::optional<double> find(const std::string& key) const;
    void put(const std::string& key, double m2);

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, double> values_;
};

}  // namespace minplan::rules
