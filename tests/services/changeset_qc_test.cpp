// The quality check before approval (issue 17 §3, issue 12): on the FICTIONAL county plan (tests/data/plans/
// fictional-county-2021-2025: towns 西岭镇 101.00–101.15 E, 东岭镇 101.15–101.30 E × 36.00–36.10 N, 北岭镇
// 101.15–101.30 E × 36.10–36.20 N), a change set adds mining block QL-CK-09 said to lie in 西岭镇 but drawn
// at 101.20–101.22 E × 36.01–36.02 N, inside 东岭镇 — the adjustment rules pass (no overlap: QL-CK-02 starts at
// 36.03 N; no control area there), the quality check does not (outside_region). Approval refuses it and
// writes nothing; forcing needs a reason, which the audit trail records.
#include <gtest/gtest.h>

#include "geo/geometry.hpp"
#include "services/changeset_qc.hpp"
#include "services/changesets.hpp"
#include "store/plan_database.hpp"
#include "../plan/plan_fixture.hpp"
#include "../store/backends.hpp"

namespace minplan::testing {
namespace {

using store::ChangeAction;
using store::ChangeItem;

ChangeItem mining_block(const std::string& id, const std::string& town, double x1, double y1, double x2, double y2) {
    ChangeItem item;
    item.action = ChangeAction::Add;
    item.layer = "mining_blocks";
    item.key = id;
    item.feature.attributes["block_id"] = id;
    item.feature.attributes["kind"] = std::string("mining");
    item.feature.attributes["plan_level"] = std::string("county");
    item.feature.attributes["mineral"] = std::string("石灰岩");
    item.feature.attributes["county"] = town;
    item.feature.attributes["source"] = std::string("测试调整批次");
    item.feature.wkb = geo::Geometry::rectangle({x1, y1, x2, y2}).to_wkb();
    return item;
}

// On both backends (value-parameterised).
class ChangeSetQcTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const fs::path built = dir_ / "county.gpkg";
        auto r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", built.string()});
        ASSERT_EQ(r.code, 0) << r.out << r.err;
        plan_ = std::make_unique<BackendPlan>(GetParam(), built);
        path_ = plan_->location();
        db_ = store::open_database(path_.string());
    }
    std::int64_t submitted(const ChangeItem& item) {
        store::ChangeSet cs;
        cs.name = "2024年度集中调整";
        cs.effective_date = "2024-03-01";
        auto id = services::create_change_set(*db_, cs, "tester");
        services::add_change_items(*db_, id, {item}, "tester");
        for (const auto& f : services::submit_change_set(*db_, id, "tester")) EXPECT_FALSE(f.blocking) << f.message;
        EXPECT_EQ(db_->change_set(id)->state, store::kSubmitted);
        return id;
    }
    TempDir dir_;
    std::unique_ptr<BackendPlan> plan_;
    fs::path path_;
    std::shared_ptr<store::PlanDatabase> db_;
};

TEST_P(ChangeSetQcTest, ABlockOutsideItsTownIsTheOnlyFindingTheSetBrings) {
    auto id = submitted(mining_block("QL-CK-09", "西岭镇（虚构）", 101.20, 36.01, 101.22, 36.02));
    auto checked = services::qc_change_set(*db_, *db_->change_set(id));
    std::vector<std::string> errors;
    for (const auto& f : checked.report.findings)
        if (f.severity == services::qc::Severity::Error) errors.push_back(f.check + " " + f.feature_id);
    EXPECT_EQ(errors, (std::vector<std::string>{"outside_region QL-CK-09"}));
}

TEST_P(ChangeSetQcTest, ApprovalRefusesQcErrorsUnlessForcedWithAReasonThatTheAuditKeeps) {
    auto id = submitted(mining_block("QL-CK-09", "西岭镇（虚构）", 101.20, 36.01, 101.22, 36.02));
    const auto version = db_->version();
    services::Approval a;
    a.may_approve = true;
    try {
        services::approve_change_set(*db_, id, "planner", a);
        FAIL() << "approved despite a QC error";
    } catch (const ProblemsError& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_NE(e.problems()[0].find("QL-CK-09"), std::string::npos) << e.problems()[0];
        EXPECT_NE(e.problems()[0].find("outside_region"), std::string::npos) << e.problems()[0];
    }
    EXPECT_EQ(db_->version(), version);
    EXPECT_EQ(db_->change_set(id)->state, store::kSubmitted);

    a.force = true;  // without a reason
    EXPECT_THROW(services::approve_change_set(*db_, id, "planner", a), InputError);
    EXPECT_EQ(db_->change_set(id)->state, store::kSubmitted);

    a.force_reason = "界线待勘定，先行批准";
    services::approve_change_set(*db_, id, "planner", a);
    EXPECT_EQ(db_->change_set(id)->state, store::kApproved);
    store::AuditFilter f;
    f.action = "changeset.approve";
    auto entries = db_->audit_log(f);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_NE(entries[0].after.find("质检：错误 1"), std::string::npos) << entries[0].after;
    EXPECT_NE(entries[0].after.find("强制批准，理由：界线待勘定，先行批准"), std::string::npos) << entries[0].after;
}

TEST_P(ChangeSetQcTest, ACleanSetIsApprovedAndItsAuditEntryCarriesTheQcCounts) {
    // 101.25–101.27 E × 36.01–36.02 N: inside 东岭镇 and said to be there.
    auto id = submitted(mining_block("QL-CK-10", "东岭镇（虚构）", 101.25, 36.01, 101.27, 36.02));
    EXPECT_FALSE(services::qc_change_set(*db_, *db_->change_set(id)).report.has_errors());
    services::Approval a;
    a.may_approve = true;
    services::approve_change_set(*db_, id, "planner", a);
    store::AuditFilter f;
    f.action = "changeset.approve";
    auto entries = db_->audit_log(f);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_NE(entries[0].after.find("质检：错误 0"), std::string::npos) << entries[0].after;
    EXPECT_EQ(entries[0].after.find("强制"), std::string::npos) << entries[0].after;
}

TEST_P(ChangeSetQcTest, TheQcCommandChecksAChangeSetAndExitsOneOnErrors) {
    auto id = submitted(mining_block("QL-CK-09", "西岭镇（虚构）", 101.20, 36.01, 101.22, 36.02));
    auto r = run_cli({"--db", path_.string(), "--json", "qc", "--changeset", std::to_string(id)});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    auto j = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& f : j["findings"]) found = found || (f.value("check", "") == "outside_region" && f.value("feature_id", "") == "QL-CK-09");
    EXPECT_TRUE(found) << r.out.substr(0, 2000);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeSetQcTest, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
