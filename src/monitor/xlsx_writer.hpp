// Writes TableViews as an XLSX workbook (Office Open XML SpreadsheetML), one sheet per table: title row,
// bold header row with units, numbers as numbers with their number format, status cells coloured,
// notes below. Self-contained (a stored ZIP container and the XML parts): the build links no XLSX library.
#pragma once

#include <filesystem>
#include <vector>

#include "monitor/table_view.hpp"

namespace minplan::monitor {

void write_xlsx(const std::filesystem::path& file, const std::vector<TableView>& sheets);

}  // namespace minplan::monitor
