// One engine answering many applications in turn, as the server's shared setup does: what it keeps between
// checks (PlaneCache: features in the application's plane; SharedAreaMemo: the areas a planning zone shares
// with the rights in it) must never change an answer. Every review case of tests/data/rules/cases (hand-computed
// expectations, checked on a fresh engine per case by RuleCases.*) is checked twice over on one engine, and
// each report must equal, finding for finding, that of a fresh engine.
#include <gtest/gtest.h>

#include <algorithm>

#include "rules/application_loader.hpp"
#include "test_plan.hpp"

namespace minplan::rules {
namespace {

using testing::Fixture;
using testing::read_json;
using testing::rules_data;

TEST(WarmEngine, ManyApplicationsOnOneEngineGiveTheAnswersOfAFreshEngine) {
    auto& fx = Fixture::get();
    struct Case {
        std::string name;
        Application app;
    };
    std::vector<Case> cases;
    for (const auto& file : testing::case_files()) {
        const auto c = read_json(file);
        // Cases that fail to load, or change a rule's parameters, need an engine of their own.
        if (c["expect"].contains("error") || c.contains("parameters")) continue;
        cases.push_back({file.filename().string(), load_application(rules_data() / c["application"].get<std::string>(),
                                                                    testing::case_options(c), fx.setup->engine->polygon_options())});
    }
    ASSERT_GT(cases.size(), 30u);
    const Engine shared(*fx.setup->index, fx.setup->rules, fx.setup->minerals, fx.setup->sizes);
    int zone_counts = 0;
    for (int round = 0; round < 2; ++round)
        for (const auto& c : cases) {
            SCOPED_TRACE(c.name + " round " + std::to_string(round));
            const Engine fresh(*fx.setup->index, fx.setup->rules, fx.setup->minerals, fx.setup->sizes);
            const Report want = fresh.check(c.app);
            const Report got = shared.check(c.app);
            EXPECT_EQ(got.verdict, want.verdict);
            ASSERT_EQ(got.findings.size(), want.findings.size());
            for (std::size_t i = 0; i < got.findings.size(); ++i) {
                const Finding &g = got.findings[i], &w = want.findings[i];
                EXPECT_EQ(g.result, w.result) << g.rule_id;
                EXPECT_EQ(g.message, w.message) << g.rule_id;
                EXPECT_EQ(g.data, w.data) << g.rule_id;
                ASSERT_EQ(g.evidence.size(), w.evidence.size()) << g.rule_id;
                for (std::size_t k = 0; k < g.evidence.size(); ++k) {
                    EXPECT_EQ(g.evidence[k].feature_id, w.evidence[k].feature_id) << g.rule_id;
                    EXPECT_EQ(g.evidence[k].overlap_plane_m2, w.evidence[k].overlap_plane_m2) << g.rule_id;
                    EXPECT_EQ(g.evidence[k].overlap_ellipsoid_m2, w.evidence[k].overlap_ellipsoid_m2) << g.rule_id;
                }
                if (g.data.contains("zones")) ++zone_counts;
            }
        }
    EXPECT_GT(zone_counts, 4);  // zone counts were computed from memoised areas in the second round at least
    EXPECT_GT(shared.plane_cache().stats().hits, 0u);
}

}  // namespace
}  // namespace minplan::rules
