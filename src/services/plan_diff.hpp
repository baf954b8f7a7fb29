// What changed in the plan between two dates (or the effective dates of two change sets): features added,
// retired and changed, with attribute and area deltas, and the effect on each 专栏's totals. One answer
// for `minplan diff`, the portal's diff view and the 调整情况表 a bureau files with the province.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table_view.hpp"
#include "store/plan_database.hpp"

namespace minplan::services {

struct FieldDelta {
    std::string field, alias_zh;
    std::string before, after;
};

struct FeatureChange {
    std::string layer, layer_zh;
    std::string key;   // the identifier (the layer's first field)
    std::string kind;  // added | retired | changed
    std::vector<FieldDelta> fields;          // changed: the fields that differ
    bool geometry_changed = false;
    std::optional<double> area_before, area_after;  // km² (the layer's ellipsoidal area field)
    Feature before, after;                  // as read at each date (retired: before only; added: after only)
};

struct TotalDelta {
    std::string layer, layer_zh, column;  // 专栏 number where the layer is one
    std::string field, alias_zh, unit;
    double before = 0, after = 0;          // over the changed rows only: after − before is the total's change
};

struct PlanDiff {
    std::string from, to;  // dates
    std::vector<FeatureChange> changes;
    std::vector<TotalDelta> totals;
};

// "2024-03-01" or a change set id ("3": its effective date); InputError otherwise.
std::string resolve_point(const store::PlanDatabase& db, const std::string& text);

PlanDiff diff_plan(const store::PlanDatabase& db, const std::string& from_date, const std::string& to_date);

nlohmann::json diff_json(const PlanDiff& d);
// Features as GeoJSON (EPSG:4490) with properties layer, key, change (added/retired/changed).
nlohmann::json diff_geojson(const PlanDiff& d);
// The 调整情况表: one sheet of feature changes, one of 专栏 totals.
std::vector<TableView> diff_tables(const PlanDiff& d);

}  // namespace minplan::services
