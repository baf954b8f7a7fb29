// Spreadsheet files as rows of text cells, read through GDAL, for callers that validate the text
// themselves (monitoring intake, reference tables): nothing is converted, and every row keeps the number
// a person sees, so that error messages can name it.
//
// CSV (UTF-8, optional BOM, RFC 4180 quoting, comma-separated): one sheet named after the file stem.
// Every record but blank lines is returned, numbered by the physical line where it starts (a quoted cell
// may span lines). Tokenised with GDAL's CSV reader (cpl_csv.h) rather than the OGR CSV driver, which in
// GDAL 3.6 guesses the separator from the first line and takes its columns from it (a "#" banner line
// would break both) and numbers features without counting blank lines.
//
// XLSX: one sheet per worksheet, through GDAL's OGR XLSX driver, every cell as text. The first row
// returned is the header (row 1); then every row with a non-empty cell, numbered as a spreadsheet
// program shows it.
//
// Throws IoError when the file cannot be read; InputError on an unterminated quote in a CSV, a CSV in
// UTF-16 or an unknown encoding (GBK is decoded), a file over kMaxSheetFileBytes (checked before reading),
// a workbook that is not a ZIP or is cut short, and a worksheet whose XML ends early.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace minplan::formats {

// A year of a city's annual data is some thousands of rows (under 1 MiB). 16 MiB, the portal's upload
// limit, leaves room for many years at once; rows as text cells take up to ~20× the file in memory
// (60 MiB of bad rows: 2.3 GB before problems were bounded), so the limit is what bounds the intake.
inline constexpr std::uintmax_t kMaxSheetFileBytes = std::uintmax_t{16} << 20;
// Rows per sheet: an XLSX is compressed, so its size does not bound its rows (a few MiB can hold millions);
// reading stops with an InputError past this many. A city has some hundreds of mines.
inline constexpr std::size_t kMaxSheetRows = 200'000;

// Cells per row: Excel's maximum (column XFD). Checked on the CSV's bytes before GDAL splits a record
// into cells: one 15 MiB line of commas took 1.5 GB.
inline constexpr std::size_t kMaxSheetColumns = 16'384;

struct TextRow {
    int number = 0;  // 1-based row (XLSX) or line (CSV)
    std::vector<std::string> cells;
};

// A one-table file's columns, found by their header: each field under any of the names its template accepts
// (`aliases`: field → names, a map or a list of pairs). Header cells are compared trimmed.
class HeaderColumns {
public:
    template <class Aliases>
    HeaderColumns(const TextRow& header, const Aliases& aliases) {
        for (std::size_t i = 0; i < header.cells.size(); ++i)
            for (const auto& [field, names] : aliases)
                if (std::find(names.begin(), names.end(), trim(header.cells[i])) != names.end()) columns_[field] = i;
    }
    bool has(const std::string& field) const { return columns_.count(field) != 0; }
    // The row's cell under `field`, trimmed; empty when the column or the cell is absent.
    std::string cell(const TextRow& row, const std::string& field) const {
        auto it = columns_.find(field);
        return it == columns_.end() || it->second >= row.cells.size() ? std::string() : trim(row.cells[it->second]);
    }

private:
    std::map<std::string, std::size_t> columns_;
};

struct TextSheet {
    std::string name;  // worksheet name; the file stem for CSV
    std::vector<TextRow> rows;
};

TextSheet read_csv_sheet(const std::filesystem::path& file);
// Line breaks in bytes[from, to) as an editor counts them: LF, CR LF, and a lone CR (old Mac line ends,
// which GDAL's reader also ends a record at; counting LF only numbered every row of such a file line 1).
int line_breaks(std::string_view bytes, std::size_t from, std::size_t to);
// The same for CSV bytes already in memory (a file of the plan package); `file` names it in messages.
TextSheet parse_csv_sheet(std::string content, const std::filesystem::path& file);
std::vector<TextSheet> read_xlsx_sheets(const std::filesystem::path& file);
// A one-table file a planner fills in: a .csv, or the first worksheet of an .xlsx (InputError if it has none).
TextSheet read_table_file(const std::filesystem::path& file);

}  // namespace minplan::formats
