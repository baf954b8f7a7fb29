// Mine size classes (大型 / 中型 / 小型) and minimum mining scales of data/standards/mine_size_classes.csv:
// defaults from 国土资发〔2004〕208号, every row with its source. The conformance review (R20 最低开采规模)
// and the monitoring (大中型矿山比例, 三率 conditions) classify with this one table and classify().
// A mineral missing from the table or a row whose boundaries were not retrieved is "not configured":
// the answer is 需人工核查, never a class.
//
// Columns: mineral,mining_method,unit,large_min,medium_min,minimum_scale,status,note,source[,aliases].
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standards/mineral_names.hpp"

namespace minplan::standards {

struct SizeClassRow {
    std::string mineral;               // canonical
    std::vector<std::string> aliases;  // other canonical names the row applies to
    std::string mining_method;         // 井工 / 露天 / empty = any
    std::string unit;                  // e.g. 万吨/年
    std::optional<double> large_min, medium_min, minimum_scale;
    bool configured = false;           // status = configured
    std::string note;                  // e.g. where the minimum applies
    std::string source;

    bool has_boundaries() const { return configured && large_min && medium_min; }
    // 大型 from large_min, 中型 from medium_min (both inclusive), else 小型; `capacity` in `unit`.
    std::string size_class(double capacity) const;
};

enum class SizeOutcome {
    Classified,
    NotInTable,          // no row for the mineral
    MethodNeeded,        // rows differ by mining method and none was given
    NoRowForMethod,      // no row for the mineral and this mining method
    NotConfigured,       // the row's boundaries were not retrieved
    UnitNotConvertible,  // the capacity's unit cannot be converted to the row's
};

struct SizeDecision {
    std::string size_class;  // 大型 / 中型 / 小型; empty = could not be decided (需人工核查)
    std::string rule;        // the deciding boundaries with their source, or why a person must decide
    SizeOutcome outcome = SizeOutcome::NotInTable;
    const SizeClassRow* row = nullptr;  // the row that applies, once one was found
};

// 井工 for 地下 / 井下 / 地下开采, 露天 for 露天开采; other spellings as given.
std::string mining_method_key(std::string_view method);

class SizeClassTable {
public:
    // Mineral names and aliases in the table are resolved through `names` (a name the table does not
    // list stays as written).
    static SizeClassTable load(const std::filesystem::path& csv, const MineralNames& names);
    static SizeClassTable from_table(const CsvTable& table, const MineralNames& names);

    // Rows for a canonical mineral, by name or alias, in file order.
    std::vector<const SizeClassRow*> rows_for(const std::string& canonical) const;
    // The size class of a mine of `mineral` (canonical) mined by `method` (any spelling of
    // mining_method_key; empty = not known) producing `capacity` `capacity_unit`. The row of the method
    // wins over a row for any method; a capacity in another unit is converted (standards/units.hpp).
    SizeDecision classify(const std::string& mineral, const std::string& method, double capacity,
                          const std::string& capacity_unit) const;

    const std::vector<SizeClassRow>& rows() const { return rows_; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::vector<SizeClassRow> rows_;
    std::filesystem::path path_;
};

}  // namespace minplan::standards
