#include "rules/plane_cache.hpp"

#include <limits>

namespace minplan::rules {

PlaneCache::Entry::Entry() : ellipsoid_m2(std::numeric_limits<double>::quiet_NaN()) {}

PlaneCache::PlaneCache(std::size_t max_vertices) : max_vertices_(max_vertices) {}

std::size_t PlaneCache::KeyHash::operator()(const Key& k) const {
    std::size_t h = std::hash<std::string>{}(k.layer);
    h ^= std::hash<std::int64_t>{}(k.fid) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= std::hash<int>{}(k.epsg) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

std::shared_ptr<const PlaneCache::Entry> PlaneCache::find(const std::string& layer, std::int64_t fid, int epsg,
                                                          std::uint64_t wkb_hash) {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(Key{layer, fid, epsg});
    if (it == slots_.end() || it->second.entry->wkb_hash != wkb_hash) {
        ++stats_.misses;
        return nullptr;
    }
    ++stats_.hits;
    order_.splice(order_.begin(), order_, it->second.order);
    return it->second.entry;
}

void PlaneCache::drop(std::unordered_map<Key, Slot, KeyHash>::iterator it) {
    stats_.vertices -= it->second.entry->vertices;
    order_.erase(it->second.order);
    slots_.erase(it);
}

std::shared_ptr<const PlaneCache::Entry> PlaneCache::put(const std::string& layer, std::int64_t fid, int epsg,
                                                         std::uint64_t wkb_hash, geo::Geometry plane) {
    auto e = std::make_shared<Entry>();
    e->envelope = plane.envelope();
    e->plane_m2 = plane.planar_area();
    e->vertices = plane.vertex_count();
    e->wkb_hash = wkb_hash;
    e->plane = std::move(plane);
    std::lock_guard lock(mutex_);
    Key key{layer, fid, epsg};
    if (auto it = slots_.find(key); it != slots_.end()) drop(it);
    if (e->vertices > max_vertices_) return e;  // larger than the whole budget: used by this check only
    while (stats_.vertices + e->vertices > max_vertices_ && !order_.empty()) {
        drop(slots_.find(order_.back()));
        ++stats_.evictions;
    }
    order_.push_front(key);
    slots_.emplace(std::move(key), Slot{e, order_.begin()});
    stats_.vertices += e->vertices;
    return e;
}

PlaneCache::Stats PlaneCache::stats() const {
    std::lock_guard lock(mutex_);
    Stats s = stats_;
    s.entries = slots_.size();
    return s;
}

std::optional<double> SharedAreaMemo::find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

void SharedAreaMemo::put(const std::string& key, double m2) {
    std::lock_guard lock(mutex_);
    if (values_.size() >= kMaxEntries) values_.clear();
    values_[key] = m2;
}

}  // namespace minplan::rules
