// Internal to the plan-database backends (gpkg_*.cpp, pg_*.cpp): what every store shares about change sets
// and the history (history.hpp for the values). Defined in history.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/history.hpp"

namespace minplan::store {

// What every backend shares about change sets (gpkg_database.cpp, pg_database.cpp store them in their own
// tables; the rules and the stored form of items are the same):
// an item's attributes as JSON text and its WKB as hex, as both stores keep them, and back.
std::string item_attributes_json(const Feature& f);
std::string wkb_hex(const std::vector<unsigned char>& wkb);  // GDAL's CPLBinaryToHex (upper case)
std::vector<unsigned char> wkb_from_hex(const std::string& hex);  // either case
Feature item_feature(const std::string& attributes_json, const std::string& wkb_hex);
// InputError unless the set may still be edited (a draft or a returned set: an approved one never is).
void require_editable(const ChangeSet& found);
// InputError unless the set is in state `expected` (submit: draft/returned → submitted; return: submitted).
void require_state(const ChangeSet& found, const std::string& expected);
// InputError unless the set may be approved now (it is submitted).
void require_approvable(std::int64_t id, const std::string& state);
// The change set a plan write makes of itself when the caller named none: an approved layer import by
// `actor`, effective `effective` (today when empty).
ChangeSet import_change_set(const std::string& actor, const std::string& effective);

}  // namespace minplan::store
