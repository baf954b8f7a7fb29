// What a review keeps of the plan database between checks: only what is small — the list of layers (ids,
// Chinese names, identifier fields), the attribute tables, the city boundary, the metadata — plus memos of
// "does the layer have data (with these values)?". The spatial layers stay in the database: a check reads
// the features near its application through the store's spatial index (PlanStore::features_in), so that
// loading the index costs the same for ten features or ten million, and one index serves many threads.
//
// Thread safety: a PlanIndex is immutable after load() except for its memos, which are guarded; any number
// of threads may use one index at once, each with its own PlanStore (a store is one connection and must
// not be shared) and its own GEOS objects (the city's prepared geometry is per thread: city_prepared()).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <typeindex>
#include <utility>
#include <vector>

#include "core/value.hpp"
#include "geo/geometry.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {

class BoxIndex;
class FeatureCache;

struct IndexedFeature {
    Feature feature;
    geo::Geometry geometry;  // EPSG:4490
    geo::Envelope envelope;
    std::string id, name;
    bool schematic = false;
    // The store's exact area and validity of this very geometry (same vertex count and envelope), when it
    // keeps them: a feature inside an application is then its own overlap without a geodesic computation.
    std::optional<store::StoredGeodesy> stored;
    // A hash of the stored WKB this geometry was parsed from: what a cache of derived data (PlaneCache)
    // checks, so that an entry is used for this very geometry only.
    std::uint64_t wkb_hash = 0;
};

// What the review needs to know of a spatial layer without reading its features.
struct SpatialLayer {
    std::string id, name_zh;
    std::string id_field, name_field;  // the identifier (first field) and the display name field, if any
    std::int64_t feature_count = 0;    // as the store's metadata says (gpkg_ogr_contents)
    int epsg = 0;
};

class PlanIndex {
public:
    // Reads the small parts only. `store` becomes the default reader (reader()) and must outlive the index
    // when it is used through it; services with one store per thread pass theirs to each call instead.
    static std::unique_ptr<PlanIndex> load(const store::PlanStore& store);

    const SpatialLayer* layer(const std::string& id) const;  // nullptr when the database has no such spatial layer
    const std::vector<SpatialLayer>& spatial_layers() const { return layers_; }
    const std::vector<Feature>& table(const std::string& id) const;  // empty when absent
    std::string metadata(const std::string& key) const;               // "" when absent
    const geo::Geometry* city() const { return city_.is_null() ? nullptr : &city_; }
    // The city boundary prepared for this thread (GEOS prepared geometries build their indexes lazily and
    // must not be shared between threads); nullptr without a boundary.
    const geo::PreparedGeometry* city_prepared() const;
    std::string layer_name_zh(const std::string& id) const;
    std::int64_t version() const { return version_; }
    const store::PlanStore& reader() const;  // the store it was loaded from (InternalError once detached)
    // Forgets the store it was loaded from, for services that close it and pass a reader to every call.
    void detach_reader() { reader_ = nullptr; }
    // Keep each layer's index boxes in memory once a window asks for them (box_index.hpp; ≈ 40 bytes and a
    // little more per feature, docs/database.md): for a service that answers many windows of this plan
    // version. Off by default: one CLI check reads its windows from the store and nothing more.
    void keep_box_indexes() { keep_boxes_ = true; }
    // The entries of `layer`'s spatial index that meet `box`, as PlanStore::index_boxes gives them: from the
    // memory index when kept and built; from the store while another thread builds it, or when not kept.
    std::optional<std::vector<store::IndexBox>> index_boxes(const store::PlanStore& reader, const std::string& layer,
                                                            const store::BBox& box) const;
    std::size_t kept_box_indexes() const;  // how many layers' box indexes are built (for tests)

    // The features of `layer` whose envelope meets `box`, parsed, in feature-id order (the order of the
    // layer; the results do not depend on the index's internal order). Features without a geometry and
    // empty ones are left out, as the review never used them.
    std::vector<IndexedFeature> window(const store::PlanStore& reader, const std::string& layer,
                                       const geo::Envelope& box) const;
    // The same through `cache` (a reader's own, feature_cache.hpp): the store's index names the features that
    // meet `box`; those the cache keeps are not read again, the others are read, parsed and kept.
    std::vector<std::shared_ptr<const IndexedFeature>> window(const store::PlanStore& reader, const std::string& layer,
                                                              const geo::Envelope& box, FeatureCache& cache) const;
    // The same, of the features `fids` only (ids the store's index_boxes gave for `box`): the batch audit
    // reads only the rows whose index box meets one of a tile's rights.
    std::vector<IndexedFeature> window_of(const store::PlanStore& reader, const std::string& layer, const geo::Envelope& box,
                                          const std::vector<std::int64_t>& fids) const;
    // One feature as the review sees it (identifier, name, parsed geometry); false if it has no geometry.
    bool make_feature(const SpatialLayer& layer, Feature f, IndexedFeature& out) const;
    // Any feature with a geometry (and one of `values` in `field`); asked by every check, answered by one
    // probe of the store per plan version and then from the memo.
    bool has_data(const store::PlanStore& reader, const std::string& layer, const std::string& field = {},
                  const std::vector<std::string>& values = {}) const;
    // The schematic features of a layer (geometry_source = schematic), with one of `values` in `field`
    // when given: identifier, name and attributes only (no geometry), for saying which schematic features
    // a finding could not rely on. Read once per plan version with an attribute filter, then from the memo.
    const std::vector<IndexedFeature>& schematic_features(const store::PlanStore& reader, const std::string& layer,
                                                          const std::string& field = {},
                                                          const std::vector<std::string>& values = {}) const;
    // The attributes `fields` of the features of a spatial layer that have a geometry (e.g. the existing
    // rights' kind, mineral and scale for a capacity sum), in fid order: read once on first use and kept; for
    // layers of thousands of features, not of millions.
    const std::vector<Feature>& attribute_rows(const store::PlanStore& reader, const std::string& layer,
                                               const std::vector<std::string>& fields) const;
    // A digest of this plan version's data made by `make` on first use under `key` and kept with the other
    // memos (e.g. a rule's compact view of attribute_rows: scanning 20,000 rows' attribute maps every check was
    // 40 % of a check at random places). It must not depend on the application. Digests are kept per (T, key),
    // so two makers that happen to pick the same key never read each other's type. Two threads may make it at
    // once: the first stored is kept.
    template <class T, class Make>
    const T& derived(const std::string& key, Make&& make) const {
        {
            std::lock_guard lock(memo_mutex_);
            if (auto it = derived_.find({typeid(T), key}); it != derived_.end())
                return *static_cast<const T*>(it->second.get());
        }
        auto made = std::make_shared<const T>(make());
        std::lock_guard lock(memo_mutex_);
        auto& slot = derived_[{typeid(T), key}];
        if (!slot) slot = std::move(made);
        return *static_cast<const T*>(slot.get());
    }

private:
    std::vector<IndexedFeature> indexed(const store::PlanStore& reader, const std::string& layer, const geo::Envelope& box,
                                        std::vector<Feature> rows) const;
    std::vector<IndexedFeature> parsed(const store::PlanStore& reader, const std::string& layer, std::vector<Feature> rows) const;
    static void attach_geodesy(const store::PlanStore& reader, const std::string& layer, std::vector<IndexedFeature>& features);
    std::vector<SpatialLayer> layers_;
    std::map<std::string, std::vector<Feature>> tables_;
    std::map<std::string, std::string> metadata_;
    geo::Geometry city_;
    std::int64_t version_ = 0;
    std::uint64_t serial_ = 0;  // distinguishes indexes in the per-thread city cache
    const store::PlanStore* reader_ = nullptr;

    mutable std::mutex memo_mutex_;
    mutable std::map<std::string, bool> has_data_;
    mutable std::map<std::string, std::unique_ptr<std::vector<Feature>>> rows_;
    mutable std::map<std::string, std::unique_ptr<std::vector<IndexedFeature>>> schematic_;
    mutable std::map<std::pair<std::type_index, std::string>, std::shared_ptr<const void>> derived_;
    bool keep_boxes_ = false;
    // Per layer: absent until a window asks; null while being built or when the store keeps no index.
    mutable std::map<std::string, std::shared_ptr<const BoxIndex>> boxes_;
};

}  // namespace minplan::rules
