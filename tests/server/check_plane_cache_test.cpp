// The server's checks keep what a plan feature alone determines in the application's plane (PlaneCache)
// across checks of one plan version. A write through the store moves the version: the next check must
// measure the new geometry, never answer from the cache of the old one. Expected areas are computed here,
// feature by feature with GEOS in the plane (brute force), from the geometries as the database then holds them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "../rules/batch_plan.hpp"
#include "geo/crs.hpp"
#include "server/check_api.hpp"
#include "store/plan_database.hpp"

namespace minplan::server {
namespace {

// A batch test plan of this test's own (no bow-tie feature), in a temporary folder named by `name`.
std::filesystem::path batch_plan(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid())) / "plan.gpkg";
    rules::testing::BatchPlanOptions o;
    o.bowtie = false;
    rules::testing::build_batch_plan(path, o);
    return path;
}

// Writes the control lines back through the store after `edit` (a commit: a new plan version).
void rewrite_control_lines(store::PlanDatabase& db, const std::function<void(std::vector<Feature>&)>& edit) {
    auto snap = db.snapshot();
    const TableSchema schema = snap->schema("control_lines");
    auto rows = snap->read("control_lines");
    snap.reset();
    edit(rows);
    store::write_tables(db, {{schema, rows}}, store::SwapMode::Replace);
}

TEST(CheckPlaneCache, AWriteThroughTheStoreIsSeenByTheNextCheck) {
    const auto path = batch_plan("minplan-checkcache");
    auto db = store::open_database(path.string());
    CheckService service(db);

    // The application: a quadrilateral in Gauss–Krüger zone 38 (EPSG:4526, zone number before the
    // easting) as a mining-right coordinate string (X north, Y east), over the middle of the plan.
    const geo::Geometry lonlat = geo::Geometry::polygon({rules::testing::batch_plan::box(113.31, 40.104, 113.35, 40.13)});
    const geo::Geometry gk = geo::cached_transformer(4490, 4526).apply(lonlat);
    std::string body = "1,4,";
    // Millimetres, as the string carries them (the oracle below uses the same numbers the server reads).
    auto ring = gk.polygons().at(0).at(0);
    for (auto& c : ring) c = {std::stod(fmt::format("{:.3f}", c.x)), std::stod(fmt::format("{:.3f}", c.y))};
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) body += fmt::format("{},{:.3f},{:.3f},", i + 1, ring[i].y, ring[i].x);
    body += "1200,900,,1,\n";
    const Params params = {{"kind", "mining"}, {"main_mineral", "煤"}, {"applicant", "某公司"}};

    auto control_evidence = [](const nlohmann::json& report) {
        std::map<std::string, double> out;
        for (const auto& f : report["findings"])
            for (const auto& e : f["evidence"])
                if (e["layer"] == "control_lines") out[e["feature_id"].get<std::string>()] = e["overlap_plane_m2"].get<double>();
        return out;
    };
    auto lines = [&] {
        std::map<std::string, geo::Geometry> out;
        auto snap = db->snapshot();
        for (const auto& f : snap->read("control_lines")) out.emplace(f.text("line_id"), geo::Geometry::from_wkb(f.wkb));
        return out;
    };
    const auto first_report = service.check(body, false, params);
    const int epsg = first_report["application"]["plane_epsg"].get<int>();
    ASSERT_NE(epsg, 0);
    // The application in its plane: the corners as given (EPSG:4547 is the same zone without the prefix).
    const geo::Geometry plane = geo::cached_transformer(4526, epsg).apply(geo::Geometry::polygon({ring}));
    const auto& to_plane = geo::cached_transformer(4490, epsg);
    auto expect_oracle = [&](const std::map<std::string, double>& got, const std::map<std::string, geo::Geometry>& now) {
        int compared = 0;
        for (const auto& [id, g] : now) {
            const geo::Geometry gp = to_plane.apply(g);
            if (!plane.intersects(gp) || !got.count(id)) continue;
            const double expected = plane.intersection(gp).planar_area();
            EXPECT_LE(std::abs(got.at(id) - expected), 1e-6 * expected) << id;
            ++compared;
        }
        EXPECT_GT(compared, 10);
    };
    const auto first = control_evidence(first_report);
    EXPECT_EQ(control_evidence(service.check(body, false, params)), first);  // warm: the same answer
    const auto before = lines();
    expect_oracle(first, before);
    const void* setup_before = service.shared_setup_for_test();

    // A feature wholly inside the application, replaced through the store by a 0.002° square at its corner.
    std::string target;
    for (const auto& [id, g] : before)
        if (first.count(id) && plane.covers(to_plane.apply(g))) target = id;
    ASSERT_FALSE(target.empty());
    const geo::Envelope e = before.at(target).envelope();
    const geo::Geometry edited = geo::Geometry::polygon({rules::testing::batch_plan::box(e.min_x, e.min_y, e.min_x + 0.002, e.min_y + 0.002)});
    rewrite_control_lines(*db, [&](std::vector<Feature>& rows) {
        for (auto& r : rows)
            if (r.text("line_id") == target) r.wkb = edited.to_wkb();
    });
    const auto after = control_evidence(service.check(body, false, params));
    EXPECT_NE(service.shared_setup_for_test(), setup_before);  // a new version: a new setup and cache
    const auto now = lines();
    const double expected = to_plane.apply(edited).planar_area();  // inside the application: its own area
    ASSERT_TRUE(after.count(target));
    EXPECT_LE(std::abs(after.at(target) - expected), 1e-6 * expected);
    EXPECT_GT(std::abs(after.at(target) - first.at(target)), 1.0);
    expect_oracle(after, now);

    std::error_code ec;
    std::filesystem::remove_all(path.parent_path(), ec);
}

// After a commit the service warms the new plan version up by itself (CheckService::keep_warm): its setup
// loaded and its box indexes built before any check asks, where a check would otherwise build them (≈ 1 s at
// 10⁶ features).
TEST(CheckPlaneCache, ANewPlanVersionIsWarmedUpWithoutACheck) {
    const auto path = batch_plan("minplan-keepwarm");
    auto db = store::open_database(path.string());
    CheckService service(db);
    service.warm_up();
    ASSERT_GT(service.box_indexes_for_test(), 0u);
    const auto unchanged = [](std::vector<Feature>&) {};  // the same rows committed: a new plan version
    rewrite_control_lines(*db, unchanged);
    EXPECT_EQ(service.box_indexes_for_test(), 0u);  // the new version's setup keeps none yet
    rewrite_control_lines(*db, unchanged);
    const std::int64_t committed = db->version();
    {
        std::jthread warm([&](std::stop_token stop) { service.keep_warm(stop, std::chrono::milliseconds(10)); });
        // No timing is asserted: the loop waits for the warmer as long as it takes, up to a generous bound.
        for (int i = 0; i < 6000 && service.box_indexes_for_test() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT_GT(service.box_indexes_for_test(), 0u);
        EXPECT_EQ(db->version(), committed);  // warmed at the version committed, not by a write of its own
    }  // the warmer stops and is joined here
    std::error_code ec;
    std::filesystem::remove_all(path.parent_path(), ec);
}

}  // namespace
}  // namespace minplan::server
