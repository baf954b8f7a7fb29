#include "rules/plan_index.hpp"

#include "core/schema.hpp"

namespace minplan::rules {

std::unique_ptr<PlanIndex> PlanIndex::load(const store::PlanStore& store) {
    auto p = std::make_unique<PlanIndex>();
    for (const auto& info : store.layers()) {
        const TableSchema& schema = store.schema(info.id);
        auto features = store.read(info.id);
        if (!info.spatial) {
            p->tables_[info.id] = std::move(features);
            continue;
        }
        auto layer = std::make_unique<LayerIndex>();
        layer->id = info.id;
        layer->name_zh = schema.name_zh;
        // The first field is the layer's identifier (block_id, zone_id, control_id, right_id, ...).
        const std::string id_field = schema.fields.empty() ? "" : schema.fields.front().name;
        std::string name_field;
        for (const char* candidate : {"name", "name_zh", "mine_name", "holder"})
            if (schema.field(candidate)) {
                name_field = candidate;
                break;
            }
        for (auto& f : features) {
            if (f.wkb.empty()) continue;
            IndexedFeature x;
            x.geometry = geo::Geometry::from_wkb(f.wkb);
            if (x.geometry.is_empty()) continue;
            x.envelope = x.geometry.envelope();
            x.id = id_field.empty() ? std::to_string(f.fid) : f.text(id_field);
            if (x.id.empty()) x.id = std::to_string(f.fid);
            x.name = name_field.empty() ? "" : f.text(name_field);
            x.schematic = f.text(kGeometrySourceField) == kSchematic;
            x.feature = std::move(f);
            layer->index.insert(x.envelope, layer->features.size());
            layer->features.push_back(std::move(x));
        }
        if (info.id == "admin_city" && !layer->features.empty()) {
            p->city_ = layer->features.front().geometry.clone();
            p->city_prepared_ = std::make_unique<geo::PreparedGeometry>(p->city_);
        }
        p->layers_[info.id] = std::move(layer);
    }
    for (const char* key : {"id", "name_zh", "period_start", "period_end", "jurisdiction_zh"})
        if (auto v = store.metadata(key)) p->metadata_[key] = *v;
    return p;
}

const std::set<std::string>& LayerIndex::distinct(const std::string& field) const {
    std::lock_guard lock(distinct_mutex_);
    auto it = distinct_.find(field);
    if (it != distinct_.end()) return it->second;
    std::set<std::string> values;
    for (const auto& f : features) values.insert(f.feature.text(field));
    return distinct_.emplace(field, std::move(values)).first->second;
}

const LayerIndex* PlanIndex::layer(const std::string& id) const {
    auto it = layers_.find(id);
    return it == layers_.end() ? nullptr : it->second.get();
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
