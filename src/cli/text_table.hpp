// Internal: plain-text tables for the terminal, aligned for CJK (wide) characters.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace minplan {
struct TableView;
}

namespace minplan::cli {

std::size_t display_width(const std::string& utf8);

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void add_separator() { rows_.push_back({}); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;  // empty row = separator
};

// A service's table (core/table_view.hpp) on the terminal: title, the aligned rows, then its notes.
void print_table_view(std::ostream& out, const TableView& table);

}  // namespace minplan::cli
