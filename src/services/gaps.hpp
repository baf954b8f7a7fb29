// Corner and gap resources (边角、夹缝资源): the unlicensed parts of mining blocks (or deposit outlines) left
// between or beside existing mining rights of the same mineral, too small or too narrow to hold a mine of
// their own, and the grant method the plan gives for them (Datong plan ch. 1 §三(三) names the problem,
// ch. 6 "盘活呆滞边角、夹缝资源" the grant rule). One answer for `minplan gaps` and GET /api/gaps.
//
// The thresholds are not in every plan: they come from rules.json settings.gaps (with their source) or from
// the caller (source "命令行参数"); without any, every candidate is 需人工核查 — never a silent answer.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/table_view.hpp"
#include "geo/geometry.hpp"
#include "store/plan_store.hpp"

namespace minplan::services {

struct GapParams {
    std::string within_layer = "mining_blocks";  // containers: blocks, or an imported deposit-outline layer
    std::string rights_layer = "mineral_rights";
    std::optional<double> min_area_km2;  // a piece smaller than this cannot hold an independent mine
    std::optional<double> max_width_m;   // nor one narrower than this (twice the largest inscribed radius)
    std::string thresholds_source_zh;    // where the two figures come from
    double adjacency_m = 1.0;            // a piece this close to a right borders it (a geometric tolerance)
    double min_piece_m2 = 1.0;           // pieces below: numerical slivers of the difference, counted, not listed
    std::optional<store::BBox> bbox;     // only containers meeting this box
    // The grant rule (settings.gaps.grant_rule): the method for one adjacent holder and for several, and the
    // clause; empty when the plan gives none (the method is then 需人工核查).
    std::string single_holder_method_zh, several_holders_method_zh, grant_clause_zh;

    // settings.gaps of the plan's rules.json; absent keys stay unset. InputError naming the key when a value
    // is of the wrong type or out of range.
    static GapParams from_settings(const nlohmann::json& rules_settings);
    // The caller's figures in place of the plan's, checked (positive, finite; InputError naming `option_prefix`
    // + the option), the thresholds' source then being `source_zh`.
    void override_with(std::optional<double> min_area, std::optional<double> max_width, std::optional<double> adjacency,
                       const std::string& source_zh, const std::string& option_prefix);
};

enum class GapStatus { Gap, Independent, Manual };

struct AdjacentRight {
    std::string right_id, holder, mine_name;
    double distance_m = 0;
};

struct Gap {
    std::string container_id, container_name, mineral;
    geo::Geometry lonlat;  // EPSG:4490
    int plane_epsg = 0;    // the CGCS2000 3° Gauss–Krüger zone of the measurements
    double area_plane_km2 = 0, area_ellipsoid_km2 = 0, width_m = 0;
    std::vector<AdjacentRight> adjacent;
    GapStatus status = GapStatus::Manual;
    std::string reason_zh;        // why this status (the comparison made, or what is missing)
    std::string grant_method_zh;  // 协议出让 / 公开竞争出让 / 需人工核查…
    bool schematic = false;       // rests on schematic geometry: an illustration, not a finding
};

struct GapReport {
    GapParams params;
    std::vector<Gap> gaps;  // by container, then by area descending
    std::size_t containers = 0, containers_without_geometry = 0;
    std::size_t slivers_dropped = 0;      // pieces below params.min_piece_m2
    std::size_t open_pieces = 0;          // unlicensed pieces that border no right (ordinary release ground)
    std::vector<std::string> notes_zh;    // what was assumed or skipped
};

GapReport find_gaps(const store::PlanStore& store, const GapParams& params);

const char* gap_status_zh(GapStatus s);
const char* gap_status_key(GapStatus s);  // gap / independent / manual

// GeoJSON FeatureCollection (EPSG:4490) with every gap's figures in its properties and the summary beside.
nlohmann::json gaps_geojson(const GapReport& report);
// The report as one table (边角夹缝资源清单), for the terminal and XLSX.
TableView gaps_table(const GapReport& report);

}  // namespace minplan::services
