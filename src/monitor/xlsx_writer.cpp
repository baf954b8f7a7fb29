#include "monitor/xlsx_writer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"

namespace minplan::monitor {

namespace {

// ---- a minimal ZIP writer (method 0 = stored), enough for an OOXML package
std::uint32_t crc32(const std::string& data) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put16(std::string& o, std::uint32_t v) {
    o += static_cast<char>(v & 0xFF);
    o += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& o, std::uint32_t v) {
    put16(o, v & 0xFFFF);
    put16(o, v >> 16);
}

std::string zip_stored(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out, central;
    for (const auto& [name, data] : files) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto crc = crc32(data);
        const auto size = static_cast<std::uint32_t>(data.size());
        const auto nlen = static_cast<std::uint32_t>(name.size());
        put32(out, 0x04034b50); put16(out, 20); put16(out, 0x0800); put16(out, 0); put16(out, 0); put16(out, 0x21);
        put32(out, crc); put32(out, size); put32(out, size); put16(out, nlen); put16(out, 0);
        out += name;
        out += data;
        put32(central, 0x02014b50); put16(central, 20); put16(central, 20); put16(central, 0x0800); put16(central, 0);
        put16(central, 0); put16(central, 0x21); put32(central, crc); put32(central, size); put32(central, size);
        put16(central, nlen); put16(central, 0); put16(central, 0); put16(central, 0); put16(central, 0);
        put32(central, 0); put32(central, offset);
        central += name;
    }
    const auto cd_offset = static_cast<std::uint32_t>(out.size());
    out += central;
    put32(out, 0x06054b50); put16(out, 0); put16(out, 0);
    put16(out, static_cast<std::uint32_t>(files.size())); put16(out, static_cast<std::uint32_t>(files.size()));
    put32(out, static_cast<std::uint32_t>(central.size())); put32(out, cd_offset); put16(out, 0);
    return out;
}

// ---- SpreadsheetML
std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') o += c;
        }
    }
    return o;
}

std::string col_name(std::size_t i) {
    std::string s;
    for (++i; i > 0; i = (i - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (i - 1) % 26));
    return s;
}

// Display width of UTF-8 text: CJK counts 2.
double text_width(const std::string& s) {
    double w = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) w += 1;
        else if (c >= 0xE0) w += 2;
    }
    return w;
}

// Style indices (cellXfs in styles()).
enum Xf { kDefault, kTitle, kHeader, kText, kNum0, kNum1, kNum2, kNum3, kNum4, kMet, kOnTrack, kAtRisk, kBreached, kManual, kNoData, kNote };

const char* kStyles = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.000"/><numFmt numFmtId="166" formatCode="0.0000"/></numFmts>
<fonts count="4"><font><sz val="11"/><name val="Noto Sans CJK SC"/></font><font><b/><sz val="14"/><name val="Noto Sans CJK SC"/></font><font><b/><sz val="11"/><name val="Noto Sans CJK SC"/></font><font><i/><sz val="9"/><color rgb="FF555555"/><name val="Noto Sans CJK SC"/></font></fonts>
<fills count="9"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFC6EFCE"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFE2F0D9"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/></patternFill></fill></fills>
<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="16">
<xf/>
<xf fontId="1" applyFont="1"/>
<xf fontId="2" fillId="2" borderId="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf borderId="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="1" borderId="1" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="164" borderId="1" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="2" borderId="1" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="165" borderId="1" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="166" borderId="1" applyNumberFormat="1" applyBorder="1"/>
<xf fillId="3" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fillId="4" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fillId="5" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fillId="6" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fillId="7" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fillId="8" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf fontId="3" applyFont="1"/>
</cellXfs></styleSheet>)";

int style_of(const Cell& c) {
    static const std::map<std::string, int> status = {{"met", kMet}, {"on_track", kOnTrack}, {"at_risk", kAtRisk},
                                                      {"breached", kBreached}, {"manual", kManual}, {"no_data", kNoData}};
    if (auto it = status.find(c.style); it != status.end()) return it->second;
    if (!c.number) return kText;
    return kNum0 + std::clamp(c.decimals, 0, 4);
}

std::string inline_str(const std::string& ref, int style, const std::string& text) {
    return "<c r=\"" + ref + "\" s=\"" + std::to_string(style) + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + esc(text) + "</t></is></c>";
}

std::string sheet_xml(const TableView& t) {
    const std::size_t ncol = t.headers.size();
    std::vector<double> width(ncol, 6);
    std::ostringstream rows;
    // No title: the header is row 1 (intake templates, read back by the OGR XLSX driver).
    const int header_row = t.title.empty() ? 1 : 2;
    int r = header_row;
    if (!t.title.empty()) rows << "<row r=\"1\" ht=\"24\" customHeight=\"1\">" << inline_str("A1", kTitle, t.title) << "</row>";
    const std::string hr = std::to_string(header_row);
    rows << "<row r=\"" << hr << "\" ht=\"32\" customHeight=\"1\">";
    for (std::size_t c = 0; c < ncol; ++c) {
        std::string h = t.headers[c];
        if (c < t.units.size() && !t.units[c].empty()) h += "（" + t.units[c] + "）";
        width[c] = std::max(width[c], std::min(text_width(h) + 2, 24.0));
        rows << inline_str(col_name(c) + hr, kHeader, h);
    }
    rows << "</row>";
    for (const auto& row : t.rows) {
        ++r;
        rows << "<row r=\"" << r << "\">";
        for (std::size_t c = 0; c < ncol; ++c) {
            Cell cell = c < row.size() ? row[c] : Cell::of("");
            std::string ref = col_name(c) + std::to_string(r);
            width[c] = std::max(width[c], std::min(text_width(cell.text) + 2, 60.0));
            // A numeric cell whose shown text is the number itself is written as a number with its format.
            if (cell.number && cell.style.empty() && !std::isnan(*cell.number) && !cell.text.empty() &&
                cell.text.find_first_not_of("0123456789.-") == std::string::npos) {
                std::ostringstream v;
                v.precision(15);
                v << *cell.number;
                rows << "<c r=\"" << ref << "\" s=\"" << style_of(cell) << "\"><v>" << v.str() << "</v></c>";
            } else {
                rows << inline_str(ref, cell.number && cell.style.empty() ? kText : style_of(cell), cell.text);
            }
        }
        rows << "</row>";
    }
    r += 1;
    for (const auto& n : t.notes) {
        ++r;
        rows << "<row r=\"" << r << "\">" << inline_str("A" + std::to_string(r), kNote, n) << "</row>";
    }
    std::ostringstream x;
    x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      << R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      << "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"" << header_row << "\" topLeftCell=\"A" << header_row + 1
      << "\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
      << "<cols>";
    for (std::size_t c = 0; c < ncol; ++c)
        x << "<col min=\"" << c + 1 << "\" max=\"" << c + 1 << "\" width=\"" << width[c] << "\" customWidth=\"1\"/>";
    x << "</cols><sheetData>" << rows.str() << "</sheetData>";
    if (ncol > 1 && !t.title.empty()) x << "<mergeCells count=\"1\"><mergeCell ref=\"A1:" << col_name(ncol - 1) << "1\"/></mergeCells>";
    x << R"(<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>)"
      << R"(<pageSetup orientation="landscape" paperSize="9" fitToHeight="0"/></worksheet>)";
    return x.str();
}

std::string safe_sheet_name(std::string n, std::size_t index) {
    for (char& c : n)
        if (std::string("[]:*?/\\").find(c) != std::string::npos) c = ' ';
    // ≤ 31 characters: cut at a UTF-8 boundary.
    std::size_t chars = 0, i = 0;
    while (i < n.size() && chars < 28) {
        unsigned char c = static_cast<unsigned char>(n[i]);
        i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        ++chars;
    }
    n = n.substr(0, i);
    return n.empty() ? "Sheet" + std::to_string(index) : n;
}

}  // namespace

void write_xlsx(const std::filesystem::path& file, const std::vector<TableView>& sheets) {
    std::vector<std::pair<std::string, std::string>> parts;
    std::ostringstream types, wb, rels;
    types << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
          << R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>)"
          << R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
          << R"(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)";
    wb << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)";
    rels << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    std::vector<std::string> used;
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        std::string n = safe_sheet_name(sheets[i].sheet_name, i + 1);
        while (std::find(used.begin(), used.end(), n) != used.end()) n += "_";
        used.push_back(n);
        const std::string idx = std::to_string(i + 1);
        types << "<Override PartName=\"/xl/worksheets/sheet" << idx
              << ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
        wb << "<sheet name=\"" << esc(n) << "\" sheetId=\"" << idx << "\" r:id=\"rId" << idx << "\"/>";
        rels << "<Relationship Id=\"rId" << idx
             << "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet" << idx << ".xml\"/>";
        parts.emplace_back("xl/worksheets/sheet" + idx + ".xml", sheet_xml(sheets[i]));
    }
    types << "</Types>";
    wb << "</sheets></workbook>";
    rels << "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";
    parts.insert(parts.begin(), {{"[Content_Types].xml", types.str()},
                                 {"_rels/.rels", R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
                                 {"xl/workbook.xml", wb.str()},
                                 {"xl/_rels/workbook.xml.rels", rels.str()},
                                 {"xl/styles.xml", kStyles}});
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("无法写入 " + file.string() + " / cannot write");
    out << zip_stored(parts);
    if (!out) throw IoError("写入 " + file.string() + " 失败 / write failed");
}

}  // namespace minplan::monitor
