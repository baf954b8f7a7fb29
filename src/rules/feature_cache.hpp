// Parsed window features of one read view (a server reader: one plan database snapshot), kept across the
// checks that borrow that reader. A check near an earlier one then asks the store's spatial index which
// features meet its window and reads and parses only those not kept: the row reads and the WKB → GEOS parse
// were 37 % of a server check (docs/performance.md, session 10 check8).
//
// Staleness: none within a snapshot. A reader is one read transaction at one plan version (GpkgStore pins it
// with BEGIN; the server reopens a reader whose version moved, and its cache goes with it), so a kept
// feature is exactly what a read of its fid would give again.
//
// Threads: one check at a time, like the reader it belongs to. The geometries are GEOS objects, used by the
// borrowing check (GEOS may fill lazy caches when a geometry is used): never share a cache between readers.
//
// Memory: bounded by an estimate of the bytes held (coordinates, attributes, the entry); the least recently
// used features are dropped beyond the budget, and a feature larger than the whole budget is not kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "rules/plan_index.hpp"

namespace minplan::rules {

class FeatureCache {
public:
    // ≈ 2·10⁵ farmland patches of 40 vertices (the server gives each reader its share of
    // CheckService::kFeatureCacheBytes instead).
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{256} << 20;
    using Ptr = std::shared_ptr<const IndexedFeature>;
    struct Stats {
        std::size_t entries = 0, bytes = 0;
        std::uint64_t hits = 0, misses = 0, evictions = 0;
    };

    explicit FeatureCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}
    FeatureCache(const FeatureCache&) = delete;
    FeatureCache& operator=(const FeatureCache&) = delete;

    Ptr find(const std::string& layer, std::int64_t fid);  // nullptr when not kept
    void put(const std::string& layer, const Ptr& feature);
    Stats stats() const;
    std::size_t max_bytes() const { return max_bytes_; }
    // What a feature is counted as: its coordinates as GEOS holds them, its attributes and the entry.
    static std::size_t estimated_bytes(const IndexedFeature& f);

private:
    // Two levels, layer then fid: a window looks up hundreds or thousands of fids of one layer, and a key
    // holding the layer's name cost a string hash and compare per feature (5 % of a check at random places).
    struct Order {
        const std::string* layer;  // the key of layers_ (stable: unordered_map nodes do not move)
        std::int64_t fid;
    };
    struct Slot {
        Ptr feature;
        std::size_t bytes = 0;
        std::list<Order>::iterator order;
    };
    using Slots = std::unordered_map<std::int64_t, Slot>;
    void drop(Slots& slots, Slots::iterator it);
    Slots* slots_of(const std::string& layer);  // nullptr when no feature of the layer was ever kept

    const std::size_t max_bytes_;
    std::list<Order> order_;  // most recently used first
    std::unordered_map<std::string, Slots> layers_;  // a layer's entry stays once made (last_ points into it)
    std::pair<const std::string, Slots>* last_ = nullptr;
    Stats stats_;
};

}  // namespace minplan::rules
