// `minplan qc` through the CLI: the embedded Datong plan (schematic geometry only ever a 提示, the seed's
// own contradicting totals reported as documented), the report files, and the blocking check of `build`
// and `import` (refused without --force, recorded with it). Expectations are hand arithmetic on the plan's
// files, written next to each assertion.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "../plan/plan_fixture.hpp"
#include "core/package.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;


std::string rect_geojson(const std::vector<std::array<double, 4>>& rects, const json& properties) {
    json features = json::array();
    for (const auto& [x1, y1, x2, y2] : rects)
        features.push_back({{"type", "Feature"}, {"properties", properties},
                            {"geometry", {{"type", "Polygon"}, {"coordinates", {{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}}}}});
    return json{{"type", "FeatureCollection"}, {"features", features}}.dump();
}

TEST(QcCli, EmbeddedPlanHasNoErrorAndItsSchematicGeometryIsOnlyHinted) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    CliResult r = run_cli({"--db", db.string(), "--json", "qc", "--html", (dir / "qc.html").string(), "--xlsx",
                           (dir / "qc.xlsx").string(), "--geojson", (dir / "qc.geojson").string()});
    ASSERT_EQ(r.code, cli::kOk) << r.err << r.out.substr(0, 3000);
    json report = json::parse(r.out);
    EXPECT_EQ(report.at("errors"), 0);
    EXPECT_EQ(report.at("config"), package::kQc) << "the plan's own qc.json, stored by build";
    std::size_t schematic = 0;
    for (const auto& f : report.at("findings")) {
        if (!f.at("schematic").get<bool>()) continue;
        ++schematic;
        EXPECT_EQ(f.at("severity"), "提示") << f.dump();
    }
    EXPECT_GT(schematic, 0u) << "the schematic zones overlap and are reported as such";
    // blocks_summary_mining.csv, statement L1958: total 22 vs items 煤5 + 铁4 + 锰1 + 金3 + 银1 + 地热水1 = 15;
    // L1960: total 54 vs 辉绿岩1 + 花岗岩1 + 石灰岩矿21 + 建筑用砂4 + 片麻岩11 + 砖瓦用粘土13 = 51 (a 警告 per qc.json).
    std::map<std::string, std::pair<double, double>> totals;
    for (const auto& f : report.at("findings"))
        if (f.at("check") == "stated_total" && f.at("layer") == "blocks_summary_mining") {
            EXPECT_EQ(f.at("severity"), "警告");
            totals[f.at("feature_id").get<std::string>()] = {f.at("values").at("stated_total"), f.at("values").at("sum_of_items")};
        }
    EXPECT_EQ(totals, (std::map<std::string, std::pair<double, double>>{{"statement=L1958，level=省级（落实省规划）", {22, 15}},
                                                                         {"statement=L1960，level=市级（本级审批发证）", {54, 51}}}));
    // Per mineral the mining blocks match their 专栏 rows (煤 5 rows in mining_blocks.csv, province level …).
    for (const auto& f : report.at("findings")) EXPECT_NE(f.at("check"), "column_count") << f.dump();
    EXPECT_NE(read_bytes(dir / "qc.html").find("质检报告"), std::string::npos);
    EXPECT_EQ(read_bytes(dir / "qc.xlsx").substr(0, 2), "PK");
    json points = json::parse(read_bytes(dir / "qc.geojson"));
    std::size_t located = 0;
    for (const auto& f : report.at("findings")) located += !f.at("point").is_null();
    EXPECT_EQ(points.at("features").size(), located);
}

TEST(QcCli, UnknownCheckOrLayerInTheConfigurationIsAClearError) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    std::ofstream(dir / "qc.json") << R"({"disable": ["no_such_check"], "layers": {"no_such_layer": {}}})";
    CliResult r = run_cli({"--db", db.string(), "qc", "--config", (dir / "qc.json").string()});
    EXPECT_EQ(r.code, cli::kInputError) << r.out;
    EXPECT_NE(r.err.find("未知质检项 \"no_such_check\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("图层或表 \"no_such_layer\" 不存在"), std::string::npos) << r.err;
    // The same file in a plan folder stops build before anything is written.
    fs::copy(fictional_plan_dir(), dir / "plan", fs::copy_options::recursive);
    fs::copy_file(dir / "qc.json", dir / "plan" / "qc.json", fs::copy_options::overwrite_existing);
    CliResult b = run_cli({"build", "--plan", (dir / "plan").string(), "--out", (dir / "out.gpkg").string()});
    EXPECT_EQ(b.code, cli::kInputError);
    EXPECT_NE(b.err.find("no_such_check"), std::string::npos) << b.err;
    EXPECT_FALSE(fs::exists(dir / "out.gpkg"));
}

TEST(QcCli, BuildRefusesOverlappingBlocksUnlessForcedAndRecordsIt) {
    TempDir dir;
    fs::copy(fictional_plan_dir(), dir / "plan", fs::copy_options::recursive);
    // Two 西岭镇 mining blocks sharing 101.03–101.04 × 36.02–36.03.
    std::ofstream(dir / "plan" / "features" / "mining_blocks.geojson")
        << rect_geojson({{101.02, 36.02, 101.04, 36.03}, {101.03, 36.02, 101.05, 36.03}},
                        {{"kind", "mining"}, {"plan_level", "county"}, {"mineral", "石灰岩"}, {"county", "西岭镇（虚构）"}, {"source", "test"}});
    // block_id is required: give each its own.
    json fc = json::parse(read_bytes(dir / "plan" / "features" / "mining_blocks.geojson"));
    fc["features"][0]["properties"]["block_id"] = "T-1";
    fc["features"][1]["properties"]["block_id"] = "T-2";
    std::ofstream(dir / "plan" / "features" / "mining_blocks.geojson") << fc.dump();
    const fs::path out = dir / "out.gpkg";
    CliResult refused = run_cli({"build", "--plan", (dir / "plan").string(), "--out", out.string()});
    EXPECT_EQ(refused.code, cli::kInputError) << refused.out;
    EXPECT_NE(refused.err.find("质检发现 1 处错误"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("[overlap]"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("T-1"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(out)) << "nothing written";
    CliResult forced = run_cli({"build", "--plan", (dir / "plan").string(), "--out", out.string(), "--force"});
    ASSERT_EQ(forced.code, cli::kOk) << forced.err;
    auto store = store::GpkgStore::open(out);
    json last = json::parse(store->metadata("qc_last").value_or("{}"));
    EXPECT_EQ(last.at("forced"), true);
    EXPECT_EQ(last.at("errors"), 1);
    EXPECT_EQ(last.at("command"), "build");
    CliResult log = run_cli({"--db", out.string(), "log"});
    EXPECT_NE(log.out.find("--force 强制写入"), std::string::npos) << log.out;
    CliResult qc = run_cli({"--db", out.string(), "qc"});
    EXPECT_EQ(qc.code, cli::kNonConformant) << "the forced error remains: qc says so";
}

TEST(QcCli, ImportRefusesABlockOutsideTheCountyUnlessForced) {
    TempDir dir;
    const fs::path db = dir / "county.gpkg";
    CliResult built = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", db.string()});
    ASSERT_EQ(built.code, cli::kOk) << built.err;
    EXPECT_EQ(json::parse(store::GpkgStore::open(db)->metadata("qc_last").value_or("{}")).value("errors", -1), 0)
        << "the clean fictional plan builds with no 错误";
    // 100.9–101.0 E lies west of the county (101.0–101.3 E): wholly outside it and its town.
    std::ofstream(dir / "outside.geojson")
        << rect_geojson({{100.9, 36.02, 100.95, 36.05}},
                        {{"block_id", "QL-CK-09"}, {"kind", "mining"}, {"mineral", "石灰岩"}, {"county", "西岭镇（虚构）"}, {"source", "test"}});
    CliResult refused = run_cli({"--db", db.string(), "import", "mining_blocks", (dir / "outside.geojson").string(), "--append"});
    EXPECT_EQ(refused.code, cli::kInputError) << refused.out;
    EXPECT_NE(refused.err.find("[outside_admin]"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("[outside_region]"), std::string::npos) << refused.err;
    EXPECT_EQ(store::GpkgStore::open(db)->read("mining_blocks").size(), 2u) << "nothing written";
    CliResult forced = run_cli({"--db", db.string(), "import", "mining_blocks", (dir / "outside.geojson").string(), "--append", "--force"});
    ASSERT_EQ(forced.code, cli::kOk) << forced.err;
    auto store = store::GpkgStore::open(db);
    EXPECT_EQ(store->read("mining_blocks").size(), 3u);
    json last = json::parse(store->metadata("qc_last").value_or("{}"));
    EXPECT_EQ(last.at("forced"), true);
    EXPECT_EQ(last.at("errors"), 2);
    EXPECT_EQ(last.at("command"), "import mining_blocks");
}

TEST(QcCli, ADatabaseThatIsNotAPlanDatabaseIsAFindingNotACrash) {
    // One layer exported to its own GeoPackage: a valid GeoPackage that `build` never wrote.
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const fs::path layer = dir / "blocks_only.gpkg";
    ASSERT_EQ(run_cli({"--db", db.string(), "export", "mining_blocks", layer.string()}).code, 0);
    CliResult r = run_cli({"--db", layer.string(), "--json", "qc"});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    json report = json::parse(r.out);
    std::size_t found = 0;
    for (const auto& f : report.at("findings"))
        if (f.at("check") == "plan_database") {
            ++found;
            EXPECT_EQ(f.at("severity"), "错误");
            EXPECT_EQ(f.at("values").at("missing"), json::array({"id", "name_zh", "period_start", "period_end"}));
        }
    EXPECT_EQ(found, 1u) << r.out;
    // A file that is no database at all: a clear I/O error (exit 4) naming it, not a crash.
    std::ofstream(dir / "text.gpkg") << "hello";
    CliResult t = run_cli({"--db", (dir / "text.gpkg").string(), "qc"});
    EXPECT_EQ(t.code, cli::kIoError) << t.err;
    EXPECT_NE(t.err.find("text.gpkg"), std::string::npos) << t.err;
}

}  // namespace
}  // namespace minplan::testing
