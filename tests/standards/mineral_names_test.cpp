// data/schema/minerals.csv: canonical names, synonyms, mineral class; unknown names are not guessed.
#include <gtest/gtest.h>

#include "../shipped_plan.hpp"
#include "standards/loader.hpp"

using namespace minplan::standards;

TEST(StandardsMineralNames, NamesAndSynonymsResolveUnknownNamesDoNot) {
    const auto& m = ::minplan::shipped_standards().minerals;
    EXPECT_EQ(m.canonical("煤炭"), "煤炭");
    EXPECT_EQ(m.canonical(" 煤 "), "煤炭");
    EXPECT_EQ(m.canonical("铁矿石"), "铁");
    EXPECT_EQ(m.canonical("地热能"), "地热");
    EXPECT_EQ(m.canonical("萤石矿石矿"), std::nullopt);
    EXPECT_EQ(m.canonical(""), std::nullopt);
    EXPECT_TRUE(m.known("原煤"));
    EXPECT_FALSE(m.known("不存在的矿"));
}

TEST(StandardsMineralNames, MineralClassFromClass123) {
    const auto& m = ::minplan::shipped_standards().minerals;
    EXPECT_EQ(m.mineral_class("砂石粘土"), 3);       // 第二章第三节 第三类矿产
    EXPECT_EQ(m.mineral_class("煤"), std::nullopt);  // class_123 blank
    EXPECT_EQ(m.mineral_class("不存在的矿"), std::nullopt);
}
