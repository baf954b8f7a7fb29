// Verdicts never rest on schematic geometry: a real-looking limestone application in 灵丘县 (given as a 国土
// TXT and as a mining-right string, Gauss–Krüger zone 38) reviewed against the embedded Datong plan, whose
// blocks and control areas are schematic squares. Nothing may be vetoed (不符合) or cleared (通过) through
// them; each such finding says "示意几何，不能据此判定" and names the layer; the report's summary lists them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../plan/plan_fixture.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "rules/report.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::rules {
namespace {

class SchematicReview : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        store_ = store::GpkgStore::open(minplan::testing::built_plan()).release();
        setup_ = ReviewSetup::load(*store_).release();
    }
    static void TearDownTestSuite() {
        delete setup_;
        delete store_;
    }
    static Report review(const std::string& file, const std::string& kind = "mining") {
        LoadOptions o;
        o.kind = kind;
        o.action = "new";
        o.attrs = {{"main_mineral", "石灰岩"}, {"applicant", "灵丘县某建材有限公司"}};
        const auto path = minplan::testing::test_data_dir() / "rules" / "lingqiu" / file;
        return setup_->engine->check(load_application(path, o, setup_->engine->polygon_options()));
    }
    static const Finding& finding(const Report& r, const std::string& id) {
        for (const auto& f : r.findings)
            if (f.rule_id == id) return f;
        throw std::runtime_error("no finding " + id);
    }
    static store::PlanStore* store_;
    static ReviewSetup* setup_;
};
store::PlanStore* SchematicReview::store_ = nullptr;
ReviewSetup* SchematicReview::setup_ = nullptr;

TEST_F(SchematicReview, LingqiuLimestoneIsNotVetoedByASchematicBlock) {
    for (const char* file : {"limestone.land.txt", "limestone.mining.txt"}) {
        SCOPED_TRACE(file);
        const Report r = review(file);
        EXPECT_NE(to_zh(r.verdict), "不符合");
        EXPECT_EQ(to_zh(r.verdict), "需人工核查");
        const Finding& r01 = finding(r, "R01");
        EXPECT_EQ(to_zh(r01.result), "需人工核查") << r01.message;
        EXPECT_NE(r01.message.find("示意几何，不能据此判定"), std::string::npos) << r01.message;
        EXPECT_NE(r01.message.find("开采规划区块"), std::string::npos) << r01.message;
        ASSERT_EQ(r01.schematic.size(), 1u);
        EXPECT_EQ(r01.schematic[0].layer, "mining_blocks");
        EXPECT_GT(r01.schematic[0].feature_count, 0u);
        EXPECT_FALSE(r01.schematic[0].features.empty());
        // No veto of the report rests on schematic geometry.
        for (const auto& f : r.findings)
            if (f.result == Result::Fail && f.severity == Severity::Veto) {
                for (const auto& e : f.evidence) EXPECT_FALSE(e.schematic) << f.rule_id;
            }
    }
}

TEST_F(SchematicReview, NoOverlapWithSchematicControlAreasIsNoPass) {
    const Report r = review("limestone.land.txt");
    for (const char* id : {"R09", "R10", "R11"}) {
        const Finding& f = finding(r, id);
        EXPECT_NE(to_zh(f.result), "通过") << id << ": " << f.message;
        EXPECT_EQ(to_zh(f.result), "需人工核查") << id << ": " << f.message;
        EXPECT_NE(f.message.find("示意几何，不能据此判定"), std::string::npos) << id << ": " << f.message;
        EXPECT_TRUE(f.relies_on_schematic()) << id;
    }
    // The summary the opinion's banner is drawn from.
    ASSERT_TRUE(r.schematic.any());
    for (const char* id : {"R01", "R09", "R10", "R11"})
        EXPECT_NE(std::find(r.schematic.rule_ids.begin(), r.schematic.rule_ids.end(), id), r.schematic.rule_ids.end()) << id;
    const auto j = report_to_json(r);
    EXPECT_TRUE(j["relies_on_schematic"].get<bool>());
    EXPECT_NE(report_to_html(r).find("示意几何"), std::string::npos);
    EXPECT_FALSE(j["schematic_summary"]["rules"].empty());
    EXPECT_FALSE(j["schematic_summary"]["layers_zh"].empty());
}

TEST_F(SchematicReview, RegisteredAreaIsTheShoelaceAreaOfTheCorners) {
    // Corners (Y easting, X northing) less (38517000, 4362500): (0,800) (880,920) (1010,110) (120,0);
    // shoelace: |−704000 − 832400 − 13200 + 96000| / 2 = 726,800 m².
    const Report r = review("limestone.land.txt");
    EXPECT_EQ(r.application.plane_epsg, 4526);
    EXPECT_TRUE(r.application.plane_decides);
    EXPECT_NEAR(r.application.plane_area_m2, 726800.0, 726800.0 * 1e-9);
    // 17 km east of the central meridian: the ellipsoid area is smaller by about (k² − 1) ≈ 7e-6.
    EXPECT_LT(r.application.area_m2, r.application.plane_area_m2);
    EXPECT_NEAR(r.application.area_m2, 726800.0, 726800.0 * 2e-5);
    ASSERT_EQ(r.application.corners.size(), 4u);
    EXPECT_DOUBLE_EQ(r.application.corners[1].x, 4363420.00);
    EXPECT_DOUBLE_EQ(r.application.corners[1].y, 38517880.00);
    EXPECT_NEAR(r.application.corners[0].lon, 114.2, 0.01);
    EXPECT_NEAR(r.application.corners[0].lat, 39.4, 0.01);
    EXPECT_EQ(r.application.name, "灵丘县红石塄石灰岩矿");
}

// The embedded plan has no 大中型矿产地, 采补平衡区 or 财政出资项目 data: the rules say which layer (and
// type) to import and which attribute the applicant could give instead.
TEST_F(SchematicReview, MissingLayersAreNamedForImport) {
    const Report r = review("limestone.land.txt", "exploration");
    const std::map<std::string, std::string> type_of = {
        {"R16", "large_medium_deposit"}, {"R18", "state_funded_project"}};
    for (const auto& [id, type] : type_of) {
        const Finding& f = finding(r, id);
        EXPECT_EQ(to_zh(f.result), "需人工核查") << id << ": " << f.message;
        EXPECT_NE(f.message.find("control_lines"), std::string::npos) << f.message;
        EXPECT_NE(f.message.find(type), std::string::npos) << f.message;
        EXPECT_NE(std::find(f.missing.begin(), f.missing.end(), "control_lines"), f.missing.end()) << id;
    }
    EXPECT_NE(finding(r, "R18").message.find("财政出资的地质勘查项目（state_funded）"), std::string::npos) << finding(r, "R18").message;
    // Limestone is no groundwater: R17's restriction does not concern it, whatever the database holds.
    EXPECT_EQ(to_zh(finding(r, "R17").result), "通过") << finding(r, "R17").message;
    // 专栏12: the key exploration zones are schematic, so being outside them proves nothing either.
    const Finding& r14 = finding(r, "R14");
    EXPECT_NE(to_zh(r14.result), "通过") << r14.message;
}

}  // namespace
}  // namespace minplan::rules
