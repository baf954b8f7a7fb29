#include "rules/plan_index.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <string_view>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "rules/box_index.hpp"
#include "rules/feature_cache.hpp"

namespace minplan::rules {
namespace {

// The memos' key: layer, and the field and values when filtered (unit separators cannot occur in codes).
std::string memo_key(const std::string& layer, const std::string& field, const std::vector<std::string>& values) {
    std::string key = layer;
    if (field.empty()) return key;
    key += '\x1f' + field;
    for (const auto& v : values) key += '\x1f' + v;
    return key;
}

}  // namespace

std::unique_ptr<PlanIndex> PlanIndex::load(const store::PlanStore& store) {
    static std::atomic<std::uint64_t> serials{0};
    auto p = std::make_unique<PlanIndex>();
    p->serial_ = ++serials;
    p->reader_ = &store;
    p->version_ = store.version();
    for (const auto& info : store.layers()) {
        const TableSchema& schema = store.schema(info.id);
        if (!info.spatial) {
            p->tables_[info.id] = store.read(info.id);
            continue;
        }
        SpatialLayer layer;
        layer.id = info.id;
        layer.name_zh = schema.name_zh;
        layer.feature_count = info.feature_count;
        layer.epsg = info.epsg;
        // The first field is the layer's identifier (block_id, zone_id, control_id, right_id, ...).
        layer.id_field = schema.fields.empty() ? "" : schema.fields.front().name;
        for (const char* candidate : {"name", "name_zh", "mine_name", "holder"})
            if (schema.field(candidate)) {
                layer.name_field = candidate;
                break;
            }
        p->layers_.push_back(std::move(layer));
    }
    // The city boundary is one feature, used by every application: kept.
    if (const SpatialLayer* city = p->layer("admin_city")) {
        for (auto& f : store.read(city->id)) {
            IndexedFeature x;
            if (!p->make_feature(*city, std::move(f), x)) continue;
            p->city_ = std::move(x.geometry);
            break;
        }
    }
    for (const char* key : {"id", "name_zh", "period_start", "period_end", "jurisdiction_zh"})
        if (auto v = store.metadata(key)) p->metadata_[key] = *v;
    return p;
}

const store::PlanStore& PlanIndex::reader() const {
    if (!reader_) throw InternalError("plan index has no default reader");
    return *reader_;
}

bool PlanIndex::make_feature(const SpatialLayer& layer, Feature f, IndexedFeature& x) const {
    if (f.wkb.empty()) return false;
    x.geometry = geo::Geometry::from_wkb(f.wkb);
    if (x.geometry.is_empty()) return false;
    x.envelope = x.geometry.envelope();
    x.wkb_hash = std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(f.wkb.data()), f.wkb.size()));
    x.id = layer.id_field.empty() ? std::to_string(f.fid) : f.text(layer.id_field);
    if (x.id.empty()) x.id = std::to_string(f.fid);
    x.name = layer.name_field.empty() ? "" : f.text(layer.name_field);
    x.schematic = f.text(kGeometrySourceField) == kSchematic;
    f.wkb.clear();  // the geometry is parsed; the bytes would double the memory of a window
    f.wkb.shrink_to_fit();
    x.feature = std::move(f);
    return true;
}

void PlanIndex::attach_geodesy(const store::PlanStore& reader, const std::string& layer_id, std::vector<IndexedFeature>& features) {
    std::vector<std::int64_t> fids;
    fids.reserve(features.size());
    for (const auto& x : features) fids.push_back(x.feature.fid);
    const auto stored = reader.geodesy(layer_id, fids);
    if (stored.empty()) return;
    for (auto& x : features) {
        auto it = stored.find(x.feature.fid);
        if (it == stored.end()) continue;
        const store::StoredGeodesy& g = it->second;
        // An entry is used only for the geometry it was computed from (exactly: the same doubles).
        if (g.vertices == static_cast<std::int64_t>(x.geometry.vertex_count()) && g.envelope.min_x == x.envelope.min_x &&
            g.envelope.min_y == x.envelope.min_y && g.envelope.max_x == x.envelope.max_x && g.envelope.max_y == x.envelope.max_y)
            x.stored = g;
    }
}

std::vector<IndexedFeature> PlanIndex::window(const store::PlanStore& reader, const std::string& layer_id,
                                              const geo::Envelope& box) const {
    if (!layer(layer_id)) return {};
    return indexed(reader, layer_id, box, reader.features_in(layer_id, {box.min_x, box.min_y, box.max_x, box.max_y}));
}

std::vector<IndexedFeature> PlanIndex::window_of(const store::PlanStore& reader, const std::string& layer_id,
                                                 const geo::Envelope& box, const std::vector<std::int64_t>& fids) const {
    if (!layer(layer_id)) return {};
    return indexed(reader, layer_id, box, reader.features_with_fids(layer_id, {box.min_x, box.min_y, box.max_x, box.max_y}, fids));
}

std::vector<IndexedFeature> PlanIndex::parsed(const store::PlanStore& reader, const std::string& layer_id,
                                              std::vector<Feature> rows) const {
    std::vector<IndexedFeature> out;
    const SpatialLayer* layer = this->layer(layer_id);
    std::sort(rows.begin(), rows.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    out.reserve(rows.size());
    for (auto& f : rows) {
        IndexedFeature x;
        if (make_feature(*layer, std::move(f), x)) out.push_back(std::move(x));
    }
    attach_geodesy(reader, layer_id, out);
    return out;
}

std::vector<IndexedFeature> PlanIndex::indexed(const store::PlanStore& reader, const std::string& layer_id,
                                               const geo::Envelope& box, std::vector<Feature> rows) const {
    auto out = parsed(reader, layer_id, std::move(rows));
    out.erase(std::remove_if(out.begin(), out.end(), [&](const IndexedFeature& x) { return !x.envelope.intersects(box); }), out.end());
    return out;
}

std::vector<std::shared_ptr<const IndexedFeature>> PlanIndex::window(const store::PlanStore& reader, const std::string& layer_id,
                                                                     const geo::Envelope& box, FeatureCache& cache) const {
    std::vector<std::shared_ptr<const IndexedFeature>> out;
    if (!layer(layer_id)) return out;
    const store::BBox b{box.min_x, box.min_y, box.max_x, box.max_y};
    const auto boxes = index_boxes(reader, layer_id, b);
    std::vector<Feature> rows;
    if (!boxes) {  // a store without a separate index read: the window's rows, all kept
        rows = reader.features_in(layer_id, b);
    } else {
        std::vector<std::int64_t> missing;
        for (const auto& entry : *boxes) {
            if (auto kept = cache.find(layer_id, entry.fid)) {
                if (kept->envelope.intersects(box)) out.push_back(std::move(kept));
            } else {
                missing.push_back(entry.fid);
            }
        }
        std::sort(missing.begin(), missing.end());
        if (!missing.empty()) rows = reader.features_with_fids(layer_id, b, missing);
    }
    // Kept whether or not the exact envelope meets the box: the index's box is rounded outward, and the next
    // window that names the feature finds it without a read.
    for (auto& x : parsed(reader, layer_id, std::move(rows))) {
        auto f = std::make_shared<const IndexedFeature>(std::move(x));
        cache.put(layer_id, f);
        if (f->envelope.intersects(box)) out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& c) { return a->feature.fid < c->feature.fid; });
    return out;
}

std::optional<std::vector<store::IndexBox>> PlanIndex::index_boxes(const store::PlanStore& reader, const std::string& layer_id,
                                                                   const store::BBox& box) const {
    if (!keep_boxes_) return reader.index_boxes(layer_id, box);
    std::shared_ptr<const BoxIndex> kept;
    bool asked_before = true;
    {
        std::lock_guard lock(memo_mutex_);
        auto [it, first] = boxes_.try_emplace(layer_id);
        kept = it->second;
        asked_before = !first;
    }
    if (kept) return kept->query(box);
    if (asked_before) return reader.index_boxes(layer_id, box);  // being built by another check, or the store has none
    // This check builds it (the others read the store meanwhile): every box of the layer, from the same
    // snapshot a window would read. A box far wider than lon/lat: the index's boxes are rounded outward.
    std::shared_ptr<const BoxIndex> built;
    try {
        if (auto all = reader.index_boxes(layer_id, {-1e9, -1e9, 1e9, 1e9})) built = std::make_shared<const BoxIndex>(*all);
    } catch (...) {
        std::lock_guard lock(memo_mutex_);
        boxes_.erase(layer_id);  // a later window tries again
        throw;
    }
    {
        std::lock_guard lock(memo_mutex_);
        boxes_[layer_id] = built;
    }
    if (!built) return reader.index_boxes(layer_id, box);
    return built->query(box);
}

std::size_t PlanIndex::kept_box_indexes() const {
    std::lock_guard lock(memo_mutex_);
    return static_cast<std::size_t>(std::count_if(boxes_.begin(), boxes_.end(), [](const auto& kept) { return kept.second != nullptr; }));
}

bool PlanIndex::has_data(const store::PlanStore& reader, const std::string& layer_id, const std::string& field,
                         const std::vector<std::string>& values) const {
    if (!layer(layer_id)) return false;
    const bool filtered = !field.empty() && !values.empty();
    const std::string key = memo_key(layer_id, filtered ? field : std::string(), values);
    {
        std::lock_guard lock(memo_mutex_);
        if (auto it = has_data_.find(key); it != has_data_.end()) return it->second;
    }
    bool answer = false;
    try {
        answer = filtered ? reader.has_features(layer_id, field, values) : reader.has_features(layer_id);
    } catch (const NotFoundError&) {  // no such field: no feature has one of the values
    } catch (const InputError&) {     // a value the field's type cannot hold: none has it
    }
    std::lock_guard lock(memo_mutex_);
    has_data_[key] = answer;
    return answer;
}

const std::vector<IndexedFeature>& PlanIndex::schematic_features(const store::PlanStore& reader, const std::string& layer_id,
                                                                const std::string& field,
                                                                const std::vector<std::string>& values) const {
    const bool filtered = !field.empty() && !values.empty();
    const std::string key = memo_key(layer_id, filtered ? field : std::string(), values);
    {
        std::lock_guard lock(memo_mutex_);
        if (auto it = schematic_.find(key); it != schematic_.end()) return *it->second;
    }
    auto found = std::make_unique<std::vector<IndexedFeature>>();
    // A probe first: a layer of real data (the usual case, and the large layers) is never read.
    const SpatialLayer* layer = this->layer(layer_id);
    if (layer && has_data(reader, layer_id, kGeometrySourceField, {kSchematic})) {
        store::Query q;
        q.filters.push_back({kGeometrySourceField, "=", kSchematic});
        std::vector<Feature> rows;
        try {
            rows = reader.read(layer_id, q);
        } catch (const NotFoundError&) {  // a layer without geometry_source holds no schematic feature
        }
        for (auto& f : rows) {
            if (f.wkb.empty()) continue;
            if (filtered && std::find(values.begin(), values.end(), f.text(field)) == values.end()) continue;
            IndexedFeature x;
            x.id = layer->id_field.empty() ? std::to_string(f.fid) : f.text(layer->id_field);
            if (x.id.empty()) x.id = std::to_string(f.fid);
            x.name = layer->name_field.empty() ? "" : f.text(layer->name_field);
            x.schematic = true;
            f.wkb.clear();
            f.wkb.shrink_to_fit();
            x.feature = std::move(f);
            found->push_back(std::move(x));
        }
    }
    std::lock_guard lock(memo_mutex_);
    auto& slot = schematic_[key];
    if (!slot) slot = std::move(found);
    return *slot;
}

const std::vector<Feature>& PlanIndex::attribute_rows(const store::PlanStore& reader, const std::string& layer_id,
                                                      const std::vector<std::string>& fields) const {
    std::string key = layer_id;
    for (const auto& f : fields) key += "\x1f" + f;
    {
        std::lock_guard lock(memo_mutex_);
        if (auto it = rows_.find(key); it != rows_.end()) return *it->second;
    }
    auto rows = std::make_unique<std::vector<Feature>>();
    // Only the fields asked for (reading whole rows of 20,000 rights was 40 % of a CLI check); one the layer
    // does not have reads as unset, as a whole row's would.
    if (layer(layer_id)) {
        const TableSchema& s = reader.schema(layer_id);
        std::vector<std::string> known;
        for (const auto& f : fields)
            if (s.field(f)) known.push_back(f);
        *rows = reader.attributes_of(layer_id, known);
    }
    std::lock_guard lock(memo_mutex_);
    auto& slot = rows_[key];
    if (!slot) slot = std::move(rows);  // another thread may have read it meanwhile: keep the first
    return *slot;
}

const geo::PreparedGeometry* PlanIndex::city_prepared() const {
    if (city_.is_null()) return nullptr;
    struct Entry {
        std::uint64_t serial;
        geo::Geometry geometry;
        std::unique_ptr<geo::PreparedGeometry> prepared;
    };
    // Touch GEOS first: this thread's GEOS context is then created before the cache and outlives it.
    (void)city_.is_empty();
    // A deque: entries never move, so the prepared geometry's reference to its geometry stays valid.
    thread_local std::deque<Entry> cache;
    for (const auto& e : cache)
        if (e.serial == serial_) return e.prepared.get();
    // A thread sees a new index per plan version: keep the last few, drop the oldest.
    if (cache.size() >= 4) cache.pop_front();
    cache.push_back(Entry{serial_, city_.clone(), nullptr});
    cache.back().prepared = std::make_unique<geo::PreparedGeometry>(cache.back().geometry);
    return cache.back().prepared.get();
}

const SpatialLayer* PlanIndex::layer(const std::string& id) const {
    for (const auto& l : layers_)
        if (l.id == id) return &l;
    return nullptr;
}

const std::vector<Feature>& PlanIndex::table(const std::string& id) const {
    static const std::vector<Feature> empty;
    auto it = tables_.find(id);
    return it == tables_.end() ? empty : it->second;
}

std::string PlanIndex::metadata(const std::string& key) const {
    auto it = metadata_.find(key);
    return it == metadata_.end() ? std::string() : it->second;
}

std::string PlanIndex::layer_name_zh(const std::string& id) const {
    if (auto* l = layer(id)) return l->name_zh;
    return id;
}

}  // namespace minplan::rules
