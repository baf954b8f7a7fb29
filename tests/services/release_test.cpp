// The yearly release plan checked against a small hand-drawn plan: which rule each row breaks is worked out
// from the drawing (see SetUp), not from the checker.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "../rules/shipped_package.hpp"
#include "../server/running_portal.hpp"
#include "core/error.hpp"
#include "core/package.hpp"
#include "monitor/annual.hpp"
#include "services/release.hpp"
#include "store/plan_database.hpp"
#include "store/gpkg_store.hpp"
#include "plane_features.hpp"

namespace minplan {
namespace {

using testing::TempDir;
using namespace testing::plane_features;

// E1 (煤炭) lies in key exploration zone Z1; E2 (铁) lies outside it and already holds exploration right T1;
// E3 (金) is schematic; M1 is a limestone mining block. For RP6: Z1 plans 3 new exploration rights (拟设) in
// the period 2021–2025; exploration right T2 in Z1 was granted in 2022 (uses one), T3 in 2019 (before the
// period: does not); E4 and E5 are further coal blocks in Z1. Mining zone K1 around M1 gives no 拟设 figure;
// Z2, a gold zone drawn schematically far from every block.
class ReleaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto reg = testing::shipped_schemas();
        store::GpkgWriter w(dir / "plan.gpkg");
        w.set_metadata("id", "release-test-plan");
        w.set_metadata("period_start", "2021");
        w.set_metadata("period_end", "2025");
        store_shipped_package(w);
        auto block = [](std::int64_t fid, const geo::Geometry& g, const char* id, const char* mineral, bool schematic = false) {
            return feature(fid, g, {{"block_id", std::string(id)}, {"mineral", std::string(mineral)}}, schematic);
        };
        w.write_layer(with_extras(reg.find("exploration_blocks")),
                      {block(1, plane_box(0, 0, 1000, 1000), "E1", "煤炭"), block(2, plane_box(5000, 0, 6000, 1000), "E2", "铁"),
                       block(3, plane_box(9000, 0, 9500, 500), "E3", "金", true), block(4, plane_box(1200, 0, 1900, 800), "E4", "煤炭"),
                       block(5, plane_box(0, 1200, 900, 1900), "E5", "煤炭")});
        w.write_layer(with_extras(reg.find("mining_blocks")), {block(1, plane_box(20000, 0, 21000, 1000), "M1", "石灰岩")});
        w.write_layer(with_extras(reg.find("key_exploration_zones")),
                      {feature(1, plane_box(-500, -500, 2000, 2000), {{"zone_id", std::string("Z1")}, {"name", std::string("某煤炭重点勘查区")},
                                                                      {"minerals", std::string("煤")}, {"planned_rights_count", std::int64_t{3}}}),
                       feature(2, plane_box(30000, 0, 31000, 1000), {{"zone_id", std::string("Z2")}, {"name", std::string("某金矿重点勘查区")},
                                                                     {"minerals", std::string("金")}, {"planned_rights_count", std::int64_t{5}}},
                               true)});
        w.write_layer(with_extras(reg.find("key_mining_zones")),
                      {feature(1, plane_box(19000, -1000, 22000, 2000), {{"zone_id", std::string("K1")}, {"name", std::string("某灰岩集中开采区")},
                                                                         {"minerals", std::string("石灰岩")}})});
        w.write_layer(reg.find("release_plans"), {});
        w.write_layer(with_extras(reg.find("mineral_rights")),
                      {feature(1, plane_box(5200, 200, 5600, 600), {{"right_id", std::string("T1")}, {"kind", std::string("exploration")},
                                                                    {"holder", std::string("某勘查公司")}, {"mineral", std::string("铁")}}),
                       feature(2, plane_box(-400, 1200, -100, 1900), {{"right_id", std::string("T2")}, {"kind", std::string("exploration")},
                                                                      {"mineral", std::string("煤炭")}, {"valid_from", std::string("2022-03-01")}}),
                       feature(3, plane_box(-400, -400, -100, -100), {{"right_id", std::string("T3")}, {"kind", std::string("exploration")},
                                                                      {"mineral", std::string("煤炭")}, {"valid_from", std::string("2019-05-01")}})});
        w.commit();
        store = store::open_store((dir / "plan.gpkg").string());
    }

    std::filesystem::path csv(const std::string& body) {
        const auto p = dir / "release.csv";
        std::ofstream(p) << "区块编号,区块类型,矿种,出让方式,协议出让理由,计划出让时间\n" << body;
        return p;
    }

    // The verdict of `rule` on spreadsheet row `row` ("" when the rule said nothing there).
    static std::string verdict(const services::ReleaseReport& r, int row, const std::string& rule) {
        for (const auto& f : r.findings)
            if (f.row == row && f.rule_id == rule) return services::release_verdict_key(f.verdict);
        return "";
    }

    TempDir dir;
    std::unique_ptr<store::PlanStore> store;
};

TEST_F(ReleaseTest, EachRowBreaksWhatTheDrawingSays) {
    const auto plan = services::read_release_plan(csv("E1,勘查,煤,挂牌,,2024-05\n"              // row 2: in order (煤 = 煤炭)
                                                      "E2,勘查,铁,协议,,2024-06-15\n"           // row 3: protocol without reason; T1 holds E2; outside Z1
                                                      "E1,勘查,煤炭,拍卖,,\n"                   // row 4: E1 a second time
                                                      "M1,开采,铁,招标出让,,\n"                 // row 5: mineral changed
                                                      "X9,开采,煤,挂牌,,\n"                     // row 6: no such block
                                                      "M1,开采,石灰岩,协议,边角夹缝资源（相邻矿井只涉及一个矿业权人）,\n"  // row 7: allowed protocol
                                                      "E3,勘查,金,挂牌,,\n"),                   // row 8: schematic block
                                                  2024);
    const auto r = services::check_release_plan(*store, plan);
    EXPECT_EQ(verdict(r, 2, "RP1"), "pass");
    EXPECT_EQ(verdict(r, 2, "RP2"), "pass");
    EXPECT_EQ(verdict(r, 2, "RP3"), "pass");
    EXPECT_EQ(verdict(r, 2, "RP4"), "pass");
    EXPECT_EQ(verdict(r, 2, "RP5"), "pass");
    EXPECT_EQ(verdict(r, 3, "RP3"), "fail");
    EXPECT_EQ(verdict(r, 3, "RP4"), "fail");
    EXPECT_EQ(verdict(r, 3, "RP5"), "advice");
    EXPECT_EQ(verdict(r, 4, "RP4"), "fail");
    EXPECT_EQ(verdict(r, 5, "RP2"), "fail");
    EXPECT_EQ(verdict(r, 5, "RP3"), "pass");  // 招标出让 is 招标
    EXPECT_EQ(verdict(r, 6, "RP1"), "fail");
    EXPECT_EQ(verdict(r, 6, "RP2"), "");      // nothing more to check without a block
    EXPECT_EQ(verdict(r, 7, "RP3"), "pass");
    EXPECT_EQ(verdict(r, 8, "RP4"), "manual");
    EXPECT_EQ(verdict(r, 8, "RP5"), "manual");
    // Z1: rows 2 and 4 (E1 twice) + T2 (2022) = 3 ≤ 3 拟设 (T3 of 2019 is before the period): at the quota.
    EXPECT_EQ(verdict(r, 2, "RP6"), "pass");
    // K1 gives no 拟设 figure: row 7 (M1 石灰岩) is sent to a person; row 5 (铁) is not K1's mineral.
    EXPECT_EQ(verdict(r, 7, "RP6"), "manual");
    EXPECT_EQ(verdict(r, 5, "RP6"), "");
    // Z2 is schematic (and E3 too): apart on the drawing proves nothing, so E3 (金) is sent to a person.
    EXPECT_EQ(verdict(r, 8, "RP6"), "manual");
    EXPECT_EQ(verdict(r, 0, "RP6"), "manual");  // extraction caps: this plan has no indicators, said so
    EXPECT_EQ(r.overall, services::ReleaseVerdict::Fail);
    for (const auto& f : r.findings)
        if (f.verdict == services::ReleaseVerdict::Fail) { EXPECT_FALSE(f.clause_zh.empty()) << f.rule_id; }  // every veto cites its clause
}

TEST_F(ReleaseTest, BadRowsAreAllNamedAndNothingIsChecked) {
    try {
        services::read_release_plan(csv("E1,探矿,煤,挂牌,,\n,勘查,煤,租赁,,2023-01\n"), 2024);
        FAIL() << "accepted";
    } catch (const ProblemsError& e) {
        ASSERT_EQ(e.problems().size(), 4u) << e.what();
        EXPECT_NE(e.problems()[0].find("第2行“区块类型”列"), std::string::npos) << e.problems()[0];
        EXPECT_NE(e.problems()[1].find("第3行“区块编号”列"), std::string::npos) << e.problems()[1];
        EXPECT_NE(e.problems()[2].find("第3行“出让方式”列"), std::string::npos) << e.problems()[2];
        EXPECT_NE(e.problems()[3].find("第3行“计划出让时间”列：应为2024年内"), std::string::npos) << e.problems()[3];
    }
    EXPECT_THROW(services::read_release_plan(csv("E1,勘查,煤,挂牌,,2024-02-30\n"), 2024), ProblemsError);  // no such day
    EXPECT_NO_THROW(services::read_release_plan(csv("E1,勘查,煤,挂牌,,2024-02-29\n"), 2024));           // a leap day
    std::ofstream(dir / "nohdr.csv") << "编号,矿种\nE1,煤\n";
    EXPECT_THROW(services::read_release_plan(dir / "nohdr.csv", 2024), ProblemsError);
}

TEST_F(ReleaseTest, CliExitsOneOnAVetoAndWritesTheWorkbook) {
    const std::string db = (dir / "plan.gpkg").string();
    auto r = testing::run_cli({"--db", db, "release", "check", "2024", "--file", csv("M1,开采,铁,挂牌,,\n").string(), "--xlsx",
                               (dir / "out.xlsx").string()});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.out.find("不得变更规划区块的主矿种"), std::string::npos) << r.out;
    EXPECT_TRUE(std::filesystem::exists(dir / "out.xlsx"));
    r = testing::run_cli({"--db", db, "--json", "release", "check", "2024", "--file", csv("M1,开采,石灰岩,挂牌,,\n").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["overall"], "manual");  // RP6 caps: no indicators in this plan, left to a person
}

// Stored plans count against the zone quota of later years; a refused import writes nothing.
TEST_F(ReleaseTest, StoredPlansUseTheZoneQuotaAndARefusedImportWritesNothing) {
    const std::string db = (dir / "plan.gpkg").string();
    auto r = testing::run_cli({"--db", db, "release", "import", "2023", csv("E4,勘查,煤,挂牌,,2023-04\n").string()});
    ASSERT_EQ(r.code, 0) << r.err << r.out;  // Z1: E4 + T2 = 2 ≤ 3
    {
        // The write is in the audit trail (issue 12 §6: every write), with the OS user as its actor.
        store::AuditFilter f;
        f.action = "release.import";
        auto entries = store::open_database(db)->audit_log(f);
        ASSERT_EQ(entries.size(), 1u);
        EXPECT_FALSE(entries[0].actor.empty());
    }
    // 2024: E1 + stored E4 (2023) + T2 = 3 ≤ 3: at the quota, allowed.
    auto at = services::check_release_plan(*store::open_store(db), services::read_release_plan(csv("E1,勘查,煤,挂牌,,\n"), 2024));
    EXPECT_EQ(verdict(at, 2, "RP6"), "pass");
    // 2024: E1 + E5 + stored E4 + T2 = 4 > 3: over the quota by one.
    const auto over_plan = services::read_release_plan(csv("E1,勘查,煤,挂牌,,\nE5,勘查,煤,拍卖,,\n"), 2024);
    auto over = services::check_release_plan(*store::open_store(db), over_plan);
    EXPECT_EQ(verdict(over, 2, "RP6"), "fail");
    r = testing::run_cli({"--db", db, "release", "import", "2024", csv("E1,勘查,煤,挂牌,,\nE5,勘查,煤,拍卖,,\n").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("第2、3行"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("超过规划重点勘查区拟设探矿权数3个"), std::string::npos) << r.err;
    r = testing::run_cli({"--db", db, "release", "import", "2024", csv("E2,勘查,铁,挂牌,,\n").string()});
    EXPECT_EQ(r.code, 3) << r.out << r.err;  // T1 already holds E2 (RP4): refused as bad input
    EXPECT_NE(r.err.find("第2行 E2 RP4"), std::string::npos) << r.err;
    r = testing::run_cli({"--db", db, "--json", "release", "list"});  // nothing of either refusal was written
    ASSERT_EQ(r.code, 0) << r.err;
    auto list = nlohmann::json::parse(r.out);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["year"], 2023);
    ASSERT_EQ(list[0]["entries"].size(), 1u);
    EXPECT_EQ(list[0]["entries"][0]["block_id"], "E4");
    // Importing 2023 again replaces that year's plan (E5 instead of E4), the rest is kept.
    ASSERT_EQ(testing::run_cli({"--db", db, "release", "import", "2023", csv("E5,勘查,煤,挂牌,,\n").string()}).code, 0);
    list = nlohmann::json::parse(testing::run_cli({"--db", db, "--json", "release", "list"}).out);
    ASSERT_EQ(list.size(), 1u);
    ASSERT_EQ(list[0]["entries"].size(), 1u);
    EXPECT_EQ(list[0]["entries"][0]["block_id"], "E5");
    r = testing::run_cli({"--db", db, "release", "show", "2023"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("E5"), std::string::npos) << r.out;
    EXPECT_NE(testing::run_cli({"--db", db, "release", "show", "2022"}).code, 0);
    // The API answers as the CLI (one service).
    testing::RunningPortal portal(dir / "plan.gpkg");
    auto [status, all] = portal.get_json("/api/release");
    ASSERT_EQ(status, 200);
    EXPECT_EQ(all, list);
    auto [status_year, one] = portal.get_json("/api/release/2023");
    ASSERT_EQ(status_year, 200);
    EXPECT_EQ(one, list[0]);
    EXPECT_EQ(portal.get_json("/api/release/2022").first, 404);
}

// RP6, the caps: a plan with the shipped indicators (E02 铁矿年开采总量 ≤ 500 万吨 预期性; M02 铁矿山 ≤ 45; S06 ≤ 50),
// one iron mining block M2, and one iron mine reporting 480 万吨 in 2023 (the latest year).
TEST_F(ReleaseTest, MiningReleasesAreCheckedAgainstTheCapsWithTheCapacityTheyAdd) {
    const auto reg = testing::shipped_schemas();
    const auto file = dir / "caps.gpkg";
    {
        store::GpkgWriter w(file);
        w.set_metadata("id", "release-caps-test");
        w.set_metadata("period_start", "2021");
        w.set_metadata("period_end", "2025");
        store_shipped_package(w);
        std::ifstream in(shipped_plan_dir() / "indicators.json", std::ios::binary);
        w.set_package_file(package::kIndicators, std::string(std::istreambuf_iterator<char>(in), {}));
        w.write_layer(with_extras(reg.find("mining_blocks")),
                      {feature(1, plane_box(40000, 0, 41000, 1000), {{"block_id", std::string("M2")}, {"mineral", std::string("铁")}})});
        monitor::MineInfo m{"I1", "测试铁矿", "", "铁", "露天", "", false, std::nullopt, "", "测试", std::nullopt};
        monitor::MineYear y;
        y.year = 2023;
        y.mine_id = "I1";
        y.mineral = "铁";
        y.output = 480;
        y.output_unit = "万吨";
        y.capacity = 480;
        y.capacity_unit = "万吨/年";
        w.write_layer(reg.find("monitor_mines"), {monitor::to_feature(m)});
        w.write_layer(reg.find("monitor_mine_years"), {monitor::to_feature(y)});
        w.write_layer(reg.find("monitor_exploration"), {});
        w.commit();
    }
    const auto caps = store::open_store(file.string());
    auto findings = [&](const std::string& rows) {
        const auto p = dir / "caps.csv";
        std::ofstream(p) << "区块编号,区块类型,矿种,出让方式,协议出让理由,计划出让时间,拟设生产规模,规模单位\n" << rows;
        std::map<std::string, std::string> out;  // message start (indicator name) → verdict
        for (const auto& f : services::check_release_plan(*caps, services::read_release_plan(p, 2024)).findings)
            if (f.rule_id == "RP6") out[f.message_zh.substr(0, f.message_zh.find("："))] = services::release_verdict_key(f.verdict);
        return out;
    };
    // E02: 480 + 30 万吨/年 = 510 > 500, 预期性 → 提示. M02: 1 + 1 = 2 ≤ 45; S06: 2 ≤ 50 → 符合.
    auto f = findings("M2,开采,铁,挂牌,,2024-06,30,万吨/年\n");
    EXPECT_EQ(f["铁矿年开采总量"], "advice");
    EXPECT_EQ(f["矿山个数（铁矿）"], "pass");
    EXPECT_EQ(f["铁矿山数量"], "pass");
    // 10 万吨/年: 480 + 10 = 490 ≤ 500 → 符合.
    EXPECT_EQ(findings("M2,开采,铁,挂牌,,2024-06,100000,吨/年\n")["铁矿年开采总量"], "pass");
    // Without the capacity the extraction total cannot be checked: 需人工核查, naming the row.
    f = findings("M2,开采,铁,挂牌,,2024-06,,\n");
    EXPECT_EQ(f["铁矿年开采总量（上限 500 万吨）"], "manual");
    // A capacity without a unit is a bad cell: the file is refused, naming row and column.
    EXPECT_THROW(findings("M2,开采,铁,挂牌,,2024-06,30,\n"), ProblemsError);
}

}  // namespace
}  // namespace minplan
