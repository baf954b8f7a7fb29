// The index-driven reads of PlanStore in terms of read(): a bbox query (which the GeoPackage driver answers
// from the layer's R*Tree) and a LIMIT 1 probe. A store with a cheaper way may override them.
#include "store/plan_store.hpp"

#include <set>

#include <algorithm>

#include "core/error.hpp"

namespace minplan::store {

std::vector<Feature> PlanStore::features_in(const std::string& layer, const BBox& box) const {
    Query q;
    q.bbox = box;
    return read(layer, q);
}

std::vector<std::string> PlanStore::field_names(const std::string& layer, const std::vector<std::string>& fields) const {
    const TableSchema& s = schema(layer);
    std::vector<std::string> names;
    for (const auto& f : fields) {
        const FieldDef* def = s.field(f);
        if (!def) throw InputError("图层 \"" + s.id + "\" 没有字段 \"" + f + "\" / no such field");
        names.push_back(def->name);
    }
    return names;
}

void PlanStore::keep_only(std::vector<Feature>& rows, const std::vector<std::string>& names) {
    for (auto& f : rows) {
        Feature kept;
        kept.fid = f.fid;
        for (const auto& n : names) kept.attributes[n] = f.get(n);
        f = std::move(kept);
    }
}

std::vector<Feature> PlanStore::attributes_of(const std::string& layer, const std::vector<std::string>& fields) const {
    const std::vector<std::string> names = field_names(layer, fields);
    std::vector<Feature> out = features_in(layer, BBox{-180, -90, 180, 90});
    keep_only(out, names);
    return out;
}

std::vector<std::string> PlanStore::distinct_texts(const std::string& layer, const std::string& field) const {
    const std::string name = field_names(layer, {field}).front();
    std::vector<std::string> out;
    std::set<std::string> seen;
    constexpr std::size_t kPage = 20000;  // the layer may hold 10⁶ features: a page in memory at a time
    for (Query q{.bbox = {}, .filters = {}, .offset = 0, .limit = kPage};; q.offset += kPage) {
        const auto page = read(layer, q);
        for (const auto& f : page)
            if (std::string t = f.text(name); !t.empty() && seen.insert(t).second) out.push_back(std::move(t));
        if (page.size() < kPage) break;
    }
    return out;
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
