// The command line, run in-process through cli::run: info, layers --json, query (filter, bbox, limit),
// export, --help on every command, and the exit codes documented in src/cli/app.hpp. Expected counts are
// recomputed from the plan's source CSV (independent reader), not taken from the code under test.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "core/value.hpp"
#include "geo/geometry.hpp"
#include "store/gpkg_store.hpp"
#include "../core/csv_text.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

class Cli : public ::testing::Test {
protected:
    CliResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string()});
        return run_cli(args);
    }
    json run_json(std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        CliResult r = run(args);
        EXPECT_EQ(r.code, cli::kOk) << r.err;
        return json::parse(r.out);
    }
    // Rows of features/key_exploration_zones.csv satisfying `keep`, counted independently of minplan.
    static std::size_t csv_count(const std::function<bool(const std::map<std::string, std::string>&)>& keep) {
        std::size_t n = 0;
        for (const auto& row : read_csv_text(plan_source_dir() / "features" / "key_exploration_zones.csv").rows)
            n += keep(row);
        return n;
    }
    TempDir dir_;
    fs::path db_ = copy_of_plan(dir_);
};

TEST_F(Cli, InfoShowsThePlanAtAGlance) {
    CliResult r = run({"info"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    EXPECT_NE(r.out.find("大同市矿产资源总体规划（2021-2025年）"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2021-2025"), std::string::npos);
    EXPECT_NE(r.out.find("schematic"), std::string::npos) << "the schematic flag must stay visible";
    // The 专栏2 line itself, not "233" anywhere: seed L316 "全市共有各类矿山企业233座", by county from the 合计 row (L654).
    json j = run_json({"info"});
    bool seen = false;
    for (const auto& l : j.at("lines")) {
        if (l.at("label") != "2020年底矿山企业（专栏2，重新合计）") continue;
        seen = true;
        EXPECT_EQ(l.at("count"), 233);
        EXPECT_EQ(l.at("detail"), "左云县 26，云冈区 42，浑源县 43，灵丘县 48，新荣区 24，天镇县 21，云州区 8，阳高县 7，广灵县 11，平城区 3");
    }
    EXPECT_TRUE(seen);
}

// `minplan table 2` cell by cell against the seed text (data/plans/datong-2021-2025/seed/…txt): 专栏2's 合计
// row "26 42 43 48 24 21 8 7 11 3 233" (L654) and 第一章第二节 L317 "煤矿58座 … 铁矿40座".
TEST_F(Cli, Table2CellsMatchTheSeed) {
    CliResult r = run({"table", "2"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    std::map<std::string, std::vector<std::string>> rows;  // first cell → the other cells, trimmed
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        if (line.find('|') == std::string::npos) continue;
        std::vector<std::string> cells;
        std::size_t start = 0;
        for (std::size_t bar; (bar = line.find('|', start)) != std::string::npos || start <= line.size();) {
            std::string c = line.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
            c.erase(0, c.find_first_not_of(' '));
            c.erase(c.find_last_not_of(' ') + 1);
            cells.push_back(c);
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        rows[cells.front()] = std::vector<std::string>(cells.begin() + 1, cells.end());
    }
    ASSERT_TRUE(rows.count("矿种")) << r.out;
    EXPECT_EQ(rows["矿种"], (std::vector<std::string>{"左云县", "云冈区", "浑源县", "灵丘县", "新荣区", "天镇县", "云州区", "阳高县",
                                                    "广灵县", "平城区", "合计"}));
    EXPECT_EQ(rows["合计"], (std::vector<std::string>{"26", "42", "43", "48", "24", "21", "8", "7", "11", "3", "233"}));
    ASSERT_TRUE(rows.count("煤"));
    EXPECT_EQ(rows["煤"].back(), "58");
    ASSERT_TRUE(rows.count("铁"));
    EXPECT_EQ(rows["铁"].back(), "40");
}

TEST_F(Cli, LayersJsonListsEveryLayerWithCountsAndCrs) {
    json j = run_json({"layers"});
    ASSERT_TRUE(j.is_array());
    auto store = store::GpkgStore::open(db_);
    auto infos = store->layers();
    ASSERT_EQ(j.size(), infos.size());
    std::map<std::string, json> by_id;
    for (const auto& l : j) by_id[l.at("id").get<std::string>()] = l;
    for (const auto& info : infos) {
        ASSERT_TRUE(by_id.count(info.id)) << info.id;
        const json& l = by_id[info.id];
        EXPECT_EQ(l.at("code"), info.code);
        EXPECT_EQ(l.at("features").get<std::size_t>(), store->read(info.id).size()) << info.id;
        EXPECT_EQ(l.at("epsg").get<int>(), info.spatial ? 4490 : 0) << info.id;
    }
    EXPECT_EQ(by_id["mining_blocks"].at("code"), "KAICQK");
    EXPECT_EQ(by_id["exploration_blocks"].at("features"), 100);
    json fields = run_json({"layers", "--fields", "zl02_mines_by_county"});
    ASSERT_TRUE(fields.is_array());
    EXPECT_EQ(fields.front().at("code"), "KZMC");
    EXPECT_EQ(fields.front().at("alias_zh"), "矿种");
}

TEST_F(Cli, QueryFiltersByAttribute) {
    auto count = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"query", "key_exploration_zones"});
        return run_json(args).at("features").size();
    };
    auto in_hunyuan = [](const auto& row) { return row.at("county").find("浑源县") != std::string::npos; };
    EXPECT_EQ(count({"-w", "county~浑源县"}), csv_count(in_hunyuan));
    EXPECT_EQ(count({"-w", "plan_level=市级"}),
              csv_count([](const auto& row) { return row.at("plan_level") == "市级"; }));
    EXPECT_EQ(count({"-w", "GHQMJ>=100"}),  // by field code; the seed's areas as printed
              csv_count([](const auto& row) { return std::stod(row.at("stated_area_km2")) >= 100; }));
    EXPECT_EQ(count({"-w", "面积<5", "-w", "county~浑源县"}),  // by Chinese alias, two conditions
              csv_count([&](const auto& row) { return std::stod(row.at("stated_area_km2")) < 5 && in_hunyuan(row); }));
    EXPECT_EQ(count({"-w", "zone_id!=ZL12-01"}), 17u);
    json one = run_json({"query", "key_exploration_zones", "-w", "zone_id=ZL12-07"});
    ASSERT_EQ(one.at("features").size(), 1u);
    const json& props = one.at("features")[0].at("properties");
    EXPECT_EQ(props.at("name"), "浑源县汤头温泉勘查区");
    EXPECT_EQ(props.at("stated_area_km2"), 5.29);
    EXPECT_EQ(props.at("geometry_source"), "schematic");
}

TEST_F(Cli, QueryByBoundingBox) {
    auto store = store::GpkgStore::open(db_);
    auto zones = store->read("key_exploration_zones");
    // A 0.002° box around an interior point of one schematic zone must return that zone, and every zone
    // returned must actually reach into the box (envelope test by hand).
    const Feature& target = zones.at(6);
    geo::Coord c = geo::Geometry::from_wkb(target.wkb).point_on_surface();
    geo::Envelope box{c.x - 0.001, c.y - 0.001, c.x + 0.001, c.y + 0.001};
    char text[128];
    std::snprintf(text, sizeof text, "%.6f,%.6f,%.6f,%.6f", box.min_x, box.min_y, box.max_x, box.max_y);
    json j = run_json({"query", "key_exploration_zones", "--bbox", text});
    std::set<std::string> ids;
    for (const auto& f : j.at("features")) ids.insert(f.at("properties").at("zone_id").get<std::string>());
    EXPECT_TRUE(ids.count(target.text("zone_id"))) << text;
    for (const auto& z : zones)
        if (ids.count(z.text("zone_id"))) {
            EXPECT_TRUE(geo::Geometry::from_wkb(z.wkb).envelope().intersects(box)) << z.text("zone_id");
        }
    EXPECT_LT(ids.size(), zones.size());
    json everything = run_json({"query", "key_exploration_zones", "--bbox", "112,38,116,42"});
    EXPECT_EQ(everything.at("features").size(), zones.size());
    EXPECT_EQ(run_json({"query", "key_exploration_zones", "--bbox", "100,20,101,21"}).at("features").size(), 0u);
}

TEST_F(Cli, QueryLimitAndOffset) {
    EXPECT_EQ(run_json({"query", "exploration_blocks", "--limit", "5"}).at("features").size(), 5u);
    json tail = run_json({"query", "exploration_blocks", "--offset", "97", "--limit", "5"});
    ASSERT_EQ(tail.at("features").size(), 3u);
    json all = run_json({"query", "exploration_blocks"});
    EXPECT_EQ(tail.at("features")[0].at("properties").at("block_id"),
              all.at("features")[97].at("properties").at("block_id"));
    CliResult text = run({"query", "exploration_blocks", "--limit", "2"});
    ASSERT_EQ(text.code, cli::kOk);
    EXPECT_NE(text.out.find("共 2 条"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("schematic"), std::string::npos) << "text output must flag schematic geometry";
}

TEST_F(Cli, ExportWritesTheFileAndHonoursTheEncoding) {
    CliResult r = run({"export", "restoration_zones", (dir_ / "r.geojson").string()});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    // 15 restoration zones: the rows of 专栏15 in the seed (features/restoration_zones.csv).
    EXPECT_EQ(r.out, "已导出 15 个要素到 " + (dir_ / "r.geojson").string() + "\n");
    json gj = json::parse(read_bytes(dir_ / "r.geojson"));
    ASSERT_EQ(gj.at("features").size(), 15u);
    EXPECT_EQ(gj.at("features")[0].at("properties").at("JHLY"), "schematic");
    ASSERT_EQ(run({"export", "restoration_zones", (dir_ / "r.shp").string(), "--encoding", "GBK"}).code, cli::kOk);
    EXPECT_EQ(read_bytes(dir_ / "r.cpg").substr(0, 3), "GBK");
    EXPECT_EQ(run({"export", "restoration_zones", (dir_ / "s.shp").string(), "--encoding", "BIG5"}).code, cli::kUsage);
    EXPECT_EQ(run({"export", "restoration_zones", (dir_ / "r.geojson").string()}).code, cli::kIoError);  // exists
}

TEST_F(Cli, HelpOnEveryCommand) {
    CliResult top = run_cli({"--help"});
    ASSERT_EQ(top.code, cli::kOk);
    EXPECT_NE(top.out.find("退出码"), std::string::npos) << "the exit codes are documented in --help";
    for (const auto& info : cli::commands()) {
        SCOPED_TRACE(info.name);
        EXPECT_NE(top.out.find(info.name), std::string::npos);
        CliResult r = run_cli({info.name, "--help"});
        EXPECT_EQ(r.code, cli::kOk) << r.err;
        EXPECT_NE(r.out.find(std::string("minplan ") + info.name), std::string::npos) << r.out;
        EXPECT_NE(r.out.find(std::string(info.description).substr(0, 6)), std::string::npos) << r.out;
        EXPECT_TRUE(r.err.empty()) << r.err;
    }
}

TEST_F(Cli, ExitCodesForUsageMissingDatabaseAndMissingDbOnImport) {
    EXPECT_EQ(run_cli({}).code, cli::kUsage);
    EXPECT_EQ(run_cli({"no_such_command"}).code, cli::kUsage);
    EXPECT_EQ(run({"query"}).code, cli::kUsage);  // layer is required
    EXPECT_EQ(run({"query", "exploration_blocks", "--limit", "many"}).code, cli::kUsage);
    CliResult missing = run_cli({"--db", (dir_ / "nope.gpkg").string(), "layers"});
    EXPECT_EQ(missing.code, cli::kIoError);
    EXPECT_NE(missing.err.find("nope.gpkg"), std::string::npos) << missing.err;
    std::ofstream(dir_ / "not_a_db.gpkg") << "not a GeoPackage";
    EXPECT_EQ(run_cli({"--db", (dir_ / "not_a_db.gpkg").string(), "info"}).code, cli::kIoError);
    const std::string before = read_bytes(db_);
    const std::string valid = (test_data_dir() / "store" / "valid.geojson").string();
    CliResult no_db = run_cli({"import", "key_exploration_zones", valid});
    EXPECT_EQ(no_db.code, cli::kUsage) << "import must name the database it changes";
    EXPECT_EQ(read_bytes(db_), before);
}

TEST_F(Cli, ImportThroughTheCliReplacesTheLayer) {
    // --force: the fixture's stated areas (1.5, 2 km²) are not its drawn squares' (0.95 km²); the import itself is tested here, qc in tests/services.
    CliResult r = run({"import", "key_exploration_zones", (test_data_dir() / "store" / "valid.geojson").string(), "--force"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    json j = run_json({"query", "key_exploration_zones"});
    ASSERT_EQ(j.at("features").size(), 2u);
    EXPECT_EQ(j.at("features")[0].at("properties").at("name"), "测试勘查区一");
    EXPECT_EQ(j.at("features")[0].at("properties").at("geometry_source"), "imported");
    // 0.01° × 0.01° at 39.60–39.61°N: the closed form of tests/geo/crs_area_test.cpp gives 0.953543 km²
    // (computed with python3), stored to 4 decimals.
    EXPECT_NEAR(j.at("features")[0].at("properties").at("area_km2_ellipsoid").get<double>(), 0.9535, 1e-9);
}

}  // namespace
}  // namespace minplan::testing
