// The adjustment rules (issue 12 §2) on hand-built change sets of the FICTIONAL county plan, one violation
// each, every finding citing its clause (tests/data/plans/fictional-county-2021-2025/rules.json
// settings.adjustment). The plan: mining block QL-CK-01 101.02–101.06 E × 36.02–36.05 N (石灰岩), QL-CK-02
// 101.20–101.24 × 36.03–36.06; exploration block QL-KQ-01 101.18–101.26 × 36.13–36.18; the nature reserve
// QL-BH-01 101.08–101.11 × 36.14–36.17; the concentrated mining zone QL-ZK-01 (拟设采矿权 2, no geometry
// in the package). The plan has no mining rights and no extraction caps: the tests add what they need.
#include <gtest/gtest.h>

#include "geo/geometry.hpp"
#include "services/changesets.hpp"
#include "store/plan_database.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

using store::ChangeAction;
using store::ChangeItem;

ChangeItem row(ChangeAction action, const std::string& layer, const std::string& key, Feature f) {
    ChangeItem item;
    item.action = action;
    item.layer = layer;
    item.key = key;
    item.feature = std::move(f);
    return item;
}

std::string dump(const std::vector<services::AdjustmentFinding>& findings) {
    std::string out;
    for (const auto& f : findings) out += f.rule + ": " + f.message + "\n";
    return out;
}

Feature block(const std::string& layer, const std::string& id, const std::string& mineral, geo::Envelope e) {
    Feature f;
    f.attributes["block_id"] = id;
    f.attributes["kind"] = std::string(layer == "mining_blocks" ? "mining" : "exploration");
    f.attributes["plan_level"] = std::string("county");
    f.attributes["mineral"] = mineral;
    f.attributes["source"] = std::string("测试调整批次");
    f.wkb = geo::Geometry::rectangle(e).to_wkb();
    return f;
}

// An active 石灰岩 mining right of `scale` 万吨/年.
Feature limestone_right(const std::string& id, double scale, geo::Envelope e) {
    Feature f;
    f.attributes["right_id"] = id;
    f.attributes["kind"] = std::string("mining");
    f.attributes["mineral"] = std::string("石灰岩");
    f.attributes["scale"] = scale;
    f.attributes["scale_unit"] = std::string("万吨/年");
    f.attributes["state"] = std::string("有效");
    f.wkb = geo::Geometry::rectangle(e).to_wkb();
    return f;
}

// The cap QL-C01: 石灰岩 年开采总量 `value` `unit`.
Feature limestone_cap(double value, const std::string& unit) {
    Feature f;
    f.attributes["cap_id"] = std::string("QL-C01");
    f.attributes["mineral"] = std::string("石灰岩");
    f.attributes["metric"] = std::string("年开采总量");
    f.attributes["value"] = value;
    f.attributes["unit"] = unit;
    return f;
}

// QL-ZK-01 with a boundary 101.00–101.10 × 36.00–36.08 (QL-CK-01 lies wholly inside) and `planned` rights.
Feature zone(double planned) {
    Feature f;
    f.attributes["zone_id"] = std::string("QL-ZK-01");
    f.attributes["name"] = std::string("西岭石灰岩集中开采区（虚构）");
    f.attributes["zone_kind"] = std::string("concentrated_mining");
    f.attributes["planned_rights_count"] = planned;
    f.wkb = geo::Geometry::rectangle({101.00, 36.00, 101.10, 36.08}).to_wkb();
    return f;
}

class AdjustmentRules : public ::testing::Test {
protected:
    static void SetUpTestSuite() { built_ = new PlanBuiltOnce(fictional_plan_dir(), "county.gpkg"); }
    static void TearDownTestSuite() { delete built_; }
    void SetUp() override {
        ASSERT_TRUE(built_->ok()) << built_->output();
        fs::copy_file(built_->path(), path_);
        db_ = store::open_database(path_.string());
    }

    std::int64_t draft(const std::string& effective, std::vector<ChangeItem> items, const std::string& kind = store::kAdjustment) {
        store::ChangeSet cs;
        cs.name = "测试批次 " + effective;
        cs.effective_date = effective;
        cs.kind = kind;
        auto id = services::create_change_set(*db_, cs, "tester");
        services::add_change_items(*db_, id, std::move(items), "tester");
        return id;
    }
    std::vector<services::AdjustmentFinding> submit(const std::string& effective, std::vector<ChangeItem> items,
                                                    const std::string& kind = store::kAdjustment) {
        return services::submit_change_set(*db_, draft(effective, std::move(items), kind), "tester");
    }
    void approve(const std::string& effective, std::vector<ChangeItem> items) {
        auto id = draft(effective, std::move(items), store::kAmendment);
        for (const auto& f : services::submit_change_set(*db_, id, "tester")) ASSERT_FALSE(f.blocking) << f.message;
        services::Approval a;
        a.may_approve = true;
        a.force = true;  // the fixture's rows are not the subject of the quality check here
        a.force_reason = "测试夹具";
        services::approve_change_set(*db_, id, "planner", a);
    }

    static inline PlanBuiltOnce* built_ = nullptr;
    TempDir dir_;
    fs::path path_ = dir_ / "county.gpkg";
    std::shared_ptr<store::PlanDatabase> db_;
};

TEST_F(AdjustmentRules, ZoneQuotaHoldsAfterTheSet) {
    // The zone gets its boundary and a quota of 1, and the set adds QL-CK-03 (101.07–101.09 × 36.06–36.07,
    // wholly inside 101.00–101.10 × 36.00–36.08, clear of QL-CK-01 and of the reserve): the zone then holds
    // QL-CK-01 and QL-CK-03, 2 blocks > 1 planned right.
    auto findings = submit("2022-03-01", {row(ChangeAction::Modify, "key_mining_zones", "QL-ZK-01", zone(1)),
                                          row(ChangeAction::Add, "mining_blocks", "QL-CK-03",
                                              block("mining_blocks", "QL-CK-03", "石灰岩", {101.07, 36.06, 101.09, 36.07}))});
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].rule, "zone_quota");
    EXPECT_TRUE(findings[0].blocking);
    EXPECT_NE(findings[0].message.find("拟设采矿权数量 1 个"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].message.find("2 个（QL-CK-01、QL-CK-03）"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].clause.find("虚构规划 第三章第一节 表4"), std::string::npos) << findings[0].clause;
    // With the package's quota of 2 the same two blocks fit: nothing to report.
    EXPECT_TRUE(submit("2023-03-01", {row(ChangeAction::Modify, "key_mining_zones", "QL-ZK-01", zone(2)),
                                      row(ChangeAction::Add, "mining_blocks", "QL-CK-03",
                                          block("mining_blocks", "QL-CK-03", "石灰岩", {101.07, 36.06, 101.09, 36.07}))})
                    .empty());
}

TEST_F(AdjustmentRules, ExtractionCapHoldsAfterTheSet) {
    // An active 石灰岩 mining right of 30 万吨/年 (approved first, 2022); a 2023 set then states the cap
    // 年开采总量 20 万吨: 30 > 20. Given in 吨 (200,000 吨 × 0.0001 = 20 万吨) it is converted first.
    const Feature right = limestone_right("QL-R-01", 30.0, {101.03, 36.03, 101.04, 36.04});
    approve("2022-03-01", {row(ChangeAction::Add, "mineral_rights", "QL-R-01", right)});
    auto cap = [](double value, const std::string& unit) {
        return row(ChangeAction::Add, "ch4_extraction_caps", "QL-C01", limestone_cap(value, unit));
    };
    auto findings = submit("2023-03-01", {cap(200000, "吨")});
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].rule, "extraction_cap");
    EXPECT_NE(findings[0].message.find("（20 万吨）"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].message.find("合计 30 万吨"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].clause.find("虚构规划 第四章"), std::string::npos) << findings[0].clause;
    // A cap of 40 万吨 holds.
    EXPECT_TRUE(submit("2024-03-01", {cap(40, "万吨")}).empty());
}

TEST_F(AdjustmentRules, ACapExceededBeforeTheSetIsReportedOnlyWhenTheSetMakesItWorse) {
    // The plan as imported (no review: a layer import) holds a 石灰岩 right of 30 万吨/年 and the cap 年开采总量
    // 20 万吨, already exceeded. A set restating the cap at 20 or loosening it to 25 adds no capacity and
    // does not tighten the cap: not this set's doing. Tightening it to 15, or adding a 5 万吨 right
    // (35 > 30 before), is. One set a year: the plan allows one concentrated adjustment a year.
    const Feature right = limestone_right("QL-R-01", 30.0, {101.03, 36.03, 101.04, 36.04});
    {
        auto head = db_->snapshot();
        auto staged_right = db_->stage(head->schema("mineral_rights"), {right});
        auto staged_cap = db_->stage(head->schema("ch4_extraction_caps"), {limestone_cap(20, "万吨")});
        auto tx = db_->begin_plan();
        tx->set_actor("tester");
        tx->set_effect("2022-01-01", 0);  // an import set of its own, effective then
        tx->swap_in(*staged_right, store::SwapMode::Append);
        tx->swap_in(*staged_cap, store::SwapMode::Append);
        tx->commit();
    }
    auto restate = [&](const std::string& date, double value) {
        return submit(date, {row(ChangeAction::Modify, "ch4_extraction_caps", "QL-C01", limestone_cap(value, "万吨"))});
    };
    EXPECT_TRUE(restate("2022-03-01", 20).empty());
    EXPECT_TRUE(restate("2023-03-01", 25).empty());
    auto tightened = restate("2024-03-01", 15);
    ASSERT_EQ(tightened.size(), 1u) << dump(tightened);
    EXPECT_EQ(tightened[0].rule, "extraction_cap");
    EXPECT_NE(tightened[0].message.find("合计 30 万吨"), std::string::npos) << tightened[0].message;
    const Feature more = limestone_right("QL-R-02", 5.0, {101.041, 36.03, 101.05, 36.04});
    auto added = submit("2025-03-01", {row(ChangeAction::Add, "mineral_rights", "QL-R-02", more)});
    ASSERT_EQ(added.size(), 1u) << dump(added);
    EXPECT_NE(added[0].message.find("合计 35 万吨"), std::string::npos) << added[0].message;
}

TEST_F(AdjustmentRules, OneConcentratedAdjustmentAYear) {
    approve("2022-03-01", {row(ChangeAction::Add, "exploration_blocks", "QL-KQ-05",
                               block("exploration_blocks", "QL-KQ-05", "金", {101.40, 36.20, 101.42, 36.22}))});
    // The first was a 规划修改: a 2022 concentrated adjustment is still allowed; a second one is not.
    auto first = draft("2022-06-01", {row(ChangeAction::Add, "exploration_blocks", "QL-KQ-06",
                                          block("exploration_blocks", "QL-KQ-06", "金", {101.44, 36.20, 101.45, 36.21}))});
    EXPECT_TRUE(services::submit_change_set(*db_, first, "tester").empty());
    auto findings = submit("2022-09-01", {row(ChangeAction::Add, "exploration_blocks", "QL-KQ-07",
                                              block("exploration_blocks", "QL-KQ-07", "金", {101.46, 36.20, 101.47, 36.21}))});
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].rule, "per_year");
    EXPECT_NE(findings[0].message.find("测试批次 2022-06-01"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].clause.find("虚构规划 第七章"), std::string::npos);
}

TEST_F(AdjustmentRules, NewBlockClearOfControlLines) {
    // 101.09–101.10 × 36.15–36.16 lies wholly inside the reserve: 0.01° × 0.01° at 36.15° N ≈ 0.900 km ×
    // 1.110 km ≈ 0.998 km².
    auto findings = submit("2022-03-01", {row(ChangeAction::Add, "exploration_blocks", "QL-KQ-03",
                                              block("exploration_blocks", "QL-KQ-03", "金", {101.09, 36.15, 101.10, 36.16}))});
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].rule, "control_lines");
    EXPECT_NE(findings[0].message.find("0.998"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].clause.find("Q03"), std::string::npos) << findings[0].clause;
}

TEST_F(AdjustmentRules, NewBlockDoesNotOverlapOneOfTheSameKind) {
    // 101.25–101.28 × 36.13–36.14 overlaps QL-KQ-01 (east edge 101.26) by 0.01° × 0.01° ≈ 0.998 km²
    // (at 36.135° N), and no mining block (a block of another kind is not compared).
    auto findings = submit("2022-03-01", {row(ChangeAction::Add, "exploration_blocks", "QL-KQ-04",
                                              block("exploration_blocks", "QL-KQ-04", "铜", {101.25, 36.13, 101.28, 36.14}))});
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].rule, "same_kind_overlap");
    EXPECT_NE(findings[0].message.find("QL-KQ-01"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].message.find("0.99"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].clause.find("同类规划区块不得相互重叠"), std::string::npos);
}

}  // namespace
}  // namespace minplan::testing
