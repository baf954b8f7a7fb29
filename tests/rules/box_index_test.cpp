// BoxIndex and PlanIndex::keep_box_indexes: the server's in-memory copy of a layer's spatial index answers
// exactly what the store's index answers (the same entries, touching boxes included), also while several
// checks ask at once and one of them builds it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <random>
#include <thread>

#include "batch_plan.hpp"
#include "rules/box_index.hpp"
#include "rules/engine.hpp"
#include "rules/feature_cache.hpp"
#include "store/plan_database.hpp"

namespace minplan::rules {
namespace {

using store::BBox;
using store::IndexBox;

std::vector<std::int64_t> fids_of(std::vector<IndexBox> boxes) {
    std::vector<std::int64_t> out;
    for (const auto& b : boxes) out.push_back(b.fid);
    std::sort(out.begin(), out.end());
    return out;
}

bool meets(const BBox& a, const BBox& b) {
    return a.min_x <= b.max_x && a.max_x >= b.min_x && a.min_y <= b.max_y && a.max_y >= b.min_y;
}

TEST(BoxIndex, AQueryAnswersTheEntriesWhoseBoxMeetsItTouchingIncluded) {
    std::mt19937 random(20261203);
    std::uniform_real_distribution<double> at(0, 100), size(0, 3);
    std::vector<IndexBox> boxes;
    for (std::int64_t fid = 1; fid <= 5000; ++fid) {
        const double x = at(random), y = at(random);
        const double w = fid % 10 == 0 ? 0 : size(random), h = fid % 10 == 0 ? 0 : size(random);  // some points
        boxes.push_back({fid, {x, y, x + w, y + h}});
    }
    const BoxIndex index(boxes);
    EXPECT_EQ(index.size(), boxes.size());
    std::vector<BBox> queries;
    for (int i = 0; i < 300; ++i) {
        const double x = at(random), y = at(random);
        queries.push_back({x, y, x + size(random) * 3, y + size(random) * 3});
    }
    // Exactly touching a box's corner, its right edge and its left edge.
    queries.push_back({boxes[7].box.max_x, boxes[7].box.max_y, 200, 200});
    queries.push_back({boxes[8].box.max_x, -10, boxes[8].box.max_x, 200});
    queries.push_back({-10, boxes[9].box.min_y - 5, boxes[9].box.min_x, boxes[9].box.min_y});
    queries.push_back({-1e9, -1e9, 1e9, 1e9});
    queries.push_back({500, 500, 600, 600});  // far away: nothing
    for (const auto& q : queries) {
        std::vector<std::int64_t> expected;
        for (const auto& b : boxes)
            if (meets(b.box, q)) expected.push_back(b.fid);
        const auto found = index.query(q);
        EXPECT_EQ(fids_of(found), expected);
        for (const auto& f : found) EXPECT_EQ(boxes[static_cast<std::size_t>(f.fid - 1)].box.min_x, f.box.min_x);
    }
}

TEST(BoxIndex, AnEmptyLayersIndexAnswersNothing) {
    const BoxIndex index({});
    EXPECT_EQ(index.size(), 0u);
    EXPECT_TRUE(index.query({-1e9, -1e9, 1e9, 1e9}).empty());
}

struct KeptPlan {
    std::filesystem::path path;
    KeptPlan() {
        path = std::filesystem::temp_directory_path() / ("minplan-boxindex-" + std::to_string(::getpid())) / "plan.gpkg";
        testing::BatchPlanOptions options;
        options.features = 400;
        testing::build_batch_plan(path, options);
    }
    ~KeptPlan() {
        std::error_code ec;
        std::filesystem::remove_all(path.parent_path(), ec);
    }
};

std::vector<BBox> boxes_over_the_plan() {
    std::vector<BBox> out;
    for (double x = 113.27; x < 113.42; x += 0.011)
        for (double y = 40.07; y < 40.19; y += 0.009) out.push_back({x, y, x + 0.02, y + 0.015});
    out.push_back({100.0, 30.0, 100.1, 30.1});
    return out;
}

TEST(BoxIndex, APlanIndexKeepingItsBoxesAnswersAsTheStoresIndexDoes) {
    KeptPlan plan;
    auto store = store::open_store(plan.path.string());
    auto kept = PlanIndex::load(*store);
    kept->keep_box_indexes();
    std::size_t entries = 0;
    for (int pass = 0; pass < 2; ++pass)  // the first builds each layer's index, the second reads it
        for (const auto& b : boxes_over_the_plan())
            for (const char* layer : {"control_lines", "mineral_rights", "control_areas"}) {
                const auto expected = store->index_boxes(layer, b);
                const auto found = kept->index_boxes(*store, layer, b);
                ASSERT_EQ(expected.has_value(), found.has_value()) << layer;
                if (!expected) continue;
                EXPECT_EQ(fids_of(*found), fids_of(*expected)) << layer << " pass " << pass;
                entries += found->size();
            }
    EXPECT_GT(entries, 1000u);
}

TEST(BoxIndex, ChecksAskingAtOnceWhileOneBuildsGetTheStoresWindows) {
    KeptPlan plan;
    auto store = store::open_store(plan.path.string());
    auto plain = PlanIndex::load(*store);
    auto kept = PlanIndex::load(*store);
    kept->keep_box_indexes();
    const auto boxes = boxes_over_the_plan();
    std::vector<std::vector<std::vector<std::int64_t>>> expected;  // per box: the window's fids, per layer
    for (const auto& b : boxes) {
        expected.emplace_back();
        for (const char* layer : {"control_lines", "mineral_rights"}) {
            std::vector<std::int64_t> fids;
            for (const auto& f : plain->window(*store, layer, {b.min_x, b.min_y, b.max_x, b.max_y})) fids.push_back(f.feature.fid);
            expected.back().push_back(std::move(fids));
        }
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t)
        threads.emplace_back([&, t] {
            auto reader = store::open_store(plan.path.string());  // a reader per thread, as the server's checks have
            FeatureCache cache;
            for (std::size_t i = 0; i < boxes.size(); ++i) {
                const auto& b = boxes[(i + t * 17) % boxes.size()];
                const auto& want = expected[(i + t * 17) % boxes.size()];
                int k = 0;
                for (const char* layer : {"control_lines", "mineral_rights"}) {
                    std::vector<std::int64_t> fids;
                    for (const auto& f : kept->window(*reader, layer, {b.min_x, b.min_y, b.max_x, b.max_y}, cache))
                        fids.push_back(f->feature.fid);
                    if (fids != want[static_cast<std::size_t>(k++)]) ++mismatches[t];
                }
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace minplan::rules
