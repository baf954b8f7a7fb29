// The ellipsoidal area of plane polygons as a check computes it for the overlaps of an application (pieces of
// farmland patches: ~40 vertices, ~100 m, inside a 1.7 km × 1.1 km right at 113.5° E, 40° N, GK zone 38), with
// the local cubic polynomial of the equal-area pipeline (geo/local_cubic_map.hpp) and, as the peer in the same
// run, PROJ called on every point (PlaneAreaPoints::pointwise). Run: ./plane_area_bench ; the ratio is
// BM_PlaneArea_PointwisePROJ / BM_PlaneArea_LocalPolynomial (same polygons, same sums).
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geometry.hpp"

namespace {

using namespace minplan;

const std::vector<geo::Geometry>& patches() {
    static const std::vector<geo::Geometry> all = [] {
        const geo::Coord centre = geo::cached_transformer(geo::kCgcs2000Geographic, geo::kCgcs2000Gk38).apply(geo::Coord{113.5, 40.0});
        std::vector<geo::Geometry> out;
        for (int i = 0; i < 17; ++i) {
            for (int j = 0; j < 11; ++j) {
                const double cx = centre.x - 850 + 100 * i + 50, cy = centre.y - 550 + 100 * j + 50;
                geo::Ring ring;
                for (int k = 0; k < 40; ++k) {
                    const double a = 2 * M_PI * k / 40, r = 40 * (1 + 0.1 * std::sin(3 * a + i + j));
                    ring.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
                }
                ring.push_back(ring.front());
                out.push_back(geo::Geometry::polygon({ring}));
            }
        }
        return out;
    }();
    return all;
}

void run(benchmark::State& state, geo::PlaneAreaPoints points) {
    const auto& all = patches();
    double sum = 0;
    for (auto _ : state) {
        for (const auto& g : all) sum += geo::plane_polygon_ellipsoidal_area_km2(g, geo::kCgcs2000Gk38, points);
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(all.size()));
}

void BM_PlaneArea_LocalPolynomial(benchmark::State& state) { run(state, geo::PlaneAreaPoints::local_polynomial); }
void BM_PlaneArea_PointwisePROJ(benchmark::State& state) { run(state, geo::PlaneAreaPoints::pointwise); }

BENCHMARK(BM_PlaneArea_LocalPolynomial);
BENCHMARK(BM_PlaneArea_PointwisePROJ);

}  // namespace

BENCHMARK_MAIN();
