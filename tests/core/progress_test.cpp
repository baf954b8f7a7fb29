// The progress bar's rate and time left (what a bureau watching an overnight audit reads).
#include <gtest/gtest.h>

#include "core/progress.hpp"

namespace minplan {
namespace {

TEST(ProgressRate, ShowsTheRateAndTheTimeLeft) {
    EXPECT_EQ(Progress::render("审查矿业权", 300, 1000, 4, 10.0), "审查矿业权 [█░░░] 30% 300/1000 30/秒 剩余 0:23");
    EXPECT_EQ(Progress::render("审查", 5, 20, 2, 2.0), "审查 [░░] 25% 5/20 2.5/秒 剩余 0:06");
    EXPECT_EQ(Progress::render("审查", 20, 20, 2, 4.0), "审查 [██] 100% 20/20 5.0/秒") << "nothing left: no ETA";
    EXPECT_EQ(Progress::render("导入", 7, 0, 2, 1.0), "导入 7 7.0/秒") << "unknown total: rate only";
    EXPECT_EQ(Progress::render("导入", 0, 10, 2, 5.0), "导入 [░░] 0% 0/10") << "no rate before the first item";
    EXPECT_EQ(Progress::render("导入", 3, 4, 4), "导入 [███░] 75% 3/4") << "no time given: as before";
}

TEST(ProgressRate, DurationsReadAsClockTimes) {
    EXPECT_EQ(Progress::duration(0), "0:00");
    EXPECT_EQ(Progress::duration(7.4), "0:07");
    EXPECT_EQ(Progress::duration(754), "12:34");
    EXPECT_EQ(Progress::duration(3723), "1:02:03");
}

}  // namespace
}  // namespace minplan
