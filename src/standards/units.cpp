#include "standards/units.hpp"

#include <array>

#include "core/error.hpp"

namespace minplan::standards {

namespace {

// Glossary: 万吨 = 10⁴ t; 亿吨 = 10⁸ t; 千吨 = 10³ t; 万立方米 = 10⁴ m³; 千克 = kg; 公顷 = 0.01 km².
const std::array<UnitDef, 14> kUnits = {{
    {"吨", Dimension::Mass, 1.0},
    {"千克", Dimension::Mass, 1e-3},
    {"克", Dimension::Mass, 1e-6},
    {"千吨", Dimension::Mass, 1e3},
    {"万吨", Dimension::Mass, 1e4},
    {"亿吨", Dimension::Mass, 1e8},
    {"立方米", Dimension::Volume, 1.0},
    {"万立方米", Dimension::Volume, 1e4},
    {"亿立方米", Dimension::Volume, 1e8},
    {"平方公里", Dimension::Area, 1.0},
    {"平方千米", Dimension::Area, 1.0},
    {"公顷", Dimension::Area, 0.01},
    {"平方米", Dimension::Area, 1e-6},
    {"亩", Dimension::Area, 1.0 / 1500.0},  // 1 亩 = 10000/15 m²
}};

}  // namespace

std::string dimension_zh(Dimension d) {
    switch (d) {
        case Dimension::Mass: return "质量（吨）";
        case Dimension::Volume: return "体积（立方米）";
        case Dimension::Area: return "面积";
    }
    return "";
}

std::string strip_per_year(const std::string& unit) {
    const std::string suffix = "/年";
    if (unit.size() > suffix.size() && unit.compare(unit.size() - suffix.size(), suffix.size(), suffix) == 0)
        return unit.substr(0, unit.size() - suffix.size());
    return unit;
}

std::optional<UnitDef> find_unit(const std::string& name) {
    std::string n = strip_per_year(name);
    if (n == "t") n = "吨";
    if (n == "km2" || n == "km²") n = "平方公里";
    if (n == "ha" || n == "hm2" || n == "hm²") n = "公顷";
    for (const auto& u : kUnits)
        if (u.name == n) return u;
    return std::nullopt;
}

double convert(double value, const std::string& from, const std::string& from_basis, const std::string& to,
               const std::string& to_basis, const std::string& what) {
    auto f = find_unit(from);
    auto t = find_unit(to);
    if (!f) throw InputError(what + "：单位 \"" + from + "\" 无法识别（可用：吨、千吨、万吨、亿吨、千克、立方米、万立方米、公顷、平方公里）/ unknown unit");
    if (!t) throw InputError(what + "：目标单位 \"" + to + "\" 无法识别 / unknown unit");
    if (f->dimension != t->dimension)
        throw InputError(what + "：" + from + "（" + dimension_zh(f->dimension) + "）与 " + to + "（" +
                         dimension_zh(t->dimension) + "）之间没有定义换算（规划未给出体重/密度），不换算 / conversion not defined");
    if (!from_basis.empty() && !to_basis.empty() && from_basis != to_basis)
        throw InputError(what + "：计量基础为" + from_basis + "，指标按" + to_basis +
                         "计；规划未给出品位，不在两者之间换算 / basis conversion not defined");
    return value * f->factor / t->factor;
}

std::string normalise_unit(const std::string& unit) {
    std::string u;
    for (char c : unit)
        if (c != ' ') u += c;
    for (const char* suffix : {"/年", "／年", "每年"})
        if (u.ends_with(suffix)) u.resize(u.size() - std::string(suffix).size());
    if (u == "万立方米" || u == "万m3" || u == "万m³") return "万立方米";
    return u;
}

}  // namespace minplan::standards
