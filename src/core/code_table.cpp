#include "core/code_table.hpp"

#include <map>

#include "core/error.hpp"
#include "core/text.hpp"

namespace minplan {

CodeTable::CodeTable(std::string id, std::string name_zh, std::vector<CodeEntry> entries)
    : id_(std::move(id)), name_zh_(std::move(name_zh)), entries_(std::move(entries)) {
    // Every spelling must lead to one code, or the stored code would depend on the row order.
    std::map<std::string, std::string> owner;
    for (const auto& e : entries_) {
        if (e.code.empty()) throw InputError("代码表 " + id_ + " 有一行没有代码 / code table row without a code");
        std::vector<std::string> spellings = {e.code, e.label_zh};
        spellings.insert(spellings.end(), e.aliases.begin(), e.aliases.end());
        for (const auto& s : spellings) {
            if (s.empty()) continue;
            auto [it, added] = owner.emplace(s, e.code);
            if (!added && it->second != e.code)
                throw InputError("代码表 " + id_ + " 中 \"" + s + "\" 同时对应代码 " + it->second + " 和 " + e.code +
                                 " / ambiguous code table");
        }
    }
}

CodeTable CodeTable::from_rows(std::string id, std::string name_zh, const std::vector<Feature>& rows) {
    std::vector<CodeEntry> entries;
    for (const auto& row : rows)
        entries.push_back({trim(row.text("code")), trim(row.text("label_zh")), split_list(row.text("aliases"))});
    return CodeTable(std::move(id), std::move(name_zh), std::move(entries));
}

const std::string* CodeTable::resolve(const std::string& value) const {
    const std::string v = trim(value);
    for (const auto& e : entries_)
        if (e.code == v) return &e.code;
    for (const auto& e : entries_) {
        if (e.label_zh == v) return &e.code;
        for (const auto& a : e.aliases)
            if (a == v) return &e.code;
    }
    return nullptr;
}

std::string CodeTable::listing() const {
    std::string out;
    for (const auto& e : entries_) out += (out.empty() ? "" : "、") + e.code + "（" + e.label_zh + "）";
    return out;
}

}  // namespace minplan
