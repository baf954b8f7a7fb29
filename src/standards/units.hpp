// Units of the plan tables and reference tables (glossary.md "Units used in the tables") and the only
// conversions minplan performs: within one dimension (mass, volume, area). Mass ↔ volume needs a density and 金属量 ↔ 矿石量
// needs a grade; the plan defines neither, so those conversions are refused with a clear message.
#pragma once

#include <optional>
#include <string>

namespace minplan::standards {

enum class Dimension { Mass, Volume, Area };

struct UnitDef {
    std::string name;  // as written, without "/年"
    Dimension dimension;
    double factor;  // to the base unit: 吨, 立方米, 平方公里
};

std::string dimension_zh(Dimension d);
// "万吨", "万吨/年", "万立方米" …; nullopt if the unit is not one minplan knows.
std::optional<UnitDef> find_unit(const std::string& name);
std::string strip_per_year(const std::string& unit);

// Converts `value` given in `from` (basis `from_basis`) to `to` (basis `to_basis`). An empty basis means
// "the mineral's usual basis" and matches any. Throws InputError naming `what` if the units are unknown,
// of different dimensions, or the bases differ.
double convert(double value, const std::string& from, const std::string& from_basis, const std::string& to,
               const std::string& to_basis, const std::string& what);

// A unit as the review compares it: without spaces and "/年", "／年" or "每年"; 万m3 and 万m³ read 万立方米.
// Two units with the same normalised spelling need no conversion (万吨/年 == 万吨).
std::string normalise_unit(const std::string& unit);

}  // namespace minplan::standards
