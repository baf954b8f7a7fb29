#include "monitor/csv.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace minplan::monitor {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::vector<CsvRow> parse_csv(const std::string& input, const std::string& file) {
    std::string_view text(input);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<CsvRow> out;
    CsvRow row;
    std::string cell;
    bool quoted = false, at_start = true, any = false;
    int line = 1;
    row.line = 1;
    auto end_cell = [&] {
        row.cells.push_back(std::move(cell));
        cell.clear();
        at_start = true;
    };
    auto end_row = [&] {
        end_cell();
        bool blank = row.cells.size() == 1 && row.cells[0].empty();
        if (!blank) out.push_back(std::move(row));
        row = CsvRow{};
        row.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        any = true;
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                cell += c;
            }
            continue;
        }
        if (c == '"' && at_start) {
            quoted = true;
            at_start = false;
        } else if (c == ',') {
            end_cell();
        } else if (c == '\r') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_row();
        } else {
            cell += c;
            at_start = false;
        }
    }
    if (quoted) throw InputError(file + ":" + std::to_string(row.line) + ": 引号未闭合 / unterminated quote");
    if (any && (!cell.empty() || !row.cells.empty())) end_row();
    return out;
}

std::vector<CsvRow> read_csv_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取 " + file.string() + " / cannot read file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_csv(ss.str(), file.string());
}

CsvTable CsvTable::load(const std::filesystem::path& file) {
    CsvTable t;
    t.file_ = file.string();
    auto rows = read_csv_file(file);
    if (rows.empty()) throw InputError(t.file_ + ": 文件为空 / empty file");
    for (auto& h : rows.front().cells) t.header_.push_back(trim(h));
    t.rows_.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
    return t;
}

const std::string& CsvTable::cell(const CsvRow& row, const std::string& name) const {
    static const std::string empty;
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i < row.cells.size() ? row.cells[i] : empty;
    throw InputError(file_ + ": 缺少列 \"" + name + "\" / missing column");
}

}  // namespace minplan::monitor
