// The reference tables of data/schema and data/standards as records keyed by header, read through
// formats::read_csv_sheet (GDAL's CSV tokenizer). Every record keeps the line it starts on, so that a bad
// cell is reported with file and line. Throws InputError for an empty file, a record whose width differs
// from the header, a missing required column or a cell that should be a number.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace minplan::standards {

struct CsvRecord {
    std::string where;                         // "file 第N行"
    std::map<std::string, std::string> cells;  // header (trimmed) -> cell as written

    const std::string& at(const std::string& column) const { return cells.at(column); }
    std::string text(const std::string& column) const;  // trimmed; "" if the table has no such column
    std::optional<double> number(const std::string& column) const;  // nullopt when blank
};

struct CsvTable {
    std::filesystem::path file;
    std::vector<std::string> header;
    std::vector<CsvRecord> records;

    void require(std::initializer_list<const char*> columns) const;
};

CsvTable read_csv(const std::filesystem::path& file);
// CSV bytes already in memory (a file of the plan package); `file` names it in messages.
CsvTable parse_csv(const std::string& content, const std::filesystem::path& file);

namespace detail {
std::string plain_number(double v);  // as an iostream prints it: 120, 0.3, 119.99
}

}  // namespace minplan::standards
