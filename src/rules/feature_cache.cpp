#include "rules/feature_cache.hpp"

namespace minplan::rules {

std::size_t FeatureCache::estimated_bytes(const IndexedFeature& f) {
    // GEOS 3.11 keeps three doubles a coordinate; a map node and a Value are about 96 bytes besides the text.
    std::size_t bytes = sizeof(IndexedFeature) + 256 + f.geometry.vertex_count() * 24 + f.id.size() + f.name.size();
    for (const auto& [name, value] : f.feature.attributes) bytes += 96 + name.size() + to_display(value).size();
    return bytes;
}

FeatureCache::Slots* FeatureCache::slots_of(const std::string& layer) {
    // A window asks for many fids of one layer in a row: the last layer found answers without a hash.
    if (last_ && last_->first == layer) return &last_->second;
    auto it = layers_.find(layer);
    if (it == layers_.end()) return nullptr;
    last_ = &*it;
    return &it->second;
}

FeatureCache::Ptr FeatureCache::find(const std::string& layer, std::int64_t fid) {
    Slots* slots = slots_of(layer);
    auto it = slots ? slots->find(fid) : Slots::iterator{};
    if (!slots || it == slots->end()) {
        ++stats_.misses;
        return nullptr;
    }
    ++stats_.hits;
    order_.splice(order_.begin(), order_, it->second.order);
    return it->second.feature;
}

void FeatureCache::drop(Slots& slots, Slots::iterator it) {
    stats_.bytes -= it->second.bytes;
    --stats_.entries;
    order_.erase(it->second.order);
    slots.erase(it);
}

void FeatureCache::put(const std::string& layer, const Ptr& feature) {
    if (!feature) return;
    auto named = layers_.try_emplace(layer).first;
    Slots& slots = named->second;
    const std::int64_t fid = feature->feature.fid;
    if (auto it = slots.find(fid); it != slots.end()) drop(slots, it);
    const std::size_t bytes = estimated_bytes(*feature);
    if (bytes > max_bytes_) return;  // larger than the whole budget: used by the check that read it only
    while (stats_.bytes + bytes > max_bytes_ && !order_.empty()) {
        const Order last = order_.back();
        Slots& of = layers_.find(*last.layer)->second;
        drop(of, of.find(last.fid));
        ++stats_.evictions;
    }
    order_.push_front(Order{&named->first, fid});
    slots.emplace(fid, Slot{feature, bytes, order_.begin()});
    stats_.bytes += bytes;
    ++stats_.entries;
}

FeatureCache::Stats FeatureCache::stats() const { return stats_; }

}  // namespace minplan::rules
