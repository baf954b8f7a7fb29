// PlanIndex::derived: a digest is made once per plan version and kept per (type, key).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/engine.hpp"
#include "rules/plan_index.hpp"
#include "test_plan.hpp"

namespace minplan::rules {
namespace {

using testing::Fixture;

TEST(PlanIndexDerived, ADigestIsMadeOnceAndKept) {
    const PlanIndex& index = Fixture::get().setup->engine->index();
    int made = 0;
    const auto make = [&] {
        ++made;
        return std::vector<int>{1, 2, 3};
    };
    const auto& first = index.derived<std::vector<int>>("memo-test-once", make);
    const auto& second = index.derived<std::vector<int>>("memo-test-once", make);
    EXPECT_EQ(made, 1);
    EXPECT_EQ(&first, &second);
    EXPECT_EQ(second, (std::vector<int>{1, 2, 3}));
}

TEST(PlanIndexDerived, TwoTypesUnderOneKeyKeepTheirOwnValues) {
    // Keyed by the name only, the second call would read the vector<int> as a string.
    const PlanIndex& index = Fixture::get().setup->engine->index();
    const auto& numbers = index.derived<std::vector<int>>("memo-test-shared-key", [] { return std::vector<int>{42}; });
    const auto& text = index.derived<std::string>("memo-test-shared-key", [] { return std::string("四十二"); });
    EXPECT_EQ(numbers, std::vector<int>{42});
    EXPECT_EQ(text, "四十二");
}

}  // namespace
}  // namespace minplan::rules
