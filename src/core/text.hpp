// Small text helpers shared by the readers: one definition of "blank" and of a ';'-separated list
// (data-format.md: several counties or minerals in one cell are separated with ';').
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minplan {

std::string trim(std::string_view s);  // without leading and trailing spaces, tabs, CR, LF
std::vector<std::string> split_list(std::string_view s, char separator = ';');  // trimmed, empties dropped

}  // namespace minplan
