#include "formats/sheet_reader.hpp"

#include <cpl_conv.h>
#include <cpl_csv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/ogr_cell.hpp"
#include "formats/text_encoding.hpp"

namespace minplan::formats {

namespace {

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

std::string last_error() {
    const char* msg = CPLGetLastErrorMsg();
    return msg ? msg : "";
}

struct TokensFree {
    void operator()(char** t) const { CSLDestroy(t); }
};
using Tokens = std::unique_ptr<char*, TokensFree>;

// The file's bytes as a /vsimem/ file, so that GDAL's reader and the line count see the same bytes.
class MemFile {
public:
    explicit MemFile(std::string bytes) : bytes_(std::move(bytes)) {
        static std::atomic<unsigned> counter{0};
        name_ = "/vsimem/minplan_sheet_reader_" + std::to_string(++counter) + ".csv";
        fp_ = VSIFileFromMemBuffer(name_.c_str(), reinterpret_cast<GByte*>(bytes_.data()), bytes_.size(), FALSE);
    }
    ~MemFile() {
        if (fp_) VSIFCloseL(fp_);
        VSIUnlink(name_.c_str());
    }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    VSILFILE* get() const { return fp_; }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_, name_;
    VSILFILE* fp_ = nullptr;
};

// Why GDAL refused a workbook, when it says nothing (it only says which drivers it tried): an XLSX is a
// ZIP archive holding xl/workbook.xml.
std::string xlsx_failure(const std::filesystem::path& file) {
    if (std::string reason = last_error(); !reason.empty()) return reason;
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    if (in.gcount() < 4 || std::string(magic, 4) != std::string("PK\x03\x04", 4))
        return "不是 ZIP 压缩包，XLSX 文件应为 ZIP 格式；可能是改了扩展名的 CSV 或旧版 .xls / not a ZIP archive";
    VSIStatBufL st;
    if (VSIStatL(("/vsizip/{" + file.string() + "}/xl/workbook.xml").c_str(), &st) != 0)
        return "ZIP 压缩包不完整或已损坏（文件可能被截断），或其中没有 xl/workbook.xml / truncated or corrupt ZIP";
    return "ZIP 压缩包中的工作簿无法解析 / workbook cannot be parsed";
}

InputError too_many_rows(const std::filesystem::path& file, const std::string& sheet) {
    return InputError(fmt::format("{}［{}］：超过每个工作表 {} 行的上限，未导入任何数据；请拆分后分次导入 / more than {} rows",
                                  file.string(), sheet, kMaxSheetRows, kMaxSheetRows));
}

void check_sheet_size(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw IoError("无法读取 " + file.string() + "（" + ec.message() + "）/ cannot read file");
    if (size > kMaxSheetFileBytes)
        throw InputError(fmt::format("{}：文件 {:.1f} MiB，超过表格文件 {} MiB 的上限；请按年度或县区拆分后分次导入 / "
                                     "file exceeds the {} MiB limit",
                                     file.string(), static_cast<double>(size) / (1 << 20), kMaxSheetFileBytes >> 20,
                                     kMaxSheetFileBytes >> 20));
}

// Cells per record counted as GDAL's tokenizer splits them (a comma outside quotes separates; a record
// goes on while its quotes are unbalanced), before it allocates them.
void check_columns(const std::string& bytes, const std::filesystem::path& file) {
    bool quoted = false;
    std::size_t cells = 1;
    int line = 1, record_line = 1;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            if (++cells > kMaxSheetColumns)
                throw InputError(fmt::format("{}:{}: 一行超过 {} 列（Excel 的上限），未导入任何数据 / more than {} columns in a row",
                                             file.string(), record_line, kMaxSheetColumns, kMaxSheetColumns));
        } else if (c == '\n' || (c == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))) {
            ++line;
            if (!quoted) {
                cells = 1;
                record_line = line;
            }
        }
    }
}

}  // namespace

int line_breaks(std::string_view bytes, std::size_t from, std::size_t to) {
    int n = 0;
    for (std::size_t i = from; i < to && i < bytes.size(); ++i)
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))) ++n;
    return n;
}

TextSheet read_csv_sheet(const std::filesystem::path& file) {
    check_sheet_size(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取 " + file.string() + " / cannot read file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    // A county's CSV saved by Excel is often GBK, sometimes UTF-16: decode GBK, refuse UTF-16 by name,
    // instead of reading mojibake headers as "an unknown sheet".
    if (!is_valid_utf8(bytes) || bytes.find('\0') != std::string::npos) {
        try {
            bytes = to_utf8(bytes);
        } catch (const InputError& e) {
            throw InputError(file.string() + "：文字编码不对，应为 UTF-8（或 GBK）：" + e.what() +
                             " / wrong text encoding, UTF-8 expected");
        }
    }
    return parse_csv_sheet(std::move(bytes), file);
}

TextSheet parse_csv_sheet(std::string content, const std::filesystem::path& file) {
    check_columns(content, file);
    MemFile mem(std::move(content));
    if (!mem.get()) throw IoError("无法读取 " + file.string() + " / cannot read file");
    TextSheet sheet;
    sheet.name = file.stem().string();
    const std::string& bytes = mem.bytes();
    int line = 1;
    std::size_t counted = 0;  // bytes before this offset are counted in `line`
    while (true) {
        // GDAL's reader leaves the file positioned just past each record, so the newlines before the
        // record's first byte give its physical line.
        const auto start = std::min<std::size_t>(static_cast<std::size_t>(VSIFTellL(mem.get())), bytes.size());
        line += line_breaks(bytes, counted, start);
        counted = start;
        Tokens tokens{CSVReadParseLine3L(mem.get(), 0, ",", /*bHonourStrings=*/true, /*bKeepLeadingAndClosingQuotes=*/false,
                                         /*bMergeDelimiter=*/false, /*bSkipBOM=*/true)};
        if (!tokens) break;
        if (CSLCount(tokens.get()) == 0) continue;  // blank line
        if (sheet.rows.size() >= kMaxSheetRows) throw too_many_rows(file, sheet.name);
        TextRow row{line, {}};
        for (char** t = tokens.get(); *t; ++t) row.cells.emplace_back(*t);
        sheet.rows.push_back(std::move(row));
    }
    // GDAL joins lines while a record's quotes are unbalanced, so an unclosed quote swallows the rest of
    // the file into the last record: refuse it rather than read the following rows as one cell.
    if (std::count(bytes.begin(), bytes.end(), '"') % 2 != 0)
        throw InputError(file.string() + ":" + std::to_string(sheet.rows.empty() ? 1 : sheet.rows.back().number) +
                         ": 引号未闭合 / unterminated quote");
    return sheet;
}

std::vector<TextSheet> read_xlsx_sheets(const std::filesystem::path& file) {
    ensure_registered();
    CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
    CPLErrorReset();
    const char* drivers[] = {"XLSX", nullptr};
    // Every cell as text (FIELD_TYPES=STRING) and the first row always the header (HEADERS=FORCE), so the
    // caller sees exactly what the user typed. GDAL 3.6 (Debian 12) honours only the configuration
    // options, not the open options; set both.
    const char* options[] = {"HEADERS=FORCE", "FIELD_TYPES=STRING", nullptr};
    CPLConfigOptionSetter headers("OGR_XLSX_HEADERS", "FORCE", true);
    CPLConfigOptionSetter types("OGR_XLSX_FIELD_TYPES", "STRING", true);
    check_sheet_size(file);
    GDALDatasetUniquePtr ds{GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options, nullptr)};
    if (!ds) throw InputError("无法作为 XLSX 读取 " + file.string() + "（" + xlsx_failure(file) + "）/ cannot read XLSX");
    std::vector<TextSheet> out;
    for (OGRLayer* layer : ds->GetLayers()) {
        TextSheet s;
        s.name = layer->GetName();
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        TextRow header{1, {}};
        for (int i = 0; i < defn->GetFieldCount(); ++i) header.cells.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
        std::vector<TextRow> rows;
        layer->ResetReading();
        while (OGRFeatureUniquePtr f{layer->GetNextFeature()}) {
            // The driver's FID is the spreadsheet row number (header = row 1, first data row = FID 2).
            TextRow row{static_cast<int>(f->GetFID()), {}};
            bool any = false;
            for (int i = 0; i < defn->GetFieldCount(); ++i) {
                std::string v = ogr_cell_text(*f, i);
                any = any || !v.empty();
                row.cells.push_back(std::move(v));
            }
            if (any && rows.size() >= kMaxSheetRows) throw too_many_rows(file, s.name);
            if (any) rows.push_back(std::move(row));
        }
        // The driver parses each worksheet's XML as it reads it, and on a syntax error (a file cut short)
        // it reports a failure and returns the rows read so far: that must not become a partial import.
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal)
            throw InputError(fmt::format("{}［{}］：工作表不完整或已损坏，未导入任何数据（{}）/ worksheet truncated or corrupt",
                                         file.string(), s.name, last_error()));
        // A sheet with only its header row comes back as one data row under Field1, Field2, …: that row is the header.
        bool generic = !header.cells.empty();
        for (std::size_t i = 0; i < header.cells.size(); ++i) generic = generic && header.cells[i] == "Field" + std::to_string(i + 1);
        if (generic && rows.size() == 1) {
            header.cells = std::move(rows.front().cells);
            rows.clear();
        }
        s.rows.push_back(std::move(header));
        std::move(rows.begin(), rows.end(), std::back_inserter(s.rows));
        out.push_back(std::move(s));
    }
    return out;
}

TextSheet read_table_file(const std::filesystem::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".csv" || ext == ".CSV") return read_csv_sheet(file);
    auto sheets = read_xlsx_sheets(file);
    if (sheets.empty()) throw InputError(file.string() + "：工作簿中没有工作表 / no worksheet");
    return std::move(sheets.front());
}

}  // namespace minplan::formats
