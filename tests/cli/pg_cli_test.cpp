// The PostGIS commands through the CLI (docs/database.md "PostGIS"): `copy` to PostGIS and back gives equal
// features, attributes and plan package; `plans` lists the plan; reading commands take --db PG:… --plan ID.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../store/backends.hpp"

namespace minplan::testing {
namespace {

class PgCli : public ::testing::TestWithParam<std::string> {};

TEST_P(PgCli, ACopyToPostgisAndBackIsTheSamePlan) {
    TempDir dir;
    const std::string conninfo = test_pg_conninfo();
    const std::string id = "cli" + std::to_string(::getpid());
    const std::string pg = "PG:" + conninfo;
    auto to = run_cli({"copy", "--from", built_plan().string(), "--to", pg, "--plan", id});
    ASSERT_EQ(to.code, 0) << to.err;
    auto again = run_cli({"copy", "--from", built_plan().string(), "--to", pg, "--plan", id});
    EXPECT_EQ(again.code, 3) << "an existing plan is refused without --replace: " << again.err;
    const auto back = dir / "back.gpkg";
    auto from = run_cli({"copy", "--from", pg, "--plan", id, "--to", back.string()});
    ASSERT_EQ(from.code, 0) << from.err;

    auto a = store::open_store(built_plan().string());
    auto b = store::open_store(back.string());
    ASSERT_EQ(a->layers().size(), b->layers().size());
    for (const auto& l : a->layers()) {
        auto fa = a->read(l.id), fb = b->read(l.id);
        ASSERT_EQ(fa.size(), fb.size()) << l.id;
        for (std::size_t i = 0; i < fa.size(); ++i) {
            EXPECT_EQ(fa[i].attributes, fb[i].attributes) << l.id << " row " << i;
            EXPECT_EQ(fa[i].wkb, fb[i].wkb) << l.id << " row " << i;
        }
    }
    EXPECT_EQ(a->package_names(), b->package_names());
    for (const auto& name : a->package_names()) EXPECT_EQ(a->package_file(name), b->package_file(name)) << name;
    for (const auto& key : a->metadata_keys()) EXPECT_EQ(a->metadata(key), b->metadata(key)) << key;

    auto plans = run_cli({"--json", "plans", "--db", pg});
    ASSERT_EQ(plans.code, 0) << plans.err;
    bool listed = false;
    const auto j = nlohmann::json::parse(plans.out);
    for (const auto& p : j["plans"]) listed = listed || p["id"] == id;
    EXPECT_TRUE(listed) << plans.out;

    // A reading command on the PostGIS plan: the layer list holds the built plan's layers.
    auto layers = run_cli({"--json", "--db", pg, "--plan", id, "layers"});
    ASSERT_EQ(layers.code, 0) << layers.err;
    EXPECT_NE(layers.out.find("KAICQK"), std::string::npos);
    store::pg::Conn(conninfo).exec("DROP SCHEMA " + store::pg::ident(id) + " CASCADE");
}

TEST_P(PgCli, PlanNeedsAPostgisDatabase) {
    auto r = run_cli({"--db", built_plan().string(), "--plan", "x", "layers"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("--plan"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Pg, PgCli, ::testing::Values("pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
