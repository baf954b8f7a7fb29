// How the fields of a bureau's own files reach the fields of a plan layer (`minplan import --map/--map-file
// /--set`): explicit source→target pairs, constants for every feature, and the parsing of both.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/schema.hpp"

namespace minplan::store {

// "SRC=DST" of --map, "field=value" of --set: split at the first '='. InputError naming the option when
// either side is empty.
std::pair<std::string, std::string> parse_assignment(const std::string& text, const std::string& option);

// A mapping file: CSV with two columns source,target (a header row "source,target" is optional), or a JSON
// object {"source": "target", …}. Chosen by extension (.csv / .json). Errors name the file and line.
std::vector<std::pair<std::string, std::string>> read_map_file(const std::filesystem::path& file);

// The target field named by an internal name, database code or Chinese alias; NotFoundError listing the
// layer's fields otherwise. `option` names where the name came from ("--map XMMC=名称").
const FieldDef& target_field(const TableSchema& target, const std::string& name, const std::string& option);

// The field a source column matches without a mapping: internal name, code or Chinese alias, or a code
// Shapefile truncated to 10 bytes. nullptr when none.
const FieldDef* match_source_field(const TableSchema& target, const std::string& source_name);

}  // namespace minplan::store
