// The plan-database contract (plan_database.hpp), the same tests on every backend: GeoPackage and PostGIS
// (value-parameterised; the /pg instances run in the throwaway cluster of the pg_cluster fixture).
// Expectations are hand geometry and hand arithmetic, or the built GeoPackage read through GDAL.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "backends.hpp"
#include "core/error.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

Feature block(const std::string& id, double x, double y) { return surveyed_block(id, x, y); }

std::set<std::string> ids(const std::vector<Feature>& features) {
    std::set<std::string> out;
    for (const auto& f : features) out.insert(f.text("block_id"));
    return out;
}

class PlanDatabaseContract : public ::testing::TestWithParam<std::string> {
protected:
    PlanDatabaseContract() : plan_(GetParam()), db_(store::open_database(plan_.location())) {}
    // Three hand squares 0.01° wide replace the layer: A at (113.00, 40.00), B at (113.02, 40.00), C far east.
    std::int64_t write_blocks() {
        const TableSchema s = db_->snapshot()->schema("mining_blocks");
        return store::write_tables(*db_, {{s, {block("A", 113.00, 40.00), block("B", 113.02, 40.00), block("C", 114.00, 40.00)}}},
                                   store::SwapMode::Replace, {}, std::nullopt, "tester");
    }
    BackendPlan plan_;
    std::shared_ptr<store::PlanDatabase> db_;
};

TEST_P(PlanDatabaseContract, HoldsTheLayersFeaturesMetadataAndPackageOfTheBuiltPlan) {
    const auto source = store::open_store(built_plan().string());  // the GeoPackage, read through GDAL
    const auto copy = db_->snapshot();
    const auto expected = source->layers();
    const auto layers = copy->layers();
    ASSERT_EQ(layers.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto it = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l.id == expected[i].id; });
        ASSERT_NE(it, layers.end()) << expected[i].id;
        EXPECT_EQ(it->code, expected[i].code);
        EXPECT_EQ(it->name_zh, expected[i].name_zh);
        EXPECT_EQ(it->feature_count, expected[i].feature_count) << it->id;
        EXPECT_EQ(it->epsg, expected[i].epsg) << it->id;
    }
    // Every attribute of every feature and every geometry, byte for byte.
    for (const auto& l : expected) {
        auto a = source->read(l.id), b = copy->read(l.id);
        ASSERT_EQ(a.size(), b.size()) << l.id;
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].attributes, b[i].attributes) << l.id << " row " << i;
            EXPECT_EQ(a[i].wkb, b[i].wkb) << l.id << " row " << i;
        }
    }
    EXPECT_EQ(copy->metadata("id"), source->metadata("id"));
    EXPECT_EQ(copy->metadata("name_zh"), source->metadata("name_zh"));
    EXPECT_EQ(copy->package_file("rules.json"), source->package_file("rules.json"));
    EXPECT_FALSE(copy->package_file("no-such-file.json"));
}

TEST_P(PlanDatabaseContract, WindowReadsFindTheFeaturesWhoseEnvelopeMeetsTheBox) {
    write_blocks();
    auto s = db_->snapshot();
    // The box (113.005, 40.005)–(113.025, 40.006) touches A (ends at 113.01) and B (starts at 113.02), not C.
    EXPECT_EQ(ids(s->features_in("mining_blocks", {113.005, 40.005, 113.025, 40.006})), (std::set<std::string>{"A", "B"}));
    EXPECT_EQ(ids(s->features_in("mining_blocks", {113.5, 39.0, 113.6, 39.1})), std::set<std::string>{});
    store::Query q;
    q.bbox = store::BBox{113.995, 39.995, 114.005, 40.005};
    EXPECT_EQ(ids(s->read("mining_blocks", q)), std::set<std::string>{"C"});
    EXPECT_TRUE(s->has_features("mining_blocks", "block_id", {"B"}));
    EXPECT_FALSE(s->has_features("mining_blocks", "block_id", {"Z"}));
}

// The batch audit's two-step read (index_boxes, then features_with_fids): the GeoPackage answers from its
// R*Tree, whose float boxes contain the hand squares' envelopes; PostGIS with each geometry's Box2D.
TEST_P(PlanDatabaseContract, IndexBoxesContainTheEnvelopesAndFidsReadTheirRows) {
    write_blocks();
    auto s = db_->snapshot();
    const store::BBox box{113.005, 40.005, 113.025, 40.006};  // touches A and B (as above), not C
    const auto window = s->features_in("mining_blocks", box);
    ASSERT_EQ(ids(window), (std::set<std::string>{"A", "B"}));
    const auto boxes = s->index_boxes("mining_blocks", box);
    ASSERT_TRUE(boxes);
    {
        ASSERT_EQ(boxes->size(), 2u);
        for (const auto& b : *boxes) {
            const auto it = std::find_if(window.begin(), window.end(), [&](const Feature& f) { return f.fid == b.fid; });
            ASSERT_NE(it, window.end());
            // A's square is 113.00–113.01 × 40.00–40.01, B's 113.02–113.03: a float box holds it, within a
            // float's step (about 8e-6 degrees at 113).
            const double x0 = it->text("block_id") == "A" ? 113.00 : 113.02;
            EXPECT_LE(b.box.min_x, x0);
            EXPECT_GE(b.box.max_x, x0 + 0.01);
            EXPECT_LE(b.box.min_y, 40.00);
            EXPECT_GE(b.box.max_y, 40.01);
            EXPECT_NEAR(b.box.min_x, x0, 1e-5);
            EXPECT_NEAR(b.box.max_y, 40.01, 1e-5);
        }
    }
    const std::int64_t fid_b = ids({window[0]}) == std::set<std::string>{"B"} ? window[0].fid : window[1].fid;
    const auto rows = s->features_with_fids("mining_blocks", box, {fid_b});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text("block_id"), "B");
    const Feature& b = window[0].fid == fid_b ? window[0] : window[1];
    EXPECT_EQ(rows[0].wkb, b.wkb);  // the row as the window read it, attributes and geometry
    EXPECT_EQ(rows[0].attributes, b.attributes);
    EXPECT_TRUE(s->features_with_fids("mining_blocks", box, {}).empty());
}

// The window reads (the GeoPackage's lean path, PostGIS's SQL) give the rows the layer's plain read gives
// (GeoPackage: GDAL's features), attributes and WKB byte for byte.
TEST_P(PlanDatabaseContract, WindowReadsEqualThePlainReadOfTheSameRows) {
    write_blocks();
    auto s = db_->snapshot();
    const auto all = s->read("mining_blocks");
    ASSERT_EQ(all.size(), 3u);
    std::vector<std::int64_t> fids;
    for (const auto& f : all) fids.push_back(f.fid);
    const store::BBox box{112.9, 39.9, 114.1, 40.1};  // all three squares
    std::vector<Feature> by_fid = s->features_with_fids("mining_blocks", box, {fids[2], fids[0], fids[1], fids[0]});
    std::vector<Feature> in_box = s->features_in("mining_blocks", box);
    std::sort(in_box.begin(), in_box.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    ASSERT_EQ(by_fid.size(), 3u);  // in fid order, the duplicate once
    ASSERT_EQ(in_box.size(), 3u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const auto* got : {&by_fid[i], &in_box[i]}) {
            EXPECT_EQ(got->fid, all[i].fid);
            EXPECT_EQ(got->wkb, all[i].wkb);
            EXPECT_EQ(got->attributes, all[i].attributes);
        }
    }
}

// attributes_of: every row with a geometry, in fid order, with just the fields asked for (by name or by
// database code), valued as the plain read values them; no geometry. A field the layer lacks is an InputError.
TEST_P(PlanDatabaseContract, AttributesOfReadsTheNamedFieldsOfEveryRowWithAGeometry) {
    write_blocks();
    auto s = db_->snapshot();
    const auto all = s->read("mining_blocks");
    ASSERT_EQ(all.size(), 3u);
    const std::string count_code = s->schema("mining_blocks").field("group_count")->code;
    const auto rows = s->attributes_of("mining_blocks", {"block_id", count_code, "implements_provincial_plan"});
    ASSERT_EQ(rows.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(rows[i].fid, all[i].fid);
        EXPECT_TRUE(rows[i].wkb.empty());
        const std::map<std::string, Value> expected{{"block_id", all[i].get("block_id")},
                                                    {"group_count", all[i].get("group_count")},
                                                    {"implements_provincial_plan", all[i].get("implements_provincial_plan")}};
        EXPECT_EQ(rows[i].attributes, expected);
    }
    EXPECT_EQ(rows[1].text("block_id"), "B");
    EXPECT_THROW(s->attributes_of("mining_blocks", {"no_such_field"}), InputError);
}

// What an import accepts besides the code tables (store::import_reference): each non-empty value once, in
// the order of the first row holding it, from the store's SQL as from the plain paged read.
TEST_P(PlanDatabaseContract, DistinctTextsAreEachNonEmptyValueOnceInTheOrderFirstSeen) {
    const TableSchema s = db_->snapshot()->schema("mining_blocks");
    std::vector<Feature> rows;
    const std::vector<std::optional<std::string>> counties = {"平城区", "", "云冈区", "平城区", std::nullopt, "新荣区", "云冈区"};
    for (std::size_t i = 0; i < counties.size(); ++i) {
        rows.push_back(block("B" + std::to_string(i), 113.0 + 0.02 * static_cast<double>(i), 40.0));
        if (counties[i]) rows.back().attributes["county"] = *counties[i];
    }
    store::write_tables(*db_, {{s, rows}}, store::SwapMode::Replace, {}, std::nullopt, "tester");
    auto snap = db_->snapshot();
    const std::vector<std::string> expected = {"平城区", "云冈区", "新荣区"};
    EXPECT_EQ(snap->distinct_texts("mining_blocks", "county"), expected);
    EXPECT_EQ(snap->distinct_texts("mining_blocks", s.field("county")->code), expected);
    EXPECT_EQ(snap->PlanStore::distinct_texts("mining_blocks", "county"), expected);
    EXPECT_EQ(snap->distinct_texts("mining_blocks", "mineral"), std::vector<std::string>{});
    EXPECT_THROW(snap->distinct_texts("mining_blocks", "no_such_field"), InputError);
}

TEST_P(PlanDatabaseContract, AttributeFiltersCompareByTheFieldsType) {
    write_blocks();
    auto s = db_->snapshot();
    store::Query q;
    q.filters = {{"block_id", ">=", "B"}};
    EXPECT_EQ(ids(s->read("mining_blocks", q)), (std::set<std::string>{"B", "C"}));
    q.filters = {{"group_count", "=", "2"}};
    EXPECT_EQ(s->read("mining_blocks", q).size(), 3u);
    q.filters = {{"block_id", "like", "%A%"}};
    EXPECT_EQ(ids(s->read("mining_blocks", q)), std::set<std::string>{"A"});
    q.filters = {};
    q.limit = 1;
    q.offset = 1;
    EXPECT_EQ(ids(s->read("mining_blocks", q)), std::set<std::string>{"B"});
}

TEST_P(PlanDatabaseContract, ASnapshotKeepsItsVersionWhileWritersCommit) {
    const std::int64_t before = db_->version();
    auto old = db_->snapshot();
    const auto old_count = old->read("mining_blocks").size();
    ASSERT_GT(old_count, 3u);
    const std::int64_t committed = write_blocks();
    EXPECT_EQ(committed, before + 1);
    EXPECT_EQ(db_->version(), before + 1);
    EXPECT_EQ(old->version(), before);
    EXPECT_EQ(old->read("mining_blocks").size(), old_count);
    EXPECT_EQ(db_->snapshot()->read("mining_blocks").size(), 3u);
    // Append adds to what is there: 3 + 1.
    const TableSchema s = db_->snapshot()->schema("mining_blocks");
    store::write_tables(*db_, {{s, {block("D", 113.04, 40.00)}}}, store::SwapMode::Append);
    EXPECT_EQ(db_->snapshot()->read("mining_blocks").size(), 4u);
    EXPECT_EQ(db_->version(), before + 2);
}

TEST_P(PlanDatabaseContract, AnUncommittedPlanTransactionChangesNothing) {
    const std::int64_t before = db_->version();
    const auto count = db_->snapshot()->read("mining_blocks").size();
    {
        const TableSchema s = db_->snapshot()->schema("mining_blocks");
        auto staged = db_->stage(s, {block("X", 113.0, 40.0)});
        auto tx = db_->begin_plan();
        EXPECT_EQ(tx->base_version(), before);
        tx->swap_in(*staged, store::SwapMode::Replace);
        tx->set_metadata("note", "never committed");
    }  // destroyed without commit
    EXPECT_EQ(db_->version(), before);
    auto s = db_->snapshot();
    EXPECT_EQ(s->read("mining_blocks").size(), count);
    EXPECT_FALSE(s->metadata("note"));
}

TEST_P(PlanDatabaseContract, EveryCommitWritesAChangeLogLineAndAnAuditEntry) {
    const std::int64_t v = write_blocks();
    auto changes = db_->changes(5);
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(changes.front().version, v);
    EXPECT_EQ(changes.front().actor, "tester");
    EXPECT_NE(changes.front().summary.find("KAICQK"), std::string::npos) << changes.front().summary;
    EXPECT_NE(changes.front().summary.find("3 条"), std::string::npos) << changes.front().summary;
    db_->append_audit({0, "", "someone", "10.0.0.1", "login.fail", "账户 someone", "", ""});
    store::AuditFilter f;
    f.action = "login";
    auto entries = db_->audit_log(f);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries.front().actor, "someone");
    EXPECT_EQ(entries.front().client, "10.0.0.1");
    EXPECT_EQ(entries.front().at.substr(0, 10), store::today());
    f.action = "plan";
    EXPECT_FALSE(db_->audit_log(f).empty());
}

TEST_P(PlanDatabaseContract, AccountsAreAddedOnceChangedAndRemoved) {
    {
        auto tx = db_->begin_records();
        EXPECT_TRUE(tx->add_account({"li", "reviewer", "$argon2id$x", "2026-01-01T00:00:00Z", false}));
        EXPECT_FALSE(tx->add_account({"li", "admin", "$argon2id$y", "2026-01-02T00:00:00Z", false})) << "the name is taken";
        EXPECT_TRUE(tx->add_account({"an", "planner", "$argon2id$z", "2026-01-03T00:00:00Z", false}));
        tx->commit();
    }
    EXPECT_FALSE(db_->account("li")->disabled);
    {
        auto tx = db_->begin_records();
        EXPECT_TRUE(tx->update_account("li", store::AccountField::Role, "admin"));
        EXPECT_TRUE(tx->update_account("li", store::AccountField::Disabled, "1"));
        EXPECT_FALSE(tx->update_account("nobody", store::AccountField::Role, "admin"));
        tx->commit();
    }
    auto li = db_->account("li");
    ASSERT_TRUE(li);
    EXPECT_EQ(li->role, "admin");
    EXPECT_EQ(li->password_hash, "$argon2id$x");
    EXPECT_TRUE(li->disabled);
    auto all = db_->accounts();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "an");  // by name
    {
        auto tx = db_->begin_records();
        EXPECT_TRUE(tx->remove_account("an"));
        EXPECT_FALSE(tx->remove_account("an"));
    }  // not committed: "an" stays
    EXPECT_TRUE(db_->account("an"));
}

TEST_P(PlanDatabaseContract, ReviewsAreNumberedPerYearAndListedNewestFirst) {
    std::int64_t first = 0, second = 0;
    {
        auto tx = db_->begin_records();
        EXPECT_EQ(tx->next_review_number(2026), 1);
        EXPECT_EQ(tx->next_review_number(2026), 2);
        EXPECT_EQ(tx->next_review_number(2027), 1);
        first = tx->insert_review({0, "2026-03-01T00:00:00Z", "li", "reviewer", "application/json", "{}", "{\"name\":\"甲\"}", "conforming",
                                   R"({"application":{"name":"甲矿","kind":"采矿权","action":"新立","area_km2":0.5},"opinion":{"number":"〔2026〕0001号"}})",
                                   "<p>1</p>"});
        second = tx->insert_review({0, "2026-03-02T00:00:00Z", "li", "reviewer", "application/json", "{}", "{}", "nonconforming", "{}", "<p>2</p>"});
        tx->commit();
    }
    EXPECT_GT(second, first);
    auto page = db_->reviews(10, 0);
    EXPECT_EQ(page.total, 2);
    ASSERT_EQ(page.rows.size(), 2u);
    EXPECT_EQ(page.rows[0].id, second);
    EXPECT_EQ(page.rows[0].number, "");
    EXPECT_FALSE(page.rows[0].area_km2);
    EXPECT_EQ(page.rows[1].application_name, "甲矿");
    EXPECT_EQ(page.rows[1].number, "〔2026〕0001号");
    EXPECT_DOUBLE_EQ(*page.rows[1].area_km2, 0.5);
    EXPECT_EQ(db_->reviews(1, 1).rows.front().id, first);
    auto r = db_->review(first);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->attributes_json, "{\"name\":\"甲\"}");
    EXPECT_EQ(r->opinion_html, "<p>1</p>");
    EXPECT_FALSE(db_->review(second + 100));
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanDatabaseContract, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
