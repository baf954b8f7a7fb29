// The PostGIS commands through the CLI (docs/database.md "PostGIS"): `copy` to PostGIS and back gives equal
// features, attributes and plan package; `plans` lists the plan; reading commands take --db PG:… --plan ID.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../store/backends.hpp"
#include "store/sqlite_db.hpp"

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

// `build --out PG:…` builds the plan into its schema, with the default style of each layer in
// public.layer_styles (the table QGIS reads for a PostGIS layer): the same QML and SLD as the GeoPackage build.
TEST_P(PgCli, BuildIntoPostgisWritesTheStylesQgisReads) {
    const std::string conninfo = test_pg_conninfo();
    const std::string id = "build" + std::to_string(::getpid());
    const std::string pg = "PG:" + conninfo + " active_schema=" + id;
    auto built = run_cli({"build", "--out", pg});
    ASSERT_EQ(built.code, 0) << built.err;
    // (Without --replace the existing plan is refused: copy_into_pg, tested by ACopyToPostgisAndBackIsTheSamePlan.)
    auto replaced = run_cli({"build", "--out", pg, "--replace"});
    ASSERT_EQ(replaced.code, 0) << replaced.err;

    // The GeoPackage's styles, read by SQL from the shipped build.
    store::SqliteDb gpkg(built_plan(), store::SqliteDb::Mode::ReadOnly);
    struct Style {
        std::string qml, sld, geometry_column;
    };
    std::map<std::string, Style> expected;  // every layer and table (a table's QML carries its field aliases)
    auto st = gpkg.prepare("SELECT f_table_name, styleQML, coalesce(styleSLD, ''), coalesce(f_geometry_column, '') FROM layer_styles"
                           " WHERE useAsDefault ORDER BY id");
    while (st.step()) expected[st.text(0)] = {st.text(1), st.text(2), st.text(3)};
    ASSERT_GE(expected.size(), 5u);
    store::pg::Conn c(conninfo);
    auto r = c.exec("SELECT f_table_name, styleqml::text, coalesce(stylesld::text, ''), f_geometry_column, useasdefault, f_table_catalog"
                    " FROM public.layer_styles WHERE f_table_schema = $1 ORDER BY f_table_name", {id});
    ASSERT_EQ(static_cast<std::size_t>(r.rows()), expected.size()) << "one default style per styled layer, the replaced build's gone";
    for (int i = 0; i < r.rows(); ++i) {
        ASSERT_TRUE(expected.count(r.text(i, 0))) << r.text(i, 0);
        EXPECT_EQ(r.text(i, 1), expected[r.text(i, 0)].qml) << r.text(i, 0);
        EXPECT_EQ(r.text(i, 2), expected[r.text(i, 0)].sld) << r.text(i, 0);
        EXPECT_EQ(r.text(i, 3), expected[r.text(i, 0)].geometry_column) << r.text(i, 0);  // geom, or '' for a table
        EXPECT_EQ(r.text(i, 4), "t");
        EXPECT_EQ(r.text(i, 5), "minplan_test");  // the fixture's database (tests/pg/cluster.sh)
    }
    // A copy back to a GeoPackage through the PostGIS store carries the style: export reads default_style.
    {
        auto back = store::open_store(pg);  // a snapshot: closed before the schema is dropped
        ASSERT_TRUE(back->default_style("mining_blocks"));
        EXPECT_EQ(back->default_style("mining_blocks")->qml, expected["KAICQK"].qml);
    }
    c.exec("DELETE FROM public.layer_styles WHERE f_table_schema = $1", {id});
    c.exec("DROP SCHEMA " + store::pg::ident(id) + " CASCADE");
}

// A stage table left by a killed process (its backend gone) is dropped when the plan is next opened; a
// stage of a live session stays.
TEST_P(PgCli, StagesOfKilledProcessesAreDroppedOnTheNextOpen) {
    BackendPlan plan("pg");
    store::pg::Conn other(plan.conninfo());
    const std::string live = "minplan_stage_" + std::to_string(other.scalar("SELECT pg_backend_pid()")) + "_1";
    const std::string dead = "minplan_stage_2147483000_1";  // no backend has that pid
    const std::string s = store::pg::ident(plan.plan());
    other.exec("CREATE UNLOGGED TABLE " + s + "." + store::pg::ident(live) + " (fid bigint)");
    other.exec("CREATE UNLOGGED TABLE " + s + "." + store::pg::ident(dead) + " (fid bigint)");
    store::open_database(plan.location());
    auto exists = [&](const std::string& t) {
        return other.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2", {plan.plan(), t}) > 0;
    };
    EXPECT_FALSE(exists(dead));
    EXPECT_TRUE(exists(live));
}

INSTANTIATE_TEST_SUITE_P(Pg, PgCli, ::testing::Values("pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
