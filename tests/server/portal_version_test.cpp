// Every service of the portal follows the database's one version: after a write by another writer
// (here a second PlanDatabase object, as another process would be), the checks, the map features, the
// downloads and the summary all answer from the new plan on the next request, without a restart.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>
#include <fstream>
#include <set>

#include "../plan/plan_fixture.hpp"
#include "running_portal.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

std::set<std::string> evidence_ids(const json& report, const std::string& layer) {
    std::set<std::string> ids;
    for (const auto& f : report["findings"])
        for (const auto& e : f["evidence"])
            if (e.value("layer", "") == layer) ids.insert(e.value("feature_id", ""));
    return ids;
}

TEST(PortalVersion, ChecksFeaturesDownloadsAndSummaryMoveTogetherAfterAWrite) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    RunningPortal portal(db);
    auto c = portal.client();
    // The application: the middle half of the plan's first mining block (wherever the schematic layout put it).
    auto [sb, blocks] = portal.get_json("/api/layers/mining_blocks/features?limit=1");
    ASSERT_EQ(sb, 200);
    std::vector<double> b;
    for (const auto& ring : blocks["features"][0]["geometry"]["coordinates"][0])
        for (const auto& pt : ring) {
            if (b.empty()) b = {pt[0], pt[1], pt[0], pt[1]};
            b = {std::min(b[0], pt[0].get<double>()), std::min(b[1], pt[1].get<double>()),
                 std::max(b[2], pt[0].get<double>()), std::max(b[3], pt[1].get<double>())};
        }
    ASSERT_EQ(b.size(), 4u);
    const double dx = (b[2] - b[0]) / 4, dy = (b[3] - b[1]) / 4;
    const std::string app = json{{"type", "Polygon"},
                                 {"coordinates", {{{b[0] + dx, b[1] + dy}, {b[2] - dx, b[1] + dy}, {b[2] - dx, b[3] - dy},
                                                   {b[0] + dx, b[3] - dy}, {b[0] + dx, b[1] + dy}}}}}
                                .dump();
    const auto version_before = store::open_database(db.string())->version();

    auto before = c.Post("/api/check?kind=mining", app, "application/geo+json");
    ASSERT_TRUE(before);
    ASSERT_EQ(before->status, 200) << before->body.substr(0, 300);
    auto ids_before = evidence_ids(json::parse(before->body), "mining_blocks");
    ASSERT_FALSE(ids_before.empty()) << "the application lies in a mining block of the embedded plan";
    ASSERT_FALSE(ids_before.count("NEW-1"));
    auto [ss0, summary_before] = portal.get_json("/api/summary");
    ASSERT_EQ(ss0, 200);

    // One block covering the whole city, imported by another writer.
    json fc = {{"type", "FeatureCollection"},
               {"features", json::array({{{"type", "Feature"},
                                          {"properties", {{"block_id", "NEW-1"}, {"kind", "mining"}, {"mineral", "煤炭"}, {"source", "test"}}},
                                          {"geometry", {{"type", "Polygon"},
                                                        {"coordinates", json::array({json::array({json::array({111.5, 38.8}),
                                                                                                  json::array({115.0, 38.8}),
                                                                                                  json::array({115.0, 41.0}),
                                                                                                  json::array({111.5, 41.0}),
                                                                                                  json::array({111.5, 38.8})})})}}}}})}};
    std::ofstream(dir / "one.geojson") << fc.dump();
    {
        auto other = store::open_database(db.string());
        ASSERT_EQ(store::import_layer(*other, "mining_blocks", dir / "one.geojson", {}), 1u);
        EXPECT_EQ(other->version(), version_before + 1);
    }

    auto after = c.Post("/api/check?kind=mining", app, "application/geo+json");
    ASSERT_TRUE(after);
    ASSERT_EQ(after->status, 200);
    EXPECT_EQ(evidence_ids(json::parse(after->body), "mining_blocks"), std::set<std::string>{"NEW-1"});

    auto [sf, features] = portal.get_json("/api/layers/mining_blocks/features");
    ASSERT_EQ(sf, 200);
    ASSERT_EQ(features["features"].size(), 1u);
    EXPECT_EQ(features["features"][0]["properties"]["block_id"], "NEW-1");

    auto exported = c.Get("/api/layers/mining_blocks/export?format=geojson");
    ASSERT_TRUE(exported);
    ASSERT_EQ(exported->status, 200);
    auto exported_fc = json::parse(exported->body);
    ASSERT_EQ(exported_fc["features"].size(), 1u);

    auto [ss, summary] = portal.get_json("/api/summary");
    ASSERT_EQ(ss, 200);
    EXPECT_NE(summary["lines"], summary_before["lines"]) << "the summary still counts the old blocks";
}

TEST(PlanDatabase, EveryCommittedVersionHasItsLineInTheChangeLog) {
    TempDir dir;
    const fs::path out = dir / "fresh.gpkg";
    auto build = run_cli({"build", "--out", out.string()});
    ASSERT_EQ(build.code, 0) << build.err;
    json fc = {{"type", "FeatureCollection"},
               {"features", json::array({{{"type", "Feature"},
                                          {"properties", {{"block_id", "L-1"}, {"kind", "mining"}, {"mineral", "煤炭"}, {"source", "test"}}},
                                          {"geometry", {{"type", "Polygon"},
                                                        {"coordinates", json::array({json::array({json::array({113.0, 40.0}),
                                                                                                  json::array({113.01, 40.0}),
                                                                                                  json::array({113.01, 40.01}),
                                                                                                  json::array({113.0, 40.0})})})}}}}})}};
    std::ofstream(dir / "one.geojson") << fc.dump();
    // --force: the same block appended twice overlaps itself (a qc 错误); the change log is the subject here.
    ASSERT_EQ(run_cli({"--db", out.string(), "import", "mining_blocks", (dir / "one.geojson").string(), "--force"}).code, 0);
    ASSERT_EQ(run_cli({"--db", out.string(), "import", "mining_blocks", (dir / "one.geojson").string(), "--append", "--force"}).code, 0);

    auto log = run_cli({"--db", out.string(), "--json", "log"});
    ASSERT_EQ(log.code, 0) << log.err;
    auto answer = json::parse(log.out);
    EXPECT_EQ(answer["version"], 3);
    const auto& changes = answer["changes"];
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0]["version"], 3);
    EXPECT_NE(changes[0]["summary"].get<std::string>().find("KAICQK"), std::string::npos) << changes[0];
    EXPECT_NE(changes[0]["summary"].get<std::string>().find("追加 1 条"), std::string::npos) << changes[0];
    EXPECT_NE(changes[1]["summary"].get<std::string>().find("替换为 1 条"), std::string::npos) << changes[1];
    EXPECT_EQ(changes[2]["version"], 1);
    EXPECT_NE(changes[2]["summary"].get<std::string>().find("minplan build"), std::string::npos) << changes[2];
    auto rows = store::open_database(out.string())->snapshot()->read("mining_blocks");
    EXPECT_EQ(rows.size(), 2u);
}

TEST(PlanDatabase, ALockedDatabaseIsReportedAsLockedAndLeftoversOfDeadWritersAreRemoved) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    // What a killed writer of an earlier minplan left beside the database, and one of a live process.
    const fs::path dead = dir / ".plan.gpkg.import-999999999";
    const fs::path live = dir / (".plan.gpkg.import-" + std::to_string(::getpid()));
    std::ofstream(dead) << "x";
    std::ofstream(live) << "x";
    store::open_database(db.string());
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_TRUE(fs::exists(live));

    // Another program holding the database exclusively (locking_mode=EXCLUSIVE after a write).
    const fs::path log = dir / "locked.log";
    ::setenv("MINPLAN_BUSY_TIMEOUT_MS", "300", 1);
    store::SqliteDb holder(db, store::SqliteDb::Mode::ReadWrite);
    holder.exec("PRAGMA locking_mode=EXCLUSIVE");
    holder.exec("BEGIN EXCLUSIVE");
    holder.exec("CREATE TABLE hold(x)");
    std::string cmd = std::string(MINPLAN_BINARY) + " --db " + db.string() + " info > " + log.string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    holder.exec("ROLLBACK");
    ::unsetenv("MINPLAN_BUSY_TIMEOUT_MS");
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 4);
    std::string message = read_bytes(log);
    EXPECT_NE(message.find("锁定"), std::string::npos) << message;
    EXPECT_EQ(message.find("not a GeoPackage"), std::string::npos) << message;
}

}  // namespace
}  // namespace minplan::testing
