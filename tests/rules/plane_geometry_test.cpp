// Registered-plane geometry: an application registered in Gauss–Krüger zone 38 (EPSG:4547) has straight
// edges in that plane, and its overlaps with the plan are computed there. The test plan lies 80 km west of
// the central meridian with edges that are not parallel to the grid; the expected overlaps are computed here
// with the GEOS C API on the plane coordinates (what PostGIS gives with ST_Transform to the plane), the
// expected ellipsoid areas with PROJ directly (an Albers equal-area projection on the CGCS2000 ellipsoid of
// the densified plane polygon), not by the code under test.
#include <gtest/gtest.h>
#include <geos_c.h>
#include <proj.h>

#include <cmath>
#include <fstream>

#include "../shipped_plan.hpp"
#include "shipped_package.hpp"
#include "core/package.hpp"
#include "core/schema.hpp"
#include "geo/crs.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::rules {
namespace {

constexpr double E0 = 420000, N0 = 4415000;
using Quad = std::vector<std::pair<double, double>>;  // (easting, northing) offsets from E0, N0
const Quad kBlock = {{-1000, -200}, {200, -1100}, {1100, 150}, {-150, 1050}};
const Quad kRedLine = {{600, 300}, {2000, -400}, {2500, 900}, {900, 1400}};
const Quad kApplication = {{-700, -600}, {900, -500}, {1300, 800}, {-400, 700}};

std::string wkt(const Quad& q) {
    std::string s = "POLYGON((";
    for (std::size_t i = 0; i <= q.size(); ++i) {
        const auto& p = q[i % q.size()];
        s += (i ? "," : "") + std::to_string(E0 + p.first) + " " + std::to_string(N0 + p.second);
    }
    return s + "))";
}

double shoelace(const Quad& q) {
    double s = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
        const auto& a = q[i];
        const auto& b = q[(i + 1) % q.size()];
        s += a.first * b.second - b.first * a.second;
    }
    return std::fabs(s) / 2;
}

// GEOS directly: area of the intersection of two plane polygons.
double geos_overlap(const Quad& a, const Quad& b) {
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKTReader* r = GEOSWKTReader_create_r(h);
    GEOSGeometry* ga = GEOSWKTReader_read_r(h, r, wkt(a).c_str());
    GEOSGeometry* gb = GEOSWKTReader_read_r(h, r, wkt(b).c_str());
    GEOSGeometry* x = GEOSIntersection_r(h, ga, gb);
    double area = 0;
    GEOSArea_r(h, x, &area);
    for (GEOSGeometry* g : {ga, gb, x}) GEOSGeom_destroy_r(h, g);
    GEOSWKTReader_destroy_r(h, r);
    GEOS_finish_r(h);
    return area;
}

// PROJ directly: the ellipsoid area of a plane polygon (straight plane edges, 1 m steps) through an
// equal-area projection of the CGCS2000 ellipsoid.
double ellipsoid_area(const Quad& q) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* pj = proj_create_crs_to_crs(ctx, "EPSG:4547",
                                    "+proj=aea +lat_1=39.5 +lat_2=40.2 +lat_0=39.8 +lon_0=113.1 +a=6378137 +rf=298.257222101 +type=crs",
                                    nullptr);
    double s = 0;
    std::vector<std::pair<double, double>> pts;
    for (std::size_t i = 0; i < q.size(); ++i) {
        const auto& a = q[i];
        const auto& b = q[(i + 1) % q.size()];
        const int n = static_cast<int>(std::ceil(std::hypot(b.first - a.first, b.second - a.second)));
        for (int k = 0; k < n; ++k) {
            const double t = static_cast<double>(k) / n;
            // EPSG:4547 axis order is northing, easting.
            PJ_COORD c = proj_coord(N0 + a.second + t * (b.second - a.second), E0 + a.first + t * (b.first - a.first), 0, 0);
            PJ_COORD o = proj_trans(pj, PJ_FWD, c);
            pts.emplace_back(o.xy.x, o.xy.y);
        }
    }
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const auto& a = pts[i];
        const auto& b = pts[(i + 1) % pts.size()];
        s += a.first * b.second - b.first * a.second;
    }
    proj_destroy(pj);
    proj_context_destroy(ctx);
    return std::fabs(s) / 2;
}

class PlaneGeometry : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::filesystem::temp_directory_path() / ("minplan-plane-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        const auto path = dir_ / "plan.gpkg";
        {
            store::GpkgWriter w(path);
            w.set_metadata("id", "plane-test-plan");
            w.set_metadata("name_zh", "平面几何测试规划");
            w.set_metadata("period_start", "2021");
            store_shipped_package(w);
            const auto reg = SchemaRegistry::load(source_dir() / "data" / "schema" / "tables");
            geo::Transformer tf(4547, geo::kCgcs2000Geographic);
            auto layer = [&](const std::string& id, const std::vector<std::tuple<std::string, Quad, std::map<std::string, std::string>>>& feats) {
                TableSchema schema = reg.find(id);
                for (const auto& extra : spatial_extra_fields())
                    if (!schema.field(extra.name)) schema.fields.push_back(extra);
                std::vector<Feature> out;
                for (const auto& [fid, quad, attrs] : feats) {
                    Feature x;
                    x.fid = static_cast<std::int64_t>(out.size() + 1);
                    geo::Ring ring;
                    for (std::size_t i = 0; i <= quad.size(); ++i)
                        ring.push_back({E0 + quad[i % quad.size()].first, N0 + quad[i % quad.size()].second});
                    x.wkb = tf.apply(geo::Geometry::polygon({ring})).to_wkb();
                    x.attributes[schema.fields.front().name] = fid;
                    for (const auto& [k, v] : attrs) x.attributes[k] = v;
                    x.attributes[kGeometrySourceField] = std::string("imported");
                    out.push_back(std::move(x));
                }
                w.write_layer(schema, out);
            };
            layer("admin_city", {{"CITY", {{-30000, -30000}, {30000, -30000}, {30000, 30000}, {-30000, 30000}}, {{"name_zh", "测试市"}}}});
            layer("mining_blocks", {{"CK-R-01", kBlock, {{"mineral", "石灰岩"}}}});
            layer("control_lines",
                  {{"ERL-R-01", kRedLine, {{"control_type", "ecological_red_line"}, {"name", "斜向生态保护红线"}}}});
            w.commit();
        }
        store_ = store::open_store(path.string()).release();
        setup_ = ReviewSetup::load(*store_).release();
        std::ofstream app(dir_ / "app.land.txt");
        app << "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=38\n[地块坐标]\n"
            << kApplication.size() + 1 << ",211.0000,KQ-R,斜向测试矿,面,,,,,,,,,@\n";
        for (std::size_t i = 0; i <= kApplication.size(); ++i) {
            const auto& p = kApplication[i % kApplication.size()];
            app << "J" << i + 1 << ",1," << std::fixed << N0 + p.second << "," << E0 + p.first << "\n";
        }
    }
    static void TearDownTestSuite() {
        delete setup_;
        delete store_;
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    static Report review() {
        LoadOptions o;
        o.kind = "mining";
        o.attrs = {{"main_mineral", "石灰岩"}};
        return setup_->engine->check(load_application(dir_ / "app.land.txt", o, setup_->engine->polygon_options()));
    }
    static const Evidence& evidence(const Report& r, const std::string& rule) {
        for (const auto& f : r.findings)
            if (f.rule_id == rule && !f.evidence.empty()) return f.evidence.front();
        throw std::runtime_error("no evidence for " + rule);
    }
    static inline std::filesystem::path dir_;
    static inline store::PlanStore* store_ = nullptr;
    static inline ReviewSetup* setup_ = nullptr;
};

TEST_F(PlaneGeometry, ApplicationAreaIsTheShoelaceAreaInThePlane) {
    const Report r = review();
    const double expect = shoelace(kApplication);  // 2,110,000 m² by hand: (890,000 + 1,370,000 + 1,230,000 + 730,000) / 2
    EXPECT_NEAR(expect, 2110000.0, 1e-6);
    EXPECT_EQ(r.application.plane_epsg, 4547);
    EXPECT_TRUE(r.application.plane_decides);
    EXPECT_NEAR(r.application.plane_area_m2, expect, expect * 1e-9);
    EXPECT_NEAR(r.application.area_m2, ellipsoid_area(kApplication), expect * 1e-6);
    // 80 km off the central meridian the two differ by ~1.6e-4: the report must say which decided.
    EXPECT_GT(std::fabs(r.application.area_m2 - expect) / expect, 1e-4);
}

TEST_F(PlaneGeometry, OverlapsAreComputedInTheRegisteredPlane) {
    const Report r = review();
    const double block = geos_overlap(kApplication, kBlock), red = geos_overlap(kApplication, kRedLine);
    ASSERT_GT(block, 1e5);
    ASSERT_GT(red, 1e5);
    const Evidence& b = evidence(r, "R01");
    EXPECT_EQ(b.feature_id, "CK-R-01");
    EXPECT_NEAR(b.overlap_plane_m2, block, block * 1e-6);
    EXPECT_NEAR(b.overlap_m2, block, block * 1e-6);  // the plane decides
    EXPECT_NEAR(b.overlap_pct, 100.0 * block / shoelace(kApplication), 1e-6);
    const Evidence& e = evidence(r, "R07");
    EXPECT_EQ(e.feature_id, "ERL-R-01");
    EXPECT_NEAR(e.overlap_plane_m2, red, red * 1e-6);
    EXPECT_NEAR(e.overlap_m2, red, red * 1e-6);
    // The part outside the block, in the plane.
    for (const auto& f : r.findings)
        if (f.rule_id == "R01") {
            EXPECT_EQ(to_zh(f.result), "不通过") << f.message;
            EXPECT_NEAR(f.data["outside_m2"].get<double>(), shoelace(kApplication) - block, block * 1e-6);
        }
}

}  // namespace
}  // namespace minplan::rules
