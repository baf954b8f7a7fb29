#include "standards/mineral_names.hpp"

#include "core/text.hpp"
#include "standards/reference_csv.hpp"

namespace minplan::standards {

MineralNames MineralNames::load(const std::filesystem::path& minerals_csv) { return from_table(read_csv(minerals_csv)); }

MineralNames MineralNames::from_table(const CsvTable& t) {
    MineralNames m;
    t.require({"name_zh", "synonyms"});
    for (const auto& r : t.records) {
        const std::string name = r.text("name_zh");
        if (name.empty()) continue;
        m.to_canonical_[name] = name;
        for (auto& syn : split_list(r.text("synonyms"))) m.to_canonical_.emplace(std::move(syn), name);
        if (auto c = r.number("class_123")) m.class_[name] = static_cast<int>(*c);
    }
    return m;
}

std::optional<std::string> MineralNames::canonical(std::string_view name) const {
    auto it = to_canonical_.find(trim(name));
    if (it == to_canonical_.end()) return std::nullopt;
    return it->second;
}

std::optional<int> MineralNames::mineral_class(std::string_view name) const {
    auto c = canonical(name);
    if (!c) return std::nullopt;
    auto it = class_.find(*c);
    if (it == class_.end()) return std::nullopt;
    return it->second;
}

std::set<std::string> MineralNames::names_in(std::string_view field) const {
    // One separator for all: 、，；; become ','.
    std::string text;
    for (std::size_t i = 0; i < field.size();) {
        bool wide = false;
        for (std::string_view sep : {"、", "，", "；"})
            if (field.substr(i, sep.size()) == sep) {
                text += ',';
                i += sep.size();
                wide = true;
                break;
            }
        if (!wide) text += field[i] == ';' ? ',' : field[i], ++i;
    }
    std::set<std::string> out;
    for (auto& name : split_list(text, ',')) out.insert(canonical(name).value_or(name));
    return out;
}

}  // namespace minplan::standards
