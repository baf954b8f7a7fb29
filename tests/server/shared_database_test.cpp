// Two portal servers on one plan database (issue 13): a review saved through one is listed by the other at
// once, an account added beside them logs in on both, and a plan write is served by both without a
// restart. The same test on a GeoPackage and on PostGIS (…/pg runs in the pg_cluster fixture's cluster).
#include <gtest/gtest.h>

#include "../store/backends.hpp"
#include "portal_session.hpp"
#include "server/auth.hpp"

namespace minplan::testing {
namespace {

class SharedDatabase : public ::testing::TestWithParam<std::string> {};

std::size_t feature_count(const RunningPortal& p, const std::string& layer) {
    auto [status, j] = p.get_json("/api/layers/" + layer + "/features");
    EXPECT_EQ(status, 200);
    return j.contains("features") ? j["features"].size() : 0;
}

TEST_P(SharedDatabase, TwoServersSeeEachOthersWrites) {
    BackendPlan plan(GetParam());
    server::UserStore(store::open_database(plan.location()))
        .add("li", server::Role::Reviewer, "correct-horse-battery", {0, "", "admin", "", "", "", "", ""});
    RunningPortal a(plan.location()), b(plan.location());

    auto on_a = portal_login(a, "li", "correct-horse-battery");
    auto on_b = portal_login(b, "li", "correct-horse-battery");
    ASSERT_EQ(on_a.status, 200);
    ASSERT_EQ(on_b.status, 200) << "the account is not shared";

    const std::string app = read_bytes(test_data_dir() / "rules" / "apps" / "coal_all_pass.txt");
    auto saved = a.client().Post("/api/check", on_a.headers(), app, "text/plain");
    ASSERT_TRUE(saved);
    ASSERT_EQ(saved->status, 200) << saved->body;
    const auto id = nlohmann::json::parse(saved->body)["review"]["id"].get<std::int64_t>();
    auto list = b.client().Get("/api/reviews", on_b.headers(false));
    ASSERT_TRUE(list);
    ASSERT_EQ(list->status, 200) << list->body;
    auto reviews = nlohmann::json::parse(list->body)["reviews"];
    ASSERT_EQ(reviews.size(), 1u);
    EXPECT_EQ(reviews[0]["id"], id);

    // A plan write beside both servers (as `minplan import` in another process): both serve it at once.
    const std::size_t before = feature_count(a, "mining_blocks");
    EXPECT_EQ(feature_count(b, "mining_blocks"), before);
    auto db = store::open_database(plan.location());
    const TableSchema s = db->snapshot()->schema("mining_blocks");
    Feature f;
    f.attributes["block_id"] = std::string("NEW-1");
    f.attributes[kGeometrySourceField] = std::string("surveyed");
    f.wkb = square_wkb(113.0, 40.0, 0.01);
    store::write_tables(*db, {{s, {f}}}, store::SwapMode::Append);
    EXPECT_EQ(feature_count(a, "mining_blocks"), before + 1);
    EXPECT_EQ(feature_count(b, "mining_blocks"), before + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SharedDatabase, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
