// Mine geo-environment supervision and the green-mine register (issue 14) on a FICTIONAL data set
// (tests/data/geoenv/): seven problem sites before/after the 2014 cut-off at producing, new, closed and
// ownerless mines; four projects in two 专栏15-like zones; two years of campaigns; a register of two mines.
// Everything enters through the real import (GeoJSON for the layers, XLSX for the tables) into the
// fictional county plan built with the geo-environment settings and indicators added.
//
// Areas: every polygon is a lon/lat box; its CGCS2000 area is computed here in closed form (the area of an
// ellipsoidal quadrangle between two parallels, below). minplan computes geodesic-edged polygons with
// PROJ's geod_polygonarea; for boxes of 0.15° or less the two differ by under 1e-5 of the area.
#include "geoenv_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "plan/builder.hpp"
#include "server/api.hpp"
#include "services/geoenv/check_import.hpp"
#include "services/geoenv/indicators.hpp"
#include "services/geoenv/register.hpp"
#include "services/geoenv/views.hpp"
#include "services/monitoring.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"


namespace minplan {
namespace {


TEST_F(GeoenvTest, ResponsibilityFollowsThePlansRule) {
    import_all();
    auto d = data();
    ASSERT_EQ(d.sites.size(), 7u);
    std::map<std::string, std::string> party;
    for (const auto& s : d.sites) party[s.id] = s.party;
    EXPECT_EQ(party["S1"], "政府");      // producing, formed 2010 (before 2014-01-01)
    EXPECT_EQ(party["S2"], "矿山企业");  // producing, formed 2016
    EXPECT_EQ(party["S3"], "政府");      // closed mine, any date
    EXPECT_EQ(party["S4"], "政府");      // ownerless
    EXPECT_EQ(party["S5"], "矿山企业");  // producing, 2013 → 政府 by the rule, overridden with a reason
    EXPECT_EQ(party["S6"], "矿山企业");  // new mine, formed 2012: 谁破坏，谁治理
    EXPECT_EQ(party["S7"], "矿山企业");  // formed on the cut-off date itself: “2014年之后”
    const ge::Site* s5 = d.site("S5");
    EXPECT_NE(s5->party_rule.find("整合协议"), std::string::npos) << s5->party_rule;
    EXPECT_NE(d.site("S1")->party_rule.find("虚构规划 第五章"), std::string::npos) << "the rule cites its clause";
    // Coded fields store the code: 压占/损毁土地 is the label of 压占损毁土地.
    EXPECT_EQ(d.site("S3")->kind, "压占损毁土地");
    // S3 has no stated area: its polygon's ellipsoidal area.
    EXPECT_NEAR(d.site("S3")->area_ha, box_ha(101.200, 36.050, 101.203, 36.052), 1e-4 * d.site("S3")->area_ha);
    // Projects: labels and aliases of the category table stored as codes.
    for (const auto& p : d.projects) {
        if (p.id == "P1") { EXPECT_EQ(p.category, "重点_废弃及2006年前"); }
        if (p.id == "P3") { EXPECT_EQ(p.category, "重点_其他"); }
    }
}

TEST_F(GeoenvTest, IndicatorsAgainstHandComputedValues) {
    import_all();
    auto store = db->snapshot();
    auto at = [&](int year) {
        auto j = services::year_evaluation(services::monitoring_input(*store, year));
        std::map<std::string, nlohmann::json> by_id;
        for (const auto& i : j["indicators"]) by_id[i["id"]] = i;
        return by_id;
    };
    const double s3 = box_ha(101.200, 36.050, 101.203, 36.052);
    auto y2021 = at(2021), y2022 = at(2022), y2023 = at(2023), y2025 = at(2025);

    // QL-G01 (km², floor 5, even path 1/yr, band 1): legacy (政府) sites restored since 2021-01-01.
    // 2021: S4 50 ha = 0.5 km² < path 1 → 有风险. 2022: + S1 120 = 170 ha = 1.7 km² < 2 → 有风险 (S5, restored
    // 2022 but the holder's by override, does not count). 2023: + S3 (its polygon) → (170 + s3) / 100.
    EXPECT_NEAR(y2021["QL-G01"]["actual"].get<double>(), 0.5, 1e-9);
    EXPECT_EQ(y2021["QL-G01"]["status"], "at_risk");
    EXPECT_NEAR(y2022["QL-G01"]["actual"].get<double>(), 1.7, 1e-9);
    EXPECT_NEAR(y2023["QL-G01"]["actual"].get<double>(), (170 + s3) / 100, 1e-6);

    // QL-GE1 (ha, floor 500, base 200, linear path 200 + 60·n): base + completions of the key category (P1, P2).
    // 2021: 200 + 80 = 280 ≥ 260 → 按进度; 2022: 200 + 80 + 100 + 20 = 400 ≥ 320 → 按进度; 2023: 430 ≥ 380;
    // 2025: 430 < 500 in the target year → 未达标.
    EXPECT_NEAR(y2021["QL-GE1"]["actual"].get<double>(), 280, 1e-9);
    EXPECT_NEAR(y2021["QL-GE1"]["path_value"].get<double>(), 260, 1e-9);
    EXPECT_EQ(y2021["QL-GE1"]["status"], "on_track");
    EXPECT_NEAR(y2022["QL-GE1"]["actual"].get<double>(), 400, 1e-9);
    EXPECT_NEAR(y2023["QL-GE1"]["actual"].get<double>(), 430, 1e-9);
    EXPECT_EQ(y2025["QL-GE1"]["status"], "breached");

    // QL-GE2 (处, floor 4, even path 0.8/yr): P3 (验收, last completion 2021) done; P4 (规划) not.
    // 2021: 1 ≥ 0.8 → 按进度; 2025: 1 < 4 → 未达标.
    EXPECT_EQ(y2021["QL-GE2"]["actual"].get<double>(), 1.0);
    EXPECT_EQ(y2021["QL-GE2"]["status"], "on_track");
    EXPECT_EQ(y2025["QL-GE2"]["status"], "breached");

    // QL-GE3 (km², floor 120 each year, band 0): 2021 no campaign → 需人工核查; 2022 one 0.1° box
    // (≈ 100 km² < 120) → 未达标; 2023 two overlapping boxes, union 0.15° × 0.1° (≈ 150 km²) → 已达成.
    EXPECT_EQ(y2021["QL-GE3"]["status"], "manual");
    EXPECT_NEAR(y2022["QL-GE3"]["actual"].get<double>(), box_ha(101.0, 36.0, 101.1, 36.1) / 100, 1e-3);
    EXPECT_EQ(y2022["QL-GE3"]["status"], "breached");
    EXPECT_NEAR(y2023["QL-GE3"]["actual"].get<double>(), box_ha(101.0, 36.0, 101.15, 36.1) / 100, 1e-3);
    EXPECT_EQ(y2023["QL-GE3"]["status"], "met");

    // Restoration per zone to 2023: Z1 = P1 + P3: planned 200 + 30 = 230, done 180 + 30 = 210 (91.3 %);
    // Z2 = P2 + P4: planned 100 + 10 = 110, done 50.
    auto zones = ge::zone_progress_table(data(), 2023);
    ASSERT_EQ(zones.rows.size(), 2u);
    EXPECT_EQ(zones.rows[0][4].number, 230.0);
    EXPECT_EQ(zones.rows[0][5].number, 210.0);
    EXPECT_EQ(zones.rows[1][4].number, 110.0);
    EXPECT_EQ(zones.rows[1][5].number, 50.0);
}

TEST_F(GeoenvTest, MissingDataIsAManualCheck) {
    // Nothing imported: every geo-environment indicator says 需人工核查 and why.
    auto j = services::year_evaluation(services::monitoring_input(*db->snapshot(), 2022));
    for (const auto& i : j["indicators"]) {
        const std::string id = i["id"];
        if (id.rfind("QL-G", 0) != 0) continue;
        EXPECT_EQ(i["status"], "manual") << id;
        EXPECT_FALSE(i["rule"].get<std::string>().empty()) << id;
    }
}

TEST_F(GeoenvTest, OpenSitesAndOverdueProjects) {
    import_all();
    auto d = data();
    // 2023-12-31: open are S2 (30 ha), S7 (8 ha) in 西岭镇 and S6 (5 ha) in 北岭镇, all the holders'.
    auto by_county = ge::open_by_county(d, "2023-12-31");
    ASSERT_EQ(by_county.size(), 2u);
    EXPECT_EQ(by_county[0].key, "北岭镇（虚构）");
    EXPECT_EQ(by_county[0].sites, std::vector<std::string>{"S6"});
    EXPECT_EQ(by_county[1].key, "西岭镇（虚构）");
    EXPECT_EQ(by_county[1].sites, (std::vector<std::string>{"S2", "S7"}));
    EXPECT_DOUBLE_EQ(by_county[1].area_ha, 38.0);
    EXPECT_EQ(by_county[1].party, "矿山企业");
    // 2021-12-31 (before S1, S3, S5 were restored): 西岭镇 政府 S1 120 ha; 东岭镇 政府 S3, 企业 S5.
    auto early = ge::open_by_county(d, "2021-12-31");
    double gov_xiling = 0;
    for (const auto& g : early)
        if (g.key == "西岭镇（虚构）" && g.party == "政府") gov_xiling = g.area_ha;
    EXPECT_DOUBLE_EQ(gov_xiling, 120.0);
    // Per holder: 甲煤业公司 S2 + S7 = 38 ha, 丙矿业公司 S6 = 5 ha.
    auto by_holder = ge::open_by_holder(d, "2023-12-31");
    ASSERT_EQ(by_holder.size(), 2u);
    EXPECT_EQ(by_holder[0].key, "丙矿业公司（虚构）");
    EXPECT_EQ(by_holder[1].key, "甲煤业公司（虚构）");
    EXPECT_DOUBLE_EQ(by_holder[1].area_ha, 38.0);

    // Overdue: P2 due 2023, 在建 → late in 2024 by one year (planned 100, done 50); nothing is late in 2023.
    EXPECT_TRUE(ge::overdue_projects(d, 2023).empty());
    auto late = ge::overdue_projects(d, 2024);
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].project->id, "P2");
    EXPECT_EQ(late[0].years_late, 1);
    EXPECT_DOUBLE_EQ(late[0].planned_ha, 100.0);
    EXPECT_DOUBLE_EQ(late[0].completed_ha, 50.0);
}

TEST_F(GeoenvTest, ChangeDetectionBetweenCampaigns) {
    import_all();
    auto r = ge::change_detection(data(), "C2022", "C2023a");
    std::map<std::string, ge::SiteChange> by;
    for (const auto& c : r.sites) by[c.site->id] = c;
    ASSERT_EQ(by.size(), 3u);
    // S2 grew east by a 0.001° × 0.002° strip: 2 × 2 → 3 × 2 thousandths of a degree.
    EXPECT_NEAR(by["S2"].before_ha, box_ha(101.010, 36.010, 101.012, 36.012), 1e-4);
    EXPECT_NEAR(by["S2"].after_ha, box_ha(101.010, 36.010, 101.013, 36.012), 1e-4);
    EXPECT_NEAR(by["S2"].grown_ha, box_ha(101.012, 36.010, 101.013, 36.012), 1e-4);
    EXPECT_NEAR(by["S2"].shrunk_ha, 0.0, 1e-6);
    // S7 unchanged; S6 first seen in 2023: all of it is new.
    EXPECT_NEAR(by["S7"].grown_ha, 0.0, 1e-6);
    EXPECT_TRUE(by["S6"].is_new);
    EXPECT_NEAR(by["S6"].grown_ha, box_ha(101.030, 36.030, 101.031, 36.031), 1e-4);
    EXPECT_EQ(r.grown_mines, (std::vector<std::string>{"M1", "M4"}));
    EXPECT_THROW(ge::change_detection(data(), "C2022", "C1999"), InputError);
}

TEST_F(GeoenvTest, RegisterHistoryAsOfDates) {
    import_all();
    auto d = data();
    auto state_of = [&](const std::string& date, const std::string& mine) {
        for (const auto& s : ge::register_as_of(d, date))
            if (s.mine_id == mine) return s.state + "/" + s.level + (s.listed ? "/listed" : "");
        return std::string("-");
    };
    EXPECT_EQ(state_of("2021-04-01", "M1"), "申报/");
    EXPECT_EQ(state_of("2021-12-31", "M1"), "入库/市级/listed");
    EXPECT_EQ(state_of("2021-12-31", "M9"), "-");
    EXPECT_EQ(state_of("2022-12-31", "M1"), "复核/市级/listed");  // the level stays through a review
    EXPECT_EQ(state_of("2023-12-31", "M1"), "入库/省级/listed");  // promoted
    EXPECT_EQ(state_of("2024-12-31", "M1"), "退出/");
    EXPECT_EQ(ge::register_counts(d, "2021-04-01").listed, 0);
    EXPECT_EQ(ge::register_counts(d, "2022-12-31").listed, 2);
    EXPECT_EQ(ge::register_counts(d, "2022-12-31").by_level.at("市级"), 1);
    EXPECT_EQ(ge::register_counts(d, "2023-12-31").by_level.at("省级"), 2);
    EXPECT_EQ(ge::register_counts(d, "2024-12-31").listed, 1);

    // T28 from the register: in 2022 new mine M9 is listed (its annual report says 否) and new mine M8, not in
    // the register, reports 在建 → 1 of 2 = 50 %.
    monitor::AnnualData annual;
    for (const auto& [id, name] : {std::pair{"M9", "青岚铜矿（虚构）"}, std::pair{"M8", "青岚新石料（虚构）"}}) {
        monitor::MineInfo m;
        m.mine_id = id;
        m.name = name;
        m.new_mine = true;
        annual.mines.push_back(m);
    }
    monitor::MineYear y9, y8;
    y9.year = y8.year = 2022;
    y9.mine_id = "M9";
    y9.green_mine = "否";
    y8.mine_id = "M8";
    y8.green_mine = "在建";
    annual.years = {y9, y8};
    monitor::IndicatorDef t28;
    t28.measure = "green_new_mines";
    auto v = ge::measure(d, t28, 2022, annual);
    ASSERT_TRUE(v && v->actual);
    EXPECT_DOUBLE_EQ(*v->actual, 50.0);
}

TEST_F(GeoenvTest, BadInputNamesTheRowAndWritesNothing) {
    import_all();
    // A project naming an unknown zone and an unknown site.
    auto msg = refused(ge::kProjects,
                       workbook("p", "治理工程",
                                "工程编号,工程名称,治理分区编号,涉及图斑编号（;分隔）,工程状态\n"
                                "P1,一期,Z1,S1,完工\nP9,九期,Z9,S1;S99,在建\n"),
                       "治理工程");
    EXPECT_NE(msg.find("第2条（工程编号 P9）：治理分区编号 Z9"), std::string::npos) << msg;
    EXPECT_NE(msg.find("图斑编号 S99"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("P1）"), std::string::npos) << "the good row is not reported: " << msg;
    // Completed above planned.
    msg = refused(ge::kProjectYears,
                  workbook("y", "进度", "工程编号,年度,计划治理面积,完成治理面积\nP1,2021,100,80\nP2,2023,50,60\n"), "进度");
    EXPECT_NE(msg.find("第2条（工程编号 P2）2023年：完成治理面积 60.00 公顷大于计划治理面积 50.00 公顷"), std::string::npos) << msg;
    // A site formed in the future.
    {
        std::ofstream(dir / "future.geojson")
            << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"site_id":"S8","kind":"滑坡","area_ha":1,"formed_date":"2099-01-01"},"geometry":{"type":"Polygon","coordinates":[[[101.05,36.05],[101.051,36.05],[101.051,36.051],[101.05,36.051],[101.05,36.05]]]}}]})";
    }
    msg = refused(ge::kSites, dir / "future.geojson", "", true);
    EXPECT_NE(msg.find("第1条（图斑编号 S8）：形成日期 2099-01-01 晚于今天"), std::string::npos) << msg;
    // Register: skipping 评估 (申报 → 入库), going back (入库 → 评估) and a level falling without 退出.
    msg = refused(ge::kRegister,
                  workbook("r", "名录",
                           "矿山名称,日期,状态,级别\n"
                           "甲矿,2022-01-01,申报,\n甲矿,2022-03-01,入库,省级\n"
                           "乙矿,2022-01-01,申报,\n乙矿,2022-02-01,评估,\n乙矿,2022-03-01,入库,省级\n乙矿,2022-05-01,评估,\n"
                           "丙矿,2022-01-01,申报,\n丙矿,2022-02-01,评估,\n丙矿,2022-03-01,入库,省级\n丙矿,2022-06-01,入库,市级\n"),
                  "名录");
    EXPECT_NE(msg.find("第2条（矿山名称 甲矿） 2022-03-01：矿山 甲矿 由“申报”（2022-01-01）到“入库”"), std::string::npos) << msg;
    EXPECT_NE(msg.find("第6条（矿山名称 乙矿） 2022-05-01：矿山 乙矿 由“入库”"), std::string::npos) << msg;
    EXPECT_NE(msg.find("第10条（矿山名称 丙矿） 2022-06-01：矿山 丙矿 入库级别由“省级”降为“市级”"), std::string::npos) << msg;
    // Appending to the stored history is checked against it: M1 left in 2024, so 复核 next is refused.
    msg = refused(ge::kRegister, workbook("r2", "名录", "矿山名称,矿山编号,日期,状态\n青岚石灰岩矿（虚构）,M1,2025-01-01,复核\n"),
                  "名录", true);
    EXPECT_NE(msg.find("由“退出”（2024-05-01）到“复核”"), std::string::npos) << msg;
}

TEST_F(GeoenvTest, RegisterExportsToXlsxAndReadsBack) {
    import_all();
    auto store = db->snapshot();
    const fs::path out = dir / "名录.xlsx";
    EXPECT_EQ(store::export_layer(*store, ge::kRegister, out), 9u);
    // The exported workbook imports again (replace): the same nine events.
    import(ge::kRegister, out);
    EXPECT_EQ(count(ge::kRegister), 9u);
    EXPECT_THROW(store::export_layer(*store, ge::kSites, dir / "sites.xlsx"), InputError);  // polygons need a GIS format
}

TEST_F(GeoenvTest, CliAndApiServeTheSameViews) {
    import_all();
    server::PlanApi api(db);
    auto j = api.geoenv({{"view", "register"}, {"date", "2022-12-31"}});
    EXPECT_EQ(j["listed"], 2);  // M1 (复核, 市级) and M9 (入库, 省级)
    auto r = testing::run_cli({"--db", db_path.string(), "--json", "geoenv", "register", "--date", "2022-12-31"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out), j);
    auto open = testing::run_cli({"--db", db_path.string(), "--json", "geoenv", "open", "--by", "holder", "--date", "2023-12-31"});
    ASSERT_EQ(open.code, 0) << open.err;
    EXPECT_EQ(nlohmann::json::parse(open.out), api.geoenv({{"view", "open"}, {"by", "holder"}, {"date", "2023-12-31"}}));
    EXPECT_THROW(api.geoenv({{"view", "change"}, {"from", "C2022"}, {"to", "C9"}}), InputError);
    EXPECT_THROW(api.geoenv({{"view", "nonsense"}}), InputError);
}

// Plain CSV of the table layers goes through the same import as XLSX (store::import_layer): UTF-8 and GBK
// (the GBK file is tests/data/geoenv/project_years.csv converted with `iconv -f UTF-8 -t GBK`), the same
// schema, reference and register checks, all or nothing.
TEST_F(GeoenvTest, CsvTablesImportLikeXlsx) {
    import(ge::kSites, data_dir() / "sites.geojson");
    import(ge::kProjects, data_dir() / "projects.csv");
    import(ge::kProjectYears, data_dir() / "project_years_gbk.csv");
    import(ge::kRegister, data_dir() / "register.csv");
    EXPECT_EQ(count(ge::kProjects), 4u);
    EXPECT_EQ(count(ge::kProjectYears), 6u);
    EXPECT_EQ(count(ge::kRegister), 9u);
    auto d = data();
    // The same hand values as from the workbooks (IndicatorsAgainstHandComputedValues): to 2023, zone Z1 =
    // P1 + P3 planned 100 + 100 + 30 = 230, done 80 + 100 + 30 = 210; Z2 = P2 + P4 planned 50 + 50 + 10 = 110,
    // done 20 + 30 = 50 (P4's empty completed cell is no completion).
    auto zones = ge::zone_progress_table(d, 2023);
    ASSERT_EQ(zones.rows.size(), 2u);
    EXPECT_EQ(zones.rows[0][4].number, 230.0);
    EXPECT_EQ(zones.rows[0][5].number, 210.0);
    EXPECT_EQ(zones.rows[1][4].number, 110.0);
    EXPECT_EQ(zones.rows[1][5].number, 50.0);
    // The category label of P1 (a code table name) is stored as its code, as from XLSX.
    for (const auto& p : d.projects)
        if (p.id == "P1") { EXPECT_EQ(p.category, "重点_废弃及2006年前"); }
    EXPECT_EQ(ge::register_counts(d, "2022-12-31").listed, 2);  // M1 复核 市级, M9 入库 省级
}

TEST_F(GeoenvTest, BadCsvNamesTheLineAndWritesNothing) {
    import(ge::kSites, data_dir() / "sites.geojson");
    import(ge::kProjects, data_dir() / "projects.csv");
    import(ge::kProjectYears, data_dir() / "project_years.csv");
    auto csv = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return dir / name;
    };
    // Completed above planned (the check of the geo-environment layers), and a bad number on line 3.
    auto msg = refused(ge::kProjectYears, csv("y.csv", "工程编号,年度,计划治理面积,完成治理面积\nP2,2023,50,60\nP1,2021,abc,1\n"), "");
    EXPECT_NE(msg.find("y.csv: 第3行"), std::string::npos) << msg;
    EXPECT_NE(msg.find("计划治理面积"), std::string::npos) << msg;
    // More cells than the header on line 2; a missing required column.
    msg = refused(ge::kProjectYears, csv("w.csv", "工程编号,年度,计划治理面积,完成治理面积\nP1,2021,100,80,9\n"), "");
    EXPECT_NE(msg.find("w.csv: 第2行有 5 个单元格，表头只有 4 列"), std::string::npos) << msg;
    msg = refused(ge::kProjectYears, csv("m.csv", "工程编号,计划治理面积\nP1,100\n"), "");
    EXPECT_NE(msg.find("缺少必填字段"), std::string::npos) << msg;
    // Values all valid but completed above planned: the import check names the row.
    msg = refused(ge::kProjectYears, csv("a.csv", "工程编号,年度,计划治理面积,完成治理面积\nP1,2021,100,80\nP2,2023,50,60\n"), "");
    EXPECT_NE(msg.find("第2条（工程编号 P2）2023年：完成治理面积 60.00 公顷大于计划治理面积 50.00 公顷"), std::string::npos) << msg;
    // A layer with polygons is not read from CSV.
    msg = refused(ge::kSites, csv("s.csv", "图斑编号,问题类型,形成日期\nS9,滑坡,2020-01-01\n"), "");
    EXPECT_NE(msg.find("CSV 只能导入属性表"), std::string::npos) << msg;
}

// `minplan monitor` and `minplan report` show the geo-environment indicators with their value, status and
// the rule that decided it (issue 14: "monitor and the annual report show the new indicators"). 2022 of the
// fictional set, worked by hand in IndicatorsAgainstHandComputedValues and RegisterHistoryAsOfDates (printed
// without trailing zeros: 1.7, 400, 50):
//   QL-G01 1.70 km² (S4 50 ha + S1 120 ha) < path 2 (5 / 5 × 2), within band 1 → 有风险
//   QL-GE1 400.00 ha (200 + 80 + 100 + 20) ≥ path 320 (200 + 60 × 2) → 按进度
//   QL-GE3 one 0.1° × 0.1° box, about 100 km² < 120 → 未达标
//   QL-T28 new mines M9 (listed 省级 since 2022-07-01) and M8 (not in the register, reports 在建):
//          1 / 2 = 50.00 % < 100 (flat, band 0) → 未达标
TEST_F(GeoenvTest, MonitorAndReportShowTheIndicatorsWithStatusAndRule) {
    import_all();
    const fs::path mines = dir / "mines.csv", years = dir / "mine_years.csv";
    std::ofstream(mines) << "矿山编号*,矿山名称*,所在行政区,开采矿种*,开采方式,开采条件,规划期新建矿山,投产年度,采矿许可证号,来源\n"
                            "M9,青岚铜矿（虚构）,,铜矿,露天,,是,2022,,虚构\n"
                            "M8,青岚新石料（虚构）,,铜矿,露天,,是,2022,,虚构\n";
    std::ofstream(years) << "年度*,矿山编号*,矿种*,矿石产量,产量单位,计量基础,生产规模,生产规模单位,开采回采率（%）,选矿回收率（%）,"
                            "综合利用率（%）,动用资源储量,新增查明资源量,资源储量单位,治理恢复面积,土地复垦面积,面积单位,绿色矿山,来源\n"
                            "2022,M9,铜矿,,,,,,,,,,,,,,,否,虚构\n"
                            "2022,M8,铜矿,,,,,,,,,,,,,,,在建,虚构\n";
    auto r = testing::run_cli({"--db", db_path.string(), "monitor", "--year", "2022", "--data", mines.string(), "--data", years.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    // The row of `id` in the printed table (one line per indicator).
    auto line_of = [](const std::string& text, const std::string& id) {
        for (std::size_t at = text.find(id); at != std::string::npos; at = text.find(id, at + 1)) {
            std::size_t start = text.rfind('\n', at) + 1, end = text.find('\n', at);
            std::string line = text.substr(start, end - start);
            if (line.find("│") != std::string::npos || line.find(' ') != std::string::npos) return line;
        }
        return std::string();
    };
    const std::string g01 = line_of(r.out, "QL-G01"), ge1 = line_of(r.out, "QL-GE1"), ge3 = line_of(r.out, "QL-GE3"),
                      t28 = line_of(r.out, "QL-T28");
    EXPECT_NE(g01.find("| 1.7 "), std::string::npos) << g01;
    EXPECT_NE(g01.find("有风险"), std::string::npos) << g01;
    EXPECT_NE(ge1.find("| 400 "), std::string::npos) << ge1;
    EXPECT_NE(ge1.find("按进度"), std::string::npos) << ge1;
    EXPECT_NE(ge3.find("未达标"), std::string::npos) << ge3;
    EXPECT_NE(t28.find("| 50 "), std::string::npos) << t28;
    EXPECT_NE(t28.find("未达标"), std::string::npos) << t28;
    // The rule column names the data each was computed from.
    auto ev = services::year_evaluation(services::monitoring_input(*db->snapshot(), 2022, {mines, years}));
    for (const auto& i : ev["indicators"]) {
        const std::string id = i["id"], rule = i["rule"];
        if (id != "QL-G01" && id != "QL-GE1" && id != "QL-GE3" && id != "QL-T28") continue;
        EXPECT_FALSE(rule.empty()) << id;
        EXPECT_NE(r.out.find(rule.substr(0, std::min<std::size_t>(rule.size(), 30))), std::string::npos) << id << ": " << rule;
    }
    // The annual report (XLSX + HTML) carries the same rows, and the zone, coverage and register tables.
    auto rep = testing::run_cli({"--db", db_path.string(), "report", "--year", "2022", "--out", (dir / "report").string(), "--data",
                                 mines.string(), "--data", years.string()});
    ASSERT_EQ(rep.code, 0) << rep.err;
    std::string html;
    for (const auto& e : fs::directory_iterator(dir / "report"))
        if (e.path().extension() == ".html") html = testing::read_bytes(e.path());
    ASSERT_FALSE(html.empty());
    for (const char* needle : {"QL-G01", "QL-GE1", "QL-GE3", "QL-T28", ">1.7<", ">400<", ">50<", "有风险", "按进度", "未达标",
                               "治理分区", "遥感监测覆盖", "绿色矿山名录"})
        EXPECT_NE(html.find(needle), std::string::npos) << needle;
}

// The chapter-5 rule on the full grid (formed before / on / after the 2014-01-01 cut-off × producing / closed /
// ownerless / new), straight from the settings: producing before → 政府, on or after → 矿山企业; closed and
// ownerless → 政府 whatever the date; new → 矿山企业 whatever the date.
TEST(GeoenvResponsibility, BeforeAndAfter2014AtProducingClosedOwnerlessAndNewMines) {
    const auto settings = ge::Settings::from_json(
        nlohmann::json{{"geoenv", nlohmann::json::parse(testing::read_bytes(data_dir() / "settings.json"))}});
    auto party = [&](const std::string& state, const std::string& formed) {
        ge::Site s;
        s.mine_state = state;
        s.formed = formed;
        return ge::responsibility(settings, s).first;
    };
    for (const char* before : {"2005-01-01", "2013-12-31"}) {
        EXPECT_EQ(party("生产", before), "政府") << before;
        EXPECT_EQ(party("关闭", before), "政府") << before;
        EXPECT_EQ(party("废弃无主", before), "政府") << before;
        EXPECT_EQ(party("新建", before), "矿山企业") << before;
    }
    for (const char* after : {"2014-01-01", "2014-01-02", "2020-06-30"}) {
        EXPECT_EQ(party("生产", after), "矿山企业") << after;
        EXPECT_EQ(party("关闭", after), "政府") << after;
        EXPECT_EQ(party("废弃无主", after), "政府") << after;
        EXPECT_EQ(party("新建", after), "矿山企业") << after;
    }
    EXPECT_EQ(party("", "2010-01-01"), "") << "no rule row for an unknown mine state: 需人工核查";
}

// An append to a register whose stored history starts at 入库 (as the Datong plan's 11 seed mines do: their
// earlier states are not in the seed) is checked from the stored state on; the stored events themselves are
// not reported, except where a new event is dated before one of them.
TEST(GeoenvRegister, StoredHistoryIsTheStartOfAnAppend) {
    const auto settings = ge::Settings::from_json(
        nlohmann::json{{"geoenv", nlohmann::json::parse(testing::read_bytes(data_dir() / "settings.json"))}});
    const ge::RegisterEvent seed{"甲矿", "", "2020-12-31", "入库", "国家级", "", "", "", ""};
    auto problems = [&](const std::vector<ge::RegisterEvent>& added, std::size_t accepted) {
        std::vector<ge::RegisterEvent> all{seed};
        all.insert(all.end(), added.begin(), added.end());
        std::vector<std::string> names{"已有"};
        for (std::size_t i = 0; i < added.size(); ++i) names.push_back("第" + std::to_string(i + 1) + "条");
        return ge::register_problems(settings, all, names, accepted);
    };
    const ge::RegisterEvent review{"甲矿", "", "2023-06-01", "复核", "", "", "", "", ""};
    EXPECT_TRUE(problems({review}, 1).empty());  // 入库 → 复核 is allowed
    // Without the stored history accepted, the seed's first event (入库, not 申报) is a problem of its own.
    auto all = problems({review}, 0);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].rfind("已有：", 0), 0u) << all[0];
    // A step back (入库 → 申报) is the new row's problem.
    auto back = problems({{"甲矿", "", "2023-06-01", "申报", "", "", "", "", ""}}, 1);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].rfind("第1条：", 0), 0u) << back[0];
    // A new 申报 dated before the stored 入库 makes 申报 → 入库 (评估 skipped): reported, at the stored row.
    auto early = problems({{"甲矿", "", "2019-01-01", "申报", "", "", "", "", ""}}, 1);
    ASSERT_EQ(early.size(), 1u);
    EXPECT_NE(early[0].find("由“申报”（2019-01-01）到“入库”"), std::string::npos) << early[0];
}

// A settings.geoenv of the wrong shape is a clear message naming the key, never an internal error (the
// register's levels were read without a type check: a number ended in a JSON library exception).
TEST(GeoenvSettings, WrongShapesNameTheKey) {
    const auto message = [](const nlohmann::json& geoenv) {
        try {
            ge::Settings::from_json(nlohmann::json{{"geoenv", geoenv}});
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("（未报错）");
    };
    EXPECT_NE(message({{"green_register", {{"levels", {"市级", 3}}}}}).find("settings.geoenv.green_register.levels"), std::string::npos);
    EXPECT_NE(message({{"green_register", 1}}).find("settings.geoenv.green_register"), std::string::npos);
    EXPECT_NE(message({{"responsibility", {{"rows", {1}}}}}).find("settings.geoenv.responsibility.rows[0]"), std::string::npos);
    EXPECT_NE(message({{"responsibility", "x"}}).find("settings.geoenv.responsibility"), std::string::npos);
}

}  // namespace
}  // namespace minplan
