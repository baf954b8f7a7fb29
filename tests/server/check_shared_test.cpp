// The check service keeps one review setup per plan version, shared by every worker (not a copy of the
// plan per worker), and concurrent checks through it give the answer a single check gives.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "../rules/test_plan.hpp"
#include "rules/application_loader.hpp"
#include "rules/report.hpp"
#include "server/check_api.hpp"
#include "store/plan_database.hpp"

namespace minplan::server {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CheckService, OneSharedSetupServesConcurrentChecks) {
    auto& fx = rules::testing::Fixture::get();
    CheckService service(store::open_database(fx.path.string()));
    EXPECT_EQ(service.shared_setup_for_test(), nullptr);  // nothing is loaded before the first check
    const std::string body = slurp(rules::testing::rules_data() / "apps" / "r09_fail.txt");
    const Params params = {{"kind", "mining"}, {"main_mineral", "煤"}};
    const auto expected = service.check(body, false, params);
    const void* shared = service.shared_setup_for_test();
    ASSERT_NE(shared, nullptr);
    std::vector<std::thread> threads;
    std::atomic<int> same{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                auto got = service.check(body, false, params);
                if (got["verdict"] == expected["verdict"] && got["findings"] == expected["findings"]) ++same;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(same.load(), 20);
    EXPECT_EQ(service.shared_setup_for_test(), shared);  // still the one setup: no copy per worker
}

// A fresh server opens its readers and the setup before the first check; the checks then use them (no
// second setup, no reader opened beyond the pool's size) and answer as a service that was not warmed up.
TEST(CheckService, WarmingUpOpensThePoolAndChangesNoAnswer) {
    auto& fx = rules::testing::Fixture::get();
    CheckService warmed(store::open_database(fx.path.string()));
    warmed.warm_up();
    const void* shared = warmed.shared_setup_for_test();
    ASSERT_NE(shared, nullptr);
    EXPECT_GT(warmed.box_indexes_for_test(), 0u);  // the spatial layers' box indexes are built ahead too
    EXPECT_EQ(warmed.idle_readers_for_test(), CheckService::max_readers());
    warmed.warm_up();  // a full pool: nothing more is opened
    EXPECT_EQ(warmed.idle_readers_for_test(), CheckService::max_readers());
    const std::string body = slurp(rules::testing::rules_data() / "apps" / "r09_fail.txt");
    const Params params = {{"kind", "mining"}, {"main_mineral", "煤"}};
    auto got = warmed.check(body, false, params);
    EXPECT_EQ(warmed.shared_setup_for_test(), shared);
    EXPECT_EQ(warmed.idle_readers_for_test(), CheckService::max_readers());
    CheckService cold(store::open_database(fx.path.string()));
    auto expected = cold.check(body, false, params);
    got.erase("engine_ms");
    expected.erase("engine_ms");
    EXPECT_EQ(got, expected);
}

// A JSON check draws no map (its report has none): the same findings, figures and verdict as the check that
// draws the opinion's map, which does copy the overlapping features for it.
TEST(CheckService, AJsonCheckWithoutTheMapGivesTheSameReport) {
    auto& fx = rules::testing::Fixture::get();
    CheckService service(store::open_database(fx.path.string()));
    const std::string body = slurp(rules::testing::rules_data() / "apps" / "r09_fail.txt");
    const Params params = {{"kind", "mining"}, {"main_mineral", "煤"}};
    auto json = service.check(body, false, params);
    auto drawn = service.review(body, false, params);
    ASSERT_TRUE(drawn.model);
    EXPECT_FALSE(drawn.model->map_features.empty()) << "the fixture's application overlaps plan features";
    json.erase("engine_ms");
    drawn.report.erase("engine_ms");
    EXPECT_EQ(json, drawn.report);
}

}  // namespace
}  // namespace minplan::server
