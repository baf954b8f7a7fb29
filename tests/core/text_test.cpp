// Text helpers used on every CSV cell and code-table value: Windows line ends (CR LF) must not survive a trim.
#include <gtest/gtest.h>

#include "core/text.hpp"

namespace minplan {
namespace {

TEST(Text, TrimRemovesSpacesTabsAndBothLineEndBytes) {
    EXPECT_EQ(trim("  煤炭\t"), "煤炭");
    EXPECT_EQ(trim("煤炭\r\n"), "煤炭");  // the last cell of a CR LF line
    EXPECT_EQ(trim("\r煤炭\r"), "煤炭");
    EXPECT_EQ(trim(" \r\n\t "), "");
    EXPECT_EQ(trim("a b"), "a b");
}

TEST(Text, SplitListTrimsEachPartAndDropsEmptyOnes) {
    EXPECT_EQ(split_list("重点开采区; 重点区\r", ';'), (std::vector<std::string>{"重点开采区", "重点区"}));
    EXPECT_EQ(split_list(";;a;", ';'), (std::vector<std::string>{"a"}));
    EXPECT_TRUE(split_list("", ';').empty());
}

}  // namespace
}  // namespace minplan
