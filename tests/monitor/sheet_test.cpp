// Intake files as sheets: CSV row numbers are the lines a person sees (banner, blank lines and quoted
// cells spanning lines included), the header is found after '#' notes, an unterminated quote is refused;
// workbooks written by formats::write_xlsx read back with their sheet names, header and rows.
#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/sheet.hpp"

namespace fs = std::filesystem;
using namespace minplan;
using namespace minplan::monitor;

namespace {

class SheetTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("minplan-sheet-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path write(const std::string& name, const std::string& bytes) {
        auto p = dir_ / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    fs::path dir_;
};

}  // namespace

TEST_F(SheetTest, CsvRowsAreNumberedByTheLineWhereTheyStart) {
    // BOM, a '#' banner containing ';' (no separator guessing), CRLF, a blank line, a quoted cell over two
    // lines, an escaped quote, a row longer than the header and a trailing-blank header cell.
    auto file = write("年报.csv",
                      "\xEF\xBB\xBF# 示例数据; 虚构\n年度*,矿山编号* ,来源\r\n2021,GM-01,\"第一行\n第二行\"\n\n2022,\"GM-\"\"02\",x,多余\n"
                      "# 中间的注释行\n,,\n");
    auto sheets = read_sheets(file);
    ASSERT_EQ(sheets.size(), 1u);
    const Sheet& s = sheets[0];
    EXPECT_EQ(s.name, "年报");
    EXPECT_EQ(s.header_row, 2);
    EXPECT_EQ(s.header, (std::vector<std::string>{"年度*", "矿山编号*", "来源"}));
    ASSERT_EQ(s.rows.size(), 3u);
    EXPECT_EQ(s.rows[0].number, 3);
    EXPECT_EQ(s.rows[0].cells, (std::vector<std::string>{"2021", "GM-01", "第一行\n第二行"}));
    EXPECT_EQ(s.rows[1].number, 6);
    EXPECT_EQ(s.rows[1].cells, (std::vector<std::string>{"2022", "GM-\"02", "x", "多余"}));
    EXPECT_EQ(s.rows[2].number, 8);
    EXPECT_EQ(s.rows[2].cells, (std::vector<std::string>{"", "", ""}));
}

TEST_F(SheetTest, CsvUnterminatedQuoteNamesItsLine) {
    auto file = write("bad.csv", "a,b\n1,2\n3,\"open\n4,5\n");
    try {
        read_sheets(file);
        ADD_FAILURE() << "accepted an unterminated quote";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.csv:3: 引号未闭合"), std::string::npos) << e.what();
    }
}

TEST_F(SheetTest, MissingFileAndUnknownTypeAreRefused) {
    EXPECT_THROW(read_sheets(dir_ / "none.csv"), IoError);
    EXPECT_THROW(read_sheets(write("x.txt", "a,b\n")), InputError);
}

TEST_F(SheetTest, WrittenWorkbookReadsBackWithSheetNamesHeadersAndRows) {
    TableView a;
    a.sheet_name = "矿山年报";
    a.headers = {"年度*", "矿山编号*", "矿石产量"};
    a.units = {"", "", "万吨"};
    a.rows = {{Cell::of("2022"), Cell::of("GM-01"), Cell::num(1234.5, 2)}, {Cell::of(""), Cell::of(""), Cell::of("")},
              {Cell::of("2023"), Cell::of("GM-02"), Cell::opt(std::nullopt, 2, "—")}};
    TableView b = a;
    b.sheet_name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五";  // 35 characters
    TableView c = b;  // the same long name again: made unique
    const auto file = dir_ / "out.xlsx";
    formats::write_xlsx(file, {a, b, c});
    auto sheets = read_sheets(file);
    ASSERT_EQ(sheets.size(), 3u);
    EXPECT_EQ(sheets[0].name, "矿山年报");
    EXPECT_EQ(sheets[1].name, b.sheet_name.substr(0, 28 * 3));
    EXPECT_EQ(sheets[2].name, b.sheet_name.substr(0, 28 * 3) + "_");
    const Sheet& s = sheets[0];
    EXPECT_EQ(s.header, (std::vector<std::string>{"年度*", "矿山编号*", "矿石产量（万吨）"}));
    ASSERT_EQ(s.rows.size(), 2u);  // the empty row is skipped, the numbering keeps it
    EXPECT_EQ(s.rows[0].number, 2);
    EXPECT_EQ(s.rows[0].cells, (std::vector<std::string>{"2022", "GM-01", "1234.5"}));
    EXPECT_EQ(s.rows[1].number, 4);
    EXPECT_EQ(s.rows[1].cells, (std::vector<std::string>{"2023", "GM-02", "—"}));
}

TEST_F(SheetTest, UnwritableWorkbookThrowsIoError) {
    TableView t;
    t.sheet_name = "x";
    t.headers = {"a"};
    EXPECT_THROW(formats::write_xlsx(dir_ / "no-such-dir" / "out.xlsx", {t}), IoError);
}
