// Internal: a small RFC 4180 CSV reader (UTF-8, optional BOM) for the monitoring reference tables and
// CSV intake files. No GDAL: src/monitor reads plan data through store::PlanStore only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace minplan::monitor {

struct CsvRow {
    int line = 0;  // 1-based physical line where the record starts
    std::vector<std::string> cells;
};

// Parses CSV text; throws InputError "<file>:<line>: …" on an unterminated quote.
std::vector<CsvRow> parse_csv(const std::string& text, const std::string& file);
std::vector<CsvRow> read_csv_file(const std::filesystem::path& file);

// A CSV with a header, accessed by column name.
class CsvTable {
public:
    static CsvTable load(const std::filesystem::path& file);
    const std::vector<CsvRow>& rows() const { return rows_; }
    // Cell of `row` in column `name` ("" if the row is short); throws if the column does not exist.
    const std::string& cell(const CsvRow& row, const std::string& name) const;
    const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<std::string> header_;
    std::vector<CsvRow> rows_;
};

std::string trim(const std::string& s);

}  // namespace minplan::monitor
