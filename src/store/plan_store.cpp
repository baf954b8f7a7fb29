// The index-driven reads of PlanStore in terms of read(): a bbox query (which the GeoPackage driver answers
// from the layer's R*Tree) and a LIMIT 1 probe. A store with a cheaper way may override them.
#include "store/plan_store.hpp"

#include <algorithm>

namespace minplan::store {

std::vector<Feature> PlanStore::features_in(const std::string& layer, const BBox& box) const {
    Query q;
    q.bbox = box;
    return read(layer, q);
}

std::vector<Feature> PlanStore::features_with_fids(const std::string& layer, const BBox& box,
                                                  const std::vector<std::int64_t>& fids) const {
    std::vector<std::int64_t> wanted = fids;
    std::sort(wanted.begin(), wanted.end());
    std::vector<Feature> out;
    for (auto& f : features_in(layer, box))
        if (std::binary_search(wanted.begin(), wanted.end(), f.fid)) out.push_back(std::move(f));
    std::sort(out.begin(), out.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    return out;
}

bool PlanStore::has_features(const std::string& layer, const std::string& field,
                             const std::vector<std::string>& values) const {
    // The whole-world box restricts the probe to features with a geometry (those the index holds), as the
    // review counts them; LIMIT 1 stops at the first.
    Query q;
    q.bbox = BBox{-180.0, -90.0, 180.0, 90.0};
    q.limit = 1;
    if (field.empty() || values.empty()) return !read(layer, q).empty();
    for (const auto& v : values) {
        q.filters = {{field, "=", v}};
        if (!read(layer, q).empty()) return true;
    }
    return false;
}

}  // namespace minplan::store
