// The plan's layers held in memory for /api/layers, /api/layers/{id}/features and /api/features/{layer}/{fid}:
// read once through the store (GDAL) when the server starts and again when the plan version moves, then
// served without GDAL and without a lock. Per feature: its attributes (for the equality filters), its
// envelope and its GeoJSON Feature text, serialised once exactly as the store path wrote it; per
// simplification tolerance (zoom level) the simplified texts, computed on first use and cached.
// A bbox query is an envelope scan (layers are small: at most a few thousand features), the exact
// intersects test of GDAL's spatial filter for features that only straddle the box, the attribute filters
// on the stored values, offset/limit, and the concatenation of the stored texts.
//
// A Snapshot is immutable once built, except for the simplification cache, which is itself a
// copy-on-write map behind an atomic shared_ptr: readers never lock.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "geo/geometry.hpp"
#include "server/api.hpp"
#include "server/simplify.hpp"
#include "store/plan_store.hpp"

namespace minplan::server {

struct SnapshotFeature {
    Feature feature;              // attributes for the filters, WKB for simplification
    bool has_geometry = false;    // non-empty geometry: the only ones a bbox can select
    geo::Envelope envelope;
    std::string json;             // the GeoJSON Feature, as nlohmann dumps it inside the collection
};

// The simplified texts of a whole layer at one tolerance, by feature position.
struct SimplifiedLayer {
    std::vector<std::string> json;  // empty string = same as the full text
    std::vector<std::size_t> vertices_before, vertices_after;
};

class SnapshotLayer {
public:
    // Tolerances kept per layer: the web map's integer zoom levels (0–24) fit; further `resolution` values
    // are simplified per request and not kept, so that arbitrary values cannot grow the cache.
    static constexpr std::size_t kMaxCachedTolerances = 32;

    TableSchema schema;
    std::vector<SnapshotFeature> features;  // in fid order, as the store iterates
    std::exception_ptr error;               // reading the layer failed: rethrown on each request

    // The layer's features at `tolerance_deg`, simplified on first use (thread-safe, lock-free when cached);
    // nullptr once kMaxCachedTolerances tolerances are cached (the caller then simplifies what it returns).
    std::shared_ptr<const SimplifiedLayer> simplified(double tolerance_deg) const;

private:
    using Cache = std::map<double, std::shared_ptr<const SimplifiedLayer>>;
    mutable std::atomic<std::shared_ptr<const Cache>> cache_{std::make_shared<const Cache>()};
    mutable std::mutex compute_mutex_;  // one computation at a time; readers of cached entries never take it
};

class Snapshot {
public:
    // Reads every layer of `store` (spatial and attribute tables), at the store's version.
    static std::shared_ptr<const Snapshot> load(const store::PlanStore& store);

    std::int64_t version = 0;
    nlohmann::json layers;  // the /api/layers answer

    // Same lookup as PlanStore::schema (id, code or Chinese name); NotFoundError with the same message.
    const SnapshotLayer& layer(const std::string& key) const;
    // The /api/layers/{id}/features answer, as text (byte for byte what the store path dumped).
    std::string features(const std::string& layer, const Params& params) const;
    nlohmann::json feature(const std::string& layer, std::int64_t fid) const;

private:
    std::string location_;
    std::vector<std::unique_ptr<SnapshotLayer>> layers_;
};

}  // namespace minplan::server
