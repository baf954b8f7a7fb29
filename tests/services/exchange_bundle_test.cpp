// The exchange bundle round trip (issue 12 §7): the FICTIONAL county plan with two years of history (a
// 2022 set adds QL-KQ-02 and narrows QL-KQ-01; a 2023 set retires QL-CK-02) is exported as a bundle and
// imported into an empty database; every layer reads the same on every day (ids, attributes, geometry),
// the change sets and their items are the same, and the import is in the new database's audit trail.
// A damaged bundle and an existing target are refused with nothing written.
#include <gtest/gtest.h>

#include <fstream>

#include "geo/geometry.hpp"
#include "services/changesets.hpp"
#include "services/exchange_bundle.hpp"
#include "store/plan_database.hpp"
#include "store/zip_archive.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

using store::ChangeAction;
using store::ChangeItem;

ChangeItem exploration(ChangeAction action, const std::string& id, const std::string& mineral, double x1, double y1, double x2, double y2) {
    ChangeItem item;
    item.action = action;
    item.layer = "exploration_blocks";
    item.key = id;
    item.feature.attributes["block_id"] = id;
    item.feature.attributes["kind"] = std::string("exploration");
    item.feature.attributes["plan_level"] = std::string("county");
    item.feature.attributes["mineral"] = mineral;
    item.feature.attributes["county"] = std::string("北岭镇（虚构）");
    item.feature.attributes["source"] = std::string("测试调整批次");
    item.feature.wkb = geo::Geometry::rectangle({x1, y1, x2, y2}).to_wkb();
    return item;
}

// Every row of every layer as text: identifier, attributes in schema order, geometry as WKB hex.
std::vector<std::string> dump(const store::PlanStore& s) {
    std::vector<std::string> out;
    for (const auto& l : s.layers()) {
        const TableSchema& schema = s.schema(l.id);
        for (const auto& f : s.read(l.id)) {
            std::string row = l.id;
            for (const auto& field : schema.fields) row += "|" + f.text(field.name);
            static const char* hex = "0123456789abcdef";
            row += "|";
            for (unsigned char c : f.wkb) row += std::string{hex[c >> 4], hex[c & 15]};
            out.push_back(row);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

class ExchangeBundle : public ::testing::Test {
protected:
    void SetUp() override {
        auto r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", source_.string()});
        ASSERT_EQ(r.code, 0) << r.out << r.err;
        db_ = store::open_database(source_.string());
        approve("2022年度集中调整", "2022-03-01",
                {exploration(ChangeAction::Add, "QL-KQ-02", "金", 101.20, 36.185, 101.24, 36.195),
                 exploration(ChangeAction::Modify, "QL-KQ-01", "金", 101.18, 36.13, 101.22, 36.18)});
        ChangeItem retire;
        retire.action = ChangeAction::Retire;
        retire.layer = "mining_blocks";
        retire.key = "QL-CK-02";
        approve("2023年度集中调整", "2023-05-01", {retire});
    }
    void approve(const std::string& name, const std::string& date, std::vector<ChangeItem> items) {
        store::ChangeSet cs;
        cs.name = name;
        cs.effective_date = date;
        cs.doc_no = "青自然资函〔" + date.substr(0, 4) + "〕1号";
        auto id = services::create_change_set(*db_, cs, "tester");
        services::add_change_items(*db_, id, std::move(items), "tester");
        for (const auto& f : services::submit_change_set(*db_, id, "tester")) ASSERT_FALSE(f.blocking) << f.message;
        services::Approval a;
        a.may_approve = true;
        services::approve_change_set(*db_, id, "planner", a);
    }
    TempDir dir_;
    fs::path source_ = dir_ / "county.gpkg";
    std::shared_ptr<store::PlanDatabase> db_;
};

TEST_F(ExchangeBundle, ExportThenImportIntoAnEmptyDatabaseKeepsFeaturesAttributesAndHistory) {
    const fs::path zip = dir_ / "bundle.zip";
    auto meta = services::export_bundle(*db_, zip, {"", 2, "GBK"});
    EXPECT_EQ(meta["change_set"]["doc_no"], "青自然资函〔2023〕1号");
    EXPECT_EQ(meta["as_of"], "2023-05-01");  // the set's effective date
    EXPECT_EQ(meta["version"], db_->version());

    // The files a province expects: the database, each layer as a GBK Shapefile, the adjustment table.
    TempDir look;
    auto files = store::extract_zip(zip, look.path());
    std::set<std::string> names;
    for (const auto& f : files) names.insert(f.filename().string());
    for (const char* n : {"metadata.json", "plan.gpkg", "KAICQK.shp", "KAICQK.dbf", "KAICQK.cpg", "KANCQK.shp", "调整情况表.xlsx"})
        EXPECT_TRUE(names.count(n)) << n;
    std::ifstream cpg(look.path() / "KAICQK.cpg");
    std::string encoding;
    std::getline(cpg, encoding);
    EXPECT_EQ(encoding.substr(0, 3), "GBK");

    const fs::path target = dir_ / "province-copy.gpkg";
    auto result = services::import_bundle(zip, target, "receiver", false);
    EXPECT_FALSE(result.qc.has_errors());
    auto copy = store::open_database(target.string());
    EXPECT_EQ(copy->version(), db_->version());
    for (const std::string day : {"2021-06-01", "2022-02-28", "2022-03-01", "2023-05-01", "2999-12-31"})
        EXPECT_EQ(dump(*copy->snapshot_at(day)), dump(*db_->snapshot_at(day))) << day;
    // The history really differs between the days compared (QL-CK-02 retired in 2023).
    EXPECT_NE(dump(*db_->snapshot_at("2021-06-01")), dump(*db_->snapshot_at("2023-05-01")));
    auto sets = copy->change_sets();
    auto orig = db_->change_sets();
    ASSERT_EQ(sets.size(), orig.size());
    for (std::size_t i = 0; i < sets.size(); ++i) {
        EXPECT_EQ(sets[i].name, orig[i].name);
        EXPECT_EQ(sets[i].state, orig[i].state);
        EXPECT_EQ(sets[i].effective_date, orig[i].effective_date);
        EXPECT_EQ(copy->change_set(sets[i].id)->items.size(), db_->change_set(orig[i].id)->items.size());
    }
    store::AuditFilter f;
    f.action = "exchange.import";
    auto entries = copy->audit_log(f);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, "receiver");
}

TEST_F(ExchangeBundle, ADamagedBundleOrAnExistingTargetIsRefusedAndNothingIsWritten) {
    const fs::path zip = dir_ / "bundle.zip";
    services::export_bundle(*db_, zip, {});
    // A bundle whose database was swapped: the checksum in metadata.json no longer matches.
    TempDir work;
    auto files = store::extract_zip(zip, work.path());
    { std::ofstream(work.path() / "plan.gpkg", std::ios::app) << "tampered"; }
    const fs::path bad = dir_ / "bad.zip";
    store::write_zip(bad, files);
    const fs::path target = dir_ / "new.gpkg";
    try {
        services::import_bundle(bad, target, "receiver", false);
        FAIL() << "a damaged bundle was imported";
    } catch (const ProblemsError& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_NE(e.problems()[0].find("plan.gpkg"), std::string::npos) << e.problems()[0];
        EXPECT_NE(e.problems()[0].find("SHA-256"), std::string::npos) << e.problems()[0];
    }
    EXPECT_FALSE(fs::exists(target));
    // An existing database is never overwritten.
    const auto before = fs::file_size(source_);
    EXPECT_THROW(services::import_bundle(zip, source_, "receiver", false), InputError);
    EXPECT_EQ(fs::file_size(source_), before);
    EXPECT_EQ(store::open_database(source_.string())->change_sets().size(), 2u);
}

TEST_F(ExchangeBundle, TheCommandsExportQcAndImportABundle) {
    const fs::path zip = dir_ / "cli.zip";
    auto out = run_cli({"--db", source_.string(), "exchange", "export", "--out", zip.string(), "--changeset", "1"});
    ASSERT_EQ(out.code, 0) << out.out << out.err;
    auto qc = run_cli({"qc", "--bundle", zip.string()});
    EXPECT_EQ(qc.code, 0) << qc.out << qc.err;
    const fs::path target = dir_ / "cli-copy.gpkg";
    auto in = run_cli({"--db", target.string(), "exchange", "import", zip.string()});
    ASSERT_EQ(in.code, 0) << in.out << in.err;
    EXPECT_EQ(dump(*store::open_database(target.string())->snapshot_at("2022-03-01")), dump(*db_->snapshot_at("2022-03-01")));
    // An unapproved set is not filed.
    store::ChangeSet draft;
    draft.name = "草稿";
    draft.effective_date = "2024-03-01";
    services::create_change_set(*db_, draft, "tester");
    auto refused = run_cli({"--db", source_.string(), "exchange", "export", "--out", (dir_ / "draft.zip").string(), "--changeset", "3"});
    EXPECT_NE(refused.code, 0);
    EXPECT_NE(refused.err.find("已批准"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(dir_ / "draft.zip"));
}

// A change-set bundle into a database that already holds the plan (the province's copy of the county plan,
// built from the same package without the county's history): the set is recreated there as a draft with
// the same header and items, and once approved the province's plan reads as the county's on that day.
TEST_F(ExchangeBundle, AChangeSetBundleIsRecreatedInADatabaseHoldingThePlan) {
    const fs::path zip = dir_ / "set1.zip";
    services::export_bundle(*db_, zip, {"", 1, "GBK"});
    const fs::path province = dir_ / "province.gpkg";
    auto r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", province.string()});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto target = store::open_database(province.string());
    auto result = services::import_changeset_bundle(zip, *target, "receiver");
    EXPECT_EQ(result.items, 2u);
    auto got = target->change_set(result.change_set);
    auto want = db_->change_set(1);
    ASSERT_TRUE(got && want);
    EXPECT_EQ(got->state, store::kDraft);
    EXPECT_EQ(got->name, want->name);
    EXPECT_EQ(got->doc_no, "青自然资函〔2022〕1号");
    EXPECT_EQ(got->effective_date, "2022-03-01");
    ASSERT_EQ(got->items.size(), want->items.size());
    for (std::size_t i = 0; i < got->items.size(); ++i) {
        EXPECT_EQ(got->items[i].key, want->items[i].key);
        EXPECT_EQ(got->items[i].action, want->items[i].action);
        EXPECT_EQ(got->items[i].feature.wkb, want->items[i].feature.wkb);
        EXPECT_EQ(got->items[i].feature.text("mineral"), want->items[i].feature.text("mineral"));
    }
    store::AuditFilter f;
    f.action = "changeset.import";
    ASSERT_EQ(target->audit_log(f).size(), 1u);
    EXPECT_EQ(target->audit_log(f)[0].actor, "receiver");
    // The receiving office submits and approves it: its plan on 2022-03-01 is the county's.
    for (const auto& finding : services::submit_change_set(*target, result.change_set, "receiver")) EXPECT_FALSE(finding.blocking) << finding.message;
    services::Approval a;
    a.may_approve = true;
    services::approve_change_set(*target, result.change_set, "planner", a);
    EXPECT_EQ(dump(*target->snapshot_at("2022-03-01")), dump(*db_->snapshot_at("2022-03-01")));
    // The same bundle again: refused, the set already there named, nothing written.
    const auto sets = target->change_sets().size();
    try {
        services::import_changeset_bundle(zip, *target, "receiver");
        FAIL() << "imported twice";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("批次 " + std::to_string(result.change_set)), std::string::npos) << e.what();
    }
    EXPECT_EQ(target->change_sets().size(), sets);
}

TEST_F(ExchangeBundle, AConflictingChangeSetBundleNamesBothSetsAndWritesNothing) {
    const fs::path zip = dir_ / "set1.zip";
    services::export_bundle(*db_, zip, {"", 1, "GBK"});
    // The receiving database already approved a 2023 set that narrowed QL-KQ-01: the bundle's 2022 change of
    // QL-KQ-01 would be overtaken by it (a conflict; both sets named).
    const fs::path province = dir_ / "province.gpkg";
    auto r = run_cli({"build", "--plan", fictional_plan_dir().string(), "--out", province.string()});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto target = store::open_database(province.string());
    store::ChangeSet cs;
    cs.name = "省级2023年调整";
    cs.effective_date = "2023-06-01";
    auto id = services::create_change_set(*target, cs, "tester");
    services::add_change_items(*target, id, {exploration(ChangeAction::Modify, "QL-KQ-01", "铜", 101.18, 36.13, 101.24, 36.18)}, "tester");
    services::submit_change_set(*target, id, "tester");
    services::Approval a;
    a.may_approve = true;
    services::approve_change_set(*target, id, "planner", a);
    const auto sets = target->change_sets().size();
    try {
        services::import_changeset_bundle(zip, *target, "receiver");
        FAIL() << "a conflicting set was imported";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("QL-KQ-01"), std::string::npos) << msg;
        EXPECT_NE(msg.find("省级2023年调整"), std::string::npos) << msg;
        EXPECT_NE(msg.find("2022年度集中调整"), std::string::npos) << msg;
    }
    EXPECT_EQ(target->change_sets().size(), sets);
    store::AuditFilter f;
    f.action = "changeset.import";
    EXPECT_TRUE(target->audit_log(f).empty());
    // Through the command, the same refusal (exit 3 for bad input) and the same database afterwards.
    auto cli = run_cli({"--db", province.string(), "exchange", "import", zip.string(), "--as-changeset"});
    EXPECT_NE(cli.code, 0);
    EXPECT_NE(cli.err.find("省级2023年调整"), std::string::npos) << cli.err;
    EXPECT_EQ(store::open_database(province.string())->change_sets().size(), sets);
}

}  // namespace
}  // namespace minplan::testing
