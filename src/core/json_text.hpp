// Compact JSON text of a nlohmann::json value, about three times as fast as nlohmann's dump(): the server's
// answers are large (a check near farmland: 100 KB, 183 evidence rows), and dump(), which decodes every
// string character by character, was 10–17 % of a server check (docs/performance.md, session 11).
// The same document as dump(-1, ' ', false, error_handler_t::replace): keys in the object's order, strings
// escaped as JSON requires, invalid UTF-8 replaced by U+FFFD, NaN and infinities as null, integral doubles
// with ".0"; doubles in the shortest form that reads back to the same value (fmt), which may spell a number
// differently from dump() (the value is the same).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace minplan {

std::string json_text(const nlohmann::json& value);
void append_json_text(std::string& out, const nlohmann::json& value);
// The pieces, for a writer that emits a document without building its tree (rules/report_json.cpp): a string
// and a double exactly as append_json_text writes them.
void append_json_string(std::string& out, std::string_view s);
void append_json_double(std::string& out, double d);

}  // namespace minplan
