// The batch audit engine (rules/audit_batch.hpp) against independent answers: a brute-force GEOS loop over
// every (right, feature) pair for the areas, and the single check (Engine::check without precomputed
// overlaps) for the findings.
#include <gtest/gtest.h>

#include <unistd.h>

#include <map>
#include <thread>

#include "batch_plan.hpp"
#include "../store/backends.hpp"
#include "geo/crs.hpp"
#include "rules/audit_batch.hpp"
#include "rules/engine.hpp"
#include "rules/overlay.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

using testing::BatchPlanOptions;
using testing::build_batch_plan;

double m2_of(const geo::Geometry& g) { return g.is_empty() ? 0.0 : geo::ellipsoidal_area_km2(g) * 1e6; }

struct Plan {
    std::filesystem::path path;
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<ReviewSetup> setup;
    explicit Plan(const std::string& name, const BatchPlanOptions& o = {}) {
        path = std::filesystem::temp_directory_path() / ("minplan-batch-" + std::to_string(::getpid())) / (name + ".gpkg");
        build_batch_plan(path, o);
        store = store::open_store(path.string());
        setup = ReviewSetup::load(*store);
    }
    ~Plan() {
        setup.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(path.parent_path(), ec);
    }
};

// (right, feature) → overlap m², for every pair at or above the tolerance, by intersecting each pair.
std::map<std::pair<std::string, std::string>, double> oracle(const store::PlanStore& store, double min_m2) {
    std::map<std::pair<std::string, std::string>, double> out;
    const auto lines = store.read("control_lines");
    for (const auto& r : store.read("mineral_rights")) {
        const auto rg = geo::Geometry::from_wkb(r.wkb);
        for (const auto& f : lines) {
            auto fg = geo::Geometry::from_wkb(f.wkb);
            if (f.text("line_id") == "BOWTIE") fg = fg.make_valid();  // as the audit says it does
            if (!rg.intersects(fg)) continue;
            const double a = m2_of(rg.intersection(fg));
            if (a >= min_m2) out[{r.text("right_id"), f.text("line_id")}] = a;
        }
    }
    return out;
}

TEST(AuditBatch, OverlapsEqualABruteForceOracleForEveryRight) {
    Plan plan("oracle");
    BatchOptions o;
    o.layers = {"control_lines"};
    o.threads = 2;
    o.tile_size = 5;  // several tiles, delivered through the reorder window
    std::map<std::pair<std::string, std::string>, double> got;
    BatchSinks sinks;
    std::size_t last_progress = 0;
    sinks.overlaps = [&](const std::vector<OverlapRow>& rows) {
        for (const auto& r : rows) {
            EXPECT_EQ(r.layer, "control_lines");
            EXPECT_TRUE(got.emplace(std::make_pair(r.right_id, r.feature_id), r.m2).second) << r.right_id << " " << r.feature_id;
        }
    };
    sinks.progress = [&](std::size_t done, std::size_t total) {
        EXPECT_GT(done, last_progress);
        EXPECT_EQ(total, 36u);
        last_progress = done;
    };
    const auto result = audit_batch(*plan.setup->engine, o, sinks);
    EXPECT_EQ(last_progress, 36u);
    ASSERT_EQ(result.entries.size(), 36u);
    for (std::size_t i = 0; i < result.entries.size(); ++i) EXPECT_EQ(result.entries[i].right_id, "R" + std::to_string(i + 1));

    const auto expected = oracle(*plan.store, plan.setup->rules.settings.value("min_overlap_m2", 1.0));
    ASSERT_GT(expected.size(), 50u);  // the generated plan does overlap
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& [key, a] : expected) {
        auto it = got.find(key);
        ASSERT_NE(it, got.end()) << key.first << " " << key.second << " " << a;
        EXPECT_LE(std::abs(it->second - a), 1e-9 * a) << key.first << " " << key.second;
    }
    bool bowtie = false, empty = false;
    for (const auto& s : result.skipped) {
        bowtie = bowtie || (s.feature_id == "BOWTIE" && s.message_zh.find("自相交") != std::string::npos);
        empty = empty || (s.layer == "control_areas" && s.message_zh.find("为空") != std::string::npos);
    }
    EXPECT_TRUE(bowtie);
    EXPECT_FALSE(empty);  // control_areas was not asked for
    const std::string csv = overlap_csv_header() + overlap_csv_rows({{"R1", "control_lines", "L2", 1234.56789}});
    EXPECT_EQ(csv, "right_id,layer,feature_id,overlap_m2\nR1,control_lines,L2,1234.568\n");
}

// The same audit on each backend (the PostGIS copy answers the two-step window read with `geom &&` and
// `fid = ANY`; the GeoPackage from its R*Tree): every pair against the brute-force oracle of the generated plan.
class AuditBatchBackends : public ::testing::TestWithParam<std::string> {};

TEST_P(AuditBatchBackends, OverlapsEqualTheOracleOnEveryBackend) {
    Plan source("backends");
    minplan::testing::BackendPlan plan(GetParam(), source.path);
    const auto store = store::open_store(plan.location());
    const auto setup = ReviewSetup::load(*store);
    const auto got = testing::control_line_overlaps(*setup->engine);
    const auto expected = oracle(*source.store, source.setup->rules.settings.value("min_overlap_m2", 1.0));
    ASSERT_GT(expected.size(), 50u);
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& [key, a] : expected) {
        auto it = got.find(key);
        ASSERT_NE(it, got.end()) << key.first << " " << key.second << " " << a;
        EXPECT_LE(std::abs(it->second - a), 1e-9 * a) << key.first << " " << key.second;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditBatchBackends, ::testing::Values("gpkg", "pg"), minplan::testing::BackendName());

TEST(AuditBatch, ListsWhatItCannotUseAndCarriesOn) {
    BatchPlanOptions po;
    po.foreign_crs = true;
    Plan plan("skips", po);
    BatchOptions o;
    o.layers = {"control_lines", "control_areas", "no_such_layer", "gk_layer"};
    const auto result = audit_batch(*plan.setup->engine, o);
    EXPECT_EQ(result.entries.size(), 36u);
    std::map<std::string, std::string> notes;
    for (const auto& s : result.skipped) notes[s.layer + "/" + s.feature_id] = s.message_zh;
    EXPECT_NE(notes["control_areas/"].find("为空"), std::string::npos);
    EXPECT_NE(notes["no_such_layer/"].find("没有图层"), std::string::npos);
    EXPECT_NE(notes["control_lines/BOWTIE"].find("make_valid"), std::string::npos);
    EXPECT_NE(notes["gk_layer/"].find("EPSG:4527"), std::string::npos) << notes["gk_layer/"];
    const std::string csv = audit_to_csv(result.entries, result.skipped);
    EXPECT_NE(csv.find("跳过"), std::string::npos);
    const auto j = audit_to_json(result.entries, result.skipped);
    EXPECT_EQ(j.size(), 36u + result.skipped.size());
    EXPECT_TRUE(j.back().contains("skipped"));
}

// The application a right stands for, built here independently of the audit's own code.
Application as_application(const Feature& f) {
    Application app;
    app.name = f.text("right_id");
    app.source_format = "mineral_rights";
    app.source_epsg = 4490;
    app.kind = f.text("kind") == "exploration" ? Kind::Exploration : Kind::Mining;
    app.action = Action::Extension;
    app.polygon = geo::Geometry::from_wkb(f.wkb);
    app.area_m2 = m2_of(app.polygon);
    nlohmann::json attrs = nlohmann::json::object();
    if (!f.text("holder").empty()) attrs["applicant"] = f.text("holder");
    app.attrs = Attributes::from_json(attrs, "test");
    return app;
}

TEST(AuditBatch, FindingsEqualTheSingleCheckForEveryRight) {
    BatchPlanOptions po;
    po.bowtie = false;  // the single check does not repair features; the batch does (previous test)
    Plan plan("findings", po);
    BatchOptions o;
    o.threads = 2;
    o.tile_size = 4;
    const auto result = audit_batch(*plan.setup->engine, o);
    const auto rights = plan.store->read("mineral_rights");
    ASSERT_EQ(result.entries.size(), rights.size());
    int with_evidence = 0;
    for (std::size_t i = 0; i < rights.size(); ++i) {
        const Report single = plan.setup->engine->check(as_application(rights[i]));
        const Report& batch = result.entries[i].report;
        ASSERT_EQ(batch.findings.size(), single.findings.size());
        EXPECT_EQ(batch.verdict, single.verdict) << rights[i].text("right_id");
        for (std::size_t k = 0; k < single.findings.size(); ++k) {
            const Finding& a = batch.findings[k];
            const Finding& b = single.findings[k];
            EXPECT_EQ(a.rule_id, b.rule_id);
            EXPECT_EQ(a.result, b.result) << a.rule_id << " " << rights[i].text("right_id");
            ASSERT_EQ(a.evidence.size(), b.evidence.size()) << a.rule_id << " " << rights[i].text("right_id");
            for (std::size_t e = 0; e < a.evidence.size(); ++e) {
                EXPECT_EQ(a.evidence[e].feature_id, b.evidence[e].feature_id);
                EXPECT_LE(std::abs(a.evidence[e].overlap_m2 - b.evidence[e].overlap_m2), 1e-9 * b.evidence[e].overlap_m2 + 1e-9);
                ++with_evidence;
            }
        }
    }
    EXPECT_GT(with_evidence, 10);
}

// The issue's bad input: a control feature of 10^6 vertices (an ecological red line as some provinces
// draw them). The audit subdivides it once per worker and must give the areas of a plain GEOS intersection
// with the whole feature, without blowing up.
TEST(AuditBatch, AMillionVertexFeatureGivesTheAreasOfTheWhole) {
    BatchPlanOptions po;
    po.rights = 6;  // one row of rights across the feature's rim: six oracle overlays of 10^6 vertices
    po.features = 0;
    po.bowtie = false;
    po.huge_vertices = 1'000'000;
    Plan plan("million", po);
    BatchOptions o;
    o.layers = {"control_lines"};
    o.threads = 2;
    std::map<std::string, double> got;
    BatchSinks sinks;
    sinks.overlaps = [&](const std::vector<OverlapRow>& rows) {
        for (const auto& r : rows) got[r.right_id] = r.m2;
    };
    const auto result = audit_batch(*plan.setup->engine, o, sinks);
    EXPECT_EQ(result.entries.size(), 6u);
    const auto expected = oracle(*plan.store, plan.setup->rules.settings.value("min_overlap_m2", 1.0));
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& [key, a] : expected) {
        ASSERT_EQ(key.second, "HUGE");
        ASSERT_TRUE(got.count(key.first)) << key.first;
        EXPECT_LE(std::abs(got[key.first] - a), 1e-9 * a) << key.first;
    }
}

TEST(AuditBatch, SubdividedPartsAddUpToTheWhole) {
    using namespace testing::batch_plan;
    geo::Geometry star = geo::Geometry::polygon({disc(kLon, kLat, 0.05, 5000, 0.4), disc(kLon, kLat, 0.01, 300)});
    const auto parts = subdivide(star, kHugeVertices);
    ASSERT_GT(parts.size(), 10u);
    double sum = 0;
    for (const auto& p : parts) {
        EXPECT_LE(p.vertex_count(), kHugeVertices);
        sum += p.planar_area();
    }
    // Plane areas add up (the parts tile the whole); geodesic ones do not quite, which is why the audit
    // merges the parts near a right before intersecting (overlay.cpp).
    EXPECT_LE(std::abs(sum - star.planar_area()), 1e-9 * star.planar_area());
}

}  // namespace
}  // namespace minplan::rules
