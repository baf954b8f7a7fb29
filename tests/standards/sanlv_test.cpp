// 三率 minimums exactly met / just missed / not configured (data/standards/sanlv_thresholds.csv).
#include <gtest/gtest.h>

#include "../shipped_plan.hpp"
#include "standards/loader.hpp"

using namespace minplan::standards;

TEST(StandardsSanlv, CoalMinimumExactlyMetJustMissedAndUnknownMinerals) {
    const auto& t = ::minplan::shipped_standards().sanlv;
    SanlvMine m{"煤炭", "井工", {"中厚煤层"}, {{"开采回采率", 80.0}, {"综合利用率", 75.0}}};
    EXPECT_EQ(t.check(m, 2023).result, SanlvResult::Pass);  // 中厚 ≥80 %, gangue use ≥75 % (2012 announcement)
    m.rates["开采回采率"] = 79.99;
    EXPECT_EQ(t.check(m, 2023).result, SanlvResult::Fail);
    // From 2024-04-01 DZ/T 0462.x-2023 applies; its numbers were not retrieved.
    m.rates["开采回采率"] = 90.0;
    EXPECT_EQ(t.check(m, 2024).result, SanlvResult::Manual);
    SanlvMine silver{"银", "井工", {}, {{"开采回采率", 99.0}}};
    EXPECT_EQ(t.check(silver, 2023).result, SanlvResult::Manual);  // not retrieved → never a pass
    SanlvMine unknown{"萤石", "露天", {}, {{"开采回采率", 99.0}}};
    EXPECT_EQ(t.check(unknown, 2023).result, SanlvResult::Manual);
    EXPECT_FALSE(t.leader_tier_configured());
}
