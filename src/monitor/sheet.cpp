#include "monitor/sheet.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "formats/sheet_reader.hpp"

namespace minplan::monitor {

namespace {

// The first row is the header, the rest are data rows.
Sheet sheet_of(const std::filesystem::path& file, formats::TextSheet&& t, bool trim_header) {
    Sheet s;
    s.file = file.string();
    s.name = std::move(t.name);
    if (t.rows.empty()) return s;
    s.header_row = t.rows.front().number;
    for (auto& h : t.rows.front().cells) s.header.push_back(trim_header ? trim(h) : std::move(h));
    for (std::size_t i = 1; i < t.rows.size(); ++i) s.rows.push_back({t.rows[i].number, std::move(t.rows[i].cells)});
    return s;
}

}  // namespace

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
    if (ext == ".xlsx") {
        std::vector<Sheet> out;
        for (auto& t : formats::read_xlsx_sheets(file)) out.push_back(sheet_of(file, std::move(t), false));
        return out;
    }
    if (ext != ".csv") throw InputError("不支持的文件类型 \"" + file.string() + "\"：应为 .csv 或 .xlsx / expected CSV or XLSX");
    auto t = formats::read_csv_sheet(file);
    // Lines starting with '#' are notes (e.g. the sample data's "示例数据" banner).
    std::erase_if(t.rows, [](const formats::TextRow& r) { return !r.cells.empty() && !r.cells[0].empty() && r.cells[0][0] == '#'; });
    return {sheet_of(file, std::move(t), true)};
}

}  // namespace minplan::monitor
