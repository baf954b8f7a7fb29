// What the fuzzers of fuzz/ found (fuzz/README.md "Findings"): each finding as a test that failed before
// its fix. The inputs themselves are also in the fuzz corpora, which the fuzz_replay_* tests replay.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "../rules/test_plan.hpp"
#include "core/error.hpp"
#include "formats/sheet_reader.hpp"
#include "rules/application_loader.hpp"

namespace minplan::rules::testing {
namespace {

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return std::string("InputError: ") + e.what();
    } catch (const std::exception& e) {
        return std::string("other: ") + e.what();
    }
    return "(accepted)";
}

// GeoJSON posted to /api/check (CheckService: application_from_bytes with "application.geojson") went to
// the coordinate-text parsers: every GeoJSON upload of the portal was refused as "无法识别坐标串格式".
TEST(FuzzFindings, GeoJsonBytesAreReadAsGeoJson) {
    auto& fx = Fixture::get();
    LoadOptions o;
    o.kind = "mining";
    const std::string geojson = read_bytes(rules_data() / "formats" / "app.geojson");
    const Application from_bytes = application_from_bytes(geojson, "application.geojson", o, fx.setup->engine->polygon_options());
    const Application from_file = load_application(rules_data() / "formats" / "app.geojson", o, fx.setup->engine->polygon_options());
    EXPECT_EQ(from_bytes.source_format, "geojson");
    EXPECT_NEAR(from_bytes.area_m2, from_file.area_m2, 1e-6 * from_file.area_m2);
}

// Valid JSON that is not GeoJSON is the user's mistake (InputError, exit 3), not a file that cannot be
// read (IoError, exit 4); the message names the upload, never the /vsimem/ scratch path.
TEST(FuzzFindings, JsonThatIsNotGeoJsonIsAnInputError) {
    auto& fx = Fixture::get();
    LoadOptions o;
    o.kind = "mining";
    for (const char* text : {"[1, 2]", "{}", "{\"type\": \"Topology\"}", "3"}) {
        const std::string msg =
            error_of([&] { application_from_bytes(text, "application.geojson", o, fx.setup->engine->polygon_options()); });
        EXPECT_EQ(msg.rfind("InputError: ", 0), 0u) << text << " → " << msg;
        EXPECT_EQ(msg.find("/vsimem/"), std::string::npos) << msg;
        EXPECT_NE(msg.find("application.geojson"), std::string::npos) << msg;
    }
}

// A CSV with old Mac line ends (CR only): GDAL ends a record at each CR, but the line count looked for LF
// only, so every row of such a file was "line 1" in the intake's messages (intake_csv_fuzz: row numbers
// must increase).
TEST(FuzzFindings, CsvRowsWithCrLineEndsAreNumberedByLine) {
    for (const std::string& text : {std::string("a,b\r1,2\r3,4\r"), std::string("a,b\n1,2\r\n\r3,4\n"),
                                    std::string("a,b\r\n\r\n1,2\r3,4")}) {
        const auto sheet = formats::parse_csv_sheet(text, "x.csv");
        ASSERT_EQ(sheet.rows.size(), 3u) << text;
        EXPECT_EQ(sheet.rows[0].number, 1);
        EXPECT_LT(sheet.rows[0].number, sheet.rows[1].number) << text;
        EXPECT_LT(sheet.rows[1].number, sheet.rows[2].number) << text;
    }
    EXPECT_EQ(formats::parse_csv_sheet("a,b\r1,2\r3,4\r", "x.csv").rows[2].number, 3);
    EXPECT_EQ(formats::parse_csv_sheet("a,b\n1,2\r\n\r3,4\n", "x.csv").rows[2].number, 4);
}

// Found by hand while intake_csv_fuzz ran (its inputs are capped at 64 KiB): one 15 MiB line of commas
// (15 million empty cells) took 1.5 GB, 100× the file. Cells per row are capped at Excel's 16,384 before
// GDAL splits the record; commas inside quotes are text.
TEST(FuzzFindings, CsvRowWiderThanExcelIsRefusedBeforeItIsSplit) {
    const std::string wide = "a,b\n1" + std::string(formats::kMaxSheetColumns, ',') + "\n";  // 16,385 cells on line 2
    const std::string msg = error_of([&] { formats::parse_csv_sheet(wide, "wide.csv"); });
    EXPECT_EQ(msg.rfind("InputError: ", 0), 0u) << msg.substr(0, 200);
    EXPECT_NE(msg.find("wide.csv:2"), std::string::npos) << msg.substr(0, 200);
    EXPECT_NE(msg.find("16384"), std::string::npos) << msg.substr(0, 200);
    const std::string widest = "a\n1" + std::string(formats::kMaxSheetColumns - 1, ',') + "\n";  // exactly 16,384
    EXPECT_EQ(formats::parse_csv_sheet(widest, "ok.csv").rows[1].cells.size(), formats::kMaxSheetColumns);
    const std::string quoted = "a,b\n\"" + std::string(3 * formats::kMaxSheetColumns, ',') + "\n\",2\n";  // one text cell
    EXPECT_EQ(formats::parse_csv_sheet(quoted, "q.csv").rows[1].cells.size(), 2u);
}

// Attribute text must be UTF-8: a bare TOML value or a key=value override (the CLI's --attr, /api/check's
// query: name=%FF) with a raw byte was accepted, and the report's JSON could not be written
// (nlohmann type_error 316, exit 10); a non-UTF-8 number (`scale = \xff`) threw that type_error while the
// error message was written. attributes_fuzz: accepted attributes must dump as JSON; only InputError.
TEST(FuzzFindings, AttributeTextThatIsNotUtf8IsAnInputError) {
    EXPECT_EQ(error_of([] { Attributes::from_toml_text("name = \xff\xfe\n", "a.toml"); }).rfind("InputError: ", 0), 0u);
    const std::string gbk = error_of([] { Attributes::from_toml_text("applicant = \"\xb6\xa1\xb9\xab\xcb\xbe\"\n", "a.toml"); });
    EXPECT_NE(gbk.find("UTF-8"), std::string::npos) << gbk;
    EXPECT_EQ(error_of([] { Attributes::from_toml_text("scale = \xff\n", "a.toml"); }).rfind("InputError: ", 0), 0u);
    for (const char* key : {"name", "associated_minerals", "scale", "for_profit"}) {
        const std::string msg = error_of([&] {
            Attributes a;
            a.set_from_text(key, "\xff");
        });
        EXPECT_EQ(msg.rfind("InputError: ", 0), 0u) << key << " → " << msg;
        EXPECT_NE(msg.find(key), std::string::npos) << msg;
    }
    Attributes ok;
    ok.set_from_text("name", "测试煤矿");
    EXPECT_EQ(ok.text("name"), "测试煤矿");
}

}  // namespace
}  // namespace minplan::rules::testing
