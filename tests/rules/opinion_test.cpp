// The review opinion a bureau files (issue 10, item 4): number, date, reviewer, issuing unit, project name
// from the file's header, applicant, kind and action, corner coordinates, overlap tables, every finding
// with its clause, a conclusion listing what the reviewer must verify, a sketch map and the signature
// block, and no internal identifier anywhere a user reads. The application is tests/data/rules/opinion/
// lingqiu_limestone.txt over the rectangle test plan: inside mining block CK-T-02 (1 km², 100 %) and
// 500 m × 500 m into the schematic control area KZ-T-01 (250,000 m², 25 %).
#include <gtest/gtest.h>

#include <regex>

#include "rules/application_loader.hpp"
#include "rules/detail/opinion_text.hpp"
#include "rules/opinion.hpp"
#include "rules/report.hpp"
#include "test_plan.hpp"

namespace minplan::rules {
namespace {

using testing::Fixture;
using testing::rules_data;

struct Issued {
    Report report;
    OpinionInfo info;
    std::string html;
};

Issued issue_lingqiu() {
    auto& fx = Fixture::get();
    LoadOptions lo;
    lo.kind = "mining";
    lo.attrs = {{"applicant", "灵丘县唐之洼建材有限公司"}, {"main_mineral", "煤"}};
    auto app = load_application(rules_data() / "opinion" / "lingqiu_limestone.txt", lo, fx.setup->engine->polygon_options());
    Issued out;
    out.report = fx.setup->engine->check(app);
    out.report.application.header = app.header;
    add_map_context(out.report, *fx.setup->index, fx.setup->index->reader());
    out.info = opinion_info_now(OpinionSettings::from(fx.setup->rules.settings), "沈审", "审查员");
    out.info.number = format_review_number(out.info.settings.number_pattern, 2026, 7);
    out.html = opinion_html(out.report, out.info);
    return out;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// What a reader sees: the text without tags, styles and attributes.
std::string visible_text(const std::string& html) {
    std::string s = std::regex_replace(html, std::regex("<style>[^<]*</style>"), " ");
    return std::regex_replace(s, std::regex("<[^>]*>"), " ");
}

TEST(ReviewNumber, FollowsThePatternOfThePlanSettings) {
    EXPECT_EQ(format_review_number("大同规审〔{year}〕{seq:04}号", 2026, 1), "大同规审〔2026〕0001号");
    EXPECT_EQ(format_review_number("大同规审〔{year}〕{seq:04}号", 2026, 12345), "大同规审〔2026〕12345号");
    EXPECT_EQ(format_review_number("青自然资审〔{year}〕第{seq}号", 2027, 42), "青自然资审〔2027〕第42号");
    EXPECT_THROW(format_review_number("大同规审〔{year}〕号", 2026, 1), InputError);    // no sequence: not unique
    EXPECT_THROW(format_review_number("〔{year}〕{seq}{user}号", 2026, 1), InputError);  // unknown field
    EXPECT_THROW(format_review_number("〔{year}〕{seq", 2026, 1), InputError);
}

TEST(ReviewNumber, TheShippedPlanSetsItsPatternAndIssuingUnit) {
    auto s = OpinionSettings::from(Fixture::get().setup->rules.settings);
    EXPECT_EQ(s.issuing_unit, "大同市规划和自然资源局");
    EXPECT_EQ(format_review_number(s.number_pattern, 2026, 3), "大同规审〔2026〕0003号");
}

TEST(ShanghaiTime, IsUtcPlusEightAcrossTheNewYear) {
    auto t = shanghai_time(std::string("2026-12-31T16:30:05Z"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->text(), "2027-01-01 00:30:05");
    EXPECT_EQ(t->date_zh(), "2027年1月1日");
    EXPECT_EQ(t->year, 2027);  // the number of a review saved at 00:30 in Datong belongs to 2027
    EXPECT_EQ(shanghai_time(std::string("2026-06-30T15:59:59Z"))->text(), "2026-06-30 23:59:59");
    EXPECT_FALSE(shanghai_time(std::string("2026-06-30 15:59:59")));
}

TEST(Opinion, CarriesTheIdentityOfAnIssuedDocument) {
    const auto o = issue_lingqiu();
    EXPECT_TRUE(has(o.html, "大同规审〔2026〕0007号"));
    EXPECT_TRUE(has(o.html, "大同市规划和自然资源局"));
    EXPECT_TRUE(has(o.html, "沈审（审查员）"));
    EXPECT_TRUE(std::regex_search(o.html, std::regex("20\\d\\d年\\d{1,2}月\\d{1,2}日")));
    EXPECT_TRUE(has(o.html, o.info.date_zh));
    EXPECT_TRUE(has(o.html, "（北京时间）"));
    for (const char* k : {"审查人", "复核人", "签发人", "日期", "盖章处"}) EXPECT_TRUE(has(o.html, k)) << k;
}

TEST(Opinion, NamesTheProjectFromTheFileHeaderNotTheFileName) {
    const auto o = issue_lingqiu();
    EXPECT_EQ(o.report.application.name, "灵丘县唐之洼石灰岩矿");
    EXPECT_TRUE(has(o.html, "<th>项目名称</th><td>灵丘县唐之洼石灰岩矿</td>"));
    EXPECT_FALSE(has(o.html, "lingqiu_limestone"));
    EXPECT_TRUE(has(o.html, "<th>申请人</th><td>灵丘县唐之洼建材有限公司</td>"));
    EXPECT_TRUE(has(o.html, "<th>矿业权类型</th><td>采矿权</td>"));
    EXPECT_TRUE(has(o.html, "<th>申请事项</th><td>新立</td>"));
}

TEST(Opinion, ProjectNameFallsBackToTheParcelThenTheFileName) {
    auto& fx = Fixture::get();
    LoadOptions lo;
    lo.kind = "mining";
    const std::string land = "[属性描述]\n坐标系=2000国家大地坐标系\n带号=38\n计量单位=米\n[地块坐标]\n"
                             "5,100.0000,KQ-T,唐之洼地块,面,,,,,,,,,@\nJ1,1,4418500.00,38492500.00\nJ2,1,4418500.00,38493500.00\n"
                             "J3,1,4417500.00,38493500.00\nJ4,1,4417500.00,38492500.00\nJ5,1,4418500.00,38492500.00\n";
    EXPECT_EQ(application_from_bytes(land, "upload.txt", lo, fx.setup->engine->polygon_options()).name, "唐之洼地块");
    const std::string string_only = "1,4,1,4418500.00,38492500.00,2,4418500.00,38493500.00,3,4417500.00,38493500.00,4,"
                                    "4417500.00,38492500.00,1200,900,,1,";
    lo.file_name = "唐之洼申请.txt";
    EXPECT_EQ(application_from_bytes(string_only, "application.txt", lo, fx.setup->engine->polygon_options()).name, "唐之洼申请");
    lo.attrs = {{"name", "申请书所列名称"}};
    EXPECT_EQ(application_from_bytes(land, "upload.txt", lo, fx.setup->engine->polygon_options()).name, "申请书所列名称");
}

TEST(Opinion, ListsTheCornerCoordinatesInTheInputsZoneAndInLonLat) {
    const auto o = issue_lingqiu();
    const auto corners = detail::corner_table(o.report, 38);
    ASSERT_EQ(corners.rows.size(), 4u);
    EXPECT_TRUE(corners.plane_is_source);
    // Each input corner comes back to the centimetre (the opinion repeats what was applied for).
    for (const auto& c : corners.rows) {
        EXPECT_TRUE(std::fabs(c.x - 4418500.00) < 0.005 || std::fabs(c.x - 4417500.00) < 0.005) << c.x;
        EXPECT_TRUE(std::fabs(c.y - 38492500.00) < 0.005 || std::fabs(c.y - 38493500.00) < 0.005) << c.y;
    }
    EXPECT_TRUE(has(o.html, "3度带 第38带"));
    EXPECT_TRUE(has(o.html, "4418500.00"));
    EXPECT_TRUE(has(o.html, "38493500.00"));
    EXPECT_TRUE(std::regex_search(o.html, std::regex("113°5\\d′\\d\\d\\.\\d\\d″")));  // 7.5 km west of 114°E
    EXPECT_TRUE(std::regex_search(o.html, std::regex("39°\\d\\d′\\d\\d\\.\\d\\d″")));
    EXPECT_EQ(detail::dms(113.5), "113°30′00.00″");
    EXPECT_EQ(detail::dms(39.999999999), "40°00′00.00″");
}

TEST(Opinion, HasOneOverlapTablePerLayerWithAreaAndShare) {
    const auto o = issue_lingqiu();
    const auto tables = detail::overlap_tables(o.report);
    std::map<std::string, detail::OverlapRow> by_id;
    for (const auto& [layer, rows] : tables)
        for (const auto& r : rows) by_id[r.feature_id] = r;
    ASSERT_TRUE(by_id.count("KZ-T-01"));
    EXPECT_NEAR(by_id["KZ-T-01"].m2, 250000, 250000 * 2e-4);  // lon/lat edges vs plane: see issue 10 item 2
    EXPECT_NEAR(by_id["KZ-T-01"].pct, 25.0, 0.01);
    ASSERT_TRUE(by_id.count("CK-T-02"));
    EXPECT_NEAR(by_id["CK-T-02"].pct, 100.0, 0.01);
    EXPECT_TRUE(has(o.html, "<h3>" + detail::layer_zh(o.report, "control_areas") + "</h3>"));
    EXPECT_TRUE(has(o.html, "<h3>" + detail::layer_zh(o.report, "mining_blocks") + "</h3>"));
    EXPECT_NE(detail::layer_zh(o.report, "control_areas"), "control_areas");
    EXPECT_TRUE(std::regex_search(o.html, std::regex("<td>测试自然保护区</td><td>KZ-T-01</td><td class=\"num\">(2499\\d\\d|2500\\d\\d)\\.\\d\\d</td>"
                                                     "(<td class=\"num\">\\d+\\.\\d\\d</td>)?<td class=\"num\">25\\.00%</td>")))
        << o.html.substr(o.html.find("KZ-T-01") - 100, 300);
}

TEST(Opinion, QuotesTheClauseOfEveryFinding) {
    const auto o = issue_lingqiu();
    for (const auto& f : o.report.findings) {
        EXPECT_TRUE(has(o.html, "<td>" + f.title_zh + "</td>")) << f.rule_id;
        if (!f.citation.quote.empty()) {
            EXPECT_TRUE(has(o.html, "“" + html_escape(f.citation.quote) + "”")) << f.rule_id;
        }
    }
}

TEST(Opinion, ConclusionNamesDecidingFindingsAndEveryItemToVerify) {
    const auto o = issue_lingqiu();
    int reviews = 0;
    for (const auto& f : o.report.findings) reviews += f.result == Result::Review;
    ASSERT_GT(reviews, 0);
    const auto c = detail::conclusion(o.report);
    EXPECT_EQ(c.to_verify.size(), static_cast<std::size_t>(reviews));
    EXPECT_TRUE(has(o.html, "需人工核查的事项（共 " + std::to_string(reviews) + " 项）"));
    for (const auto& t : c.to_verify) {
        EXPECT_FALSE(t.what_to_verify.empty());
        EXPECT_TRUE(has(o.html, html_escape(t.what_to_verify))) << t.title;
    }
    // R09 overlaps a schematic control area: the reviewer is told to check it against the real map.
    bool schematic_item = false;
    for (const auto& t : c.to_verify) schematic_item = schematic_item || has(t.what_to_verify, "测试自然保护区”为示意几何");
    bool r09_review = false;
    for (const auto& f : o.report.findings) r09_review = r09_review || (f.rule_id == "R09" && f.result == Result::Review);
    if (r09_review) {
        EXPECT_TRUE(schematic_item);
    }
    // A missing attribute is named in Chinese with who provides it.
    bool attr_item = false;
    for (const auto& t : c.to_verify) attr_item = attr_item || has(t.what_to_verify, "请申请人提供并核实" + attribute_label("scale"));
    EXPECT_TRUE(attr_item);
    if (o.report.verdict == Verdict::NonConformant) {
        ASSERT_FALSE(c.deciding.empty());
        EXPECT_TRUE(has(c.deciding.front(), "否决项"));
    }
}

TEST(Opinion, SketchMapShowsTheApplicationBlocksAndControlAreasWithNorthArrowAndScale) {
    const auto o = issue_lingqiu();
    const std::string svg = report_map_svg(o.report);
    EXPECT_TRUE(has(svg, "申请范围"));
    EXPECT_TRUE(has(svg, "class=\"north\""));
    EXPECT_TRUE(has(svg, ">北<"));
    EXPECT_TRUE(has(svg, "比例尺"));
    // The block it lies in, the control area it touches, and neighbours drawn for orientation.
    EXPECT_TRUE(has(svg, "测试自然保护区"));
    EXPECT_TRUE(has(svg, detail::layer_zh(o.report, "mining_blocks")));
    // In the plan's map style (data/schema/styles.json, the same as QGIS and the portal): mining blocks red
    // #cb181d, control areas green #006d2c.
    ASSERT_TRUE(o.report.map_style);
    EXPECT_TRUE(has(svg, "fill=\"#cb181d\"")) << "mining_blocks fill";
    EXPECT_TRUE(has(svg, "stroke=\"#006d2c\"")) << "control_areas outline";
    std::size_t context = 0;
    for (const auto& m : o.report.map_features) context += m.context;
    EXPECT_GT(context, 0u);
    EXPECT_TRUE(has(o.html, "<svg"));
}

TEST(Opinion, ShowsTheSchematicBannerWheneverAFindingReliedOnSchematicData) {
    auto o = issue_lingqiu();
    ASSERT_FALSE(detail::relies_on_schematic(o.report));  // the test plan's geometry is real
    EXPECT_FALSE(has(o.html, "schematic-banner"));
    // The control area it overlaps, as if it were schematic: banner, map label and what to verify.
    for (auto& f : o.report.findings)
        for (auto& e : f.evidence)
            if (e.feature_id == "KZ-T-01") {
                e.schematic = true;
                f.result = Result::Review;
            }
    for (auto& m : o.report.map_features)
        if (m.feature_id == "KZ-T-01") m.schematic = true;
    ASSERT_TRUE(detail::relies_on_schematic(o.report));
    const std::string html = opinion_html(o.report, o.info);
    EXPECT_TRUE(has(html, "data-role=\"schematic-banner\""));
    EXPECT_TRUE(has(html, "不能据此判定"));
    EXPECT_TRUE(has(html, "测试自然保护区（示意）"));
    EXPECT_TRUE(has(html, "测试自然保护区”为示意几何，请对照正式规划图件核实"));
}

TEST(Opinion, NoInternalIdentifiersInWhatUsersRead) {
    const auto o = issue_lingqiu();
    const std::string text = visible_text(o.html);
    ASSERT_TRUE(has(text, "灵丘县唐之洼石灰岩矿"));
    for (const char* bad : {"land_parcel_txt", "[seed", "seed L", "main_mineral", "mineral_rights", "mining_blocks", "control_areas",
                            "引擎", "毫秒", "engine", "geometry_source", "schematic", "EPSG", "R09", "undefined", "null"})
        EXPECT_FALSE(has(text, bad)) << bad << " in the opinion";
    EXPECT_EQ(detail::user_text(o.report, "缺少 main_mineral 与 scale_unit；图层 mineral_rights 无数据"),
              "缺少 主矿种 与 " + attribute_label("scale_unit") + "；图层 " + detail::layer_zh(o.report, "mineral_rights") + " 无数据");
    EXPECT_EQ(detail::clean_section("第三章第四节 三、管控措施 [seed L1965]；第三章第三节 [seed L1771]"), "第三章第四节 三、管控措施；第三章第三节");
}

// When the report model carries the registered plane (issue 10, item 2: plane 登记面积, ellipsoid area, the
// corners as given, both overlap areas, schematic uses), the opinion shows them.
TEST(Opinion, ShowsPlaneAndEllipsoidAreasAndTheCornersAsGivenWhenTheModelHasThem) {
    auto o = issue_lingqiu();
    auto& a = o.report.application;
    a.plane_epsg = 4547;
    a.plane_area_m2 = 1000000.0;
    a.plane_decides = true;
    a.corners = {{"J1", 1, false, 4418500.00, 38492500.00, 113.912300, 39.900636},
                 {"J2", 1, false, 4418500.00, 38493500.00, 113.924, 39.9006},
                 {"J3", 1, false, 4417500.00, 38493500.00, 113.924, 39.8916},
                 {"J4", 1, false, 4417500.00, 38492500.00, 113.9123, 39.8916}};
    a.notes = {"申请坐标为 land_parcel_txt，平面叠加在 EPSG:4547 中计算"};
    for (auto& f : o.report.findings)
        for (auto& e : f.evidence)
            if (e.feature_id == "KZ-T-01") {
                e.overlap_plane_m2 = 250000.0;
                e.overlap_ellipsoid_m2 = 249987.65;
            }
    o.report.schematic.rule_ids = {"R09"};
    o.report.schematic.layers_zh = {"管控区域（测试）"};
    const std::string html = opinion_html(o.report, o.info);
    EXPECT_TRUE(has(html, "<th>登记面积（平面）</th><td>1.0000 平方千米（1000000.00 平方米，2000国家大地坐标系 高斯-克吕格投影 3度带 第38带（中央经线114°））"));
    EXPECT_TRUE(has(html, "<th>椭球面积</th>"));
    EXPECT_TRUE(has(html, "<th>面积判定依据</th><td>登记面积"));
    EXPECT_TRUE(has(html, "<td>J1</td><td class=\"num\">4418500.00</td><td class=\"num\">38492500.00</td>"));
    EXPECT_TRUE(has(html, "重叠面积（登记平面，平方米）"));
    EXPECT_TRUE(has(html, "<td class=\"num\">250000.00</td><td class=\"num\">249987.65</td>"));
    EXPECT_TRUE(has(html, "涉及图层：管控区域（测试）"));
    EXPECT_TRUE(has(html, "坐标说明"));
    EXPECT_FALSE(has(visible_text(html), "land_parcel_txt"));
    EXPECT_FALSE(has(visible_text(html), "EPSG")) << visible_text(html).substr(visible_text(html).find("EPSG") - 200, 300);
}

TEST(Opinion, ADraftWithoutANumberLeavesABlankToFillIn) {
    auto o = issue_lingqiu();
    o.info.number.clear();
    const std::string html = opinion_html(o.report, o.info);
    EXPECT_TRUE(has(html, "编号：＿＿＿＿＿＿＿＿（待登记）"));
}

}  // namespace
}  // namespace minplan::rules
