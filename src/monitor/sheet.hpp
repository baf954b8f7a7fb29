// Internal: intake files as sheets of text cells. A CSV file is one sheet; an XLSX workbook gives one
// sheet per worksheet, read through GDAL's OGR XLSX driver (sheet_xlsx.cpp, the one place in src/monitor
// that touches GDAL; it belongs in src/formats once that module offers spreadsheet reading).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace minplan::monitor {

struct Sheet {
    std::string file;   // as given
    std::string name;   // worksheet name; the file stem for CSV
    std::vector<std::string> header;
    struct Row {
        int number = 0;  // row number as a spreadsheet program shows it (header = 1)
        std::vector<std::string> cells;
    };
    std::vector<Row> rows;
};

std::string column_letter(std::size_t index);  // 0 → A, 25 → Z, 26 → AA

std::vector<Sheet> read_sheets(const std::filesystem::path& file);
std::vector<Sheet> read_xlsx_sheets(const std::filesystem::path& file);

}  // namespace minplan::monitor
