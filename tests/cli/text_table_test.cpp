// The terminal tables' alignment: a CJK character takes two columns. Expected layouts written out by hand.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/text_table.hpp"

namespace minplan::cli {
namespace {

TEST(TextTable, CjkCharactersTakeTwoColumns) {
    EXPECT_EQ(display_width("abc"), 3u);
    EXPECT_EQ(display_width("煤炭"), 4u);    // 2 characters × 3 bytes, 2 columns each
    EXPECT_EQ(display_width("合计 233"), 8u);  // 4 + space + 3
    EXPECT_EQ(display_width("é"), 1u);      // 2-byte sequence: one column
}

TEST(TextTable, ColumnsAreAlignedOnDisplayWidth) {
    TextTable t({"矿种", "n"});
    t.add({"煤", "58"});
    t.add({"ab", "233"});
    std::ostringstream out;
    t.print(out);
    // Widths: column 1 = max(4 "矿种", 2 "煤", 2 "ab") = 4; column 2 = max(1, 2, 3) = 3.
    // 煤 (2 columns) is padded with 2 spaces, ab with 2, n with 2, 58 with 1; the rule under the header is
    // 4 dashes, "-+-", 3 dashes.
    EXPECT_EQ(out.str(),
              "矿种 | n  \n"
              "-----+----\n"
              "煤   | 58 \n"
              "ab   | 233\n");
}

}  // namespace
}  // namespace minplan::cli
