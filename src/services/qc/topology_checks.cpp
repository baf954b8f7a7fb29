// Topology: blocks of one kind apart, inside their administrative area and zone, clear of areas where the
// plan forbids them. Candidates come from the spatial index window of each feature's envelope (the
// GeoPackage R*Tree), tested with a prepared geometry: linear in the features, never all pairs.
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "services/qc/detail.hpp"

namespace minplan::services::qc::detail {

namespace {

std::optional<geo::Geometry> geometry_of(const Feature& f) {
    if (f.wkb.empty()) return std::nullopt;
    try {
        geo::Geometry g = geo::Geometry::from_wkb(f.wkb);
        if (g.is_empty() || g.validity_problem()) return std::nullopt;  // reported by its own layer's checks
        return g;
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string label(const TableSchema& s, const Feature& f) {
    for (const char* n : {"block_id", "zone_id", "control_id", "name_zh", "name"})
        if (s.field(n))
            if (auto t = f.text(n); !t.empty()) return t;
    return "fid " + std::to_string(f.fid);
}

// The part of `g` outside the union of `containers`, in km² (0 when one of them covers it).
template <typename C>
std::pair<double, geo::Geometry> outside_of(const geo::Geometry& g, const std::vector<const C*>& containers) {
    for (const auto* c : containers)
        if (c->prepared->covers(g)) return {0.0, geo::Geometry()};
    geo::Geometry rest = g.clone();
    for (const auto* c : containers) rest = rest.difference(c->geometry);
    if (rest.is_empty()) return {0.0, geo::Geometry()};
    return {geo::ellipsoidal_area_km2(rest), std::move(rest)};
}

}  // namespace

const TopologyChecker::Container* TopologyChecker::container(const std::string& layer, const Feature& f, const std::string& key_field) {
    auto& slot = containers_[{layer, f.fid}];
    if (!slot) {
        slot = std::make_unique<Container>();
        slot->key = key_field.empty() ? std::string() : f.text(key_field);
        if (auto g = geometry_of(f)) {
            slot->geometry = std::move(*g);
            slot->prepared = std::make_unique<geo::PreparedGeometry>(slot->geometry);
        }
    }
    return slot->prepared ? slot.get() : nullptr;
}

TopologyChecker::TopologyChecker(const LayerReader& reader, const LayerRules& rules, Collector& out)
    : reader_(reader), rules_(rules), out_(out) {
    if (rules_.zone) reader_.each(rules_.zone->layer, [&](const Feature& f) { zones_[f.text(rules_.zone->key)].push_back(f); });
}

void TopologyChecker::check(const FeatureRef& ref, const geo::Geometry& g) {
    const Feature& f = *ref.feature;
    const double tol = out_.config().tolerances_for(ref.schema->id).overlap_km2;
    const geo::Envelope env = g.envelope();
    geo::PreparedGeometry prepared(g);

    if (rules_.no_overlap && out_.enabled("overlap")) {
        const TableSchema& s = *ref.schema;
        for (const auto& other : reader_.window(s.id, env)) {
            if (other.fid <= f.fid) continue;  // each pair once, from its lower fid
            auto og = geometry_of(other);
            if (!og || !prepared.intersects(*og)) continue;
            geo::Geometry shared = g.intersection(*og);
            const double area = geo::ellipsoidal_area_km2(shared);
            if (area <= tol) continue;  // a shared edge or corner
            FeatureRef pair = ref;
            pair.schematic = ref.schematic || other.text(kGeometrySourceField) == kSchematic;
            auto& finding = out_.add("overlap", pair, "与同层要素 " + label(s, other) + " 重叠 " + format_number(area, 6) + " km²",
                                     {{"other_fid", other.fid}, {"other_id", label(s, other)}, {"overlap_km2", area}, {"tolerance_km2", tol}});
            set_location(finding, shared);
        }
    }

    for (const auto& rule : rules_.inside) {
        if (!out_.enabled(rule.check.c_str()) || !reader_.has(rule.layer)) continue;
        std::vector<std::string> names;
        if (!rule.field.empty()) {
            names = split_list(f.text(rule.field));
            if (names.empty()) continue;  // the plan does not say where it lies
        }
        std::vector<const Container*> containers;
        for (const auto& c : reader_.window(rule.layer, env)) {
            const Container* cached = container(rule.layer, c, rule.key);
            if (cached && (names.empty() || std::find(names.begin(), names.end(), cached->key) != names.end()))
                containers.push_back(cached);
        }
        auto [area, rest] = outside_of(g, containers);
        if (area <= tol) continue;
        const std::string where = names.empty() ? reader_.schema(rule.layer).name_zh : join(names, "、");
        auto& finding = out_.add(rule.check.c_str(), ref, "有 " + format_number(area, 6) + " km² 位于 " + where + " 之外",
                                 {{"container_layer", rule.layer}, {"container", where}, {"outside_km2", area},
                                  {"feature_km2", geo::ellipsoidal_area_km2(g)}, {"tolerance_km2", tol}});
        set_location(finding, rest);
    }

    if (rules_.zone) {
        const ZoneRule& z = *rules_.zone;
        const std::string key = f.text(z.field);
        auto it = key.empty() ? zones_.end() : zones_.find(key);
        if (!key.empty() && it == zones_.end()) {
            if (out_.enabled("zone_missing")) {
                auto& finding = out_.add("zone_missing", ref, "所属规划分区 " + key + " 在图层 " + z.layer + " 中不存在",
                                         {{"field", z.field}, {"value", key}, {"zone_layer", z.layer}});
                set_location(finding, g);
            }
        } else if (!key.empty() && z.inside && out_.enabled("outside_zone")) {
            std::vector<const Container*> zones;
            for (const auto& zf : it->second)
                if (const Container* cached = container(z.layer, zf, z.key)) zones.push_back(cached);
            auto [area, rest] = outside_of(g, zones);
            if (area > tol) {
                auto& finding = out_.add("outside_zone", ref, "有 " + format_number(area, 6) + " km² 位于所属分区 " + key + " 之外",
                                         {{"zone", key}, {"outside_km2", area}, {"tolerance_km2", tol}});
                set_location(finding, rest);
            }
        }
    }

    for (const auto& rule : rules_.clear_of) {
        if (!out_.enabled("conflict_area") || !reader_.has(rule.layer)) continue;
        const TableSchema& cs = reader_.schema(rule.layer);
        for (const auto& c : reader_.window(rule.layer, env)) {
            if (!matches(c, rule.filter)) continue;
            auto cg = geometry_of(c);
            if (!cg || !prepared.intersects(*cg)) continue;
            geo::Geometry shared = g.intersection(*cg);
            const double area = geo::ellipsoidal_area_km2(shared);
            if (area <= tol) continue;
            FeatureRef conflict = ref;
            conflict.schematic = ref.schematic || c.text(kGeometrySourceField) == kSchematic;
            auto& finding = out_.add("conflict_area", conflict,
                                     "与 " + cs.name_zh + " " + label(cs, c) + " 重叠 " + format_number(area, 6) + " km²",
                                     {{"control_layer", rule.layer}, {"control_fid", c.fid}, {"control_id", label(cs, c)},
                                      {"overlap_km2", area}, {"tolerance_km2", tol}});
            set_location(finding, shared);
        }
    }
}

}  // namespace minplan::services::qc::detail
