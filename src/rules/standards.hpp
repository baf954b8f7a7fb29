// Reference tables the attribute rules use: mineral names (data/schema/minerals.csv, with the seed's
// synonyms) and the mine size classes and minimum scales (data/standards/mine_size_classes.csv, defaults
// from 国土资发〔2004〕208号, each row with its source). A mineral missing from the size table is "not
// configured": the rule asks a person, it never passes silently.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace minplan::rules {

// RFC 4180 CSV (UTF-8, first line = header) as rows of header -> cell.
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& file);

class MineralNames {
public:
    static MineralNames load(const std::filesystem::path& minerals_csv);
    // Canonical name for a name or synonym (煤 -> 煤炭, 石灰岩矿 -> 石灰岩); the trimmed input if unknown.
    std::string canonical(const std::string& name) const;
    bool known(const std::string& name) const;
    std::optional<int> mineral_class(const std::string& name) const;  // class_123 column when given

private:
    std::map<std::string, std::string> to_canonical_;
    std::map<std::string, int> class_;
};

struct SizeClassRow {
    std::string mineral;               // canonical
    std::vector<std::string> aliases;  // other canonical names the row applies to
    std::string mining_method;         // 井工 / 露天 / empty = any
    std::string unit;                  // e.g. 万吨/年
    std::optional<double> large_min, medium_min, minimum_scale;
    bool configured = false;           // status = configured
    std::string note;                  // e.g. where the minimum applies
    std::string source;
};

class SizeClassTable {
public:
    static SizeClassTable load(const std::filesystem::path& csv, const MineralNames& names);
    static std::filesystem::path default_path();  // data/standards/mine_size_classes.csv
    // Rows for a canonical mineral (by name or alias). Columns of the CSV (shared with src/monitor):
    // mineral,mining_method,unit,large_min,medium_min,minimum_scale,status,note,source[,aliases].
    std::vector<const SizeClassRow*> rows_for(const std::string& canonical) const;
    const std::filesystem::path& path() const { return path_; }

private:
    std::vector<SizeClassRow> rows_;
    std::filesystem::path path_;
};

// Units compared after dropping "/年" and spaces: 万吨/年 == 万吨.
std::string normalise_unit(const std::string& unit);

}  // namespace minplan::rules
