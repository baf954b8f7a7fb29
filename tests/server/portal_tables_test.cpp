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

// The listing numbers 专栏 as the plan prints them (专栏2, not 02: seed L320 "专栏2　截止2020年底全市矿山企业一览表"),
// and "2", "02" and "专栏2" name the same 专栏.
TEST(ColumnTables, NumbersAreThePlansAndEverySpellingFindsTheTable) {
    RunningPortal portal(built_plan());
    auto [sl, list] = portal.get_json("/api/tables");
    ASSERT_EQ(sl, 200);
    std::string number;
    for (const auto& t : list["tables"])
        if (t["id"] == "zl02_mines_by_county") number = t["number"].get<std::string>();
    EXPECT_EQ(number, "2");
    auto [s2, two] = portal.get_json("/api/tables/2");
    ASSERT_EQ(s2, 200);
    ASSERT_EQ(two["tables"].size(), 1u);
    EXPECT_EQ(two["tables"][0]["id"], "zl02_mines_by_county");
    for (const char* spelling : {"02", "%E4%B8%93%E6%A0%8F2"}) {  // 02, 专栏2
        auto [status, same] = portal.get_json(std::string("/api/tables/") + spelling);
        ASSERT_EQ(status, 200) << spelling;
        EXPECT_EQ(same["tables"], two["tables"]) << spelling;
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

TEST(SharedParsing, CliAndApiAcceptAndRefuseTheSameBoundingBoxes) {
    RunningPortal portal(built_plan());
    const char* bad[] = {"1,2,3", "113,39,114", "a,39,114,40", "113,39,114,40,5", "113,39,200,40", "114,39,113,40", "113,,114,40"};
    for (const char* box : bad) {
        auto cli = run_cli({"--db", built_plan().string(), "query", "mining_blocks", "--bbox", box});
        EXPECT_EQ(cli.code, 3) << box;
        auto [status, body] = portal.get_json(std::string("/api/layers/mining_blocks/features?bbox=") + box);
        EXPECT_EQ(status, 400) << box;
        std::string message = body["error"]["message"];
        EXPECT_NE(cli.err.find(message), std::string::npos) << box << ": CLI said " << cli.err << ", API said " << message;
    }
    auto cli = run_cli({"--db", built_plan().string(), "query", "mining_blocks", "--bbox", "112,39,115,41", "--json"});
    ASSERT_EQ(cli.code, 0) << cli.err;
    auto [status, api] = portal.get_json("/api/layers/mining_blocks/features?bbox=112,39,115,41&limit=50000");
    ASSERT_EQ(status, 200);
    EXPECT_EQ(json::parse(cli.out)["features"].size(), api["features"].size());
}

// Consistency between the two front ends (not correctness: tests/monitor/ work the values out by hand).
TEST(SharedMonitoring, CliAndApiGiveTheSameYearEvaluation) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const fs::path samples = source_dir() / "data" / "samples";
    auto intake = run_cli({"--db", db.string(), "intake", (samples / "sample_2021-2023_annual.xlsx").string()});
    ASSERT_EQ(intake.code, 0) << intake.err;
    RunningPortal portal(db);
    for (int year = 2021; year <= 2025; ++year) {
        auto cli = run_cli({"--db", db.string(), "monitor", "--year", std::to_string(year), "--json"});
        ASSERT_EQ(cli.code, 0) << cli.err;
        auto [status, api] = portal.get_json("/api/monitor?year=" + std::to_string(year));
        ASSERT_EQ(status, 200);
        ASSERT_TRUE(api.contains("downloads"));
        api.erase("downloads");  // links exist only over HTTP
        EXPECT_EQ(json::parse(cli.out), api) << year;
    }
    // The plan's period is 2021–2025 (its title): the years just outside, and a far one, are refused by both.
    for (const char* year : {"2020", "2026", "2030"}) {
        auto outside = run_cli({"--db", db.string(), "monitor", "--year", year, "--json"});
        EXPECT_EQ(outside.code, 3) << year;
        EXPECT_NE(outside.err.find("不在规划期 2021–2025 内"), std::string::npos) << outside.err;
        auto [status, body] = portal.get_json(std::string("/api/monitor?year=") + year);
        EXPECT_EQ(status, 400) << year;
    }
}

}  // namespace
}  // namespace minplan::testing
