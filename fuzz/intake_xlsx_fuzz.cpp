// libFuzzer target: annual-data intake from XLSX (formats/sheet_reader through GDAL's XLSX driver,
// monitor/sheet and monitor/intake's validation against the shipped plan). First byte even: the rest is
// the .xlsx file itself (ZIP-level damage); odd: the rest is worksheet XML parts that a valid workbook is
// built around (fuzz/xlsx_parts.hpp), which is where the reader's own logic is. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "formats/sheet_reader.hpp"
#include "intake_checks.hpp"
#include "xlsx_parts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan;
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const fuzz::fs::path file = fuzz::scratch_dir() / "annual.xlsx";
    fuzz::write_file(file, (data[0] & 1) ? fuzz::xlsx_from_parts(rest) : std::string(rest));

    // The reader alone: a header row 1, then data rows numbered as a spreadsheet shows them, increasing.
    try {
        for (const auto& sheet : formats::read_xlsx_sheets(file)) {
            fuzz::require(!sheet.rows.empty() && sheet.rows.front().number == 1, "XLSX sheet without header row 1");
            int last = 1;
            for (std::size_t i = 1; i < sheet.rows.size(); ++i) {
                fuzz::require(sheet.rows[i].number > last, "XLSX row numbers not increasing", sheet.name);
                fuzz::require(sheet.rows[i].cells.size() == sheet.rows.front().cells.size(), "XLSX row wider than its header");
                last = sheet.rows[i].number;
            }
        }
    } catch (const InputError&) {
    }
    fuzz::run_intake(file);
    return 0;
}
