#include "rules/plane_cache.hpp"

#include <limits>

namespace minplan::rules {

PlaneCache::Entry::Entry() : ellipsoid_m2(std::numeric_limits<double>::quiet_NaN()) {}

PlaneCache::PlaneCache(std::size_t max_vertices) : max_vertices_(max_vertices) {}

PlaneCache::FidSlots* PlaneCache::slots_of(const std::string& layer, int epsg) {
    auto l = layers_.find(layer);
    if (l == layers_.end()) return nullptr;
    auto p = l->second.find(epsg);
    return p == l->second.end() ? nullptr : &p->second;
}

std::shared_ptr<const PlaneCache::Entry> PlaneCache::hit(FidSlots* slots, std::int64_t fid, std::uint64_t wkb_hash) {
    FidSlots::iterator it;
    if (!slots || (it = slots->find(fid)) == slots->end() || it->second.entry->wkb_hash != wkb_hash) {
        ++stats_.misses;
        return nullptr;
    }
    ++stats_.hits;
    order_.splice(order_.begin(), order_, it->second.order);
    return it->second.entry;
}

std::shared_ptr<const PlaneCache::Entry> PlaneCache::find(const std::string& layer, std::int64_t fid, int epsg,
                                                          std::uint64_t wkb_hash) {
    std::lock_guard lock(mutex_);
    return hit(slots_of(layer, epsg), fid, wkb_hash);
}

std::vector<std::shared_ptr<const PlaneCache::Entry>> PlaneCache::find_many(const std::string& layer, int epsg,
                                                                            const std::vector<Ask>& asks) {
    std::vector<std::shared_ptr<const Entry>> out;
    out.reserve(asks.size());
    std::lock_guard lock(mutex_);
    FidSlots* slots = slots_of(layer, epsg);
    for (const Ask& a : asks) out.push_back(hit(slots, a.fid, a.wkb_hash));
    return out;
}

void PlaneCache::drop(FidSlots& slots, FidSlots::iterator it) {
    stats_.vertices -= it->second.entry->vertices;
    order_.erase(it->second.order);
    slots.erase(it);
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
    FidSlots& slots = layers_[layer][epsg];
    if (auto it = slots.find(fid); it != slots.end()) drop(slots, it);
    if (e->vertices > max_vertices_) return e;  // larger than the whole budget: used by this check only
    while (stats_.vertices + e->vertices > max_vertices_ && !order_.empty()) {
        const Position last = order_.back();
        drop(*last.slots, last.slots->find(last.fid));
        ++stats_.evictions;
    }
    order_.push_front({&slots, fid});
    slots.emplace(fid, Slot{e, order_.begin()});
    stats_.vertices += e->vertices;
    return e;
}

PlaneCache::Stats PlaneCache::stats() const {
    std::lock_guard lock(mutex_);
    Stats s = stats_;
    s.entries = order_.size();
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
