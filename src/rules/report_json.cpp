#include <nlohmann/json.hpp>

#include <utility>

#include "geo/crs.hpp"
#include "rules/report.hpp"

namespace minplan::rules {

nlohmann::json report_to_json(const Report& r) {
    using nlohmann::json;
    const Application& a = r.application;
    json corners = json::array();
    for (const auto& c : a.corners)
        corners.push_back({{"id", c.id}, {"ring", c.ring}, {"hole", c.hole}, {"x", c.x}, {"y", c.y}, {"lon", c.lon}, {"lat", c.lat}});
    json app = {{"name", a.name},
                {"kind", to_string(a.kind)},
                {"action", to_string(a.action)},
                {"source_format", a.source_format},
                {"source_epsg", a.source_epsg},
                {"area_m2", a.area_m2},
                {"area_km2", geo::round_km2(a.area_m2 / 1e6)},
                {"input_notes", a.input_notes},
                {"notes", a.notes},
                {"plane_epsg", a.plane_epsg},
                {"plane_area_m2", a.plane_area_m2},
                {"plane_area_km2", geo::round_km2(a.plane_area_m2 / 1e6)},
                {"ellipsoid_area_m2", a.area_m2},
                {"ellipsoid_area_km2", geo::round_km2(a.area_m2 / 1e6)},
                {"area_basis", a.plane_decides ? "plane" : "ellipsoid"},
                {"attributes", a.attrs.json()},
                {"geometry", a.polygon.is_null() ? json() : json::parse(a.polygon.to_geojson(7))}};
    // The large parts are moved into their parents: a brace-initialised json copies every value it is given
    // (nlohmann's initializer lists hold references), which was most of the report's cost at 183 evidence rows.
    app["corners"] = std::move(corners);
    json findings = json::array();
    bool schematic = false;
    for (const auto& f : r.findings) {
        json ev = json::array();
        for (const auto& e : f.evidence) {
            json row = json::object();
            row["layer"] = e.layer;
            row["feature_id"] = e.feature_id;
            row["name"] = e.name;
            row["overlap_m2"] = e.overlap_m2;
            row["overlap_pct"] = e.overlap_pct;
            row["schematic"] = e.schematic;
            row["overlap_plane_m2"] = e.overlap_plane_m2;
            row["overlap_ellipsoid_m2"] = e.overlap_ellipsoid_m2;
            ev.push_back(std::move(row));
        }
        json sch = json::array();
        for (const auto& s : f.schematic)
            sch.push_back({{"layer", s.layer}, {"layer_zh", s.layer_zh}, {"features", s.features}, {"feature_count", s.feature_count}});
        schematic = schematic || f.relies_on_schematic();
        json finding = {{"rule", f.rule_id},
                        {"title_zh", f.title_zh},
                        {"result", to_zh(f.result)},
                        {"severity", to_zh(f.severity)},
                        {"message", f.message},
                        {"missing", f.missing},
                        {"relies_on_schematic", f.relies_on_schematic()},
                        {"data", f.data},
                        {"citation",
                         {{"clause_id", f.citation.clause_id}, {"section", f.citation.section}, {"quote", f.citation.quote}}}};
        finding["evidence"] = std::move(ev);
        finding["schematic"] = std::move(sch);
        findings.push_back(std::move(finding));
    }
    json out = {{"plan_id", r.plan_id},
                {"plan_name_zh", r.plan_name_zh},
                {"rule_set", r.rule_set_id},
                {"verdict", to_zh(r.verdict)},
                {"relies_on_schematic", schematic},
                {"schematic_summary", {{"rules", r.schematic.rule_ids}, {"layers_zh", r.schematic.layers_zh}}},
                {"engine_ms", r.engine_ms}};
    out["application"] = std::move(app);
    out["findings"] = std::move(findings);
    return out;
}

}  // namespace minplan::rules
