// Writes TableViews as an XLSX workbook through libxlsxwriter (Debian's libxlsxwriter-dev), one worksheet
// per table: title row (merged across the columns), bold header row with units, numbers as numbers with
// their number format, status cells coloured, notes below; landscape A4, fitted to the page width. A table
// without a title has its header in row 1, as the intake templates need. Sheet names are made valid
// (≤ 31 characters, no []:*?/\, unique). Throws IoError when the file cannot be written.
#pragma once

#include <filesystem>
#include <vector>

#include "core/table_view.hpp"

namespace minplan::formats {

void write_xlsx(const std::filesystem::path& file, const std::vector<TableView>& sheets);

}  // namespace minplan::formats
