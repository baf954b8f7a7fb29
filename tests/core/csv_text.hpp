// Test support: an RFC 4180 reader written independently of the code under test (which reads CSV
// through GDAL), so that checks on the source files do not trust the builder's own reading.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace minplan::testing {

struct CsvText {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;  // by header name, cells as printed
};

inline CsvText read_csv_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    const std::string text = s.str();

    std::vector<std::vector<std::string>> records(1);
    std::string cell;
    bool quoted = false, row_has_content = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"') {
            quoted = true;
            row_has_content = true;
        } else if (c == ',') {
            records.back().push_back(cell), cell.clear();
            row_has_content = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (row_has_content || !cell.empty()) records.back().push_back(cell);
            cell.clear();
            row_has_content = false;
            records.emplace_back();
        } else {
            cell += c;
            row_has_content = true;
        }
    }
    if (row_has_content || !cell.empty()) records.back().push_back(cell);
    while (!records.empty() && records.back().empty()) records.pop_back();

    CsvText out;
    if (records.empty()) return out;
    out.header = records[0];
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != out.header.size())
            throw std::runtime_error(file.string() + ": record " + std::to_string(r + 1) + " has " +
                                     std::to_string(records[r].size()) + " cells, header has " +
                                     std::to_string(out.header.size()));
        std::map<std::string, std::string> row;
        for (std::size_t k = 0; k < out.header.size(); ++k) row[out.header[k]] = records[r][k];
        out.rows.push_back(std::move(row));
    }
    return out;
}

}  // namespace minplan::testing
