#include "services/qc/config.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace minplan::services::qc {

using nlohmann::json;

Severity QcConfig::severity_of(const CheckDef& c) const {
    auto it = severity.find(c.id);
    return it == severity.end() ? c.severity : it->second;
}

const LayerRules* QcConfig::rules_for(const std::string& layer) const {
    for (const auto& l : layers)
        if (l.layer == layer) return &l;
    return nullptr;
}

const Tolerances& QcConfig::tolerances_for(const std::string& layer) const {
    const LayerRules* r = rules_for(layer);
    return r ? r->tolerances : tolerances;
}

namespace {

// Collects every problem of the file with its key; lookups of layers and fields go through here.
class Parser {
public:
    Parser(std::string context, const std::vector<TableSchema>& schemas) : context_(std::move(context)), schemas_(schemas) {}

    void problem(const std::string& key, const std::string& what) { problems_.push_back(context_ + " " + key + "：" + what); }
    const std::vector<std::string>& problems() const { return problems_; }

    const TableSchema* layer(const std::string& key, const std::string& id) {
        for (const auto& s : schemas_)
            if (s.id == id) return &s;
        std::string known;
        for (const auto& s : schemas_) known += (known.empty() ? "" : "、") + s.id;
        problem(key, "图层或表 \"" + id + "\" 不存在于规划中；已有：" + known + " / unknown layer");
        return nullptr;
    }
    void field(const std::string& key, const TableSchema* s, const std::string& name) {
        if (!s || name.empty()) return;
        if (!s->field(name) && name != kAreaField && name != kGeometrySourceField)
            problem(key, "图层 " + s->id + " 没有字段 \"" + name + "\" / unknown field");
    }
    std::string text(const json& j, const char* name, const std::string& key) {
        if (!j.contains(name)) return {};
        if (!j[name].is_string()) {
            problem(key + "." + name, "应为字符串 / must be a string");
            return {};
        }
        return j[name].get<std::string>();
    }
    double number(const json& j, const char* name, const std::string& key, double fallback) {
        if (!j.contains(name)) return fallback;
        if (!j[name].is_number() || j[name].get<double>() < 0) {
            problem(key + "." + name, "应为非负数 / must be a non-negative number");
            return fallback;
        }
        return j[name].get<double>();
    }
    RowFilter filter(const json& j, const std::string& key, const TableSchema* s) {
        RowFilter f;
        if (j.is_null()) return f;
        if (!j.is_object()) {
            problem(key, "应为对象 {字段: 值或值列表} / must be an object");
            return f;
        }
        for (const auto& [name, v] : j.items()) {
            field(key, s, name);
            if (v.is_string()) f[name] = {v.get<std::string>()};
            else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); }))
                f[name] = v.get<std::vector<std::string>>();
            else problem(key + "." + name, "应为字符串或字符串列表 / must be a string or a list of strings");
        }
        return f;
    }

private:
    std::string context_;
    const std::vector<TableSchema>& schemas_;
    std::vector<std::string> problems_;
};

// "tolerances": {…} at `key`, each value over `base`; an unknown name is a problem.
Tolerances parse_tolerances(Parser& p, const json& j, const std::string& key, Tolerances t) {
    if (!j.is_object()) {
        if (!j.is_null()) p.problem(key, "应为对象 / must be an object");
        return t;
    }
    static const std::set<std::string> known = {"area_km2", "area_ratio", "corner_km2", "sliver_width_m", "spike_degrees", "overlap_km2"};
    for (const auto& [k, v] : j.items())
        if (!known.count(k))
            p.problem(key + "." + k, "未知容差项；可用：area_km2、area_ratio、corner_km2、sliver_width_m、spike_degrees、overlap_km2 / unknown tolerance");
    t.area_km2 = p.number(j, "area_km2", key, t.area_km2);
    t.area_ratio = p.number(j, "area_ratio", key, t.area_ratio);
    t.corner_km2 = p.number(j, "corner_km2", key, t.corner_km2);
    t.sliver_width_m = p.number(j, "sliver_width_m", key, t.sliver_width_m);
    t.spike_degrees = p.number(j, "spike_degrees", key, t.spike_degrees);
    t.overlap_km2 = p.number(j, "overlap_km2", key, t.overlap_km2);
    return t;
}

LayerRules parse_layer(Parser& p, const std::string& id, const json& j, const Tolerances& plan_tolerances) {
    const std::string key = "layers." + id;
    LayerRules r;
    r.layer = id;
    const TableSchema* s = p.layer(key, id);
    if (!j.is_object()) {
        p.problem(key, "应为对象 / must be an object");
        return r;
    }
    static const std::set<std::string> known = {"required", "id_field", "name_field", "multipart", "no_overlap", "inside",
                                                "zone", "clear_of", "stated_area_field", "corners", "ranges", "tolerances"};
    for (const auto& [k, v] : j.items())
        if (!known.count(k)) p.problem(key + "." + k, "未知设置项 / unknown key");
    r.tolerances = parse_tolerances(p, j.value("tolerances", json()), key + ".tolerances", plan_tolerances);
    r.required = j.value("required", false);
    r.id_field = p.text(j, "id_field", key);
    r.name_field = p.text(j, "name_field", key);
    p.field(key + ".id_field", s, r.id_field);
    p.field(key + ".name_field", s, r.name_field);
    if (j.contains("multipart")) r.multipart = j["multipart"].get<bool>();
    r.no_overlap = j.value("no_overlap", false);
    for (const auto& in : j.value("inside", json::array())) {
        InsideRule rule{p.text(in, "layer", key + ".inside"), p.text(in, "field", key + ".inside"), p.text(in, "key", key + ".inside")};
        rule.check = rule.field.empty() ? "outside_admin" : "outside_region";
        const TableSchema* container = p.layer(key + ".inside.layer", rule.layer);
        p.field(key + ".inside.field", s, rule.field);
        p.field(key + ".inside.key", container, rule.key);
        r.inside.push_back(std::move(rule));
    }
    if (j.contains("zone")) {
        const json& z = j["zone"];
        ZoneRule rule{p.text(z, "field", key + ".zone"), p.text(z, "layer", key + ".zone"), p.text(z, "key", key + ".zone"),
                      z.value("inside", true)};
        p.field(key + ".zone.field", s, rule.field);
        p.field(key + ".zone.key", p.layer(key + ".zone.layer", rule.layer), rule.key);
        r.zone = std::move(rule);
    }
    for (const auto& c : j.value("clear_of", json::array())) {
        ClearOfRule rule;
        rule.layer = p.text(c, "layer", key + ".clear_of");
        rule.filter = p.filter(c.value("where", json()), key + ".clear_of.where", p.layer(key + ".clear_of.layer", rule.layer));
        r.clear_of.push_back(std::move(rule));
    }
    r.stated_area_field = p.text(j, "stated_area_field", key);
    p.field(key + ".stated_area_field", s, r.stated_area_field);
    if (j.contains("corners")) {
        r.corner_field = p.text(j["corners"], "field", key + ".corners");
        r.corner_format = j["corners"].value("format", "auto");
        p.field(key + ".corners.field", s, r.corner_field);
        if (r.corner_format != "auto" && r.corner_format != "mining_right_string" && r.corner_format != "exploration_right_string")
            p.problem(key + ".corners.format", "应为 auto、mining_right_string 或 exploration_right_string / unknown format");
    }
    const json ranges = j.value("ranges", json::object());
    for (const auto& [f, range] : ranges.items()) {
        p.field(key + ".ranges", s, f);
        if (!range.is_array() || range.size() != 2) {
            p.problem(key + ".ranges." + f, "应为 [最小值, 最大值]（可为 null）/ must be [min, max]");
            continue;
        }
        auto bound = [](const json& b) { return b.is_number() ? std::optional<double>(b.get<double>()) : std::nullopt; };
        r.ranges[f] = {bound(range[0]), bound(range[1])};
    }
    return r;
}

ColumnRule parse_column(Parser& p, const json& j, std::size_t n) {
    const std::string key = "columns[" + std::to_string(n) + "]";
    ColumnRule c;
    c.title = p.text(j, "title", key);
    c.clause = p.text(j, "clause", key);
    c.table = p.text(j, "table", key);
    c.layer = p.text(j, "layer", key);
    c.count_field = p.text(j, "count_field", key);
    c.area_field = p.text(j, "area_field", key);
    const TableSchema* table = p.layer(key + ".table", c.table);
    const TableSchema* layer = p.layer(key + ".layer", c.layer);
    p.field(key + ".count_field", table, c.count_field);
    p.field(key + ".area_field", table, c.area_field);
    c.rows = p.filter(j.value("rows", json()), key + ".rows", table);
    c.features = p.filter(j.value("features", json()), key + ".features", layer);
    const json match = j.value("match", json::object());
    for (const auto& [from, to] : match.items()) {
        p.field(key + ".match", table, from);
        if (!to.is_string()) {
            p.problem(key + ".match." + from, "应为图层字段名 / must be a field name");
            continue;
        }
        p.field(key + ".match", layer, to.get<std::string>());
        c.match[from] = to.get<std::string>();
    }
    if (c.count_field.empty() && c.area_field.empty()) p.problem(key, "至少给出 count_field 或 area_field / nothing to compare");
    return c;
}

TotalRule parse_total(Parser& p, const json& j, std::size_t n) {
    const std::string key = "totals[" + std::to_string(n) + "]";
    TotalRule t;
    t.table = p.text(j, "table", key);
    t.value_field = p.text(j, "value_field", key);
    t.kind_field = p.text(j, "kind_field", key);
    t.total_value = j.value("total_value", t.total_value);
    t.item_value = j.value("item_value", t.item_value);
    t.group_fields = j.value("group_fields", std::vector<std::string>{});
    t.clause = p.text(j, "clause", key);
    const TableSchema* s = p.layer(key + ".table", t.table);
    p.field(key + ".value_field", s, t.value_field);
    p.field(key + ".kind_field", s, t.kind_field);
    for (const auto& g : t.group_fields) p.field(key + ".group_fields", s, g);
    return t;
}

}  // namespace

QcConfig parse_config(const std::string& text, const std::string& context, const std::vector<TableSchema>& schemas) {
    QcConfig c;
    Parser p(context, schemas);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw InputError(context + "：JSON 语法错误 / syntax error: " + e.what());
    }
    if (!j.is_object()) throw InputError(context + "：应为 JSON 对象 / must be a JSON object");
    try {
        static const std::set<std::string> known = {"crs_epsg", "tolerances", "disable", "severity", "layers", "columns", "totals", "note"};
        for (const auto& [k, v] : j.items())
            if (!known.count(k)) p.problem(k, "未知设置项；可用：crs_epsg、tolerances、disable、severity、layers、columns、totals / unknown key");
        c.crs_epsg = j.value("crs_epsg", c.crs_epsg);
        c.tolerances = parse_tolerances(p, j.value("tolerances", json()), "tolerances", c.tolerances);
        auto known_check = [&](const std::string& key, const std::string& id) {
            if (find_check(id)) return true;
            std::string list;
            for (const auto& d : catalogue()) list += (list.empty() ? "" : "、") + std::string(d.id);
            p.problem(key, "未知质检项 \"" + id + "\"；可用：" + list + " / unknown check");
            return false;
        };
        for (const auto& id : j.value("disable", std::vector<std::string>{}))
            if (known_check("disable", id)) c.disabled.insert(id);
        const json severity = j.value("severity", json::object());
        for (const auto& [id, sev] : severity.items()) {
            if (!known_check("severity", id)) continue;
            try {
                c.severity[id] = parse_severity(sev.is_string() ? sev.get<std::string>() : sev.dump(), context + " severity." + id);
            } catch (const InputError& e) {
                p.problem("severity." + id, e.what());
            }
        }
        const json layers = j.value("layers", json::object());
        for (const auto& [id, rules] : layers.items()) c.layers.push_back(parse_layer(p, id, rules, c.tolerances));
        std::size_t n = 0;
        for (const auto& col : j.value("columns", json::array())) c.columns.push_back(parse_column(p, col, n++));
        n = 0;
        for (const auto& tot : j.value("totals", json::array())) c.totals.push_back(parse_total(p, tot, n++));
    } catch (const json::exception& e) {
        p.problem("", std::string("取值类型错误 / wrong value type: ") + e.what());
    }
    if (!p.problems().empty())
        throw ProblemsError(context + " 有 " + std::to_string(p.problems().size()) + " 处问题（格式见 docs/qc.md）/ bad quality-check configuration:",
                            p.problems());
    return c;
}

}  // namespace minplan::services::qc
