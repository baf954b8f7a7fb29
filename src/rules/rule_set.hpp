// A plan's rule set (rules.json of the plan folder, stored in the plan database by `minplan build`): each rule names a generic check implemented in
// the engine ("inside_block", "no_overlap", "min_scale", ...) and gives its title, severity, the kinds and
// actions it applies to, the plan clause it enforces and its parameters (layers, fields, thresholds).
// Another plan is another rules file; the engine knows no plan.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "rules/model.hpp"

namespace minplan::store {
class PlanStore;
}

namespace minplan::rules {

struct RuleDef {
    std::string id;
    std::string check;  // engine check name
    std::string title_zh;
    Severity severity = Severity::Veto;
    std::set<Kind> kinds;
    std::set<Action> actions;
    Citation citation;
    nlohmann::json params = nlohmann::json::object();

    bool applies(Kind k, Action a) const { return kinds.count(k) && actions.count(a); }
};

struct RuleSet {
    std::string id;
    std::string plan_id;
    std::string name_zh;
    nlohmann::json settings = nlohmann::json::object();  // gk_zone, province bounds, city name
    std::vector<RuleDef> rules;

    static RuleSet load(const std::filesystem::path& file);
    static RuleSet parse(const std::string& text, const std::string& context);
    // The rule set stored in the plan database; InputError when the database has none.
    static RuleSet from_store(const store::PlanStore& store);
};

// The check names the engine implements (rules naming another check are refused at load time).
const std::vector<std::string>& known_checks();

}  // namespace minplan::rules
