// Internal: plain-text tables for the terminal, aligned for CJK (wide) characters.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

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

}  // namespace minplan::cli
