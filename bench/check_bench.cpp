// A single plan-conformance check against the Datong plan database (engine time only: the index is built
// once), and as a peer in the same run the naive approach: GEOS intersects + intersection of the
// application against every feature of every plan layer, no envelope index, no prepared geometry.
// Run: ./check_bench ; the ratio is BM_PlainGeosLoop / BM_Check.
#include <benchmark/benchmark.h>

#include "geo/crs.hpp"
#include "plan/builder.hpp"
#include "rules/engine.hpp"
#include "store/plan_store.hpp"

namespace {

using namespace minplan;

struct Setup {
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<rules::ReviewSetup> review;
    rules::Application app;
    static Setup& get() {
        static Setup s = [] {
            Setup x;
            x.store = store::open_store(plan::ensure_default_database().string());
            x.review = rules::ReviewSetup::load(*x.store);
            // A 2 km × 1 km coal application inside the (schematic) block CK-S-MEI-01.
            x.app.kind = rules::Kind::Mining;
            x.app.action = rules::Action::New;
            x.app.polygon = geo::Geometry::rectangle({113.79, 39.89, 113.81, 39.90});
            x.app.area_m2 = geo::ellipsoidal_area_km2(x.app.polygon) * 1e6;
            x.app.source_format = "bench";
            x.app.attrs = rules::Attributes::from_json(
                {{"applicant", "某煤业"}, {"main_mineral", "煤"}, {"scale", 120}, {"scale_unit", "万吨/年"}, {"mining_method", "地下"},
                 {"reserves", 8000}, {"reserves_unit", "万吨"}, {"service_life", 50}, {"exploration_stage", "勘探"}},
                "bench");
            return x;
        }();
        return s;
    }
};

void BM_Check(benchmark::State& state) {
    auto& s = Setup::get();
    for (auto _ : state) {
        auto report = s.review->engine->check(s.app);
        benchmark::DoNotOptimize(report);
    }
}
BENCHMARK(BM_Check)->Unit(benchmark::kMicrosecond);

void BM_PlainGeosLoop(benchmark::State& state) {
    auto& s = Setup::get();
    std::vector<geo::Geometry> all;  // the plan index no longer holds the features: read them here
    for (const char* layer : {"exploration_blocks", "mining_blocks", "key_exploration_zones", "key_mining_zones",
                              "strategic_reserve_zones", "control_areas", "control_lines", "mineral_rights", "restoration_zones",
                              "national_planning_areas", "energy_bases", "survey_evaluation_zones", "admin_counties"})
        if (s.review->index->layer(layer))
            for (const auto& f : s.store->read(layer))
                if (!f.wkb.empty()) all.push_back(geo::Geometry::from_wkb(f.wkb));
    double area = 0;
    for (auto _ : state) {
        for (const auto& g : all)
            if (s.app.polygon.intersects(g)) area += geo::ellipsoidal_area_km2(s.app.polygon.intersection(g));
        benchmark::DoNotOptimize(area);
    }
    state.counters["features"] = static_cast<double>(all.size());
}
BENCHMARK(BM_PlainGeosLoop)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
