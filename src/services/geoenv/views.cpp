#include "services/geoenv/views.hpp"

#include <functional>
#include <map>
#include <set>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "services/geoenv/green_map.hpp"
#include "services/geoenv/indicators.hpp"
#include "services/geoenv/register.hpp"
#include "store/history.hpp"

namespace minplan::services::geoenv {
namespace {

using nlohmann::json;

json geometry(const std::string& geojson) { return geojson.empty() ? json(nullptr) : json::parse(geojson); }

bool open_on(const Site& s, const std::string& date) { return s.formed <= date && (s.restored.empty() || s.restored > date); }

std::vector<OpenGroup> grouped(const Data& d, const std::string& date, const std::function<std::string(const Site&)>& key) {
    std::map<std::pair<std::string, std::string>, OpenGroup> groups;
    for (const auto& s : d.sites) {
        if (!open_on(s, date)) continue;
        auto& g = groups[{key(s), s.party}];
        g.key = key(s);
        g.party = s.party;
        g.sites.push_back(s.id);
        g.area_ha += s.area_ha;
    }
    std::vector<OpenGroup> out;
    for (auto& [k, g] : groups) out.push_back(std::move(g));
    return out;
}

// The code table's Chinese label of a kind code (the code itself when the table lacks it).
std::string kind_label(const Data& d, const std::string& code) {
    auto it = d.kind_labels.find(code);
    return it == d.kind_labels.end() || it->second.empty() ? code : it->second;
}

void strip(json& j, const std::set<std::string>& keys) {
    if (j.is_object()) {
        for (const auto& k : keys) j.erase(k);
        for (auto& [k, v] : j.items()) strip(v, keys);
    } else if (j.is_array()) {
        for (auto& v : j) strip(v, keys);
    }
}

double ha_of(const geo::Geometry& g) { return g.is_null() || g.is_empty() ? 0.0 : geo::ellipsoidal_area_km2(g) * 100.0; }

}  // namespace

std::vector<OpenGroup> open_by_county(const Data& d, const std::string& date) {
    return grouped(d, date, [](const Site& s) { return s.county.empty() ? std::string("（未填行政区）") : s.county; });
}

std::vector<OpenGroup> open_by_holder(const Data& d, const std::string& date) {
    return grouped(d, date, [](const Site& s) {
        if (s.party.empty()) return std::string("（责任主体需人工核查）");
        if (s.party == "矿山企业" || !s.holder.empty())
            return !s.holder.empty() ? s.holder : !s.mine_name.empty() ? s.mine_name : "（未填责任单位：" + s.mine_id + "）";
        return s.party + "（" + (s.county.empty() ? std::string("未填行政区") : s.county) + "）";
    });
}

std::vector<OverdueProject> overdue_projects(const Data& d, int year) {
    std::vector<OverdueProject> out;
    for (const auto& p : d.projects) {
        if (!p.due_year || *p.due_year >= year || d.settings.completed_states.count(p.state)) continue;
        out.push_back({&p, p.planned_total(), p.completed_until(year), year - *p.due_year});
    }
    return out;
}

ChangeReport change_detection(const Data& d, const std::string& from, const std::string& to, double min_growth_ha) {
    for (const auto& id : {from, to}) {
        bool known = false;
        for (const auto& c : d.campaigns) known = known || c.id == id;
        if (!known) throw InputError("监测批次 " + id + " 不在遥感监测覆盖范围图层（" + std::string(kCampaigns) + "）中 / unknown campaign");
    }
    // The union of each campaign's polygons per site (a site may be mapped as several parts).
    auto polygons = [&](const std::string& campaign) {
        std::map<std::string, std::vector<geo::Geometry>> parts;
        for (const auto& f : d.findings)
            if (f.campaign_id == campaign && !f.wkb.empty()) parts[f.site_id].push_back(geo::Geometry::from_wkb(f.wkb));
        std::map<std::string, geo::Geometry> out;
        for (auto& [site, gs] : parts) {
            std::vector<const geo::Geometry*> ptrs;
            for (const auto& g : gs) ptrs.push_back(&g);
            out[site] = geo::Geometry::union_of(ptrs);
        }
        return out;
    };
    auto before = polygons(from), after = polygons(to);
    ChangeReport r{from, to, {}, {}};
    std::set<std::string> mines;
    for (auto& [site_id, a] : after) {
        SiteChange c;
        c.site = d.site(site_id);
        c.after_ha = ha_of(a);
        c.after_geojson = a.to_geojson();
        auto it = before.find(site_id);
        if (it == before.end()) {
            c.is_new = true;
            c.grown_ha = c.after_ha;
            c.grown_geojson = c.after_geojson;
        } else {
            c.before_ha = ha_of(it->second);
            const geo::Geometry grown = a.difference(it->second);
            c.grown_ha = ha_of(grown);
            const geo::Geometry shrunk = it->second.difference(a);
            c.shrunk_ha = ha_of(shrunk);
            if (!shrunk.is_null() && !shrunk.is_empty()) c.shrunk_geojson = shrunk.to_geojson();
            c.before_geojson = it->second.to_geojson();
            if (!grown.is_null() && !grown.is_empty()) c.grown_geojson = grown.to_geojson();
        }
        if (c.grown_ha >= min_growth_ha && c.site && (!c.site->mine_id.empty() || !c.site->mine_name.empty()))
            mines.insert(!c.site->mine_id.empty() ? c.site->mine_id : c.site->mine_name);
        r.sites.push_back(c);
    }
    r.grown_mines.assign(mines.begin(), mines.end());
    return r;
}

json to_json(const std::vector<OpenGroup>& groups) {
    json a = json::array();
    for (const auto& g : groups)
        a.push_back({{"key", g.key}, {"party", g.party.empty() ? "需人工核查" : g.party}, {"sites", g.sites},
                     {"count", g.sites.size()}, {"area_ha", g.area_ha}});
    return a;
}

json to_json(const std::vector<OverdueProject>& projects) {
    json a = json::array();
    for (const auto& o : projects)
        a.push_back({{"project_id", o.project->id}, {"name", o.project->name}, {"zone_id", o.project->zone_id},
                     {"state", o.project->state}, {"due_year", *o.project->due_year}, {"years_late", o.years_late},
                     {"planned_ha", o.planned_ha}, {"completed_ha", o.completed_ha}, {"holder", o.project->holder},
                     {"county", o.project->county}});
    return a;
}

json to_json(const ChangeReport& r) {
    json sites = json::array();
    for (const auto& c : r.sites)
        sites.push_back({{"site_id", c.site ? c.site->id : ""}, {"mine_id", c.site ? c.site->mine_id : ""},
                         {"mine_name", c.site ? c.site->mine_name : ""}, {"party", c.site ? c.site->party : ""},
                         {"county", c.site ? c.site->county : ""}, {"kind", c.site ? c.site->kind : ""},
                         {"before_ha", c.before_ha}, {"after_ha", c.after_ha}, {"grown_ha", c.grown_ha},
                         {"shrunk_ha", c.shrunk_ha}, {"new", c.is_new},
                         {"geometry", {{"before", geometry(c.before_geojson)}, {"after", geometry(c.after_geojson)},
                                       {"grown", geometry(c.grown_geojson)}, {"shrunk", geometry(c.shrunk_geojson)}}}});
    return {{"from", r.from_campaign}, {"to", r.to_campaign}, {"sites", sites}, {"grown_mines", r.grown_mines}};
}

json sites_json(const Data& d) {
    json a = json::array();
    for (const auto& s : d.sites)
        a.push_back({{"site_id", s.id}, {"kind", s.kind}, {"kind_label", kind_label(d, s.kind)}, {"area_ha", s.area_ha}, {"county", s.county}, {"mine_id", s.mine_id},
                     {"mine_name", s.mine_name}, {"mine_state", s.mine_state}, {"formed", s.formed}, {"restored", s.restored},
                     {"party", s.party.empty() ? "需人工核查" : s.party}, {"rule", s.party_rule}, {"holder", s.holder}});
    return a;
}

json campaigns_json(const Data& d) {
    json a = json::array();
    for (const auto& c : d.campaigns) {
        json found = json::array();
        double coverage_km2 = c.wkb.empty() ? 0.0 : geo::ellipsoidal_area_km2(geo::Geometry::from_wkb(c.wkb));
        for (const auto& f : d.findings) {
            if (f.campaign_id != c.id) continue;
            const Site* s = d.site(f.site_id);
            const double area = f.wkb.empty() ? 0.0 : ha_of(geo::Geometry::from_wkb(f.wkb));
            found.push_back({{"site_id", f.site_id}, {"area_ha", area}, {"kind", s ? s->kind : ""}, {"kind_label", s ? kind_label(d, s->kind) : ""},
                             {"party", s ? (s->party.empty() ? "需人工核查" : s->party) : ""},
                             {"mine_name", s ? s->mine_name : ""}, {"county", s ? s->county : ""}, {"note", f.note}});
        }
        a.push_back({{"campaign_id", c.id}, {"name", c.name}, {"year", c.year}, {"coverage_km2", coverage_km2}, {"findings", found}});
    }
    return {{"campaigns", a}};
}

json projects_json(const Data& d, int year) {
    json a = json::array();
    std::map<std::string, int> by_state;
    for (const auto& p : d.projects) {
        ++by_state[p.state];
        a.push_back({{"project_id", p.id}, {"name", p.name}, {"zone_id", p.zone_id}, {"category", p.category},
                     {"funding", p.funding}, {"state", p.state}, {"county", p.county}, {"holder", p.holder},
                     {"start_year", p.start_year ? json(*p.start_year) : json(nullptr)},
                     {"due_year", p.due_year ? json(*p.due_year) : json(nullptr)}, {"sites", p.sites},
                     {"planned_ha", p.planned_total()}, {"completed_ha", p.completed_until(year)}});
    }
    return {{"year", year}, {"projects", a}, {"by_state", by_state}};
}

json zones_json(const Data& d, int year) {
    json a = json::array();
    for (const auto& row : zone_progress_table(d, year).rows)  // one computation with the report's table
        a.push_back({{"zone", row[0].text}, {"name", row[1].text}, {"class", row[2].text}, {"projects", row[3].number.value_or(0)},
                     {"planned_ha", row[4].number.value_or(0)}, {"completed_ha", row[5].number.value_or(0)}});
    return {{"year", year}, {"zones", a}};
}

json history_json(const Data& d) {
    json a = json::array();
    for (const auto& e : d.register_events)
        a.push_back({{"mine_name", e.mine_name}, {"mine_id", e.mine_id}, {"date", e.date}, {"state", e.state}, {"level", e.level},
                     {"assessor", e.assessor}, {"assessment", e.assessment}, {"note", e.note}});
    return {{"events", a}};
}

json view_json(const Data& d, const ViewRequest& r) {
    const std::string date = r.date.empty() ? store::today() : store::parse_date(r.date, "date");
    if (r.view == "sites") return {{"sites", sites_json(d)}, {"cutoff_note", d.settings.cutoff_note_zh}};
    if (r.view == "open") {
        if (r.by != "county" && r.by != "holder")
            throw InputError("by 应为 county（行政区）或 holder（责任单位），实际为 \"" + r.by + "\" / by must be county or holder");
        return {{"date", date}, {"by", r.by}, {"groups", to_json(r.by == "holder" ? open_by_holder(d, date) : open_by_county(d, date))}};
    }
    if (r.view == "overdue") {
        const int year = r.year ? r.year : std::stoi(store::today().substr(0, 4));
        return {{"year", year}, {"projects", to_json(overdue_projects(d, year))}};
    }
    if (r.view == "change") return to_json(change_detection(d, r.from, r.to, r.min_growth_ha));
    if (r.view == "register") {
        auto c = register_counts(d, date);
        json mines = json::array();
        for (const auto& s : register_as_of(d, date))
            mines.push_back({{"mine_name", s.mine_name}, {"mine_id", s.mine_id}, {"state", s.state}, {"level", s.level},
                             {"since", s.since}, {"assessment", s.assessment}, {"listed", s.listed}});
        return {{"date", date}, {"listed", c.listed}, {"by_level", c.by_level}, {"mines", mines}};
    }
    const int year = r.year ? r.year : std::stoi(date.substr(0, 4));
    if (r.view == "campaigns") return campaigns_json(d);
    if (r.view == "projects") return projects_json(d, year);
    if (r.view == "zones") return zones_json(d, year);
    if (r.view == "history") return history_json(d);
    if (r.view == "greenmap") return to_geojson(green_mine_map(d, date));
    throw InputError("未知的视图 \"" + r.view + "\"，应为 sites、open、overdue、change、register、campaigns、projects、zones、history 或 greenmap / unknown view");
}

std::string withheld_view(const Publicity& p, const ViewRequest& r) {
    const std::string v = r.view;
    auto no = [&](const std::string& what) {
        return "规划未向公众公开" + what + "（rules.json settings.geoenv.public" + (p.clause_zh.empty() ? "" : "；" + p.clause_zh) +
               "），请登录后查看 / not public in this plan: log in";
    };
    if ((v == "sites" || v == "open") && !p.sites) return no("矿山地质环境问题图斑");
    if (v == "open" && r.by == "holder" && (!p.holders || !p.responsibility)) return no("责任单位名称");
    if ((v == "projects" || v == "zones" || v == "overdue") && !p.projects) return no("治理工程");
    if ((v == "campaigns" || v == "change") && !p.campaigns) return no("遥感监测批次与监测图斑");
    if ((v == "register" || v == "history" || v == "greenmap") && !p.green_register) return no("绿色矿山名录");
    return {};
}

std::set<std::string> withheld_fields(const Publicity& p) {
    std::set<std::string> out;
    if (!p.holders) out.insert("holder");
    if (!p.responsibility) out.insert({"party", "rule", "responsibility", "override_reason"});
    return out;
}

void redact(const Publicity& p, json& answer) { strip(answer, withheld_fields(p)); }

std::set<std::string> withheld_layers(const Publicity& p) {
    std::set<std::string> out;
    if (!p.sites) out.insert(kSites);
    if (!p.projects) out.insert({kProjects, kProjectYears});
    if (!p.campaigns) out.insert({kCampaigns, kFindings});
    if (!p.green_register) out.insert(kRegister);
    return out;
}

}  // namespace minplan::services::geoenv
