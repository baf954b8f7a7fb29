// libFuzzer target: annual-data intake from CSV (formats/sheet_reader's CSV reader, encoding detection,
// monitor/sheet and monitor/intake's validation against the shipped plan). The first byte names the file
// (the sheet's kind comes from the file stem or, for any other name, from its header); the rest is the
// file. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "formats/sheet_reader.hpp"
#include "intake_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan;
    if (size == 0) return 0;
    static const char* kNames[] = {"矿山名录.csv", "矿山年报.csv", "勘查成果.csv", "county-2023.csv"};
    const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const fuzz::fs::path file = fuzz::scratch_dir() / kNames[data[0] % 4];

    // The tokenizer alone: physical line numbers, strictly increasing, within the file.
    try {
        const auto sheet = formats::parse_csv_sheet(bytes, file);
        const int lines = 1 + formats::line_breaks(bytes, 0, bytes.size());
        int last = 0;
        for (const auto& row : sheet.rows) {
            fuzz::require(row.number > last && row.number <= lines, "CSV row number out of order or past the end");
            fuzz::require(!row.cells.empty(), "CSV row without cells");
            last = row.number;
        }
    } catch (const InputError&) {
    }
    fuzz::write_file(file, bytes);
    fuzz::run_intake(file);
    return 0;
}
