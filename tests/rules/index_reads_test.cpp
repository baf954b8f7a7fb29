// A check reads the plan through the store's spatial index: only the features near its application, and
// "has data" by a memoised probe — measured through a store that counts what is read.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <map>

#include "batch_plan.hpp"
#include "geo/crs.hpp"
#include "rules/engine.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

class CountingStore final : public store::PlanStore {
public:
    explicit CountingStore(std::unique_ptr<store::PlanStore> inner) : inner_(std::move(inner)) {}
    std::int64_t version() const override { return inner_->version(); }
    std::vector<store::LayerInfo> layers() const override { return inner_->layers(); }
    const TableSchema& schema(const std::string& layer) const override { return inner_->schema(layer); }
    std::vector<Feature> read(const std::string& layer, const store::Query& q = {}) const override {
        auto out = inner_->read(layer, q);
        if (!q.bbox && inner_->schema(layer).spatial) ++whole_layer_reads[layer];
        features_read += out.size();
        return out;
    }
    std::vector<Feature> features_in(const std::string& layer, const store::BBox& box) const override {
        auto out = inner_->features_in(layer, box);
        features_read += out.size();
        return out;
    }
    bool has_features(const std::string& layer, const std::string& field,
                      const std::vector<std::string>& values) const override {
        ++probes;
        return inner_->has_features(layer, field, values);
    }
    std::optional<std::string> metadata(const std::string& key) const override { return inner_->metadata(key); }
    std::optional<std::string> package_file(const std::string& name) const override { return inner_->package_file(name); }
    std::string location() const override { return inner_->location(); }

    void reset() {
        whole_layer_reads.clear();
        features_read = 0;
        probes = 0;
    }
    mutable std::map<std::string, int> whole_layer_reads;
    mutable std::size_t features_read = 0;
    mutable int probes = 0;

private:
    std::unique_ptr<store::PlanStore> inner_;
};

struct Counted {
    std::filesystem::path path;
    std::unique_ptr<CountingStore> store;
    std::unique_ptr<ReviewSetup> setup;
    Counted() {
        testing::BatchPlanOptions o;
        o.features = 2000;
        o.bowtie = false;
        path = std::filesystem::temp_directory_path() / ("minplan-reads-" + std::to_string(::getpid())) / "plan.gpkg";
        testing::build_batch_plan(path, o);
        store = std::make_unique<CountingStore>(store::open_store(path.string()));
        setup = ReviewSetup::load(*store);
    }
    ~Counted() {
        setup.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(path.parent_path(), ec);
    }
};

Application small_application() {
    using namespace testing::batch_plan;
    Application app;
    app.name = "小申请";
    app.source_format = "test";
    app.source_epsg = 4490;
    app.kind = Kind::Mining;
    app.action = Action::New;
    app.polygon = geo::Geometry::polygon({box(kLon + kStep, kLat + kStep, kLon + 1.5 * kStep, kLat + 1.3 * kStep)});
    app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
    app.attrs = Attributes::from_json(nlohmann::json::object(), "test");
    return app;
}

TEST(IndexReads, LoadingTheIndexReadsNoSpatialLayer) {
    Counted c;
    // Only the city boundary (absent here) may be read whole; the control features stay in the database.
    EXPECT_EQ(c.store->whole_layer_reads.count("control_lines"), 0u);
    EXPECT_EQ(c.store->whole_layer_reads.count("mineral_rights"), 0u);
    EXPECT_EQ(c.store->features_read, 0u);
}

TEST(IndexReads, ACheckReadsOnlyTheFeaturesNearItsApplication) {
    Counted c;
    c.store->reset();
    const Report r = c.setup->engine->check(small_application());
    EXPECT_FALSE(r.findings.empty());
    EXPECT_TRUE(c.store->whole_layer_reads.empty()) << c.store->whole_layer_reads.begin()->first;
    // 2,000 control features and 36 rights in the plan; the application is a few hundred metres wide.
    EXPECT_GT(c.store->features_read, 0u);
    EXPECT_LT(c.store->features_read, 200u);
}

TEST(IndexReads, HasDataIsAProbeAnsweredOncePerPlanVersion) {
    Counted c;
    c.store->reset();
    c.setup->engine->check(small_application());
    const int first = c.store->probes;
    EXPECT_GT(first, 0);
    c.setup->engine->check(small_application());
    EXPECT_EQ(c.store->probes, first);  // the second check asks the memo, not the store
    EXPECT_TRUE(c.setup->index->has_data(*c.store, "control_lines", "control_type", {"ecological_red_line"}));
    EXPECT_FALSE(c.setup->index->has_data(*c.store, "control_lines", "control_type", {"不存在的类型"}));
    EXPECT_FALSE(c.setup->index->has_data(*c.store, "control_areas"));  // present, empty
    EXPECT_FALSE(c.setup->index->has_data(*c.store, "control_lines", "no_such_field", {"x"}));
}

}  // namespace
}  // namespace minplan::rules
