#include "services/geoenv/geoenv.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "rules/rule_set.hpp"

namespace minplan::services::geoenv {
namespace {

using nlohmann::json;

std::string text_of(const json& j, const std::string& key, const std::string& where) {
    if (!j.contains(key)) return {};
    if (!j[key].is_string()) throw InputError("规则文件 " + where + "." + key + " 应为文本 / must be a string");
    return j[key].get<std::string>();
}

std::vector<std::string> list_of(const json& j, const std::string& key, const std::string& where) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) throw InputError("规则文件 " + where + "." + key + " 应为文本数组 / must be an array of strings");
    for (const auto& v : j[key]) {
        if (!v.is_string()) throw InputError("规则文件 " + where + "." + key + " 应为文本数组 / must be an array of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::set<std::string> set_of(const json& j, const std::string& key, const std::string& where) {
    auto list = list_of(j, key, where);
    return {list.begin(), list.end()};
}

// `j` itself, checked to be an object; `where` names it in the message.
const json& object_at(const json& j, const std::string& where) {
    if (!j.is_object()) throw InputError("规则文件 " + where + " 应为对象 / must be an object");
    return j;
}

std::optional<int> opt_int(const Value& v) {
    if (auto n = as_number(v)) return static_cast<int>(*n);
    return std::nullopt;
}

std::vector<std::string> split_ids(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        auto t = trim(cur);
        if (!t.empty()) out.push_back(t);
        cur.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ';' || text[i] == ',') flush();
        else if (text.compare(i, 3, "；") == 0 || text.compare(i, 3, "，") == 0 || text.compare(i, 3, "、") == 0) {
            flush();
            i += 2;
        } else {
            cur += text[i];
        }
    }
    flush();
    return out;
}

// settings.geoenv.public: every key known, every value a boolean (clause_zh / note: text).
Publicity publicity_of(const json& j, const std::string& where) {
    Publicity p;
    const std::map<std::string, bool Publicity::*> flags = {
        {"sites", &Publicity::sites},       {"responsibility", &Publicity::responsibility}, {"holders", &Publicity::holders},
        {"projects", &Publicity::projects}, {"campaigns", &Publicity::campaigns},           {"register", &Publicity::green_register}};
    for (const auto& [key, value] : object_at(j, where).items()) {
        if (key == "clause_zh" || key == "note") {
            if (!value.is_string()) throw InputError("规则文件 " + where + "." + key + " 应为文本 / must be a string");
            if (key == "clause_zh") p.clause_zh = value.get<std::string>();
            continue;
        }
        auto it = flags.find(key);
        if (it == flags.end())
            throw InputError("规则文件 " + where + " 中有未知的键 \"" + key +
                             "\"，应为 sites、responsibility、holders、projects、campaigns、register、clause_zh 或 note / unknown key");
        if (!value.is_boolean())
            throw InputError("规则文件 " + where + "." + key + " 应为 true 或 false（是否向公众公开），实际为 " + value.dump() +
                             " / must be a boolean");
        p.*(it->second) = value.get<bool>();
    }
    return p;
}

std::optional<double> opt_real(const Value& v) { return as_number(v); }

bool has_layer(const store::PlanStore& store, const std::string& id) {
    for (const auto& l : store.layers())
        if (l.id == id) return true;
    return false;
}

}  // namespace

std::vector<std::string> split_site_ids(const std::string& text) { return split_ids(text); }

Settings Settings::from_json(const json& rules_settings) {
    Settings s;
    if (!rules_settings.is_object() || !rules_settings.contains("geoenv")) return s;
    const std::string w = "settings.geoenv";
    const json& g = object_at(rules_settings["geoenv"], w);
    s.configured = true;
    if (g.contains("responsibility")) {
        const std::string rw = w + ".responsibility";
        const json& r = object_at(g["responsibility"], rw);
        s.cutoff_date = text_of(r, "cutoff_date", rw);
        s.cutoff_note_zh = text_of(r, "cutoff_note_zh", rw);
        s.responsibility_clause_zh = text_of(r, "clause_zh", rw);
        if (r.contains("rows")) {
            if (!r["rows"].is_array()) throw InputError("规则文件 " + rw + ".rows 应为数组 / must be an array");
            for (std::size_t i = 0; i < r["rows"].size(); ++i) {
                const std::string iw = rw + ".rows[" + std::to_string(i) + "]";
                const json& row = object_at(r["rows"][i], iw);
                ResponsibilityRow rr{set_of(row, "mine_states", iw), text_of(row, "formed", iw), text_of(row, "party", iw),
                                     text_of(row, "quote_zh", iw)};
                if (rr.formed != "before" && rr.formed != "after" && rr.formed != "any")
                    throw InputError("规则文件 " + iw + ".formed 应为 before、after 或 any / must be before, after or any");
                if (rr.party.empty()) throw InputError("规则文件 " + iw + ".party 不能为空 / party required");
                if (rr.formed != "any" && s.cutoff_date.empty())
                    throw InputError("规则文件 " + iw + " 按形成日期区分，但缺少 " + rw + ".cutoff_date / cutoff date required");
                s.rows.push_back(std::move(rr));
            }
        }
    }
    s.legacy_party = text_of(g, "legacy_party", w);
    s.legacy_clause_zh = text_of(g, "legacy_clause_zh", w);
    s.completed_states = set_of(g, "completed_states", w);
    s.key_restoration_category = text_of(g, "key_restoration_category", w);
    s.key_projects_category = text_of(g, "key_projects_category", w);
    if (g.contains("public")) s.publicity = publicity_of(g["public"], w + ".public");
    if (g.contains("green_register")) {
        const std::string rw = w + ".green_register";
        const json& r = object_at(g["green_register"], rw);
        s.register_clause_zh = text_of(r, "clause_zh", rw);
        s.start_states = set_of(r, "start_states", rw);
        s.listed_states = set_of(r, "listed_states", rw);
        s.levels = list_of(r, "levels", rw);
        if (r.contains("transitions")) {
            for (const auto& [from, to] : object_at(r["transitions"], rw + ".transitions").items()) s.transitions[from] = set_of(r["transitions"], from, rw + ".transitions");
        }
    }
    return s;
}

std::set<std::string> Settings::parties() const {
    std::set<std::string> out;
    for (const auto& r : rows) out.insert(r.party);
    return out;
}

double Project::planned_total() const {
    double t = 0;
    for (const auto& y : years) t += y.planned_ha.value_or(0);
    return t;
}

double Project::completed_until(int year) const {
    double t = 0;
    for (const auto& y : years)
        if (y.year <= year) t += y.completed_ha.value_or(0);
    return t;
}

std::optional<int> Project::completion_year(const Settings& s) const {
    if (!s.completed_states.count(state)) return std::nullopt;
    std::optional<int> last;
    for (const auto& y : years)
        if (y.completed_ha.value_or(0) > 0 && (!last || y.year > *last)) last = y.year;
    return last ? last : due_year;
}

const Site* Data::site(const std::string& id) const {
    for (const auto& s : sites)
        if (s.id == id) return &s;
    return nullptr;
}

std::pair<std::string, std::string> responsibility(const Settings& s, const Site& site) {
    if (!site.override_party.empty())
        return {site.override_party, "人工调整为" + site.override_party + "：" + site.override_reason};
    const std::string clause = s.responsibility_clause_zh.empty() ? "" : "（" + s.responsibility_clause_zh + "）";
    if (site.mine_state.empty()) return {"", "需人工核查：未填矿山状态，无法按治理责任划分确定责任主体" + clause};
    const bool before = !s.cutoff_date.empty() && site.formed < s.cutoff_date;
    for (const auto& r : s.rows) {
        if (!r.mine_states.count(site.mine_state)) continue;
        if (r.formed == "before" && !before) continue;
        if (r.formed == "after" && before) continue;
        std::string when = r.formed == "any" ? "" : "，形成于 " + site.formed + (before ? "（早于 " : "（不早于 ") + s.cutoff_date + "）";
        return {r.party, "矿山状态 " + site.mine_state + when + " → " + r.party + "：“" + r.quote_zh + "”" + clause};
    }
    return {"", "需人工核查：治理责任划分中没有适用于矿山状态 " + site.mine_state + " 的规定" + clause};
}

Data load(const store::PlanStore& store) {
    Data d;
    d.settings = Settings::from_json(rules::RuleSet::from_store(store).settings);
    d.first_year = std::stoi(store.metadata("period_start").value_or("0"));
    d.last_year = std::stoi(store.metadata("period_end").value_or("0"));
    if (has_layer(store, kSites))
        for (const auto& f : store.read(kSites)) {
            Site s;
            s.id = f.text("site_id");
            s.kind = f.text("kind");
            s.county = f.text("county");
            s.mine_id = f.text("mine_id");
            s.mine_name = f.text("mine_name");
            s.mine_state = f.text("mine_state");
            s.formed = f.text("formed_date");
            s.restored = f.text("restored_date");
            s.holder = f.text("holder");
            s.source = f.text("source");
            s.override_party = f.text("responsibility");
            s.override_reason = f.text("override_reason");
            s.stated_area_ha = as_number(f.get("area_ha"));
            s.wkb = f.wkb;
            if (s.stated_area_ha) s.area_ha = *s.stated_area_ha;
            else if (!s.wkb.empty()) s.area_ha = geo::ellipsoidal_area_km2(geo::Geometry::from_wkb(s.wkb)) * 100.0;
            std::tie(s.party, s.party_rule) = responsibility(d.settings, s);
            d.sites.push_back(std::move(s));
        }
    std::map<std::string, std::vector<ProjectYear>> years;
    if (has_layer(store, kProjectYears))
        for (const auto& f : store.read(kProjectYears))
            years[f.text("project_id")].push_back(
                {opt_int(f.get("year")).value_or(0), as_number(f.get("planned_ha")), as_number(f.get("completed_ha"))});
    if (has_layer(store, kProjects))
        for (const auto& f : store.read(kProjects)) {
            Project p;
            p.id = f.text("project_id");
            p.name = f.text("name");
            p.zone_id = f.text("zone_id");
            p.category = f.text("category");
            p.funding = f.text("funding");
            p.state = f.text("state");
            p.county = f.text("county");
            p.holder = f.text("holder");
            p.source = f.text("source");
            p.sites = split_ids(f.text("sites"));
            p.start_year = opt_int(f.get("start_year"));
            p.due_year = opt_int(f.get("due_year"));
            p.years = years[p.id];
            std::sort(p.years.begin(), p.years.end(), [](auto& a, auto& b) { return a.year < b.year; });
            d.projects.push_back(std::move(p));
        }
    if (has_layer(store, kCampaigns))
        for (const auto& f : store.read(kCampaigns))
            d.campaigns.push_back({f.text("campaign_id"), f.text("name"), opt_int(f.get("year")).value_or(0), f.wkb});
    if (has_layer(store, kFindings))
        for (const auto& f : store.read(kFindings))
            d.findings.push_back({f.text("campaign_id"), f.text("site_id"), f.text("note"), f.wkb});
    std::set<std::string> licences;
    if (has_layer(store, kRegister))
        for (const auto& f : store.read(kRegister)) {
            RegisterEvent e{f.text("mine_name"), f.text("mine_id"), f.text("event_date"), f.text("state"), f.text("level"),
                            f.text("assessor"), f.text("assessment"), f.text("note"), f.text("source")};
            e.licence_no = trim(f.text("licence_no"));
            e.lon = opt_real(f.get("lon"));
            e.lat = opt_real(f.get("lat"));
            if (!e.licence_no.empty()) licences.insert(e.licence_no);
            d.register_events.push_back(std::move(e));
        }
    // Only the rights the register names are kept: the rights layer may be large, the register is not.
    if (!licences.empty() && has_layer(store, kRights))
        for (const auto& f : store.read(kRights)) {
            const std::string licence = trim(f.text("licence_no"));
            if (licences.count(licence) && !f.wkb.empty())
                d.rights_by_licence[licence].push_back({f.text("right_id"), f.text("holder"), f.wkb});
        }
    if (has_layer(store, kSiteKinds))
        for (const auto& f : store.read(kSiteKinds)) d.kind_labels[f.text("code")] = f.text("label_zh");
    std::stable_sort(d.register_events.begin(), d.register_events.end(), [](const auto& a, const auto& b) {
        return std::tie(a.mine_name, a.date) < std::tie(b.mine_name, b.date);
    });
    if (has_layer(store, kZones))
        for (const auto& f : store.read(kZones))
            d.zones.push_back({f.text("zone_id"), f.text("zone_code"), f.text("name"), f.text("zone_class")});
    return d;
}

}  // namespace minplan::services::geoenv
