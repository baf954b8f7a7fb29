#include "standards/reference_csv.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "formats/sheet_reader.hpp"

namespace minplan::standards {

std::string CsvRecord::text(const std::string& column) const {
    auto it = cells.find(column);
    return it == cells.end() ? std::string() : trim(it->second);
}

std::optional<double> CsvRecord::number(const std::string& column) const {
    const std::string t = text(column);
    if (t.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size())
        throw InputError(fmt::format("{}：{}“{}”不是数字 / not a number", where, column, t));
    return v;
}

void CsvTable::require(std::initializer_list<const char*> columns) const {
    for (const char* c : columns)
        if (std::find(header.begin(), header.end(), c) == header.end())
            throw InputError(fmt::format("{}：缺少列“{}” / missing column", file.string(), c));
}

namespace {

CsvTable to_table(const formats::TextSheet& sheet, const std::filesystem::path& file) {
    if (sheet.rows.empty()) throw InputError(file.string() + "：文件为空 / empty CSV");
    CsvTable t;
    t.file = file;
    for (const auto& h : sheet.rows.front().cells) t.header.push_back(trim(h));
    for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& row = sheet.rows[r];
        if (row.cells.size() == 1 && trim(row.cells[0]).empty()) continue;
        CsvRecord rec;
        rec.where = fmt::format("{} 第{}行", file.string(), row.number);
        if (row.cells.size() != t.header.size())
            throw InputError(fmt::format("{}：{}列，表头为{}列 / column count differs from the header", rec.where,
                                         row.cells.size(), t.header.size()));
        for (std::size_t i = 0; i < t.header.size(); ++i) rec.cells[t.header[i]] = row.cells[i];
        t.records.push_back(std::move(rec));
    }
    return t;
}

}  // namespace

CsvTable read_csv(const std::filesystem::path& file) { return to_table(formats::read_csv_sheet(file), file); }

CsvTable parse_csv(const std::string& content, const std::filesystem::path& file) {
    return to_table(formats::parse_csv_sheet(content, file), file);
}

namespace detail {
std::string plain_number(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}
}  // namespace detail

}  // namespace minplan::standards
