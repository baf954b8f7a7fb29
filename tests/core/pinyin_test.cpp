// Pinyin-initial matching (core/pinyin.hpp) on the shipped table and on a small hand-written one: the initials
// below are the readings of each character as any dictionary gives them (塔 tǎ, 山 shān, 矿 kuàng, 大 dà,
// 同 tóng, 长 cháng/zhǎng).
#include <gtest/gtest.h>

#include <fstream>

#include "../plan/plan_fixture.hpp"
#include "core/error.hpp"
#include "core/pinyin.hpp"

namespace minplan::testing {
namespace {

TEST(PinyinInitials, ShippedTableMatchesConsecutiveInitials) {
    const auto& p = PinyinInitials::shipped();
    EXPECT_TRUE(p.matches("同煤大唐塔山煤矿有限公司塔山矿", "tsk"));   // 塔山矿
    EXPECT_TRUE(p.matches("同煤大唐塔山煤矿有限公司塔山矿", "TSMK"));  // 塔山煤矿, any case
    EXPECT_TRUE(p.matches("大同市", "dts"));
    EXPECT_FALSE(p.matches("大同市", "ds")) << "initials of consecutive characters only";
    EXPECT_FALSE(p.matches("大同市", "dtsx")) << "longer than the name";
    EXPECT_TRUE(p.matches("长城", "cc"));
    EXPECT_TRUE(p.matches("长城", "zc")) << "a polyphonic character matches each reading";
    EXPECT_TRUE(p.matches("TK-01煤矿", "tk")) << "ASCII letters stand for themselves";
    EXPECT_FALSE(p.matches("大同市", ""));
}

TEST(PinyinInitials, OnlyLettersLookLikeInitials) {
    EXPECT_TRUE(PinyinInitials::looks_like_initials("tsk"));
    EXPECT_FALSE(PinyinInitials::looks_like_initials("t")) << "one letter would match half the names";
    EXPECT_FALSE(PinyinInitials::looks_like_initials("TK-01"));
    EXPECT_FALSE(PinyinInitials::looks_like_initials("塔山"));
}

TEST(PinyinInitials, LoadsATableAndRefusesAMalformedLine) {
    TempDir dir;
    const auto good = dir.path() / "good.txt";
    std::ofstream(good) << "# comment\nd\t大\nt\t同塔\ns\t山\nc\t长\nz\t长\n";
    auto table = PinyinInitials::load(good);
    EXPECT_TRUE(table.matches("大同", "dt"));
    EXPECT_TRUE(table.matches("长", "z"));
    EXPECT_FALSE(table.matches("矿", "k")) << "not in this table";
    const auto bad = dir.path() / "bad.txt";
    std::ofstream(bad) << "d\t大\nDT 大同\n";
    try {
        PinyinInitials::load(bad);
        FAIL() << "malformed line accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("第 2 行"), std::string::npos) << e.what();
    }
    EXPECT_THROW(PinyinInitials::load(dir.path() / "missing.txt"), IoError);
}

}  // namespace
}  // namespace minplan::testing
