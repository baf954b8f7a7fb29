// The units of the plan and reference tables: conversions within one dimension only, and the spelling
// the review compares.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "standards/units.hpp"

using namespace minplan::standards;

TEST(StandardsUnits, ConversionsWithinADimensionOnly) {
    EXPECT_DOUBLE_EQ(convert(1.2, "亿吨", "", "万吨", "", "t"), 12000.0);
    EXPECT_DOUBLE_EQ(convert(250, "公顷", "", "平方公里", "", "t"), 2.5);
    // 1 亩 = 10000/15 m² (the statutory 市亩): 1500 亩 = 1 km², 15 亩 = 1 公顷.
    EXPECT_NEAR(convert(1500, "亩", "", "平方公里", "", "t"), 1.0, 1e-12);
    EXPECT_NEAR(convert(15, "亩", "", "公顷", "", "t"), 1.0, 1e-12);
    EXPECT_THROW(convert(1, "万吨", "", "万立方米", "", "t"), minplan::InputError);
    EXPECT_THROW(convert(1, "万吨", "矿石量", "万吨", "金属量", "t"), minplan::InputError);
    EXPECT_THROW(convert(1, "担", "", "万吨", "", "t"), minplan::InputError);
}

TEST(StandardsUnits, NormalisedSpellingDropsThePerYearSuffixAndSpaces) {
    EXPECT_EQ(normalise_unit("万吨/年"), "万吨");
    EXPECT_EQ(normalise_unit("万吨 ／年"), "万吨");
    EXPECT_EQ(normalise_unit("万吨每年"), "万吨");
    EXPECT_EQ(normalise_unit("万m3/年"), "万立方米");
    EXPECT_EQ(normalise_unit("万m³"), "万立方米");
    EXPECT_NE(normalise_unit("吨/年"), normalise_unit("万吨/年"));
}
