// FeatureCache: the server reader's parsed window features. A window read through the cache is the window read
// from the store (the same features, in fid order, with the same geometry, attributes and stored geodesy),
// whether the features come from the store or from the cache; the cache drops the least recently used
// features beyond its budget and never keeps one larger than the budget.
#include <gtest/gtest.h>

#include <unistd.h>

#include "batch_plan.hpp"
#include "geo/crs.hpp"
#include "rules/engine.hpp"
#include "rules/feature_cache.hpp"
#include "store/plan_database.hpp"

namespace minplan::rules {
namespace {

struct CachePlan {
    std::filesystem::path path;
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<ReviewSetup> setup;
    CachePlan() {
        path = std::filesystem::temp_directory_path() / ("minplan-featurecache-" + std::to_string(::getpid())) / "plan.gpkg";
        testing::build_batch_plan(path, testing::BatchPlanOptions{});
        store = store::open_store(path.string());
        setup = ReviewSetup::load(*store);
    }
    ~CachePlan() {
        setup.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(path.parent_path(), ec);
    }
};

void expect_same_window(const std::vector<IndexedFeature>& read, const std::vector<std::shared_ptr<const IndexedFeature>>& cached,
                        const std::string& where) {
    ASSERT_EQ(read.size(), cached.size()) << where;
    for (std::size_t i = 0; i < read.size(); ++i) {
        const IndexedFeature& a = read[i];
        const IndexedFeature& b = *cached[i];
        EXPECT_EQ(a.feature.fid, b.feature.fid) << where;
        EXPECT_EQ(a.id, b.id) << where;
        EXPECT_EQ(a.name, b.name) << where;
        EXPECT_EQ(a.feature.attributes, b.feature.attributes) << where << " " << a.id;
        EXPECT_EQ(a.geometry.to_wkb(), b.geometry.to_wkb()) << where << " " << a.id;
        EXPECT_EQ(a.wkb_hash, b.wkb_hash) << where << " " << a.id;
        EXPECT_EQ(a.stored.has_value(), b.stored.has_value()) << where << " " << a.id;
        if (a.stored && b.stored) {
            EXPECT_EQ(a.stored->area_m2, b.stored->area_m2) << where << " " << a.id;
        }
    }
}

TEST(FeatureCache, AWindowThroughTheCacheIsTheWindowReadFromTheStore) {
    CachePlan plan;
    const PlanIndex& index = plan.setup->engine->index();
    FeatureCache cache;
    // Overlapping boxes over the plan (features read by one are found by the next), one far away (empty).
    std::vector<geo::Envelope> boxes;
    for (double x = 113.28; x < 113.40; x += 0.017)
        for (double y = 40.08; y < 40.18; y += 0.013) boxes.push_back({x, y, x + 0.03, y + 0.025});
    boxes.push_back({100.0, 30.0, 100.1, 30.1});
    std::size_t features = 0;
    for (int pass = 0; pass < 2; ++pass) {
        const auto misses_before = cache.stats().misses;
        for (const auto& box : boxes)
            for (const char* layer : {"control_lines", "mineral_rights"}) {
                const auto read = index.window(*plan.store, layer, box);
                const auto cached = index.window(*plan.store, layer, box, cache);
                expect_same_window(read, cached, std::string(layer) + " pass " + std::to_string(pass));
                features += read.size();
            }
        // The second pass finds every feature kept: none is read again.
        if (pass == 1) {
            EXPECT_EQ(cache.stats().misses, misses_before);
        }
    }
    EXPECT_GT(features, 500u);
    EXPECT_GT(cache.stats().hits, 0u);
}

TEST(FeatureCache, ThePooledReadersChecksEqualThoseWithoutACache) {
    CachePlan plan;
    const Engine& engine = *plan.setup->engine;
    FeatureCache cache;
    // Applications across the plan, the second round answered from the features the first one kept.
    for (int round = 0; round < 2; ++round)
        for (double x = 113.29; x < 113.37; x += 0.02) {
            Application app;
            app.kind = Kind::Mining;
            app.polygon = geo::Geometry::polygon({testing::batch_plan::box(x, 40.09, x + 0.025, 40.115)});
            app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
            const Report plain = engine.check(app, *plan.store);
            const Report cached = engine.check(app, *plan.store, nullptr, &cache);
            ASSERT_EQ(plain.findings.size(), cached.findings.size());
            EXPECT_EQ(plain.verdict, cached.verdict);
            for (std::size_t i = 0; i < plain.findings.size(); ++i) {
                const Finding &a = plain.findings[i], &b = cached.findings[i];
                EXPECT_EQ(a.result, b.result) << a.rule_id;
                EXPECT_EQ(a.message, b.message) << a.rule_id;
                ASSERT_EQ(a.evidence.size(), b.evidence.size()) << a.rule_id;
                for (std::size_t k = 0; k < a.evidence.size(); ++k) {
                    EXPECT_EQ(a.evidence[k].feature_id, b.evidence[k].feature_id) << a.rule_id;
                    EXPECT_EQ(a.evidence[k].overlap_m2, b.evidence[k].overlap_m2) << a.rule_id;
                }
            }
        }
    EXPECT_GT(cache.stats().hits, 0u);
}

TEST(FeatureCache, DropsTheLeastRecentlyUsedBeyondItsBudget) {
    auto feature = [](std::int64_t fid, double x) {
        auto f = std::make_shared<IndexedFeature>();
        f->feature.fid = fid;
        f->geometry = geo::Geometry::polygon({testing::batch_plan::box(x, 0, x + 1, 1)});
        f->envelope = f->geometry.envelope();
        return std::shared_ptr<const IndexedFeature>(f);
    };
    const std::size_t one = FeatureCache::estimated_bytes(*feature(1, 0));
    FeatureCache cache(3 * one);  // room for three
    for (std::int64_t fid = 1; fid <= 3; ++fid) cache.put("layer", feature(fid, static_cast<double>(fid)));
    ASSERT_NE(cache.find("layer", 1), nullptr);  // 1 is now the most recently used: 2 goes first
    cache.put("layer", feature(4, 4));
    EXPECT_EQ(cache.find("layer", 2), nullptr);
    EXPECT_NE(cache.find("layer", 1), nullptr);
    EXPECT_NE(cache.find("layer", 3), nullptr);
    EXPECT_NE(cache.find("layer", 4), nullptr);
    EXPECT_EQ(cache.find("other", 4), nullptr);  // layers are apart
    EXPECT_EQ(cache.stats().entries, 3u);
    EXPECT_EQ(cache.stats().evictions, 1u);
    EXPECT_LE(cache.stats().bytes, cache.max_bytes());

    FeatureCache small(one / 2);
    small.put("layer", feature(1, 0));  // larger than the whole budget: not kept
    EXPECT_EQ(small.find("layer", 1), nullptr);
    EXPECT_EQ(small.stats().bytes, 0u);
}

}  // namespace
}  // namespace minplan::rules
