// Responsibility and enforcement views (责任与执法): the open problem sites each county and each holder is
// responsible for, projects past their due year, and the sites (and mines) that grew between two
// monitoring campaigns. Values for the CLI (`minplan geoenv …`) and the API (/api/geoenv/…) alike.
#pragma once

#include <nlohmann/json.hpp>

#include "services/geoenv/geoenv.hpp"

namespace minplan::services::geoenv {

// Open (not restored on `date`) sites of one responsible party in one county / of one holder.
struct OpenGroup {
    std::string key;    // the county, or the holder (矿山企业) / "政府（县）"
    std::string party;  // 政府 / 矿山企业 / "" (需人工核查)
    std::vector<std::string> sites;
    double area_ha = 0;
};
std::vector<OpenGroup> open_by_county(const Data& d, const std::string& date);
std::vector<OpenGroup> open_by_holder(const Data& d, const std::string& date);

struct OverdueProject {
    const Project* project = nullptr;
    double planned_ha = 0, completed_ha = 0;
    int years_late = 0;
};
// Projects whose due year ended before `year` and that are not in a completed state.
std::vector<OverdueProject> overdue_projects(const Data& d, int year);

// One site seen by both campaigns (or only by the later one: before = 0, grown = its whole area).
struct SiteChange {
    const Site* site = nullptr;
    double before_ha = 0, after_ha = 0;
    double grown_ha = 0;   // area of after − before (ellipsoidal, CGCS2000)
    double shrunk_ha = 0;  // area of before − after
    bool is_new = false;   // no finding in the earlier campaign
    // GeoJSON geometries (CGCS2000 lon/lat) for the portal's overlay: the site as each campaign mapped it
    // ("" when not found) and the part that grew (after − before).
    std::string before_geojson, after_geojson, grown_geojson;
    std::string shrunk_geojson;  // before − after ("" when nothing shrank)
};
struct ChangeReport {
    std::string from_campaign, to_campaign;
    std::vector<SiteChange> sites;         // every site found by the later campaign
    std::vector<std::string> grown_mines;  // mines (id or name) with a site that grew
};
// InputError naming the campaign when either is unknown.
ChangeReport change_detection(const Data& d, const std::string& from_campaign, const std::string& to_campaign,
                              double min_growth_ha = 0.01);

nlohmann::json to_json(const std::vector<OpenGroup>& groups);
nlohmann::json to_json(const std::vector<OverdueProject>& projects);
nlohmann::json to_json(const ChangeReport& r);
nlohmann::json sites_json(const Data& d);  // every site with kind, area, party and the rule that decided it

// The portal's geo-environment page (also `minplan geoenv VIEW --json`):
//   campaigns  every campaign (id, name, year, coverage km²) with the sites it found (area, kind, party)
//   projects   every project with zone, state, funding, planned and completed area to `year`; counts by state
//   zones      restoration per 专栏15 zone to `year` (planned, completed, share) — zone_progress_table's values
//   history    every register event (the green-mine list page's state history)
nlohmann::json campaigns_json(const Data& d);
nlohmann::json projects_json(const Data& d, int year);
nlohmann::json zones_json(const Data& d, int year);
nlohmann::json history_json(const Data& d);

// One view as `minplan geoenv VIEW --json` prints it and GET /api/geoenv?view=VIEW serves it:
// sites; open (by county|holder, date); overdue (year); change (from, to, min_growth_ha); register (date).
// Empty date: today; year 0: this year. InputError (HTTP 400) for an unknown view, date or campaign.
//   greenmap   the register on `date` as a map layer (green_map.hpp): GeoJSON of the placed mines + unplaced
struct ViewRequest {
    std::string view{}, by = "county", date{}, from{}, to{};
    int year = 0;
    double min_growth_ha = 0.01;
};
nlohmann::json view_json(const Data& d, const ViewRequest& r);

// Publicity (settings.geoenv.public): what an anonymous request may see. The CLI and staff see everything.
// The reason (Chinese, then English) when the view as asked is not public; "" when it is.
std::string withheld_view(const Publicity& p, const ViewRequest& r);
// `answer` without the fields the plan does not publish (holder names; the responsible party and its rule).
void redact(const Publicity& p, nlohmann::json& answer);
// The geo-environment layers the public may not read, and the fields of the others it may not read.
std::set<std::string> withheld_layers(const Publicity& p);
std::set<std::string> withheld_fields(const Publicity& p);

}  // namespace minplan::services::geoenv
