#include "monitor/sheet.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "monitor/csv.hpp"

namespace minplan::monitor {

std::string column_letter(std::size_t i) {
    std::string s;
    ++i;
    while (i > 0) {
        s.insert(s.begin(), static_cast<char>('A' + (i - 1) % 26));
        i = (i - 1) / 26;
    }
    return s;
}

std::vector<Sheet> read_sheets(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    if (ext == ".xlsx") return read_xlsx_sheets(file);
    if (ext != ".csv") throw InputError("不支持的文件类型 \"" + file.string() + "\"：应为 .csv 或 .xlsx / expected CSV or XLSX");
    Sheet s;
    s.file = file.string();
    s.name = file.stem().string();
    auto rows = read_csv_file(file);
    // Leading lines starting with '#' are notes (e.g. the sample data's "示例数据" banner).
    std::erase_if(rows, [](const CsvRow& r) { return !r.cells.empty() && !r.cells[0].empty() && r.cells[0][0] == '#'; });
    if (rows.empty()) return {s};
    for (const auto& h : rows.front().cells) s.header.push_back(trim(h));
    for (std::size_t i = 1; i < rows.size(); ++i) s.rows.push_back({rows[i].line, rows[i].cells});
    return {s};
}

}  // namespace minplan::monitor
