#include "rules/standards.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "formats/sheet_reader.hpp"

namespace minplan::rules {
namespace {

std::optional<double> number(const std::string& s, const std::string& where) {
    std::string t = trim(s);
    if (t.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size())
        throw InputError(fmt::format("{}：“{}”不是数字 / not a number", where, t));
    return v;
}

}  // namespace

// Reference tables are read through GDAL's CSV tokenizer (formats::read_csv_sheet), keyed by header.
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& file) {
    formats::TextSheet sheet = formats::read_csv_sheet(file);
    if (sheet.rows.empty()) throw InputError(file.string() + "：文件为空 / empty CSV");
    const auto& header = sheet.rows.front().cells;
    std::vector<std::map<std::string, std::string>> rows;
    for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& cells = sheet.rows[r].cells;
        if (cells.size() == 1 && trim(cells[0]).empty()) continue;
        if (cells.size() != header.size())
            throw InputError(fmt::format("{} 第{}行：{}列，表头为{}列 / column count differs from the header", file.string(),
                                         sheet.rows[r].number, cells.size(), header.size()));
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size(); ++i) row[trim(header[i])] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

MineralNames MineralNames::load(const std::filesystem::path& minerals_csv) {
    MineralNames m;
    for (const auto& row : read_csv(minerals_csv)) {
        const std::string name = trim(row.at("name_zh"));
        m.to_canonical_[name] = name;
        for (const auto& syn : split_list(row.count("synonyms") ? row.at("synonyms") : ""))
            m.to_canonical_.emplace(syn, name);
        if (row.count("class_123") && !trim(row.at("class_123")).empty())
            m.class_[name] = static_cast<int>(*number(row.at("class_123"), minerals_csv.string()));
    }
    return m;
}

std::string MineralNames::canonical(const std::string& raw) const {
    const std::string name = trim(raw);
    if (auto it = to_canonical_.find(name); it != to_canonical_.end()) return it->second;
    static const std::string kMine = "矿";
    if (name.size() > kMine.size() && name.ends_with(kMine)) {
        if (auto it = to_canonical_.find(name.substr(0, name.size() - kMine.size())); it != to_canonical_.end())
            return it->second;
    }
    return name;
}

bool MineralNames::known(const std::string& name) const { return to_canonical_.count(canonical(name)) > 0; }

std::optional<int> MineralNames::mineral_class(const std::string& name) const {
    auto it = class_.find(canonical(name));
    if (it == class_.end()) return std::nullopt;
    return it->second;
}

std::filesystem::path SizeClassTable::default_path() { return source_dir() / "data" / "standards" / "mine_size_classes.csv"; }

SizeClassTable SizeClassTable::load(const std::filesystem::path& csv, const MineralNames& names) {
    SizeClassTable t;
    t.path_ = csv;
    int line = 1;
    for (const auto& row : read_csv(csv)) {
        ++line;
        const std::string where = fmt::format("{} 第{}行", csv.string(), line);
        auto get = [&](const char* k) { return row.count(k) ? trim(row.at(k)) : std::string(); };
        SizeClassRow r;
        r.mineral = names.canonical(get("mineral"));
        for (const auto& a : split_list(get("aliases"))) r.aliases.push_back(names.canonical(a));
        r.mining_method = get("mining_method");
        r.unit = get("unit");
        r.large_min = number(get("large_min"), where);
        r.medium_min = number(get("medium_min"), where);
        r.minimum_scale = number(get("minimum_scale"), where);
        r.configured = get("status") == "configured";
        r.note = get("note");
        r.source = get("source");
        if (r.mineral.empty() || (r.configured && r.unit.empty()))
            throw InputError(where + "：mineral 不能为空，已配置的行须有 unit / mineral and unit are required");
        t.rows_.push_back(std::move(r));
    }
    return t;
}

std::vector<const SizeClassRow*> SizeClassTable::rows_for(const std::string& canonical) const {
    std::vector<const SizeClassRow*> out;
    for (const auto& r : rows_) {
        bool match = r.mineral == canonical;
        for (const auto& a : r.aliases) match = match || a == canonical;
        if (match) out.push_back(&r);
    }
    return out;
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

}  // namespace minplan::rules
