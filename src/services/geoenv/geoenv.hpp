// Mine geo-environment supervision (矿山地质环境监管, issue 14): problem sites (图斑), restoration projects
// (治理工程) with their yearly progress, remote-sensing campaigns (监测批次) with the site polygons each found,
// and the green-mine register (绿色矿山名录). The data are layers of the plan database (data/schema/tables/
// geoenv_*.json, green_mine_register.json); the rules that read them — who is responsible for a site, which
// project category each target counts, the register's allowed transitions — are the plan's
// (rules.json settings.geoenv). One service for the CLI (`minplan geoenv`), `monitor`/`report` and the server.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/value.hpp"
#include "store/plan_store.hpp"

namespace minplan::services::geoenv {

inline constexpr const char* kSites = "geoenv_sites";
inline constexpr const char* kProjects = "geoenv_projects";
inline constexpr const char* kProjectYears = "geoenv_project_years";
inline constexpr const char* kCampaigns = "geoenv_campaigns";
inline constexpr const char* kFindings = "geoenv_findings";
inline constexpr const char* kRegister = "green_mine_register";
inline constexpr const char* kZones = "restoration_zones";
inline constexpr const char* kRights = "mineral_rights";
inline constexpr const char* kSiteKinds = "code_geoenv_site_kinds";

// One row of the responsibility rule: sites of mines in these states formed before / after the cut-off
// date (or either) are this party's to restore.
struct ResponsibilityRow {
    std::set<std::string> mine_states;
    std::string formed;  // before / after / any
    std::string party;   // 政府 / 矿山企业
    std::string quote_zh;
};

// rules.json settings.geoenv, parsed once (InputError naming the key when malformed).
// Which geo-environment and green-mine content the plan publishes (rules.json settings.geoenv.public):
// anonymous portal requests get only these; logged-in staff see everything. Absent: everything public.
struct Publicity {
    bool sites = true;           // problem sites (views sites/open, layer geoenv_sites)
    bool responsibility = true;  // the responsible party of each site and the rule that decided it
    bool holders = true;         // holder (责任单位) names of sites and projects
    bool projects = true;        // restoration projects and their yearly progress (projects/zones/overdue)
    bool campaigns = true;       // remote-sensing campaigns and their findings (campaigns/change)
    bool green_register = true;  // the green-mine register, its history and map layer
    std::string clause_zh;       // why: the plan's clause, or "default to be confirmed"
};

struct Settings {
    std::string cutoff_date, cutoff_note_zh, responsibility_clause_zh;
    std::vector<ResponsibilityRow> rows;
    std::string legacy_party, legacy_clause_zh;
    std::set<std::string> completed_states;
    std::string key_restoration_category, key_projects_category;
    // Green-mine register.
    std::string register_clause_zh;
    std::set<std::string> start_states, listed_states;
    std::map<std::string, std::set<std::string>> transitions;
    std::vector<std::string> levels;  // lowest first: a level may only rise without 退出
    bool configured = false;          // the plan has settings.geoenv
    Publicity publicity;

    static Settings from_json(const nlohmann::json& rules_settings);
    std::set<std::string> parties() const;
};

struct Site {
    std::string id, kind, county, mine_id, mine_name, mine_state, formed, restored, holder, source;
    std::string override_party, override_reason;
    std::optional<double> stated_area_ha;
    double area_ha = 0;  // stated, else the polygon's ellipsoidal area (CGCS2000)
    std::vector<unsigned char> wkb;
    // Derived by the plan's rule (or the override): the party and the rule that decided it; party empty
    // when no rule row applies (需人工核查).
    std::string party, party_rule;
};

struct ProjectYear {
    int year = 0;
    std::optional<double> planned_ha, completed_ha;
};

struct Project {
    std::string id, name, zone_id, category, funding, state, county, holder, source;
    std::vector<std::string> sites;
    std::optional<int> start_year, due_year;
    std::vector<ProjectYear> years;
    double planned_total() const;
    double completed_until(int year) const;  // Σ completed_ha of years ≤ year
    // The last year with a completed area, when the project is in a completed state.
    std::optional<int> completion_year(const Settings& s) const;
};

struct Campaign {
    std::string id, name;
    int year = 0;
    std::vector<unsigned char> wkb;  // coverage polygon(s)
};

struct Finding {
    std::string campaign_id, site_id, note;
    std::vector<unsigned char> wkb;
};

struct RegisterEvent {
    std::string mine_name, mine_id, date, state, level, assessor, assessment, note, source;
    std::string licence_no{};            // 采矿许可证号: joins the mine to the mineral-rights layer
    std::optional<double> lon{}, lat{};    // the mine's point (CGCS2000) when the register carries one
};

// A mining right's extent, for placing register entries by licence number.
struct RightExtent {
    std::string right_id, holder;
    std::vector<unsigned char> wkb;
};

struct Zone {
    std::string id, code, name, zone_class;
};

struct Data {
    Settings settings;
    std::vector<Site> sites;
    std::vector<Project> projects;
    std::vector<Campaign> campaigns;
    std::vector<Finding> findings;
    std::vector<RegisterEvent> register_events;  // by mine, then date
    std::vector<Zone> zones;
    std::map<std::string, std::string> kind_labels;  // code_geoenv_site_kinds: code → 中文名称
    // Rights of `mineral_rights` whose licence number the register names (several parts per licence possible).
    std::map<std::string, std::vector<RightExtent>> rights_by_licence;
    int first_year = 0, last_year = 0;  // the plan period
    const Site* site(const std::string& id) const;
};

// Reads every geo-environment layer of `store` (a layer the database lacks reads as empty) and derives
// each site's responsibility.
Data load(const store::PlanStore& store);

// "S1;S2" (also ，、；): the site ids a project names.
std::vector<std::string> split_site_ids(const std::string& text);

// The plan's rule applied to one site: party (empty when no row applies) and the rule with its clause.
std::pair<std::string, std::string> responsibility(const Settings& s, const Site& site);

}  // namespace minplan::services::geoenv
