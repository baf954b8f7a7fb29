#include "cli/text_table.hpp"

#include "core/table_view.hpp"

#include <algorithm>
#include <ostream>

namespace minplan::cli {

std::size_t display_width(const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        w += len >= 3 ? 2 : 1;  // CJK and other 3/4-byte characters take two columns
        i += len;
    }
    return w;
}

void TextTable::print(std::ostream& out) const {
    std::vector<std::size_t> widths(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    };
    measure(header_);
    for (const auto& r : rows_) measure(r);
    auto line = [&] {
        for (std::size_t i = 0; i < widths.size(); ++i) out << (i ? "-+-" : "") << std::string(widths[i], '-');
        out << "\n";
    };
    auto emit = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < widths.size(); ++i) {
            std::string cell = i < row.size() ? row[i] : "";
            out << (i ? " | " : "") << cell << std::string(widths[i] - display_width(cell), ' ');
        }
        out << "\n";
    };
    emit(header_);
    line();
    for (const auto& r : rows_) {
        if (r.empty()) line();
        else emit(r);
    }
}

void print_table_view(std::ostream& out, const TableView& table) {
    out << table.title << "\n";
    TextTable t(table.headers);
    for (const auto& row : table.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(c.text);
        t.add(std::move(cells));
    }
    t.print(out);
    for (const auto& n : table.notes) out << n << "\n";
}

}  // namespace minplan::cli
