// Application attributes: the known keys, JSON and a small TOML subset (flat `key = value` with strings,
// numbers, booleans and arrays of strings; `#` comments; an optional [application] table header).
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "formats/text_encoding.hpp"
#include "rules/model.hpp"

namespace minplan::rules {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A production scale of 0 is no mine; amounts cannot be negative; a share is a percentage.
constexpr NumberDomain kPositive{0, kInf, true};
constexpr NumberDomain kNonNegative{0, kInf, false};
constexpr NumberDomain kPercent{0, 100, false};
// No licence runs longer than 30 years (矿产资源开采登记管理办法 第七条); 200 leaves room for a design life
// quoted in years of reserves while still catching typos such as 5000.
constexpr NumberDomain kServiceYears{0, 200, true};

}  // namespace

bool NumberDomain::contains(double v) const {
    return std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
}

std::string NumberDomain::text() const {
    const std::string low = fmt::format("{} {:g}", lo_open ? ">" : "≥", lo);
    if (std::isinf(hi)) return low;
    if (!lo_open) return fmt::format("{:g}–{:g}", lo, hi);
    return fmt::format("{} 且 ≤ {:g}", low, hi);
}

const std::vector<AttributeDef>& attribute_defs() {
    static const std::vector<AttributeDef> defs = {
        {"name", "项目名称", "string"},
        {"kind", "矿业权类型（exploration 探矿权 / mining 采矿权）", "string"},
        {"action", "申请事项（new 新立 / extension 延续 / expansion 扩界延深 / change_mineral 变更矿种）", "string"},
        {"applicant", "申请人", "string"},
        // The review uses the plan in force on this day (YYYY-MM-DD; default today): plan versions.
        {"filing_date", "申请受理日期（按当日有效的规划审查，YYYY-MM-DD）", "string"},
        {"for_profit", "申请人是否为营利法人", "boolean"},
        {"main_mineral", "主矿种", "string"},
        {"associated_minerals", "共伴生矿种", "list"},
        {"scale", "设计生产规模", "number", kPositive},
        {"scale_unit", "生产规模单位（如 万吨/年）", "string"},
        {"reserves", "保有资源储量", "number", kNonNegative},
        {"reserves_unit", "资源储量单位（如 万吨）", "string"},
        {"exploration_stage", "资源储量勘查程度（预查/普查/详查/勘探）", "string"},
        {"deposit_size", "矿产地资源储量规模（大型/中型/小型）", "string"},
        {"mining_method", "开采方式（露天/地下）", "string"},
        {"service_life", "设计服务年限（年）", "number", kServiceYears},
        {"geological_report", "经评审备案的地质勘查报告", "boolean"},
        {"eia_report", "经审核的环境影响评价报告", "boolean"},
        {"development_plan", "矿产资源开发利用方案", "boolean"},
        {"reclamation_plan", "矿山地质环境保护与土地复垦方案", "boolean"},
        {"green_mine_design", "绿色矿山建设设计（达到绿色矿山标准）", "boolean"},
        {"coal_existing_scale", "申请人原有煤炭企业规模（万吨/年）", "number", kNonNegative},
        {"mechanisation_pct", "申请人机械化程度（%）", "number", kPercent},
        {"coal_experience", "申请人具备煤炭开采经验", "boolean"},
        {"intended_use", "矿石用途（如 建筑石料）", "string"},
        {"premium_quality", "是否为优质石灰岩/白云岩", "boolean"},
        {"existing_licence", "原矿业权许可证号（延续、扩界、变更时）", "string"},
        {"associated_use_plan", "开发利用方案含共伴生矿产综合开发利用方案或保护措施", "boolean"},
        {"exploration_purpose", "勘查目的（如 零星开采、地下水水源地）", "string"},
        {"state_funded", "财政出资的地质勘查项目", "boolean"},
        {"well_output", "地热单井设计开采量（立方米/日）", "number", kPositive},
        {"tail_water_reinjection", "有尾水处理及回灌方案", "boolean"},
        {"licensed_scale", "采矿许可证载明的生产规模（与生产规模同单位）", "number", kPositive},
        {"actual_output", "上一年度实际开采量（与生产规模同单位）", "number", kNonNegative},
    };
    return defs;
}

std::string attribute_label(const std::string& key) {
    for (const auto& d : attribute_defs())
        if (key == d.key) return d.label_zh;
    return key;
}

namespace {

// A value as quoted in a message: short, so that a megabyte array does not become a megabyte message.
std::string shown(const nlohmann::json& v) {
    constexpr std::size_t kShownChars = 80;
    // Invalid UTF-8 (a bare TOML value, a query parameter) is shown replaced: dump() would throw.
    std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (s.size() <= kShownChars) return s;
    std::size_t cut = kShownChars;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    s = s.substr(0, cut) + "…";
    return s;
}

// nlohmann's parser is iterative, but dump(), comparisons and our checks recurse: the depth is refused
// while parsing, before anything recurses. Overflowing numbers (1e400) are out_of_range, not parse_error.
nlohmann::json parse_bounded(const std::string& text, const std::string& context) {
    auto depth_guard = [&context](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxJsonDepth)
            throw InputError(fmt::format("{}：JSON 嵌套超过 {} 层上限 / JSON nested deeper than the limit of {} levels",
                                         context, kMaxJsonDepth, kMaxJsonDepth));
        return true;
    };
    try {
        return nlohmann::json::parse(text, depth_guard);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(fmt::format("{}：JSON 语法错误（{}）/ JSON syntax error", context, e.what()));
    }
}

const AttributeDef& def_of(const std::string& key, const std::string& context) {
    for (const auto& d : attribute_defs())
        if (key == d.key) return d;
    std::string known;
    for (const auto& d : attribute_defs()) known += std::string(known.empty() ? "" : ", ") + d.key;
    throw InputError(fmt::format("{}：未知属性“{}”；可用属性：{} / unknown attribute", context, key, known));
}

nlohmann::json checked(const std::string& key, const nlohmann::json& v, const std::string& context) {
    const AttributeDef& d = def_of(key, context);
    const std::string type = d.type;
    auto bad = [&](const char* expected) {
        return InputError(fmt::format("{}：属性“{}”（{}）应为{}，实际为 {} / attribute {} expects {}", context, key, d.label_zh,
                                      expected, shown(v), key, type));
    };
    auto in_domain = [&](double x) -> nlohmann::json {
        if (d.domain.contains(x)) return x;
        throw InputError(fmt::format("{}：属性“{}”（{}）的值 {} 超出范围，应为 {} / attribute {} must be {}", context, key,
                                     d.label_zh, shown(v), d.domain.text(), key, d.domain.text()));
    };
    // Text is written out as JSON (reports, saved reviews), which must be UTF-8: a GBK sidecar or a raw
    // byte in a query parameter was accepted, then broke the report (json type_error 316, exit 10).
    auto utf8 = [&](const nlohmann::json& text) {
        if (!formats::is_valid_utf8(text.get_ref<const std::string&>()))
            throw InputError(fmt::format("{}：属性“{}”（{}）的文字不是有效的 UTF-8 编码：{}；请以 UTF-8 保存 / attribute {} is not valid UTF-8",
                                         context, key, d.label_zh, shown(text), key));
    };
    if (v.is_null()) return v;
    if (type == "string") {
        if (!v.is_string()) throw bad("文字");
        utf8(v);
        return v;
    }
    if (type == "number") {
        if (v.is_number() && std::isfinite(v.get<double>())) return in_domain(v.get<double>());
        if (v.is_string()) {
            const std::string s = v.get<std::string>();
            double d2 = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d2);
            if (ec == std::errc() && p == s.data() + s.size() && std::isfinite(d2)) return in_domain(d2);
        }
        throw bad("数字");
    }
    if (type == "boolean") {
        if (v.is_boolean()) return v;
        if (v.is_string()) {
            const std::string s = v.get<std::string>();
            if (s == "true" || s == "是" || s == "有" || s == "yes") return true;
            if (s == "false" || s == "否" || s == "无" || s == "no") return false;
        }
        throw bad("true/false（是/否）");
    }
    // list
    if (v.is_string()) {
        utf8(v);
        return nlohmann::json::array({v});
    }
    if (!v.is_array()) throw bad("文字列表");
    for (const auto& e : v) {
        if (!e.is_string()) throw bad("文字列表");
        utf8(e);
    }
    return v;
}


}  // namespace

Attributes Attributes::from_json(const nlohmann::json& j, const std::string& context) {
    if (!j.is_object()) throw InputError(context + "：属性文件应为 JSON 对象 / attributes must be a JSON object");
    Attributes a;
    for (const auto& [k, v] : j.items()) a.values_[k] = checked(k, v, context);
    return a;
}

Attributes Attributes::from_json_text(const std::string& text, const std::string& context) {
    return from_json(parse_bounded(text, context), context);
}

Attributes Attributes::from_toml_text(const std::string& text, const std::string& context) {
    if (!formats::is_valid_utf8(text))
        throw InputError(context + "：属性文件不是 UTF-8 编码（可能是 GBK）；请以 UTF-8 保存 / the attributes file is not UTF-8");
    nlohmann::json j = nlohmann::json::object();
    std::size_t start = 0;
    for (int line_no = 1; start <= text.size(); ++line_no) {
        auto end = text.find('\n', start);
        std::string line = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? text.size() + 1 : end + 1;
        const std::string where = fmt::format("{} 第{}行", context, line_no);
        if (line.empty() || line[0] == '#') continue;
        if (line.front() == '[') {
            if (line == "[application]" || line == "[申请]") continue;
            throw InputError(where + "：只支持 [application] 表 / only the [application] table is supported");
        }
        auto eq = line.find('=');
        if (eq == std::string::npos) throw InputError(where + "：应为 键 = 值 / expected key = value");
        std::string key = trim(line.substr(0, eq)), raw = trim(line.substr(eq + 1));
        if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
        // Strip a trailing comment outside quotes.
        bool quoted = false;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '"') quoted = !quoted;
            if (raw[i] == '#' && !quoted) {
                raw = trim(raw.substr(0, i));
                break;
            }
        }
        nlohmann::json value;
        if (raw == "true" || raw == "false") value = raw == "true";
        else if (!raw.empty() && (raw.front() == '"' || raw.front() == '['))
            value = parse_bounded(raw, where);  // TOML basic strings and string arrays are JSON-compatible
        else value = raw;                       // numbers: parsed by type below
        j[key] = checked(key, value, where);
    }
    Attributes a;
    a.values_ = std::move(j);
    return a;
}

void Attributes::set_from_text(const std::string& key, const std::string& value) {
    const AttributeDef& d = def_of(key, "命令行 --attr");
    nlohmann::json v = value;
    if (std::string(d.type) == "list") {
        std::string ascii;  // the full-width separators (three UTF-8 bytes each) become ','
        for (std::size_t i = 0; i < value.size();) {
            const bool wide = value.compare(i, 3, "，") == 0 || value.compare(i, 3, "；") == 0;
            ascii += wide ? ',' : value[i];
            i += wide ? 3 : 1;
        }
        v = nlohmann::json::array();
        std::size_t s = 0;
        while (s <= ascii.size()) {
            auto e = ascii.find_first_of(",;", s);
            std::string part = trim(ascii.substr(s, e == std::string::npos ? std::string::npos : e - s));
            if (!part.empty()) v.push_back(part);
            if (e == std::string::npos) break;
            s = e + 1;
        }
    }
    values_[key] = checked(key, v, "命令行 --attr " + key);
}

void Attributes::merge(const Attributes& other) {
    for (const auto& [k, v] : other.values_.items()) values_[k] = v;
}

bool Attributes::has(const std::string& key) const { return values_.contains(key) && !values_[key].is_null(); }

std::optional<std::string> Attributes::text(const std::string& key) const {
    if (!has(key) || !values_[key].is_string()) return std::nullopt;
    std::string s = trim(values_[key].get<std::string>());
    if (s.empty()) return std::nullopt;
    return s;
}

std::optional<double> Attributes::number(const std::string& key) const {
    if (!has(key) || !values_[key].is_number()) return std::nullopt;
    return values_[key].get<double>();
}

std::optional<bool> Attributes::flag(const std::string& key) const {
    if (!has(key) || !values_[key].is_boolean()) return std::nullopt;
    return values_[key].get<bool>();
}

std::vector<std::string> Attributes::list(const std::string& key) const {
    std::vector<std::string> r;
    if (has(key) && values_[key].is_array())
        for (const auto& e : values_[key]) r.push_back(e.get<std::string>());
    return r;
}

}  // namespace minplan::rules
