// Small text helpers shared by readers and writers: one definition of "blank", of a ;-separated list
// (data-format.md: several counties or minerals in one cell are separated with ;) and of a CSV cell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minplan {

std::string trim(std::string_view s);  // without leading and trailing spaces, tabs, CR, LF
std::vector<std::string> split_list(std::string_view s, char separator = ';');  // trimmed, empties dropped
// Appends one CSV cell to `out`, quoted when it holds a comma, quote or line break (RFC 4180). In place and
// with a plain scan: the batch audit writes millions of cells (a copy per cell and find_first_of with a set
// were 2.4 % of the goal-size audit's CPU).
void append_csv_cell(std::string& out, std::string_view cell);

}  // namespace minplan
