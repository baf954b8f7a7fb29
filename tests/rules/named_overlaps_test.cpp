// A message names at most kNamedOverlaps overlaps, the largest first, and says how many there are in all;
// the evidence keeps every one. Fewer are named as they come.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/check_context.hpp"

namespace minplan::rules::detail {
namespace {

std::string spelt(const std::vector<double>& m2, std::size_t* calls = nullptr) {
    return named_overlaps(m2, [&](std::size_t i) {
        if (calls) ++*calls;
        return "F" + std::to_string(i);
    }, "；");
}

TEST(NamedOverlaps, AFewAreAllNamedInTheirOrder) {
    EXPECT_EQ(spelt({}), "");
    EXPECT_EQ(spelt({5}), "F0");
    EXPECT_EQ(spelt({1, 9, 3}), "F0；F1；F2");
    std::vector<double> ten(kNamedOverlaps, 1.0);
    std::string expected;
    for (std::size_t i = 0; i < kNamedOverlaps; ++i) expected += (i ? "；F" : "F") + std::to_string(i);
    EXPECT_EQ(spelt(ten), expected);
}

TEST(NamedOverlaps, ManyNameTheLargestAndCountAll) {
    // 14 overlaps: areas 0..13 in a shuffled order, and a tie between F2 and F9 (both 12 m²).
    const std::vector<double> m2 = {3, 7, 12, 0, 1, 10, 5, 2, 11, 12, 4, 8, 6, 9};
    std::size_t calls = 0;
    const std::string text = spelt(m2, &calls);
    EXPECT_EQ(calls, kNamedOverlaps);  // only the named ones are spelt
    // Largest first: 12 (F2, then F9: ties keep their order), 11 (F8), 10 (F5), 9 (F13), 8 (F11), 7 (F1),
    // 6 (F12), 5 (F6), 4 (F10).
    EXPECT_EQ(text, "F2；F9；F8；F5；F13；F11；F1；F12；F6；F10等共 14 处（此处列出重叠面积最大的 10 处，全部见证据）");
}

}  // namespace
}  // namespace minplan::rules::detail
