// The mineral names of data/schema/minerals.csv: name_zh is the canonical name, `synonyms` (';'-separated)
// the other spellings of the plan and the registers (煤 -> 煤炭, 铁矿石 -> 铁), class_123 the mineral class
// where the plan gives one. The conformance review and the monitoring resolve names through this one table.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace minplan::standards {

struct CsvTable;

class MineralNames {
public:
    static MineralNames load(const std::filesystem::path& minerals_csv);
    static MineralNames from_table(const CsvTable& minerals);
    // The canonical name of a name or synonym (trimmed); nullopt if the table does not list it. Callers
    // decide what an unknown name means: the intake rejects it, the review compares it as written.
    std::optional<std::string> canonical(std::string_view name) const;
    bool known(std::string_view name) const { return canonical(name).has_value(); }
    std::optional<int> mineral_class(std::string_view name) const;  // class_123 when given
    // The minerals a field names (煤炭、铝土矿; separators 、，,;；), each canonical where the table knows it.
    std::set<std::string> names_in(std::string_view field) const;

private:
    std::map<std::string, std::string> to_canonical_;
    std::map<std::string, int> class_;
};

}  // namespace minplan::standards
