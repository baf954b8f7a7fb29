// Internal: intake files as sheets with a header and numbered rows of text cells. A CSV file is one sheet
// (lines starting with '#' are notes); an XLSX workbook gives one sheet per worksheet. The files are read
// by formats/sheet_reader (GDAL); this layer only finds the header and the data rows.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace minplan::monitor {

struct Sheet {
    std::string file;   // as given
    std::string name;   // worksheet name; the file stem for CSV
    int header_row = 1;  // row (XLSX) or line (CSV) of the header
    std::vector<std::string> header;
    struct Row {
        int number = 0;  // row number as a spreadsheet program shows it (header = 1)
        std::vector<std::string> cells;
    };
    std::vector<Row> rows;
};

std::string column_letter(std::size_t index);  // 0 → A, 25 → Z, 26 → AA

// A .csv or .xlsx file (by extension); throws IoError / InputError.
std::vector<Sheet> read_sheets(const std::filesystem::path& file);

}  // namespace minplan::monitor
