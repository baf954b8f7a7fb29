#include "formats/xlsx_writer.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "core/error.hpp"

namespace minplan::formats {

namespace {

// Display width of UTF-8 text: CJK counts 2.
double text_width(const std::string& s) {
    double w = 0;
    for (unsigned char c : s) {
        if (c < 0x80) w += 1;
        else if (c >= 0xE0) w += 2;
    }
    return w;
}

// Replaces the characters Excel forbids in sheet names and cuts at 28 characters (UTF-8 boundary),
// leaving room for the "_" that makes a repeated name unique within the 31-character limit.
std::string safe_sheet_name(std::string n, std::size_t index) {
    for (char& c : n)
        if (std::string("[]:*?/\\").find(c) != std::string::npos) c = ' ';
    std::size_t chars = 0, i = 0;
    while (i < n.size() && chars < 28) {
        unsigned char c = static_cast<unsigned char>(n[i]);
        i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        ++chars;
    }
    n = n.substr(0, std::min(i, n.size()));
    return n.empty() ? "Sheet" + std::to_string(index) : n;
}

constexpr const char* kFont = "Noto Sans CJK SC";

// The workbook's cell formats: title, header, text, numbers with 0–4 decimals, one fill per status, notes.
class Formats {
public:
    explicit Formats(lxw_workbook* wb) {
        title_ = add(wb);
        format_set_bold(title_);
        format_set_font_size(title_, 14);
        header_ = add(wb);
        format_set_bold(header_);
        format_set_bg_color(header_, 0xD9E1F2);
        format_set_pattern(header_, LXW_PATTERN_SOLID);
        format_set_border(header_, LXW_BORDER_THIN);
        format_set_align(header_, LXW_ALIGN_CENTER);
        format_set_align(header_, LXW_ALIGN_VERTICAL_CENTER);
        format_set_text_wrap(header_);
        text_ = add(wb);
        format_set_border(text_, LXW_BORDER_THIN);
        format_set_align(text_, LXW_ALIGN_VERTICAL_CENTER);
        format_set_text_wrap(text_);
        const char* num_formats[] = {"0", "0.0", "0.00", "0.000", "0.0000"};
        for (std::size_t d = 0; d < number_.size(); ++d) {
            number_[d] = add(wb);
            format_set_num_format(number_[d], num_formats[d]);
            format_set_border(number_[d], LXW_BORDER_THIN);
        }
        const std::pair<const char*, lxw_color_t> fills[] = {{"met", 0xC6EFCE},    {"on_track", 0xE2F0D9},
                                                             {"at_risk", 0xFFEB9C}, {"breached", 0xFFC7CE},
                                                             {"manual", 0xFCE4D6},  {"no_data", 0xEDEDED}};
        for (const auto& [key, colour] : fills) {
            lxw_format* f = add(wb);
            format_set_bg_color(f, colour);
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_border(f, LXW_BORDER_THIN);
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            status_[key] = f;
        }
        note_ = add(wb);
        format_set_italic(note_);
        format_set_font_size(note_, 9);
        format_set_font_color(note_, 0x555555);
    }

    lxw_format* title() const { return title_; }
    lxw_format* header() const { return header_; }
    lxw_format* text() const { return text_; }
    lxw_format* note() const { return note_; }
    lxw_format* number(int decimals) const { return number_[static_cast<std::size_t>(std::clamp(decimals, 0, 4))]; }
    // A status key colours the cell; otherwise numbers get their number format and text the text format.
    lxw_format* of(const Cell& c) const {
        if (auto it = status_.find(c.style); it != status_.end()) return it->second;
        return c.number ? number(c.decimals) : text_;
    }

private:
    static lxw_format* add(lxw_workbook* wb) {
        lxw_format* f = workbook_add_format(wb);
        if (!f) throw IoError("XLSX 格式创建失败 / libxlsxwriter: cannot add a format");
        format_set_font_name(f, kFont);
        format_set_font_size(f, 11);
        return f;
    }
    lxw_format *title_ = nullptr, *header_ = nullptr, *text_ = nullptr, *note_ = nullptr;
    std::array<lxw_format*, 5> number_{};
    std::map<std::string, lxw_format*> status_;
};

void check(lxw_error e, const std::filesystem::path& file) {
    if (e != LXW_NO_ERROR) throw IoError("写入 " + file.string() + " 失败（" + lxw_strerror(e) + "）/ write failed");
}

lxw_col_t col(std::size_t c) { return static_cast<lxw_col_t>(c); }

// Excel keeps 15 significant digits: a sum that comes out a few ulps off 9343.274 is stored as the double
// nearest 9343.274, the value it stands for (libxlsxwriter's "%.16G" then spells it 9343.273999999999).
double excel_precision(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return std::strtod(buf, nullptr);
}

void write_sheet(lxw_worksheet* ws, const TableView& t, const Formats& fmt, const std::filesystem::path& file) {
    const std::size_t ncol = t.headers.size();
    std::vector<double> width(ncol, 6);
    // No title: the header is row 1 (intake templates, read back by GDAL's XLSX driver).
    const lxw_row_t header_row = t.title.empty() ? 0 : 1;
    if (!t.title.empty()) {
        check(worksheet_set_row(ws, 0, 24, nullptr), file);
        if (ncol > 1) check(worksheet_merge_range(ws, 0, 0, 0, col(ncol - 1), t.title.c_str(), fmt.title()), file);
        else check(worksheet_write_string(ws, 0, 0, t.title.c_str(), fmt.title()), file);
    }
    check(worksheet_set_row(ws, header_row, 32, nullptr), file);
    for (std::size_t c = 0; c < ncol; ++c) {
        std::string h = t.headers[c];
        if (c < t.units.size() && !t.units[c].empty()) h += "（" + t.units[c] + "）";
        width[c] = std::max(width[c], std::min(text_width(h) + 2, 24.0));
        check(worksheet_write_string(ws, header_row, col(c), h.c_str(), fmt.header()), file);
    }
    lxw_row_t r = header_row;
    for (const auto& row : t.rows) {
        ++r;
        for (std::size_t c = 0; c < ncol; ++c) {
            const Cell cell = c < row.size() ? row[c] : Cell::of("");
            width[c] = std::max(width[c], std::min(text_width(cell.text) + 2, 60.0));
            // A numeric cell whose shown text is the number itself is written as a number with its format;
            // one shown otherwise (e.g. "—", or a status) keeps its text.
            if (cell.number && cell.style.empty() && !std::isnan(*cell.number) && !cell.text.empty() &&
                cell.text.find_first_not_of("0123456789.-") == std::string::npos) {
                check(worksheet_write_number(ws, r, col(c), excel_precision(*cell.number), fmt.of(cell)), file);
            } else {
                lxw_format* f = cell.number && cell.style.empty() ? fmt.text() : fmt.of(cell);
                if (cell.text.empty()) check(worksheet_write_blank(ws, r, col(c), f), file);
                else check(worksheet_write_string(ws, r, col(c), cell.text.c_str(), f), file);
            }
        }
    }
    r += 1;
    for (const auto& n : t.notes) check(worksheet_write_string(ws, ++r, 0, n.c_str(), fmt.note()), file);
    for (std::size_t c = 0; c < ncol; ++c) check(worksheet_set_column(ws, col(c), col(c), width[c], nullptr), file);
    worksheet_freeze_panes(ws, header_row + 1, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);  // print: all columns on one page width
}

struct WorkbookFree {
    void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};

}  // namespace

void write_xlsx(const std::filesystem::path& file, const std::vector<TableView>& sheets) {
    std::unique_ptr<lxw_workbook, WorkbookFree> wb{workbook_new(file.c_str())};
    if (!wb) throw IoError("无法写入 " + file.string() + " / cannot write");
    const Formats fmt(wb.get());
    std::vector<std::string> used;
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        std::string n = safe_sheet_name(sheets[i].sheet_name, i + 1);
        while (std::find(used.begin(), used.end(), n) != used.end()) n += "_";
        used.push_back(n);
        check(workbook_validate_sheet_name(wb.get(), n.c_str()), file);
        lxw_worksheet* ws = workbook_add_worksheet(wb.get(), n.c_str());
        if (!ws) throw IoError("写入 " + file.string() + " 失败：工作表 \"" + n + "\" / cannot add worksheet");
        write_sheet(ws, sheets[i], fmt, file);
    }
    // workbook_close writes the file and frees the workbook, whatever it returns.
    lxw_error e = workbook_close(wb.release());
    if (e != LXW_NO_ERROR) throw IoError("无法写入 " + file.string() + "（" + lxw_strerror(e) + "）/ cannot write");
}

}  // namespace minplan::formats
