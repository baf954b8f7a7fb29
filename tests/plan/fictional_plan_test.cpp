// A second plan end to end: the FICTIONAL county plan of tests/data/plans/fictional-county-2021-2025 (its
// own boundaries, blocks, rules, indicators and intake sample) goes through build, import, check, audit,
// intake, monitor, report and the portal, in-process through cli::run. Expectations are computed by hand
// from that folder's files (rectangles in lon/lat, a few rows of annual data) and written next to each
// assertion; nothing of the shipped plan may show up in any output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "cli/app.hpp"
#include "core/package.hpp"
#include "store/gpkg_store.hpp"
#include "../server/running_portal.hpp"
#include "plan_fixture.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// Words that belong to the shipped plan and must not leak into another plan's outputs.
void expect_no_shipped_plan(const std::string& text, const std::string& what) {
    for (const char* word : {"大同", "Datong", "datong", "左云", "山西"})
        EXPECT_EQ(text.find(word), std::string::npos) << what << " mentions " << word << ":\n" << text.substr(0, 2000);
}

std::string rect_geojson(double x1, double y1, double x2, double y2, const json& properties = json::object()) {
    json ring = json::array({{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}});
    return json{{"type", "FeatureCollection"},
                {"features", {{{"type", "Feature"}, {"properties", properties},
                               {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}}}}}
        .dump();
}

class FictionalPlan : public ::testing::Test {
protected:
    // Built once per process (ctest runs each test in its own), copied per test.
    static void SetUpTestSuite() { built_ = new PlanBuiltOnce(fictional_plan_dir(), "fictional.gpkg"); }
    static void TearDownTestSuite() { delete built_; }
    void SetUp() override {
        ASSERT_TRUE(built_->ok()) << "the fictional plan did not build:\n" << built_->output();
        fs::copy_file(built_->path(), db_);
    }

    CliResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string()});
        CliResult r = run_cli(args);
        expect_no_shipped_plan(r.out + r.err, "minplan " + args.at(2));
        return r;
    }
    json run_json(std::vector<std::string> args, int expected_code = cli::kOk) {
        args.insert(args.begin(), "--json");
        CliResult r = run(args);
        EXPECT_EQ(r.code, expected_code) << r.err;
        return json::parse(r.out, nullptr, false);
    }
    fs::path write(const std::string& name, const std::string& text) {
        fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    // Findings of a check report by rule id → result.
    static std::map<std::string, std::string> results(const json& report) {
        std::map<std::string, std::string> out;
        for (const auto& f : report.at("findings")) out[f.at("rule").get<std::string>()] = f.at("result").get<std::string>();
        return out;
    }

    static inline PlanBuiltOnce* built_ = nullptr;
    TempDir dir_;
    fs::path db_ = dir_ / "plan.gpkg";
};

TEST_F(FictionalPlan, BuildStoresTheFoldersOwnPackageAndGeometry) {
    expect_no_shipped_plan(built_->output(), "build");
    auto store = store::GpkgStore::open(db_);
    EXPECT_EQ(store->metadata("jurisdiction_zh"), "青岚县");
    EXPECT_EQ(store->metadata("fictional"), "true");
    EXPECT_EQ(store->package_file(package::kRules), read_bytes(fictional_plan_dir() / "rules.json"));
    EXPECT_EQ(store->package_file(package::kIndicators), read_bytes(fictional_plan_dir() / "indicators.json"));
    EXPECT_EQ(store->package_file(package::kManifest), read_bytes(fictional_plan_dir() / "plan.json"));
    EXPECT_EQ(store->package_file(package::kSanlv), read_bytes(source_dir() / "data" / "standards" / "sanlv_thresholds.csv"))
        << "@standards/ refers to the shared data folder";
    // Two hand-drawn mining blocks keep their geometry; the one zone given without coordinates is schematic.
    auto blocks = store->read("mining_blocks");
    ASSERT_EQ(blocks.size(), 2u);
    for (const auto& b : blocks) EXPECT_EQ(b.text(kGeometrySourceField), "reference") << b.text("block_id");
    auto zones = store->read("key_mining_zones");
    ASSERT_EQ(zones.size(), 1u);
    EXPECT_EQ(zones[0].text(kGeometrySourceField), kSchematic);
    EXPECT_TRUE(store->read("exploration_blocks").size() == 1 && store->read("mineral_rights").empty());
    CliResult info = run({"info"});
    ASSERT_EQ(info.code, cli::kOk) << info.err;
    EXPECT_NE(info.out.find("青岚县矿产资源总体规划（2021-2025年）（虚构，仅供测试）"), std::string::npos) << info.out;
}

TEST_F(FictionalPlan, CheckInsideABlockConformsToThePlansOwnRules) {
    // Inside QL-CK-01 (101.02–101.06 E, 36.02–36.05 N, 石灰岩), far from the reserve (101.08–101.11 E).
    auto app = write("inside.geojson", rect_geojson(101.03, 36.03, 101.04, 36.04));
    json report = run_json({"check", app.string(), "--kind", "mining", "--action", "new", "--attr", "main_mineral=石灰岩",
                            "--attr", "for_profit=true"});
    EXPECT_EQ(report.at("verdict"), "符合") << report.dump(1);
    EXPECT_EQ(report.at("rule_set"), "fictional-county-2021-2025-review");
    auto r = results(report);
    EXPECT_EQ(r, (std::map<std::string, std::string>{{"Q00", "通过"}, {"Q01", "通过"}, {"Q02", "通过"}, {"Q03", "通过"}, {"Q04", "通过"}}));
}

TEST_F(FictionalPlan, CheckOutsideTheBlocksAndInTheReserveDoesNotConform) {
    // 101.10–101.12 E × 36.15–36.16 N: no block there, and half of it inside the reserve (up to 101.11 E).
    auto app = write("outside.geojson", rect_geojson(101.10, 36.15, 101.12, 36.16));
    json report = run_json({"check", app.string(), "--kind", "mining", "--action", "new", "--attr", "main_mineral=石灰岩",
                            "--attr", "for_profit=true"},
                           cli::kNonConformant);
    EXPECT_EQ(report.at("verdict"), "不符合");
    auto r = results(report);
    EXPECT_EQ(r["Q01"], "不通过");
    EXPECT_EQ(r["Q03"], "不通过");
    // The wrong mineral in the right block fails Q02 only.
    auto app2 = write("sand.geojson", rect_geojson(101.21, 36.04, 101.22, 36.05));
    json r2 = run_json({"check", app2.string(), "--kind", "mining", "--action", "new", "--attr", "main_mineral=石灰岩",
                        "--attr", "for_profit=true"},
                       cli::kNonConformant);
    EXPECT_EQ(results(r2)["Q01"], "通过");
    EXPECT_EQ(results(r2)["Q02"], "不通过") << "QL-CK-02 is a 建筑用砂 block";
}

TEST_F(FictionalPlan, AnApplicationOutsideTheCountyIsRefusedNamingIt) {
    // 101.40 E lies east of the county (101.00–101.30 E) but inside the plan's province bounds (99–104 E).
    auto app = write("east.geojson", rect_geojson(101.40, 36.05, 101.41, 36.06));
    CliResult r = run({"check", app.string(), "--kind", "mining", "--action", "new"});
    EXPECT_EQ(r.code, cli::kInputError) << r.out;
    EXPECT_NE(r.err.find("青岚县"), std::string::npos) << r.err;
}

TEST_F(FictionalPlan, ImportedRightsAreAuditedAgainstThePlansRules) {
    json rights = json::parse(rect_geojson(101.21, 36.04, 101.22, 36.05, {{"right_id", "QL-R-1"}, {"kind", "mining"}, {"mineral", "建筑用砂"}, {"state", "有效"}}));
    json in_reserve = json::parse(rect_geojson(101.095, 36.15, 101.105, 36.16, {{"right_id", "QL-R-2"}, {"kind", "mining"}, {"mineral", "石灰岩"}, {"state", "有效"}}));
    rights["features"].push_back(in_reserve["features"][0]);
    auto file = write("rights.geojson", rights.dump());
    CliResult imp = run({"import", "mineral_rights", file.string()});
    ASSERT_EQ(imp.code, cli::kOk) << imp.err;
    json audit = run_json({"audit", "--format", "json"});
    ASSERT_TRUE(audit.is_array()) << audit.dump(1);
    ASSERT_EQ(audit.size(), 2u);
    std::map<std::string, std::string> verdicts;
    for (const auto& e : audit) verdicts[e.at("right_id").get<std::string>()] = e.at("verdict").get<std::string>();
    // Audit checks as an extension: only Q00 and Q03 (no_overlap, every action) apply.
    EXPECT_EQ(verdicts["QL-R-1"], "符合");
    EXPECT_EQ(verdicts["QL-R-2"], "不符合") << "QL-R-2 lies half inside the reserve";
}

TEST_F(FictionalPlan, MonitoringEvaluatesThePlansOwnIndicators) {
    const fs::path samples = fictional_plan_dir() / "samples";
    CliResult in = run({"intake", (samples / "annual_mines.csv").string(), (samples / "annual_mine_years.csv").string(),
                        (samples / "annual_exploration.csv").string()});
    ASSERT_EQ(in.code, cli::kOk) << in.err;
    auto status = [&](int year) {
        json j = run_json({"monitor", "--year", std::to_string(year)});
        std::map<std::string, std::pair<std::string, double>> out;
        for (const auto& i : j.at("indicators"))
            out[i.at("id").get<std::string>()] = {i.at("status").get<std::string>(), i.at("actual").is_number() ? i.at("actual").get<double>() : -1};
        return out;
    };
    // QL-X01 cap 120 from a 2020 base of 150, linear: path 144 (2021), 138 (2022); at-risk band 5 %.
    //   2021: 80 + 70 = 150 > 144 but ≤ 151.2 → at risk.   2022: 70 + 60 = 130 ≤ 138 → on track.
    // QL-X02 at most 3 limestone mines: 2 report → met.
    // QL-X03 copper ≥ 5 cumulative, even path 1 (2021), 2 (2022): 1.5 → on track; 1.5 + 1.0 = 2.5 → on track.
    using S = std::map<std::string, std::pair<std::string, double>>;
    EXPECT_EQ(status(2021), (S{{"QL-X01", {"at_risk", 150}}, {"QL-X02", {"met", 2}}, {"QL-X03", {"on_track", 1.5}}}));
    EXPECT_EQ(status(2022), (S{{"QL-X01", {"on_track", 130}}, {"QL-X02", {"met", 2}}, {"QL-X03", {"on_track", 2.5}}}));
    CliResult out_of_period = run({"monitor", "--year", "2026"});
    EXPECT_EQ(out_of_period.code, cli::kInputError);
}

TEST_F(FictionalPlan, ReportAndTemplateNameThePlan) {
    const fs::path samples = fictional_plan_dir() / "samples";
    ASSERT_EQ(run({"intake", (samples / "annual_mines.csv").string(), (samples / "annual_mine_years.csv").string()}).code, cli::kOk);
    CliResult r = run({"report", "--year", "2022", "--out", (dir_ / "report").string()});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    std::string html;
    for (const auto& e : fs::directory_iterator(dir_ / "report"))
        if (e.path().extension() == ".html") html = read_bytes(e.path());
    ASSERT_FALSE(html.empty());
    EXPECT_NE(html.find("青岚县矿产资源总体规划"), std::string::npos);
    EXPECT_NE(html.find("石灰岩年开采总量（虚构）"), std::string::npos);
    expect_no_shipped_plan(html, "report.html");
    CliResult t = run({"intake", "--write-template", (dir_ / "template.xlsx").string()});
    ASSERT_EQ(t.code, cli::kOk) << t.err;
    EXPECT_TRUE(fs::file_size(dir_ / "template.xlsx") > 0);
}

TEST_F(FictionalPlan, ThePortalServesTheFictionalPlan) {
    RunningPortal portal(db_);
    auto [s1, summary] = portal.get_json("/api/summary");
    ASSERT_EQ(s1, 200);
    EXPECT_NE(summary.dump().find("青岚县"), std::string::npos) << summary.dump(1);
    expect_no_shipped_plan(summary.dump(), "/api/summary");
    auto [s2, layers] = portal.get_json("/api/layers");
    ASSERT_EQ(s2, 200);
    std::map<std::string, std::int64_t> counts;
    for (const auto& l : layers.at("layers")) counts[l.at("id").get<std::string>()] = l.at("feature_count").get<std::int64_t>();
    EXPECT_EQ(counts["mining_blocks"], 2);
    EXPECT_EQ(counts["exploration_blocks"], 1);
    EXPECT_EQ(counts["admin_counties"], 3);
    expect_no_shipped_plan(layers.dump(), "/api/layers");
}

TEST_F(FictionalPlan, BuildReportsEveryProblemOfABrokenFolderAtOnce) {
    // A copy of the folder with three independent faults.
    fs::path broken = dir_ / "broken";
    fs::copy(fictional_plan_dir(), broken, fs::copy_options::recursive);
    fs::remove(broken / "rules.json");
    std::ofstream(broken / "indicators.json", std::ios::trunc) << "{ not json";
    fs::remove(broken / "boundaries" / "towns.geojson");
    CliResult r = run_cli({"build", "--plan", broken.string(), "--out", (dir_ / "broken.gpkg").string()});
    EXPECT_EQ(r.code, cli::kInputError);
    EXPECT_NE(r.err.find("有 3 处问题"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find((broken / "rules.json").string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find((broken / "indicators.json").string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find((broken / "boundaries" / "towns.geojson").string()), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "broken.gpkg")) << "nothing is written when the folder has problems";
}

TEST_F(FictionalPlan, ADatabaseWithoutThePlanPackageSaysHowToRebuildIt) {
    // A database written before build stored the package: no rules.json, indicators.json, standards.
    fs::path old = dir_ / "old.gpkg";
    {
        store::GpkgWriter w(old);
        w.set_metadata("name_zh", "旧数据库");
        w.commit();
    }
    auto app = write("inside.geojson", rect_geojson(101.03, 36.03, 101.04, 36.04));
    for (const auto& args : std::vector<std::vector<std::string>>{{"check", app.string(), "--kind", "mining", "--action", "new"},
                                                                  {"monitor", "--year", "2022"}}) {
        std::vector<std::string> full = {"--db", old.string()};
        full.insert(full.end(), args.begin(), args.end());
        CliResult r = run_cli(full);
        EXPECT_EQ(r.code, cli::kInputError) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find("minplan build"), std::string::npos) << args[0] << ": " << r.err;
    }
    // An explicit rule file is not enough: the reference standards still come from the database.
    CliResult r = run_cli({"--db", old.string(), "check", app.string(), "--rules", (fictional_plan_dir() / "rules.json").string()});
    EXPECT_EQ(r.code, cli::kInputError) << r.err;
    EXPECT_NE(r.err.find(package::kMinerals), std::string::npos) << r.err;
}

TEST_F(FictionalPlan, BuildNamesEveryBadKeyOfTheManifestRulesAndIndicators) {
    fs::path broken = dir_ / "broken";
    fs::copy(fictional_plan_dir(), broken, fs::copy_options::recursive);
    auto edit = [&](const std::string& file, const std::function<void(json&)>& change) {
        json j = json::parse(read_bytes(broken / file));
        change(j);
        std::ofstream(broken / file, std::ios::trunc) << j.dump(1);
    };
    edit("plan.json", [](json& j) {
        j.erase("name_zh");                                // 1: required key missing
        j["period_start"] = "21";                          // 2: not a four-digit year
        j["tables"]["no_such_layer"] = "features/x.csv";   // 3: a table the schema does not know
    });
    edit("indicators.json", [](json& j) { j["indicators"][0]["minerals"] = {"虚构矿"}; });  // 4: not in minerals.csv
    edit("rules.json", [](json& j) { j["settings"]["gk_zone"] = 99; });                    // 5: no such 3° zone
    CliResult r = run_cli({"build", "--plan", broken.string(), "--out", (dir_ / "broken.gpkg").string()});
    EXPECT_EQ(r.code, cli::kInputError);
    EXPECT_NE(r.err.find("有 5 处问题"), std::string::npos) << r.err;
    for (const char* expected : {"缺少必填键 \"name_zh\"", "\"period_start\" 应为四位年份", "\"no_such_layer\" 不在图层模式中",
                                 "的矿种 \"虚构矿\" 不是", "settings.gk_zone"})
        EXPECT_NE(r.err.find(expected), std::string::npos) << expected << " not in:\n" << r.err;
}

}  // namespace
}  // namespace minplan::testing
