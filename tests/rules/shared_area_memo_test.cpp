// The engine keeps the area a planning zone shares with each right across checks (SharedAreaMemo, keyed by
// both features' layer, fid and WKB hash); the rights' dates and states are read at every check. QGIS
// writes the GeoPackage directly: the fid stays and the plan version does not move, so the server keeps its
// engine. Both kinds of edit made there must be seen by the next check on that engine.
#include <gtest/gtest.h>

#include "../plan/plan_fixture.hpp"
#include "batch_plan.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "test_plan.hpp"

namespace minplan::rules {
namespace {

// The rights R12 counted in the zone the application lies in (tests/data/rules/make_cases.py: ZL-T-05).
int granted_in_zone(const Report& r) {
    for (const auto& f : r.findings)
        if (f.rule_id == "R12") {
            const auto& zones = f.data.at("zones");
            EXPECT_EQ(zones.size(), 1u);
            return zones.begin()->at("granted_since_period_start").get<int>();
        }
    ADD_FAILURE() << "no R12 finding";
    return -1;
}

TEST(SharedAreaMemo, ARightEditedPastTheStoreIsCountedAsItNowIs) {
    // r12_at_count: ZL-T-05 plans 2 rights; R-5 (granted 2021-01-01, the period's first day) is counted, R-6
    // (2020-12-31) is not; the application is the 2nd: pass.
    minplan::testing::TempDir dir;
    const auto path = dir / "plan.gpkg";
    std::filesystem::copy_file(testing::Fixture::get().path, path);
    auto store = store::open_store(path.string());
    const auto setup = ReviewSetup::load(*store);
    const auto c = testing::read_json(testing::rules_data() / "cases" / "r12_at_count.json");
    const Application app = load_application(testing::rules_data() / c["application"].get<std::string>(), testing::case_options(c),
                                             setup->engine->polygon_options());
    const Engine& engine = *setup->engine;
    const Report first = engine.check(app);
    ASSERT_EQ(granted_in_zone(first), 1);
    ASSERT_EQ(first.verdict, engine.check(app).verdict);  // the memo now holds the zone's shares

    std::int64_t r5 = 0, r6 = 0;
    geo::Envelope r5_box;
    for (const auto& f : store->read("mineral_rights")) {
        if (f.text("right_id") == "R-5") {
            r5 = f.fid;
            r5_box = geo::Geometry::from_wkb(f.wkb).envelope();
        }
        if (f.text("right_id") == "R-6") r6 = f.fid;
    }
    ASSERT_GT(r5, 0);
    ASSERT_GT(r6, 0);
    const TableSchema rights = store->schema("mineral_rights");
    const std::string table = rights.code, valid_from = rights.field("valid_from")->code;
    store.reset();

    // R-6 re-dated into the period: 2 granted, the application would be the 3rd of 2 planned.
    ASSERT_NO_FATAL_FAILURE(testing::edit_text_past_store(path, table, r6, valid_from, "2021-06-01"));
    store = store::open_store(path.string());
    const Report redated = engine.check(app, *store);
    EXPECT_EQ(granted_in_zone(redated), 2);
    store.reset();

    // R-5 shrunk to a 0.000004° square at its corner (≈ 0.34 m × 0.44 m = 0.15 m², under rights_in's 1 m²),
    // still inside ZL-T-05, so the envelopes still meet: only R-6 is left to count. The zone's remembered
    // share with R-5 belongs to its old geometry.
    const geo::Geometry shrunk = geo::Geometry::polygon(
        {testing::batch_plan::box(r5_box.min_x, r5_box.min_y, r5_box.min_x + 0.000004, r5_box.min_y + 0.000004)});
    ASSERT_NO_FATAL_FAILURE(testing::edit_geometry_past_store(path, table, r5, shrunk.to_wkt(12)));
    store = store::open_store(path.string());
    const Report after_shrink = engine.check(app, *store);
    EXPECT_EQ(granted_in_zone(after_shrink), 1);

    // A fresh engine on the edited file agrees with the kept one.
    const auto fresh = ReviewSetup::load(*store);
    EXPECT_EQ(granted_in_zone(fresh->engine->check(app)), 1);
}

}  // namespace
}  // namespace minplan::rules
