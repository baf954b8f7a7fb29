// The plan's layers for /api/layers, /api/layers/{id}/features and /api/features/{layer}/{fid}, at one plan
// version. Built without reading any feature (the layer list, schemas and code labels only), so that the
// server answers at once whatever the size of the plan. A layer of at most `held_max_features` features is
// read on its first request and then held: per feature its attributes (for the equality filters), its
// envelope and its GeoJSON Feature text, serialised once exactly as the store path wrote it; per
// simplification tolerance (zoom level) the simplified texts, computed on first use and cached. A larger
// layer (a province's farmland: 10⁶ patches) is never held: each request is the store path itself — the
// R*Tree window of its bbox, the attribute filters, offset and limit in the store, simplification of the
// returned rows at the zoom asked — so memory is one page of features, whatever the layer.
// A held bbox query is an envelope scan, the exact intersects test of GDAL's spatial filter for features
// that only straddle the box, the attribute filters on the stored values, offset/limit, and the
// concatenation of the stored texts.
//
// A Snapshot is immutable once built, except for what it loads lazily (a held layer, once; the
// simplification cache, a copy-on-write map behind an atomic shared_ptr: readers of cached entries never
// lock). Its store (one read view, not thread-safe) is used under a mutex.
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
    static constexpr std::int64_t kHeldMaxFeatures = kDefaultHeldMaxFeatures;

    // Tolerances kept per layer: the web map's integer zoom levels (0–24) fit; further `resolution` values
    // are simplified per request and not kept, so that arbitrary values cannot grow the cache.
    static constexpr std::size_t kMaxCachedTolerances = 32;

    TableSchema schema;
    std::int64_t feature_count = 0;  // as the store's layer list says
    bool held = true;                // read once and held; else read per request from the store
    // Read on first use (Snapshot::loaded), once:
    mutable std::vector<SnapshotFeature> features;  // held: in fid order, as the store iterates
    mutable std::exception_ptr error;               // reading the layer failed: rethrown on each request
    mutable std::once_flag loaded;

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
    // The layers of `store` (spatial and attribute tables), at the store's version; no feature is read here.
    // The snapshot keeps the store for the reads it makes later.
    static std::shared_ptr<const Snapshot> load(std::shared_ptr<const store::PlanStore> store,
                                                std::int64_t held_max_features = SnapshotLayer::kHeldMaxFeatures);

    std::int64_t version = 0;
    nlohmann::json layers;  // the /api/layers answer

    // Same lookup as PlanStore::schema (id, code or Chinese name); NotFoundError with the same message.
    const SnapshotLayer& layer(const std::string& key) const;
    // The /api/layers/{id}/features answer, as text (byte for byte what the store path dumped).
    std::string features(const std::string& layer, const Params& params) const;
    nlohmann::json feature(const std::string& layer, std::int64_t fid) const;

private:
    // The layer with its features read (held layers, on first use; the error, if reading failed, is rethrown).
    const SnapshotLayer& loaded(const std::string& key) const;
    std::string store_features(const SnapshotLayer& layer, const Params& params) const;

    std::string location_;
    std::vector<std::unique_ptr<SnapshotLayer>> layers_;
    std::shared_ptr<const store::PlanStore> store_;
    mutable std::mutex store_mutex_;
};

}  // namespace minplan::server
