#include "rules/rule_set.hpp"
#include "rules/opinion.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/package.hpp"
#include "rules/check_context.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {

// Derived from the engine's tables of check functions: a check is known exactly when it is implemented.
const std::vector<std::string>& known_checks() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out{"coordinates"};
        for (const auto* table : {&detail::spatial_checks(), &detail::attribute_checks(), &detail::clause_checks()})
            for (const auto& [name, fn] : *table) out.push_back(name);
        return out;
    }();
    return names;
}

RuleSet RuleSet::from_store(const store::PlanStore& store) {
    return parse(package::required(store.package_file(package::kRules), package::kRules, store.location()),
                 store.location() + "［" + package::kRules + "］");
}

RuleSet RuleSet::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取规则文件 " + file.string() + " / cannot read rule file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

RuleSet RuleSet::parse(const std::string& text, const std::string& context) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(fmt::format("{}：JSON 语法错误：{} / rule file is not valid JSON", context, e.what()));
    }
    RuleSet rs;
    rs.id = j.value("id", "");
    rs.plan_id = j.value("plan_id", "");
    rs.name_zh = j.value("name_zh", "");
    rs.settings = j.value("settings", nlohmann::json::object());
    // Settings are read when a check starts: refuse bad ones now, with the file named.
    const auto& st = rs.settings;
    if (!st.is_object()) throw InputError(context + "：settings 应为对象 / settings must be an object");
    if (st.contains("gk_zone") && !(st["gk_zone"].is_number_integer() && st["gk_zone"] >= 25 && st["gk_zone"] <= 45))
        throw InputError(context + "：settings.gk_zone 应为 25–45 之间的3度带号 / gk_zone must be a 3° zone number");
    if (st.contains("province_bounds")) {
        const auto& b = st["province_bounds"];
        bool ok = b.is_array() && b.size() == 4 && std::all_of(b.begin(), b.end(), [](const auto& v) { return v.is_number(); });
        if (!ok || b[0] >= b[2] || b[1] >= b[3])
            throw InputError(context + "：settings.province_bounds 应为 [最小经度, 最小纬度, 最大经度, 最大纬度] / "
                                       "province_bounds must be [min_lon, min_lat, max_lon, max_lat]");
    }
    for (const char* key : {"issuing_unit_zh", "review_number_pattern"})
        if (st.contains(key) && !(st[key].is_string() && !st[key].get<std::string>().empty()))
            throw InputError(context + "：settings." + key + " 应为非空文本 / must be a non-empty string");
    if (st.contains("review_number_pattern")) {
        try {
            format_review_number(st["review_number_pattern"].get<std::string>(), 2021, 1);
        } catch (const InputError& e) {
            throw InputError(context + "：settings.review_number_pattern：" + e.what());
        }
    }
    if (!j.contains("rules") || !j["rules"].is_array())
        throw InputError(context + "：缺少 rules 数组 / missing rules array");
    std::set<std::string> ids;
    for (const auto& r : j["rules"]) {
        RuleDef d;
        const std::string where = fmt::format("{} 规则 {}", context, r.value("id", "?"));
        try {
            d.id = r.at("id").get<std::string>();
            d.check = r.at("check").get<std::string>();
            d.title_zh = r.at("title_zh").get<std::string>();
            d.severity = parse_severity(r.at("severity").get<std::string>());
            const auto& ap = r.at("applies_to");
            for (const auto& k : ap.at("kinds")) d.kinds.insert(parse_kind(k.get<std::string>()));
            for (const auto& a : ap.at("actions")) d.actions.insert(parse_action(a.get<std::string>()));
            const auto& c = r.at("citation");
            d.citation.clause_id = c.value("clause_id", "");
            d.citation.section = c.at("section").get<std::string>();
            d.citation.quote = c.at("quote").get<std::string>();
            d.params = r.value("parameters", nlohmann::json::object());
        } catch (const nlohmann::json::exception& e) {
            throw InputError(fmt::format("{}：字段缺失或类型错误（{}）；每条规则需要 id, check, title_zh, severity, applies_to"
                                         "{{kinds, actions}}, citation{{section, quote}} / bad rule entry",
                                         where, e.what()));
        } catch (const InputError& e) {
            throw InputError(where + "：" + e.what());
        }
        const auto& checks = known_checks();
        if (std::find(checks.begin(), checks.end(), d.check) == checks.end())
            throw InputError(fmt::format("{}：未知检查类型“{}” / unknown check", where, d.check));
        if (!ids.insert(d.id).second) throw InputError(fmt::format("{}：规则编号重复 / duplicate rule id", where));
        rs.rules.push_back(std::move(d));
    }
    return rs;
}

}  // namespace minplan::rules
