// The in-memory feature snapshot (src/server/feature_snapshot.*): answers byte for byte equal to the store
// path it replaced (GDAL read with spatial/attribute filter → GeoJSON), and a reload when the database file
// is replaced by an import while the server runs.
#include <gtest/gtest.h>

#include "core/json_text.hpp"
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <limits>
#include <thread>

#include "../plan/plan_fixture.hpp"
#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "server/api.hpp"
#include "server/feature_snapshot.hpp"
#include "running_portal.hpp"
#include "server/server.hpp"
#include "server/simplify.hpp"
#include "store/exchange.hpp"
#include "store/plan_store.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// The store path's text: what send_json writes (core/json_text.hpp), not nlohmann's dump(), which spells some
// doubles with more digits than read back the same value (40.175224300000004 for 40.1752243).
std::string dump(const json& j) { return minplan::json_text(j); }

// The answer as the store path built it before the snapshot (api.cpp up to 2026-11-29): GDAL does the
// bbox and equality filters, offset and limit; simplification on the returned rows.
std::string reference_answer(const store::PlanStore& store, const std::string& layer, const server::Params& params) {
    const TableSchema& s = store.schema(layer);
    store::Query q;
    q.limit = server::kDefaultLimit;
    for (const auto& [key, value] : params) {
        if (key == "limit") q.limit = std::stoul(value);
        else if (key == "offset") q.offset = std::stoul(value);
        else if (key == "bbox") q.bbox = server::parse_bbox_param(value);
        else if (key != "zoom" && key != "resolution") q.filters.push_back({key, "=", value});
    }
    auto simplification = server::simplification_from_params(params);
    auto rows = store.read(s.id, q);
    std::optional<server::SimplifyStats> stats;
    if (simplification) stats = server::simplify_features(rows, simplification->tolerance_deg);
    auto fc = geo::features_to_geojson(s, rows);
    if (stats)
        fc["simplification"] = {{"zoom", simplification->zoom ? json(*simplification->zoom) : json(nullptr)},
                                {"resolution_deg", simplification->resolution_deg},
                                {"tolerance_deg", simplification->tolerance_deg},
                                {"method", "GEOS TopologyPreserveSimplify"},
                                {"vertices_before", stats->vertices_before},
                                {"vertices_after", stats->vertices_after}};
    fc["layer"] = s.id;
    fc["name_zh"] = s.name_zh;
    fc["numberReturned"] = fc["features"].size();
    fc["limit"] = q.limit;
    fc["offset"] = q.offset;
    return dump(fc);
}

TEST(PortalSnapshot, AnswersEqualTheStorePathByteForByte) {
    std::shared_ptr<const store::PlanStore> store = store::open_store(built_plan().string());
    auto snapshot = server::Snapshot::load(store);
    const std::vector<std::pair<std::string, server::Params>> cases = {
        {"mining_blocks", {}},
        {"mining_blocks", {{"bbox", "113.0,39.6,114.4,40.4"}}},  // bench/load.sh's view
        {"mining_blocks", {{"bbox", "113.0,39.6,114.4,40.4"}, {"limit", "7"}, {"offset", "5"}}},
        {"mining_blocks", {{"mineral", "煤炭"}}},
        {"mining_blocks", {{"KCMC", "煤炭"}}},  // by code
        {"admin_counties", {}},
        {"admin_counties", {{"bbox", "113.2,40.0,113.4,40.2"}}},  // straddles county borders: the exact test
        {"admin_counties", {{"bbox", "113.3,40.1,113.3,40.1"}}},  // a point
        {"admin_counties", {{"bbox", "113.3,40.0,113.3,40.2"}}},  // a line
        {"admin_counties", {{"bbox", "100,20,100.1,20.1"}}},
        {"control_lines", {{"bbox", "113.2,40.0,113.4,40.2"}}},
        {"key_exploration_zones", {{"bbox", "113.5,39.8,113.9,40.1"}}},
        {"admin_counties", {{"zoom", "7"}}},
        {"admin_counties", {{"zoom", "9"}, {"bbox", "113.2,40.0,113.4,40.2"}}},
        {"admin_counties", {{"resolution", "0.01"}, {"limit", "3"}}},
        {"admin_city", {{"zoom", "5"}}},
        {"exploration_blocks", {{"bbox", "112,39,115,41"}, {"limit", "20"}}},
        {"key_mining_zones", {{"limit", "1"}}},
        {"mine_register", {{"limit", "10"}, {"offset", "3"}}},
        {"mining_blocks", {{"area_km2_ellipsoid", "inf"}}},
        {"mining_blocks", {{"mineral", "煤"}, {"limit", "3"}, {"offset", "1"}}},
    };
    for (const auto& [layer, params] : cases) {
        std::string label = layer;
        for (const auto& [k, v] : params) label += " " + k + "=" + v;
        std::string expected;
        try {
            expected = reference_answer(*store, layer, params);
        } catch (const NotFoundError&) {
            continue;  // a field or layer name this plan does not have (e.g. KCMC): nothing to compare
        }
        EXPECT_EQ(snapshot->features(layer, params), expected) << label;
    }
    // Every layer in full, and the per-layer listing.
    for (const auto& l : store->layers()) EXPECT_EQ(snapshot->features(l.id, {}), reference_answer(*store, l.id, {})) << l.id;
    // The simplified texts come from the cache the second time: same answer.
    EXPECT_EQ(snapshot->features("admin_counties", {{"zoom", "7"}}), reference_answer(*store, "admin_counties", {{"zoom", "7"}}));
}

// A layer too large to hold (here: every layer, with a limit of 0 features) is answered by the store path
// itself on each request: the same bytes as the reference.
TEST(PortalSnapshot, LayersNotHeldAnswerLikeTheStorePath) {
    std::shared_ptr<const store::PlanStore> store = store::open_store(built_plan().string());
    auto snapshot = server::Snapshot::load(store, 0);
    const std::vector<std::pair<std::string, server::Params>> cases = {
        {"mining_blocks", {{"bbox", "113.0,39.6,114.4,40.4"}, {"limit", "7"}, {"offset", "5"}}},
        {"mining_blocks", {{"mineral", "煤炭"}}},
        {"admin_counties", {{"bbox", "113.2,40.0,113.4,40.2"}}},
        {"admin_counties", {{"bbox", "113.3,40.1,113.3,40.1"}}},
        {"admin_counties", {{"zoom", "9"}, {"bbox", "113.2,40.0,113.4,40.2"}}},
        {"control_lines", {{"bbox", "113.2,40.0,113.4,40.2"}, {"zoom", "12"}}},
        {"mine_register", {{"limit", "10"}, {"offset", "3"}}},
    };
    for (const auto& [layer, params] : cases) {
        std::string label = layer;
        for (const auto& [k, v] : params) label += " " + k + "=" + v;
        EXPECT_EQ(snapshot->features(layer, params), reference_answer(*store, layer, params)) << label;
    }
    for (const auto& l : store->layers()) EXPECT_EQ(snapshot->features(l.id, {}), reference_answer(*store, l.id, {})) << l.id;
    // One feature by fid: the same Feature as the store's row, with its layer and extent.
    const auto third = store->read("mining_blocks")[2];
    auto j = snapshot->feature("mining_blocks", third.fid);
    EXPECT_EQ(j["id"], third.fid);
    EXPECT_EQ(j["layer"], "mining_blocks");
    EXPECT_THROW(snapshot->feature("mining_blocks", 999999), NotFoundError);
}

// `serve --hold-max-features N`: /api/layers marks the spatial layers above N features "paged" (the web map then
// loads them by window), attribute tables never; a paged layer answers a bbox window like a held one.
TEST(PortalSnapshot, LayersAboveTheHeldLimitAreListedAsPaged) {
    const auto store = store::open_store(built_plan().string());
    std::int64_t counties = 0, blocks = 0;
    for (const auto& l : store->layers()) {
        if (l.id == "admin_counties") counties = l.feature_count;
        if (l.id == "mining_blocks") blocks = l.feature_count;
    }
    ASSERT_LT(counties, blocks);
    server::ServerOptions o;
    o.held_max_features = counties;  // counties held (exactly at the limit), the blocks paged
    RunningPortal held(built_plan()), paged(built_plan(), o);
    auto [status, layers] = paged.get_json("/api/layers");
    ASSERT_EQ(status, 200);
    for (const auto& l : layers["layers"]) {
        SCOPED_TRACE(l["id"].get<std::string>());
        const bool expected = l["spatial"].get<bool>() && l["feature_count"].get<std::int64_t>() > counties;
        EXPECT_EQ(l["paged"].get<bool>(), expected);
    }
    for (const auto& l : held.get_json("/api/layers").second["layers"]) EXPECT_FALSE(l["paged"].get<bool>()) << l["id"];
    const std::string window = "/api/layers/mining_blocks/features?bbox=112.5,39.5,114.6,40.8&zoom=9";
    EXPECT_EQ(paged.get(window)->body, held.get(window)->body);
}

// Counts the reads of spatial layers through a store (everything else is passed on).
class CountingStore final : public store::PlanStore {
public:
    explicit CountingStore(std::unique_ptr<store::PlanStore> inner) : inner_(std::move(inner)) {}
    std::int64_t version() const override { return inner_->version(); }
    std::vector<store::LayerInfo> layers() const override { return inner_->layers(); }
    const TableSchema& schema(const std::string& layer) const override { return inner_->schema(layer); }
    std::vector<Feature> read(const std::string& layer, const store::Query& q) const override {
        if (inner_->schema(layer).spatial) ++spatial_reads;
        return inner_->read(layer, q);
    }
    std::optional<std::string> metadata(const std::string& key) const override { return inner_->metadata(key); }
    std::optional<std::string> package_file(const std::string& name) const override { return inner_->package_file(name); }
    std::string location() const override { return inner_->location(); }
    mutable int spatial_reads = 0;

private:
    std::unique_ptr<store::PlanStore> inner_;
};

TEST(PortalSnapshot, ListingTheLayersReadsNoSpatialLayer) {
    auto counting = std::make_shared<CountingStore>(store::open_store(built_plan().string()));
    auto snapshot = server::Snapshot::load(counting);
    EXPECT_FALSE(snapshot->layers["layers"].empty());
    EXPECT_EQ(counting->spatial_reads, 0);
    // The first request of a held layer reads it once; later requests are served from memory.
    snapshot->features("mining_blocks", {});
    snapshot->features("mining_blocks", {{"limit", "3"}});
    EXPECT_EQ(counting->spatial_reads, 1);
}

TEST(PortalSnapshot, FilterValuesAreCheckedLikeTheStoreDid) {
    std::shared_ptr<const store::PlanStore> store = store::open_store(built_plan().string());
    auto snapshot = server::Snapshot::load(store);
    const auto& s = snapshot->layer("mining_blocks").schema;
    for (const auto& f : s.fields) {
        if (f.type != FieldType::Integer && f.type != FieldType::Real) continue;
        EXPECT_THROW(snapshot->features("mining_blocks", {{f.name, "abc"}}), InputError) << f.name;
        // Not a number SQL knows: the store's filter matched nothing.
        EXPECT_EQ(json::parse(snapshot->features("mining_blocks", {{f.name, "inf"}}))["numberReturned"], 0) << f.name;
        break;
    }
    EXPECT_THROW(snapshot->layer("no_such_layer"), NotFoundError);
}

using Running = RunningPortal;

std::int64_t feature_count(const json& layers, const std::string& id) {
    for (const auto& l : layers["layers"])
        if (l["id"] == id) return l["feature_count"].get<std::int64_t>();
    return -1;
}

TEST(PortalSnapshot, ReloadsWhenAnImportReplacesTheDatabase) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    Running r(db);
    auto [s0, before] = r.get_json("/api/layers/mining_blocks/features");
    ASSERT_EQ(s0, 200);
    const std::size_t n = before["features"].size();
    ASSERT_GT(n, 3u);
    const auto last_fid = before["features"].back()["id"].get<std::int64_t>();
    auto [sl, layers] = r.get_json("/api/layers");
    ASSERT_EQ(sl, 200);
    EXPECT_EQ(feature_count(layers, "mining_blocks"), static_cast<std::int64_t>(n));
    auto [sf, one] = r.get_json("/api/features/mining_blocks/" + std::to_string(last_fid));
    EXPECT_EQ(sf, 200);

    // The layer exported, cut to its first three blocks and imported again (`minplan import`: the
    // database file is replaced by rename while the server holds the old one open).
    const fs::path exported = dir / "blocks.geojson";
    {
        auto store = store::open_store(db.string());
        store::export_layer(*store, "mining_blocks", exported);
    }
    json fc = json::parse(read_bytes(exported));
    fc["features"] = json(std::vector<json>(fc["features"].begin(), fc["features"].begin() + 3));
    std::ofstream(dir / "three.geojson") << fc.dump();
    ASSERT_EQ(store::import_layer(db, "mining_blocks", dir / "three.geojson", {}), 3u);

    auto [s1, after] = r.get_json("/api/layers/mining_blocks/features");
    ASSERT_EQ(s1, 200);
    EXPECT_EQ(after["features"].size(), 3u);
    EXPECT_EQ(after["numberReturned"], 3);
    auto [sl2, layers2] = r.get_json("/api/layers");
    ASSERT_EQ(sl2, 200);
    EXPECT_EQ(feature_count(layers2, "mining_blocks"), 3);
    auto [sf2, gone] = r.get_json("/api/features/mining_blocks/" + std::to_string(last_fid));
    EXPECT_EQ(sf2, 404);
    auto [sb, in_view] = r.get_json("/api/layers/mining_blocks/features?bbox=112,39,115,41");
    ASSERT_EQ(sb, 200);
    EXPECT_LE(in_view["features"].size(), 3u);
    // The other endpoints read the new file too.
    auto [ss, summary] = r.get_json("/api/summary");
    EXPECT_EQ(ss, 200);
    // Unchanged file: the same snapshot keeps serving.
    auto [s2, again] = r.get_json("/api/layers/mining_blocks/features");
    ASSERT_EQ(s2, 200);
    EXPECT_EQ(again, after);
}

// Checks run in parallel on a pool of rule setups, feature requests without a lock: many at once give
// the answers one at a time gives.
TEST(PortalSnapshot, ConcurrentChecksAndFeatureRequestsAgreeWithSequentialOnes) {
    Running r(built_plan());
    const std::string body = read_bytes(test_data_dir() / "rules" / "apps" / "coal_all_pass.txt");
    auto check = [&] {
        httplib::Client c("127.0.0.1", r.port);
        c.set_read_timeout(60);
        auto res = c.Post("/api/check", body, "text/plain");
        if (!res || res->status != 200) return json();
        json j = json::parse(res->body, nullptr, false);
        j.erase("engine_ms");  // timing
        return j;
    };
    const json expected_check = check();
    ASSERT_TRUE(expected_check.contains("verdict"));
    auto [s0, expected_features] = r.get_json("/api/layers/mining_blocks/features?bbox=113.0,39.6,114.4,40.4");
    ASSERT_EQ(s0, 200);
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 12; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 4; ++i) {
                if (t % 2) {
                    json got = check();
                    if (got.is_null()) ++mismatches;
                    got.erase("engine_ms");
                    if (got != expected_check) ++mismatches;
                } else if (r.get_json("/api/layers/mining_blocks/features?bbox=113.0,39.6,114.4,40.4") != std::pair<int, json>{200, expected_features}) {
                    ++mismatches;
                }
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace minplan::testing
