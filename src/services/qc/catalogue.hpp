// The catalogue of quality checks (质检项) of a plan database, as data: each check has an id, a category, a
// default severity (错误 / 警告 / 提示), a Chinese description and the clause or rule it enforces. A plan's
// qc.json (docs/qc.md) may switch checks off, change their severity and set their thresholds; the list of
// known checks is this table, never a second list kept by hand.
#pragma once

#include <string>
#include <vector>

namespace minplan::services::qc {

enum class Severity { Error, Warning, Hint };

// "错误" / "警告" / "提示".
const char* severity_zh(Severity s);
const char* severity_key(Severity s);  // "error" / "warning" / "hint"
// Accepts the Chinese word or the key; InputError naming `context` otherwise.
Severity parse_severity(const std::string& text, const std::string& context);

enum class Category { Structure, Attribute, Geometry, Topology, Consistency };
const char* category_zh(Category c);

struct CheckDef {
    const char* id;
    Category category;
    Severity severity;        // default; qc.json "severity" may change it
    const char* description;  // Chinese
    const char* clause;       // the rule or standard clause it enforces
    bool geometric;           // decided by geometry: on schematic geometry only a 提示
};

const std::vector<CheckDef>& catalogue();
// nullptr when `id` is no check of the catalogue.
const CheckDef* find_check(const std::string& id);

}  // namespace minplan::services::qc
