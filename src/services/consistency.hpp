// `minplan consistency`: does a plan carry out its upper-level plan (落实省规划)? The lower plan (a city
// or county) and the upper plan (the province) are two plan databases. For each layer the lower plan's
// settings name (rules.json settings.consistency.carry_layers; default the exploration and mining blocks):
//   - missing_in_lower: an upper block or zone inside the lower plan's jurisdiction (its admin_city) that
//     the lower plan does not carry (same identifier);
//   - not_in_upper: a lower feature marked plan_level = province that the upper plan does not have;
//   - mineral_differs: such a feature with another mineral than the upper plan's;
//   - outside_upper: such a feature reaching outside the upper plan's polygon (area over the tolerance);
//   - outside_upper_zone: a lower block that must lie inside the upper plan's zones (settings.consistency.
//     inside_upper_zones: layer, where, zone_layer, zone_where, citation) reaching outside them, with the area;
// and for the indicators (indicators.json of both): target_above — a lower target above the upper plan's
// target of the same measure, minerals and unit. Findings are values with the clause they enforce (the
// lower plan's settings.consistency.citation); schematic geometry never decides (a note, not an error).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table_view.hpp"
#include "store/plan_store.hpp"

namespace minplan::services {

struct ConsistencyFinding {
    std::string check;  // missing_in_lower | not_in_upper | mineral_differs | outside_upper | outside_upper_zone | target_above
    std::string layer, layer_zh, key;
    std::string message;  // Chinese, with the values compared
    std::optional<double> area_km2;
    std::string clause;
    bool blocking = true;  // false: schematic geometry involved (a note)
};

struct ConsistencyReport {
    std::string lower, upper;  // plan names
    std::vector<ConsistencyFinding> findings;
    bool has_errors() const;
};

ConsistencyReport check_consistency(const store::PlanStore& lower, const store::PlanStore& upper);

nlohmann::json consistency_json(const ConsistencyReport& r);
TableView consistency_table(const ConsistencyReport& r);  // for formats::write_xlsx: 上下级规划一致性

}  // namespace minplan::services
