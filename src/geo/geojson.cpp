#include "geo/geojson.hpp"

#include "geo/geometry.hpp"

namespace minplan::geo {

nlohmann::json value_to_json(const Value& v) {
    struct Visitor {
        nlohmann::json operator()(std::monostate) const { return nullptr; }
        nlohmann::json operator()(std::int64_t i) const { return i; }
        nlohmann::json operator()(double d) const { return d; }
        nlohmann::json operator()(const std::string& s) const { return s; }
        nlohmann::json operator()(bool b) const { return b; }
    };
    return std::visit(Visitor{}, v);
}

nlohmann::json feature_to_geojson(const TableSchema& schema, const Feature& f) {
    nlohmann::json props = nlohmann::json::object();
    for (const auto& fd : schema.fields) props[fd.name] = value_to_json(f.get(fd.name));
    nlohmann::json geometry = nullptr;
    if (!f.wkb.empty()) geometry = nlohmann::json::parse(Geometry::from_wkb(f.wkb).to_geojson(7));
    return {{"type", "Feature"}, {"id", f.fid}, {"properties", props}, {"geometry", geometry}};
}

nlohmann::json features_to_geojson(const TableSchema& schema, const std::vector<Feature>& features) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : features) list.push_back(feature_to_geojson(schema, f));
    return {{"type", "FeatureCollection"},
            {"name", schema.code},
            {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
            {"features", list}};
}

}  // namespace minplan::geo
