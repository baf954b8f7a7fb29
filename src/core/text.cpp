#include "core/text.hpp"

#include <algorithm>

namespace minplan {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(std::string_view s, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(separator, start);
        std::string part = trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (!part.empty()) out.push_back(std::move(part));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

void append_csv_cell(std::string& out, std::string_view cell) {
    const auto needs_quotes = [](char c) { return c == ',' || c == '"' || c == '\n' || c == '\r'; };
    if (std::none_of(cell.begin(), cell.end(), needs_quotes)) {
        out += cell;
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace minplan
