// One service for the 专栏 tables: `minplan table N --json` and /api/tables/N give the same JSON for every
// 专栏 the database holds, including the zone tables 专栏12, 13 and 15 (layers that cite their 专栏).
#include <gtest/gtest.h>

#include <set>

#include "../plan/plan_fixture.hpp"
#include "running_portal.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

TEST(ColumnTables, CliAndApiGiveIdenticalJsonForEveryColumnTable) {
    RunningPortal portal(built_plan());
    auto [sl, list] = portal.get_json("/api/tables");
    ASSERT_EQ(sl, 200);
    std::set<std::string> numbers;
    for (const auto& t : list["tables"]) numbers.insert(t["number"].get<std::string>());
    for (const char* zone : {"12", "13", "15"}) EXPECT_TRUE(numbers.count(zone)) << "专栏" << zone << " is not listed";
    ASSERT_GE(numbers.size(), 10u);
    for (const auto& n : numbers) {
        auto cli = run_cli({"--db", built_plan().string(), "table", n, "--json"});
        ASSERT_EQ(cli.code, 0) << n << ": " << cli.err;
        auto [status, api] = portal.get_json("/api/tables/" + n);
        ASSERT_EQ(status, 200) << n;
        EXPECT_EQ(json::parse(cli.out), api) << "专栏" << n << ": CLI and API disagree";
    }
}

TEST(ColumnTables, ZoneTablesHoldEveryZoneOfTheirLayer) {
    auto store = store::open_store(built_plan().string());
    const std::pair<const char*, const char*> zones[] = {
        {"12", "key_exploration_zones"}, {"13", "key_mining_zones"}, {"15", "restoration_zones"}};
    for (const auto& [number, layer] : zones) {
        auto cli = run_cli({"--db", built_plan().string(), "table", number, "--json"});
        ASSERT_EQ(cli.code, 0) << cli.err;
        auto answer = json::parse(cli.out);
        ASSERT_EQ(answer["tables"].size(), 1u) << number;
        EXPECT_EQ(answer["tables"][0]["id"], layer);
        const auto features = store->read(layer);
        ASSERT_FALSE(features.empty());
        EXPECT_EQ(answer["tables"][0]["rows"].size(), features.size()) << number;
        auto text = run_cli({"--db", built_plan().string(), "table", std::string("专栏") + number});
        EXPECT_EQ(text.code, 0);
        EXPECT_NE(text.out.find(features.front().text("name")), std::string::npos) << text.out.substr(0, 400);
    }
    auto missing = run_cli({"--db", built_plan().string(), "table", "99"});
    EXPECT_EQ(missing.code, 5) << missing.out;
}

}  // namespace
}  // namespace minplan::testing
