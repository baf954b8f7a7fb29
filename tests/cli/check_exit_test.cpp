// `minplan check` ends in 1 exactly when the verdict is 不符合 (README "Exit codes"). The verdicts are known
// independently: the rule cases of tests/data/rules (made by make_cases.py) and the verdict rule of
// docs/review.md (a failed 否决 rule → 不符合).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "../plan/plan_fixture.hpp"
#include "../rules/test_plan.hpp"
#include "cli/app.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

TEST(CheckExit, NonConformantIsOneAndReviewIsZero) {
    auto& fx = rules::testing::Fixture::get();
    const auto apps = rules::testing::rules_data() / "apps";
    // r09_fail.txt lies in the nature reserve KZ-T-01: R09 (否决) 不通过 → 不符合 → exit 1.
    CliResult bad = run_cli({"--db", fx.path.string(), "check", (apps / "r09_fail.txt").string(), "--kind", "mining",
                             "--attr", "main_mineral=煤"});
    EXPECT_EQ(bad.code, cli::kNonConformant) << bad.err;
    EXPECT_EQ(json::parse(bad.out, nullptr, false).value("verdict", ""), "不符合");
    // input_swapped.txt with the case's attributes: X/Y swapped, corrected and noted → R00 需人工核查, the case
    // expects the verdict 需人工核查 → exit 0.
    const json c = rules::testing::read_json(rules::testing::rules_data() / "cases" / "input_swapped.json");
    TempDir dir;
    const auto attrs = dir.path() / "attrs.json";
    std::ofstream(attrs) << c["attrs"].dump();
    CliResult review = run_cli({"--db", fx.path.string(), "check", (apps / "input_swapped.txt").string(), "--kind", "mining",
                                "--attrs", attrs.string()});
    EXPECT_EQ(review.code, cli::kOk) << review.err;
    EXPECT_EQ(c["expect"]["verdict"], "需人工核查");
    EXPECT_EQ(json::parse(review.out, nullptr, false).value("verdict", ""), "需人工核查");
}

}  // namespace
}  // namespace minplan::testing
