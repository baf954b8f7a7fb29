// A plan's quality-check configuration (qc.json of the plan package, docs/qc.md): which checks apply, their
// severities and thresholds, and what each layer must satisfy. Parsed into typed parameters once, and
// checked against the catalogue and the plan's layers: a check or a layer or a field the plan does not
// have is a clear InputError (ProblemsError listing them all), never a check that silently never runs.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "services/qc/catalogue.hpp"

namespace minplan::services::qc {

// Rows of a layer or table that take part: every `field` holds one of its values (all must hold).
using RowFilter = std::map<std::string, std::vector<std::string>>;

struct InsideRule {
    std::string layer;      // the containing layer (e.g. admin_counties)
    std::string field;      // the feature's field naming its container; empty = the union of the layer
    std::string key;        // the container's field that field refers to (e.g. name_zh)
    std::string check = "outside_region";  // outside_admin for the union form
};

struct ZoneRule {
    std::string field;  // the block's field naming its zone
    std::string layer;  // zone layer
    std::string key;    // the zone's id field
    bool inside = true;  // the block must lie inside its zone
};

struct ClearOfRule {
    std::string layer;  // control areas, red line, farmland …
    RowFilter filter;   // which of its features (e.g. type = ecological_red_line)
};

struct Tolerances {
    double area_km2 = 0.0001;     // absolute; the MNR rule reports km² to 4 decimals
    double area_ratio = 0.001;    // relative (0.1 %): the larger of the two decides
    double corner_km2 = 0.0001;   // symmetric difference between the corner string's polygon and the geometry
    double sliver_width_m = 5.0;  // a polygon that vanishes when shrunk by half this width is a sliver
    double spike_degrees = 1.0;
    double overlap_km2 = 0.000001;  // 1 m²: shared edges and rounding are not overlaps
};

struct LayerRules {
    std::string layer;
    bool required = false;  // must exist and have features
    std::string id_field;   // unique identifier
    std::string name_field;
    std::optional<bool> multipart;  // false: multipart features are 错误
    bool no_overlap = false;
    std::vector<InsideRule> inside;
    std::optional<ZoneRule> zone;
    std::vector<ClearOfRule> clear_of;
    std::string stated_area_field;  // km²
    std::string corner_field;
    std::string corner_format;  // mining_right_string / exploration_right_string / auto
    std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> ranges;
    Tolerances tolerances;  // the plan's, with the layer's own "tolerances" over them
};

struct ColumnRule {
    std::string title;    // shown in findings
    std::string clause;
    std::string table;    // the 专栏 / summary table
    RowFilter rows;       // which of its rows
    std::string count_field;
    std::string area_field;  // optional: compared with the features' area_km2_ellipsoid sum
    std::string layer;       // the features counted
    RowFilter features;
    std::map<std::string, std::string> match;  // table field -> layer field (the group: mineral, county …)
};

struct TotalRule {
    std::string table;
    std::string value_field;
    std::string kind_field;  // e.g. row_kind
    std::string total_value = "total";
    std::string item_value = "item";
    std::vector<std::string> group_fields;  // rows of one group: its total and its items
    std::string clause;
};


struct QcConfig {
    int crs_epsg = 4490;
    Tolerances tolerances;
    std::set<std::string> disabled;
    std::map<std::string, Severity> severity;
    std::vector<LayerRules> layers;
    std::vector<ColumnRule> columns;
    std::vector<TotalRule> totals;

    bool enabled(const std::string& check) const { return !disabled.count(check); }
    Severity severity_of(const CheckDef& c) const;
    const LayerRules* rules_for(const std::string& layer) const;
    // The layer's tolerances (qc.json layers.<id>.tolerances over the plan's), the plan's for other layers.
    const Tolerances& tolerances_for(const std::string& layer) const;
};

// Parses qc.json; `schemas` are the plan's layers (every layer, field and check named must exist). Throws
// ProblemsError listing every problem, each naming `context` and the key.
QcConfig parse_config(const std::string& json_text, const std::string& context, const std::vector<TableSchema>& schemas);

}  // namespace minplan::services::qc
