// The plan's history over several years, on the FICTIONAL county plan (tests/data/plans/fictional-county-
// 2021-2025: exploration block QL-KQ-01 101.18–101.26 E × 36.13–36.18 N, 铜; mining blocks QL-CK-01 and
// QL-CK-02; the reserve QL-BH-01 101.08–101.11 E × 36.14–36.17 N). The test builds the history itself:
//
//   set 1 「2022年度集中调整」 effective 2022-03-01: add QL-KQ-02 (101.30–101.34 × 36.10–36.14, 金);
//                                                   modify QL-KQ-01 (mineral 铜 → 金, east edge 101.26 → 101.22)
//   set 2 「2023年度集中调整」 effective 2023-05-01: retire QL-CK-02
//
// and checks as-of reads, the diff feature by feature, the adjustment rules, bad input and approval, against
// expectations worked out by hand next to each assertion.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "geo/geometry.hpp"
#include "services/changesets.hpp"
#include "services/plan_diff.hpp"
#include "store/plan_database.hpp"
#include "../plan/plan_fixture.hpp"
#include "../server/portal_session.hpp"
#include "../server/running_portal.hpp"
#include "../store/backends.hpp"
#include "server/auth.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;
using store::ChangeAction;
using store::ChangeItem;

ChangeItem block(ChangeAction action, const std::string& layer, const std::string& id, const std::string& mineral, double x1,
                 double y1, double x2, double y2) {
    ChangeItem item;
    item.action = action;
    item.layer = layer;
    item.key = id;
    item.feature.attributes["block_id"] = id;
    item.feature.attributes["kind"] = std::string(layer == "mining_blocks" ? "mining" : "exploration");
    item.feature.attributes["plan_level"] = std::string("county");
    item.feature.attributes["mineral"] = mineral;
    item.feature.attributes["source"] = std::string("测试调整批次");
    item.feature.wkb = geo::Geometry::rectangle({x1, y1, x2, y2}).to_wkb();
    return item;
}

ChangeItem retire(const std::string& layer, const std::string& id) {
    ChangeItem item;
    item.action = ChangeAction::Retire;
    item.layer = layer;
    item.key = id;
    return item;
}

std::set<std::string> ids(const store::PlanStore& s, const std::string& layer, const std::string& field = "block_id") {
    std::set<std::string> out;
    for (const auto& f : s.read(layer)) out.insert(f.text(field));
    return out;
}

// On both backends (value-parameterised): the same history, as-of reads, diffs and change sets.
class PlanHistory : public ::testing::TestWithParam<std::string> {
protected:
    static void SetUpTestSuite() { built_ = new PlanBuiltOnce(fictional_plan_dir(), "county.gpkg"); }
    static void TearDownTestSuite() { delete built_; }
    void SetUp() override {
        ASSERT_TRUE(built_->ok()) << built_->output();
        plan_ = std::make_unique<BackendPlan>(GetParam(), built_->path());
        path_ = plan_->location();
        db_ = store::open_database(path_.string());
    }

    store::ChangeSet header(const std::string& name, const std::string& effective, const std::string& kind = store::kAdjustment) {
        store::ChangeSet cs;
        cs.name = name;
        cs.effective_date = effective;
        cs.kind = kind;
        cs.reason = "测试";
        cs.doc_no = "青自然资函〔" + effective.substr(0, 4) + "〕1号";
        cs.doc_date = effective;
        return cs;
    }

    // Creates, fills, submits and approves a set; returns its id.
    std::int64_t approved(const std::string& name, const std::string& effective, std::vector<ChangeItem> items) {
        auto id = services::create_change_set(*db_, header(name, effective), "tester");
        services::add_change_items(*db_, id, std::move(items), "tester");
        auto findings = services::submit_change_set(*db_, id, "tester");
        for (const auto& f : findings) EXPECT_FALSE(f.blocking) << f.message;
        // QL-KQ-02 (101.30–101.34 E) lies just outside the county (east edge 101.30 E): a quality-check 错误
        // that approval refuses unless forced with a reason. The history, not the check, is the subject here.
        services::Approval approval;
        approval.may_approve = true;
        approval.force = true;
        approval.force_reason = "测试夹具：QL-KQ-02 位于县界外";
        services::approve_change_set(*db_, id, "planner", approval);
        return id;
    }

    void build_history() {
        set1_ = approved("2022年度集中调整", "2022-03-01",
                         {block(ChangeAction::Add, "exploration_blocks", "QL-KQ-02", "金", 101.30, 36.10, 101.34, 36.14),
                          block(ChangeAction::Modify, "exploration_blocks", "QL-KQ-01", "金", 101.18, 36.13, 101.22, 36.18)});
        set2_ = approved("2023年度集中调整", "2023-05-01", {retire("mining_blocks", "QL-CK-02")});
    }

    static inline PlanBuiltOnce* built_ = nullptr;
    TempDir dir_;
    std::unique_ptr<BackendPlan> plan_;
    fs::path path_;  // the plan database: a GeoPackage file or "PG:… active_schema=…"
    std::shared_ptr<store::PlanDatabase> db_;
    std::int64_t set1_ = 0, set2_ = 0;
};

TEST_P(PlanHistory, AsOfReadsSeeThePlanInForceOnEachDay) {
    build_history();
    // Before set 1: the plan as built.
    auto y2021 = db_->snapshot_at("2021-06-01");
    EXPECT_EQ(ids(*y2021, "exploration_blocks"), (std::set<std::string>{"QL-KQ-01"}));
    EXPECT_EQ(ids(*y2021, "mining_blocks"), (std::set<std::string>{"QL-CK-01", "QL-CK-02"}));
    EXPECT_EQ(y2021->read("exploration_blocks").at(0).text("mineral"), "铜");
    // The day before and the day set 1 takes effect: [valid_from, valid_to) is half-open.
    EXPECT_EQ(db_->snapshot_at("2022-02-28")->read("exploration_blocks").at(0).text("mineral"), "铜");
    auto y2022 = db_->snapshot_at("2022-03-01");
    EXPECT_EQ(ids(*y2022, "exploration_blocks"), (std::set<std::string>{"QL-KQ-01", "QL-KQ-02"}));
    EXPECT_EQ(ids(*y2022, "mining_blocks"), (std::set<std::string>{"QL-CK-01", "QL-CK-02"}));
    for (const auto& f : y2022->read("exploration_blocks")) EXPECT_EQ(f.text("mineral"), "金") << f.text("block_id");
    // After set 2, and today (the default snapshot).
    for (const std::string& date : {std::string("2023-05-01"), store::today()}) {
        auto snap = db_->snapshot_at(date);
        EXPECT_EQ(ids(*snap, "mining_blocks"), (std::set<std::string>{"QL-CK-01"}));
        EXPECT_EQ(ids(*snap, "exploration_blocks"), (std::set<std::string>{"QL-KQ-01", "QL-KQ-02"}));
    }
    // Window reads: a box around QL-KQ-02 finds nothing in 2021 and the block in 2022; a box on the strip
    // 101.23–101.25 E that set 1 cut off QL-KQ-01 finds the old block in 2021 and nothing in 2022.
    const store::BBox around_new{101.31, 36.11, 101.33, 36.13};
    const store::BBox cut_strip{101.23, 36.14, 101.25, 36.17};
    EXPECT_TRUE(y2021->features_in("exploration_blocks", around_new).empty());
    ASSERT_EQ(y2022->features_in("exploration_blocks", around_new).size(), 1u);
    EXPECT_EQ(y2022->features_in("exploration_blocks", around_new)[0].text("block_id"), "QL-KQ-02");
    ASSERT_EQ(y2021->features_in("exploration_blocks", cut_strip).size(), 1u);
    EXPECT_TRUE(y2022->features_in("exploration_blocks", cut_strip).empty());
    // Layer counts follow the date too.
    for (const auto& l : y2021->layers())
        if (l.id == "mining_blocks") { EXPECT_EQ(l.feature_count, 2); }
    for (const auto& l : db_->snapshot()->layers())
        if (l.id == "mining_blocks") { EXPECT_EQ(l.feature_count, 1); }
    // Nothing was overwritten: the retired rows are in the history with the sets that added and retired them.
    auto sets = db_->change_sets();
    ASSERT_GE(sets.size(), 2u);
    EXPECT_EQ(db_->change_set(set2_)->state, store::kApproved);
    EXPECT_GT(db_->change_set(set2_)->plan_version, db_->change_set(set1_)->plan_version);
}

TEST_P(PlanHistory, CliReadsTakeAsOf) {
    build_history();
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", path_.string()});
        return run_cli(args);
    };
    CliResult before = run({"--as-of", "2021-06-01", "--json", "query", "mining_blocks"});
    ASSERT_EQ(before.code, cli::kOk) << before.err;
    EXPECT_EQ(json::parse(before.out)["features"].size(), 2u);
    CliResult now = run({"--json", "query", "mining_blocks"});
    ASSERT_EQ(now.code, cli::kOk) << now.err;
    EXPECT_EQ(json::parse(now.out)["features"].size(), 1u);
    CliResult bad = run({"--as-of", "2021-02-30", "query", "mining_blocks"});
    EXPECT_EQ(bad.code, cli::kUsage) << "30 February is no date";
    EXPECT_NE(bad.err.find("YYYY-MM-DD"), std::string::npos) << bad.err;
}

TEST_P(PlanHistory, DiffListsEachFeatureWithAreaAndColumnTotals) {
    build_history();
    auto d = services::diff_plan(*db_, "2021-06-01", "2023-06-01");
    std::map<std::string, const services::FeatureChange*> by_key;
    for (const auto& c : d.changes) by_key[c.key] = &c;
    ASSERT_EQ(d.changes.size(), 3u) << services::diff_json(d).dump(1);
    ASSERT_TRUE(by_key.count("QL-KQ-02") && by_key.count("QL-KQ-01") && by_key.count("QL-CK-02"));
    EXPECT_EQ(by_key["QL-KQ-02"]->kind, "added");
    EXPECT_EQ(by_key["QL-CK-02"]->kind, "retired");
    const auto& modified = *by_key["QL-KQ-01"];
    EXPECT_EQ(modified.kind, "changed");
    EXPECT_TRUE(modified.geometry_changed);
    bool mineral = false;
    for (const auto& f : modified.fields)
        if (f.field == "mineral") mineral = f.before == "铜" && f.after == "金";
    EXPECT_TRUE(mineral);
    // Areas on the CGCS2000 ellipsoid by hand (a = 6378.137 km, e² = 0.006694380): a degree of longitude is
    // N·cos φ·π/180 with N = a/√(1 − e² sin² φ), a degree of latitude M·π/180 with M = a(1 − e²)/(1 − e² sin² φ)^1.5.
    // At 36.12° N: 90.03 km and 110.96 km → QL-KQ-02 (0.04° × 0.04°) ≈ 3.601 × 4.438 ≈ 15.98 km².
    // At 36.155° N: 89.99 km and 110.96 km → QL-KQ-01 before (0.08° × 0.05°) ≈ 39.94 km², after (0.04°) ≈ 19.97 km².
    ASSERT_TRUE(by_key["QL-KQ-02"]->area_after.has_value());
    EXPECT_NEAR(*by_key["QL-KQ-02"]->area_after, 15.98, 0.02);
    ASSERT_TRUE(modified.area_before && modified.area_after);
    EXPECT_NEAR(*modified.area_before, 39.94, 0.05);
    EXPECT_NEAR(*modified.area_after, 19.97, 0.03);
    // Totals: one exploration block more, one mining block less.
    std::map<std::string, double> count_delta;
    for (const auto& t : d.totals)
        if (t.field == "count") count_delta[t.layer] = t.after - t.before;
    EXPECT_EQ(count_delta["exploration_blocks"], 1);
    EXPECT_EQ(count_delta["mining_blocks"], -1);
    // A diff by change set ids: from set 1 to set 2 only QL-CK-02 changed.
    auto by_sets = services::diff_plan(*db_, services::resolve_point(*db_, std::to_string(set1_)),
                                       services::resolve_point(*db_, std::to_string(set2_)));
    ASSERT_EQ(by_sets.changes.size(), 1u);
    EXPECT_EQ(by_sets.changes[0].key, "QL-CK-02");
    // GeoJSON and XLSX of the same answer.
    auto gj = services::diff_geojson(d);
    EXPECT_EQ(gj["features"].size(), 3u);
    CliResult x = run_cli({"--db", path_.string(), "diff", "--from", "2021-06-01", "--to", "2023-06-01", "--format", "xlsx", "--out",
                           (dir_ / "调整情况表.xlsx").string()});
    ASSERT_EQ(x.code, cli::kOk) << x.err;
    EXPECT_GT(fs::file_size(dir_ / "调整情况表.xlsx"), 1000u);
}

TEST_P(PlanHistory, BadInputNamesTheRowAndWritesNothing) {
    build_history();
    const auto version = db_->version();
    auto id = services::create_change_set(*db_, header("2024年度集中调整", "2024-04-01"), "tester");
    auto expect_refused = [&](std::vector<ChangeItem> items, const std::string& expected) {
        try {
            services::add_change_items(*db_, id, std::move(items), "tester");
            ADD_FAILURE() << "accepted, expected: " << expected;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
        EXPECT_TRUE(db_->change_set(id)->items.empty()) << "nothing written";
    };
    expect_refused({retire("mining_blocks", "QL-CK-99")}, "第 1 项 QL-CK-99（注销）");
    expect_refused({retire("mining_blocks", "QL-CK-02")}, "没有有效的 QL-CK-02");  // retired by set 2
    expect_refused({block(ChangeAction::Add, "exploration_blocks", "QL-KQ-02", "金", 101.30, 36.10, 101.34, 36.14)}, "已有 QL-KQ-02");
    // A set effective before set 2 that changes what set 2 changed: a conflict naming both.
    auto early = services::create_change_set(*db_, header("2022年度规划修改", "2022-10-01", store::kAmendment), "tester");
    try {
        services::add_change_items(*db_, early, {retire("mining_blocks", "QL-CK-02")}, "tester");
        ADD_FAILURE() << "a conflict with set 2 was accepted";
    } catch (const InputError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("批次 " + std::to_string(set2_) + "「2023年度集中调整」"), std::string::npos) << m;
        EXPECT_NE(m.find("「2022年度规划修改」"), std::string::npos) << m;
    }
    // An effective date before the plan period (2021–2025), and a date that is none.
    EXPECT_THROW(services::create_change_set(*db_, header("过早", "2020-12-31"), "tester"), InputError);
    EXPECT_THROW(services::create_change_set(*db_, header("无效", "2024-13-01"), "tester"), InputError);
    EXPECT_EQ(db_->version(), version) << "no plan write";
    // A change file with an unknown action: the row is named.
    fs::path file = dir_ / "changes.geojson";
    json fc = {{"type", "FeatureCollection"},
               {"features",
                {{{"type", "Feature"},
                  {"properties", {{"操作", "注销"}, {"block_id", "QL-CK-01"}}},
                  {"geometry", nullptr}},
                 {{"type", "Feature"},
                  {"properties", {{"操作", "作废"}, {"block_id", "QL-CK-01"}}},
                  {"geometry", nullptr}}}}};
    std::ofstream(file) << fc.dump();
    CliResult r = run_cli({"--db", path_.string(), "changeset", "add", std::to_string(id), "mining_blocks", file.string()});
    EXPECT_EQ(r.code, cli::kInputError);
    EXPECT_NE(r.err.find("changes.geojson 第 2 个要素：操作 “作废” 无法识别"), std::string::npos) << r.err;
    EXPECT_TRUE(db_->change_set(id)->items.empty());
    // The same file without the bad row is taken.
    fc["features"].erase(1);
    std::ofstream(file, std::ios::trunc) << fc.dump();
    r = run_cli({"--db", path_.string(), "changeset", "add", std::to_string(id), "mining_blocks", file.string()});
    EXPECT_EQ(r.code, cli::kOk) << r.err;
    ASSERT_EQ(db_->change_set(id)->items.size(), 1u);
    EXPECT_EQ(db_->change_set(id)->items[0].key, "QL-CK-01");
    // A later re-import replaced the rows of the mining blocks on 2024-09-01: a set effective before that
    // cannot retire one of them, and the message names the import's set.
    fs::path blocks = dir_ / "blocks.gpkg";
    ASSERT_EQ(run_cli({"--db", path_.string(), "export", "mining_blocks", blocks.string()}).code, cli::kOk);
    ASSERT_EQ(run_cli({"--db", path_.string(), "import", "mining_blocks", blocks.string(), "--effective", "2024-09-01"}).code, cli::kOk);
    const auto import_set = db_->change_sets().front();
    ASSERT_EQ(import_set.kind, store::kImport);
    auto late = services::create_change_set(*db_, header("2024年度规划修改", "2024-05-01", store::kAmendment), "tester");
    try {
        services::add_change_items(*db_, late, {retire("mining_blocks", "QL-CK-01")}, "tester");
        ADD_FAILURE() << "a retirement overtaken by a later import was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(import_set.id) + "「" + import_set.name + "」（生效 2024-09-01）"), std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(db_->change_set(late)->items.empty());
}

TEST_P(PlanHistory, AdjustmentRulesCiteTheirClauses) {
    build_history();
    // A second concentrated adjustment in 2022: the per-year rule (虚构规划 第七章).
    auto second = services::create_change_set(*db_, header("2022年度第二次调整", "2022-09-01"), "tester");
    services::add_change_items(*db_, second, {block(ChangeAction::Add, "exploration_blocks", "QL-KQ-05", "金", 101.40, 36.20, 101.42, 36.22)},
                               "tester");
    auto findings = services::submit_change_set(*db_, second, "tester");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "per_year");
    EXPECT_NE(findings[0].clause.find("虚构规划 第七章"), std::string::npos);
    EXPECT_EQ(db_->change_set(second)->state, store::kDraft) << "not submitted";
    // Marked as a 规划修改 it is not counted against the year.
    auto amendment = services::create_change_set(*db_, header("2022年度规划修改", "2022-09-01", store::kAmendment), "tester");
    services::add_change_items(*db_, amendment, {block(ChangeAction::Add, "exploration_blocks", "QL-KQ-05", "金", 101.40, 36.20, 101.42, 36.22)},
                               "tester");
    EXPECT_TRUE(services::submit_change_set(*db_, amendment, "tester").empty());
    EXPECT_EQ(db_->change_set(amendment)->state, store::kSubmitted);
    // A 2024 set: a block inside the reserve (101.09–101.10 × 36.15–36.16, wholly inside 101.08–101.11 ×
    // 36.14–36.17: 0.01° × 0.01° ≈ 0.900 × 1.110 ≈ 0.9985 km², degree lengths as in the diff test) and one
    // overlapping QL-KQ-02 by 0.01° × 0.04° (101.33–101.36 × 36.10–36.14: 0.900 × 4.438 ≈ 3.996 km²).
    auto y2024 = services::create_change_set(*db_, header("2024年度集中调整", "2024-04-01"), "tester");
    services::add_change_items(*db_, y2024,
                               {block(ChangeAction::Add, "exploration_blocks", "QL-KQ-03", "金", 101.09, 36.15, 101.10, 36.16),
                                block(ChangeAction::Add, "exploration_blocks", "QL-KQ-04", "金", 101.33, 36.10, 101.36, 36.14)},
                               "tester");
    findings = services::submit_change_set(*db_, y2024, "tester");
    std::map<std::string, const services::AdjustmentFinding*> by_rule;
    for (const auto& f : findings) by_rule[f.rule + ":" + f.item.substr(0, f.item.find("（"))] = &f;
    ASSERT_EQ(findings.size(), 2u);
    const auto* reserve = by_rule["control_lines:第 1 项 QL-KQ-03"];
    ASSERT_NE(reserve, nullptr);
    EXPECT_NE(reserve->clause.find("Q03"), std::string::npos) << reserve->clause;
    EXPECT_NE(reserve->message.find("0.998"), std::string::npos) << reserve->message;
    const auto* overlap = by_rule["same_kind_overlap:第 2 项 QL-KQ-04"];
    ASSERT_NE(overlap, nullptr);
    EXPECT_NE(overlap->message.find("QL-KQ-02"), std::string::npos);
    EXPECT_NE(overlap->message.find("3.99"), std::string::npos) << overlap->message;
    EXPECT_NE(overlap->clause.find("同类规划区块不得相互重叠"), std::string::npos);
    EXPECT_EQ(db_->change_set(y2024)->state, store::kDraft);
}

TEST_P(PlanHistory, ApprovalNeedsAPlannerAndAnApprovedSetIsNeverEdited) {
    auto id = services::create_change_set(*db_, header("2022年度集中调整", "2022-03-01"), "tester");
    services::add_change_items(*db_, id, {retire("mining_blocks", "QL-CK-02")}, "tester");
    EXPECT_THROW(services::approve_change_set(*db_, id, "tester", true), InputError) << "a draft is not approved";
    services::submit_change_set(*db_, id, "tester");
    EXPECT_THROW(services::approve_change_set(*db_, id, "reviewer", false), InputError);
    EXPECT_EQ(db_->change_set(id)->state, store::kSubmitted);
    services::approve_change_set(*db_, id, "planner", true);
    EXPECT_THROW(services::add_change_items(*db_, id, {retire("mining_blocks", "QL-CK-01")}, "tester"), InputError);
    auto cs = *db_->change_set(id);
    EXPECT_THROW(db_->save_change_set(cs, {}), InputError);
    EXPECT_THROW(services::reject_change_set(*db_, id, "tester", "晚了"), InputError);
    // The CLI approves only for a portal account with the planner role or higher.
    CliResult r = run_cli({"--db", path_.string(), "changeset", "approve", "1", "--user", "nobody"});
    EXPECT_EQ(r.code, cli::kNotFound) << r.err;
}

TEST_P(PlanHistory, ImportRetiresTheOldRowsAsOneChangeSet) {
    // Re-import of the mining blocks with an effective date: the old rows end, the new ones begin.
    fs::path src = dir_ / "blocks.gpkg";
    ASSERT_EQ(run_cli({"--db", path_.string(), "export", "mining_blocks", src.string()}).code, cli::kOk);
    CliResult r = run_cli({"--db", path_.string(), "import", "mining_blocks", src.string(), "--effective", "2023-01-01"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    auto sets = db_->change_sets();
    ASSERT_FALSE(sets.empty());
    EXPECT_EQ(sets.front().kind, store::kImport);
    EXPECT_EQ(sets.front().state, store::kApproved);
    EXPECT_EQ(sets.front().effective_date, "2023-01-01");
    // Both dates read two blocks (the same content), from different rows; the diff shows nothing changed.
    EXPECT_EQ(db_->snapshot_at("2022-06-01")->read("mining_blocks").size(), 2u);
    EXPECT_EQ(db_->snapshot_at("2023-06-01")->read("mining_blocks").size(), 2u);
    EXPECT_NE(db_->snapshot_at("2022-06-01")->read("mining_blocks")[0].fid, db_->snapshot_at("2023-06-01")->read("mining_blocks")[0].fid);
    EXPECT_TRUE(services::diff_plan(*db_, "2022-06-01", "2023-06-01").changes.empty());
}

TEST_P(PlanHistory, ReviewUsesThePlanInForceOnTheFilingDate) {
    build_history();
    // 101.21–101.22 E × 36.04–36.05 N lies inside QL-CK-02 (101.20–101.24 × 36.03–36.06, 建筑用砂), which set 2
    // retired on 2023-05-01: filed in 2022 the application is inside a block (Q01 通过), filed today it is not.
    json ring = json::array({{101.21, 36.04}, {101.22, 36.04}, {101.22, 36.05}, {101.21, 36.05}, {101.21, 36.04}});
    json app = {{"type", "Feature"}, {"properties", json::object()}, {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}};
    fs::path file = dir_ / "app.geojson";
    std::ofstream(file) << app.dump();
    auto q01 = [](const json& report) {
        for (const auto& f : report.at("findings"))
            if (f.at("rule") == "Q01") return f.at("result").get<std::string>();
        return std::string("（无）");
    };
    auto check = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"--db", path_.string(), "--json", "check", file.string(), "--kind", "mining", "--action", "new",
                                         "--attr", "main_mineral=建筑用砂", "--attr", "for_profit=true"};
        args.insert(args.end(), extra.begin(), extra.end());
        CliResult r = run_cli(args);
        return json::parse(r.out, nullptr, false);
    };
    json filed_2022 = check({"--attr", "filing_date=2022-06-01"});
    ASSERT_TRUE(filed_2022.is_object());
    EXPECT_EQ(q01(filed_2022), "通过");
    EXPECT_EQ(filed_2022["plan_version"]["as_of"], "2022-06-01");
    EXPECT_EQ(filed_2022["plan_version"]["version"], db_->version());
    json filed_today = check({});
    EXPECT_EQ(q01(filed_today), "不通过");
    EXPECT_EQ(filed_today["plan_version"]["as_of"], store::today());
    // --as-of wins over the attribute.
    EXPECT_EQ(q01(check({"--attr", "filing_date=2024-01-01", "--as-of", "2022-06-01"})), "通过");
    // The portal's check does the same, and its report names the plan it used.
    RunningPortal portal(path_);
    auto res = portal.client().Post("/api/check?kind=mining&action=new&main_mineral=建筑用砂&for_profit=true&filing_date=2022-06-01",
                                    app.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    json body = json::parse(res->body);
    EXPECT_EQ(q01(body), "通过");
    EXPECT_EQ(body["plan_version"]["as_of"], "2022-06-01");
}

TEST_P(PlanHistory, AReviewSavedBeforeAnAdjustmentStillShowsTheVersionItUsed) {
    // 101.21–101.22 E × 36.04–36.05 N inside QL-CK-02 (建筑用砂): saved by a reviewer while the block is in
    // force (Q01 通过, the plan at version v0); then the 2023 set retires QL-CK-02. Re-opened, the saved review
    // still shows v0 and 通过; the same application checked now fails Q01 against the adjusted plan.
    {
        server::UserStore users(db_);
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
    }
    const std::string app =
        json{{"type", "Feature"}, {"properties", json::object()},
             {"geometry", {{"type", "Polygon"}, {"coordinates", {{{101.21, 36.04}, {101.22, 36.04}, {101.22, 36.05}, {101.21, 36.05}, {101.21, 36.04}}}}}}}
            .dump();
    auto q01 = [](const json& report) {
        for (const auto& f : report.at("findings"))
            if (f.at("rule") == "Q01") return f.at("result").get<std::string>();
        return std::string("（无）");
    };
    RunningPortal portal(path_);
    auto session = portal_login(portal, "shen", "reviewer-pass-1");
    ASSERT_EQ(session.status, 200);
    const char* check = "/api/check?kind=mining&action=new&main_mineral=建筑用砂&for_profit=true";
    auto res = portal.client().Post(check, session.headers(), app, "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "");
    json report = json::parse(res->body);
    ASSERT_TRUE(report["review"]["saved"].get<bool>());
    const auto id = report["review"]["id"].get<std::int64_t>();
    const auto v0 = report["plan_version"]["version"].get<std::int64_t>();
    EXPECT_EQ(q01(report), "通过");

    approved("2023年度集中调整", "2023-05-01", {retire("mining_blocks", "QL-CK-02")});
    ASSERT_GT(db_->version(), v0);

    auto saved = portal.client().Get(("/api/reviews/" + std::to_string(id)).c_str(), session.headers());
    ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "");
    json reopened = json::parse(saved->body)["report"];
    EXPECT_EQ(reopened["plan_version"]["version"], v0);
    EXPECT_EQ(q01(reopened), "通过");
    auto now = portal.client().Post(check, session.headers(), app, "application/json");
    ASSERT_TRUE(now && now->status == 200);
    json again = json::parse(now->body);
    EXPECT_EQ(again["plan_version"]["version"], db_->version());
    EXPECT_EQ(q01(again), "不通过");
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanHistory, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
