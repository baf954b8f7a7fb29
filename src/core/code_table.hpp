// Code tables of a plan database (code_control_types, code_kinds …): the codes a coded field may hold,
// each with its Chinese label and aliases. Imports accept a code, a label or an alias and store the code,
// so that the rules, which compare codes (rules.json: "values": ["ecological_red_line"]), see every feature.
#pragma once

#include <string>
#include <vector>

#include "core/value.hpp"

namespace minplan {

struct CodeEntry {
    std::string code;
    std::string label_zh;
    std::vector<std::string> aliases;
};

class CodeTable {
public:
    CodeTable(std::string id, std::string name_zh, std::vector<CodeEntry> entries);
    // Rows of a code table as stored (fields code, label_zh, aliases ';'-separated). InputError when a row
    // has no code or two rows claim the same code, label or alias: the table itself would be ambiguous.
    static CodeTable from_rows(std::string id, std::string name_zh, const std::vector<Feature>& rows);

    const std::string& id() const { return id_; }
    const std::string& name_zh() const { return name_zh_; }
    const std::vector<CodeEntry>& entries() const { return entries_; }

    // The code a value stands for (the value trimmed, matched exactly against codes, labels and aliases);
    // nullptr when it is none of them.
    const std::string* resolve(const std::string& value) const;
    // "ecological_red_line（生态保护红线）、permanent_basic_farmland（永久基本农田）…" for error messages.
    std::string listing() const;

private:
    std::string id_, name_zh_;
    std::vector<CodeEntry> entries_;
};

}  // namespace minplan
