// Deterministic benchmark data for issue 9: a GeoPackage (EPSG:4490) with a `control_lines` layer and a
// `mineral_rights` layer in minplan's schema (data/schema/tables/control_lines.json, mineral_rights.json),
// so that `minplan import control_lines OUT.gpkg --source-layer control_lines` and
// `minplan import mineral_rights OUT.gpkg --source-layer mineral_rights` take it without a mapping.
//
//   minplan_bench_gen --size smoke|mid|goal --out OUT.gpkg [--seed N] [--boundary PLAN.gpkg]
//
// What it writes (counts per size in kSizes):
//  * permanent_basic_farmland: a grid of irregular quads (corners jittered inside ~100 m cells, edges
//    densified to ~40 vertices with metre-scale wiggles), a quarter of the cells empty, gaps between patches;
//  * ecological_red_line: buffered random-walk lines (rivers, ridges), and a few huge ones with 10⁴–10⁵
//    vertices (long fine-stepped walks, round joins);
//  * urban_development_boundary: discs with a slightly irregular rim;
//  * mineral_rights: rectangles 150 m – 3 km (70 % axis-aligned, 20 % rotated, 10 % L-shaped or irregular
//    convex), kind mining / exploration, licence, holder, mineral, scale, validity.
// Geometry is built in a local metric frame (equirectangular about the region's centre) and written as
// lon/lat; every polygon is checked valid (GEOS). The same seed and size give the same file: the RNG is
// splitmix64 and every draw is explicit (no std:: distributions, whose output is implementation-defined).
// With --boundary (a minplan plan database: layer XZQ_SJ, or the file's first polygon layer) the data stay
// inside the city's boundary (Datong); without it, inside the box lon 112.5–114.5, lat 39–40.6.
#include <gdal_priv.h>
#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct SizeSpec {
    const char* name;
    long patches;        // farmland patches (target; the grid gives about this many)
    int red_lines;       // ecological red-line polygons, huge ones included
    int huge_red_lines;  // of which 10⁴–10⁵ vertices
    int discs;           // urban development boundaries
    int rights;          // mineral rights
};
constexpr SizeSpec kSizes[] = {
    {"smoke", 2000, 20, 1, 3, 200},
    {"mid", 100000, 200, 2, 12, 2000},
    {"goal", 1000000, 2000, 6, 60, 20000},
};
constexpr double kOccupancy = 0.75;  // share of grid cells holding a patch
constexpr double kPi = 3.14159265358979323846;

// splitmix64: tiny, portable, deterministic.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0,1)
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    long below(long n) { return static_cast<long>(next() % static_cast<uint64_t>(n)); }
    double log_uniform(double a, double b) { return std::exp(uniform(std::log(a), std::log(b))); }
};

[[noreturn]] void die(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::fprintf(stderr, "minplan_bench_gen: ");
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    va_end(ap);
    std::exit(2);
}

void geos_msg(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    va_end(ap);
}

GEOSContextHandle_t G = nullptr;

struct Frame {  // local metric frame about (lon0, lat0)
    double lon0, lat0, kx, ky;
    Frame(double lon, double lat) : lon0(lon), lat0(lat) {
        // metres per degree on the CGCS2000 ellipsoid at lat0 (meridian and parallel radii of curvature)
        const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f);
        const double s = std::sin(lat * kPi / 180), w = std::sqrt(1 - e2 * s * s);
        kx = kPi / 180 * a * std::cos(lat * kPi / 180) / w;
        ky = kPi / 180 * a * (1 - e2) / (w * w * w);
    }
    double x(double lon) const { return (lon - lon0) * kx; }
    double y(double lat) const { return (lat - lat0) * ky; }
    double lon(double x) const { return lon0 + x / kx; }
    double lat(double y) const { return lat0 + y / ky; }
};

using Ring = std::vector<std::pair<double, double>>;  // metres, closed (first == last)

GEOSGeometry* ring_polygon(const Ring& r) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(G, static_cast<unsigned>(r.size()), 2);
    for (unsigned i = 0; i < r.size(); ++i) GEOSCoordSeq_setXY_r(G, seq, i, r[i].first, r[i].second);
    return GEOSGeom_createPolygon_r(G, GEOSGeom_createLinearRing_r(G, seq), nullptr, 0);
}

// Metric GEOS polygon → OGR polygon/multipolygon in lon/lat.
std::unique_ptr<OGRGeometry> to_ogr(const GEOSGeometry* g, const Frame& fr, long* vertices) {
    auto ring_of = [&](const GEOSGeometry* ring) {
        auto* out = new OGRLinearRing();
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(G, ring);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(G, seq, &n);
        out->setNumPoints(static_cast<int>(n));
        for (unsigned i = 0; i < n; ++i) {
            double x, y;
            GEOSCoordSeq_getXY_r(G, seq, i, &x, &y);
            out->setPoint(static_cast<int>(i), fr.lon(x), fr.lat(y));
        }
        *vertices += n;
        return out;
    };
    auto poly_of = [&](const GEOSGeometry* p) {
        auto* out = new OGRPolygon();
        out->addRingDirectly(ring_of(GEOSGetExteriorRing_r(G, p)));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(G, p); ++i) out->addRingDirectly(ring_of(GEOSGetInteriorRingN_r(G, p, i)));
        return out;
    };
    auto mp = std::make_unique<OGRMultiPolygon>();
    if (GEOSGeomTypeId_r(G, g) == GEOS_POLYGON) mp->addGeometryDirectly(poly_of(g));
    else
        for (int i = 0; i < GEOSGetNumGeometries_r(G, g); ++i) mp->addGeometryDirectly(poly_of(GEOSGetGeometryN_r(G, g, i)));
    return mp;
}

struct Writer {
    GDALDataset* ds;
    OGRLayer* layer;
    long in_txn = 0;
    void add(OGRFeature* f) {
        if (in_txn == 0 && layer->StartTransaction() != OGRERR_NONE) die("StartTransaction failed");
        if (layer->CreateFeature(f) != OGRERR_NONE) die("CreateFeature failed: %s", CPLGetLastErrorMsg());
        if (++in_txn == 20000) commit();
    }
    void commit() {
        if (in_txn && layer->CommitTransaction() != OGRERR_NONE) die("CommitTransaction failed");
        in_txn = 0;
    }
};

OGRLayer* make_layer(GDALDataset* ds, const char* name, const OGRSpatialReference& srs, const std::vector<std::pair<const char*, OGRFieldType>>& fields) {
    char** opts = CSLSetNameValue(nullptr, "GEOMETRY_NAME", "geom");
    opts = CSLSetNameValue(opts, "FID", "fid");
    OGRLayer* l = ds->CreateLayer(name, const_cast<OGRSpatialReference*>(&srs), wkbMultiPolygon, opts);
    CSLDestroy(opts);
    if (!l) die("cannot create layer %s: %s", name, CPLGetLastErrorMsg());
    for (const auto& [n, t] : fields) {
        OGRFieldDefn d(n, t);
        if (l->CreateField(&d) != OGRERR_NONE) die("cannot create field %s", n);
    }
    return l;
}

// The mask (metres) and its bounding box: the boundary polygon of the plan database, or the box.
struct Region {
    GEOSGeometry* mask = nullptr;
    const GEOSPreparedGeometry* prepared = nullptr;
    double x0, y0, x1, y1;
    bool contains(double x, double y) const {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(G, x, y);
        bool in = GEOSPreparedContains_r(G, prepared, p) == 1;
        GEOSGeom_destroy_r(G, p);
        return in;
    }
    bool contains_box(double ax, double ay, double bx, double by) const {
        GEOSGeometry* b = GEOSGeom_createRectangle_r(G, ax, ay, bx, by);
        bool in = GEOSPreparedContains_r(G, prepared, b) == 1;
        GEOSGeom_destroy_r(G, b);
        return in;
    }
};

GEOSGeometry* read_boundary(const std::string& file, const Frame& fr) {
    auto* ds = static_cast<GDALDataset*>(GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds) die("cannot open boundary file %s", file.c_str());
    OGRLayer* l = ds->GetLayerByName("XZQ_SJ");
    if (!l) l = ds->GetLayer(0);
    if (!l) die("no layer in %s", file.c_str());
    l->ResetReading();
    OGRFeature* f = l->GetNextFeature();
    if (!f || !f->GetGeometryRef()) die("no boundary feature in %s", file.c_str());
    OGRGeometry* g = f->GetGeometryRef()->clone();
    GEOSGeometry* out = g->exportToGEOS(G);
    delete g;
    OGRFeature::DestroyFeature(f);
    GDALClose(ds);
    if (!out) die("boundary geometry not convertible");
    GEOSGeometry* metres = GEOSGeom_transformXY_r(
        G, out,
        [](double* x, double* y, void* data) {
            const auto* frame = static_cast<const Frame*>(data);
            *x = frame->x(*x);
            *y = frame->y(*y);
            return 1;
        },
        const_cast<Frame*>(&fr));
    GEOSGeom_destroy_r(G, out);
    out = metres;
    // a little inside the boundary, so that rights and buffers near the edge stay in the city
    GEOSGeometry* shrunk = GEOSBuffer_r(G, out, -2000, 4);
    GEOSGeom_destroy_r(G, out);
    return shrunk;
}

const char* kMinerals[][3] = {  // mineral, scale unit, kind bias
    {"煤炭", "万吨/年", "mining"}, {"石灰岩", "万吨/年", "mining"}, {"铁", "万吨/年", "mining"}, {"金", "万吨/年", "exploration"},
    {"膨润土", "万吨/年", "mining"}, {"砂岩", "万立方米/年", "mining"}, {"普通萤石", "万吨/年", "exploration"},
};
const char* kCounties[] = {"平城区", "云冈区", "新荣区", "云州区", "阳高县", "天镇县", "广灵县", "灵丘县", "浑源县", "左云县"};

}  // namespace

int main(int argc, char** argv) {
    std::string size = "smoke", out, boundary;
    uint64_t seed = 20261130;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) die("%s needs a value", a.c_str());
            return argv[++i];
        };
        if (a == "--size") size = val();
        else if (a == "--out") out = val();
        else if (a == "--seed") seed = std::stoull(val());
        else if (a == "--boundary") boundary = val();
        else if (a == "-h" || a == "--help") {
            std::printf("usage: minplan_bench_gen --size smoke|mid|goal --out OUT.gpkg [--seed N] [--boundary PLAN.gpkg]\n");
            return 0;
        } else die("unknown argument %s", a.c_str());
    }
    const SizeSpec* spec = nullptr;
    for (const auto& s : kSizes)
        if (size == s.name) spec = &s;
    if (!spec) die("--size must be smoke, mid or goal");
    if (out.empty()) die("--out is required");
    const auto t0 = std::chrono::steady_clock::now();

    G = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(G, geos_msg);
    GEOSContext_setErrorHandler_r(G, geos_msg);
    GDALAllRegister();
    CPLSetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z");  // byte-identical files for a seed

    // Region: Datong, centred at 113.5 E, 40.0 N (15 km inside the city boundary).
    const Frame fr(113.5, 40.0);
    Region reg;
    reg.mask = boundary.empty() ? GEOSGeom_createRectangle_r(G, fr.x(112.5), fr.y(39.0), fr.x(114.5), fr.y(40.6))
                                : read_boundary(boundary, fr);
    // smoke/mid: a square about the centre holding the cells the patches need (~100 m cells), grown where
    // the boundary cuts it; goal: all of the region, with the cell size that gives the patch count.
    double mask_area = 0;
    GEOSArea_r(G, reg.mask, &mask_area);
    const double needed = static_cast<double>(spec->patches) / kOccupancy;  // cells
    double cell = std::sqrt(mask_area / needed);
    if (cell > 120.0) {
        cell = 100.0;
        double side = std::sqrt(needed) * cell;
        GEOSGeometry* part = nullptr;
        for (int it = 0; it < 6; ++it) {
            GEOSGeometry* sq = GEOSGeom_createRectangle_r(G, -side / 2, -side / 2, side / 2, side / 2);
            if (part) GEOSGeom_destroy_r(G, part);
            part = GEOSIntersection_r(G, reg.mask, sq);
            GEOSGeom_destroy_r(G, sq);
            double a = 0;
            GEOSArea_r(G, part, &a);
            if (a >= needed * cell * cell * 0.995) break;
            side *= std::sqrt(needed * cell * cell / a) * 1.01;
        }
        GEOSGeom_destroy_r(G, reg.mask);
        reg.mask = part;
    }
    reg.prepared = GEOSPrepare_r(G, reg.mask);
    GEOSGeom_getXMin_r(G, reg.mask, &reg.x0);
    GEOSGeom_getYMin_r(G, reg.mask, &reg.y0);
    GEOSGeom_getXMax_r(G, reg.mask, &reg.x1);
    GEOSGeom_getYMax_r(G, reg.mask, &reg.y1);

    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    VSIUnlink(out.c_str());
    GDALDataset* ds = drv->Create(out.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds) die("cannot create %s: %s", out.c_str(), CPLGetLastErrorMsg());
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    Writer cl{ds, make_layer(ds, "control_lines", srs,
                             {{"line_id", OFTString}, {"control_type", OFTString}, {"name", OFTString}, {"county", OFTString}, {"source", OFTString}})};
    Writer mr{ds, make_layer(ds, "mineral_rights", srs,
                             {{"right_id", OFTString}, {"kind", OFTString}, {"licence_no", OFTString}, {"holder", OFTString},
                              {"mine_name", OFTString}, {"mineral", OFTString}, {"scale", OFTReal}, {"scale_unit", OFTString},
                              {"valid_from", OFTString}, {"valid_to", OFTString}, {"state", OFTString}, {"county", OFTString},
                              {"source", OFTString}})};
    const std::string source = "minplan_bench_gen " + size + " seed " + std::to_string(seed);
    long n_patches = 0, n_red = 0, n_disc = 0, n_rights = 0, v_patches = 0, v_red = 0, v_disc = 0, v_rights = 0, max_red = 0, invalid = 0;

    auto add_control = [&](GEOSGeometry* g, const std::string& id, const char* type, const std::string& name, long* vertices) {
        if (GEOSisValid_r(G, g) != 1) {
            ++invalid;
            GEOSGeometry* fixed = GEOSMakeValid_r(G, g);
            GEOSGeom_destroy_r(G, g);
            g = fixed;
        }
        OGRFeature* f = OGRFeature::CreateFeature(cl.layer->GetLayerDefn());
        f->SetField("line_id", id.c_str());
        f->SetField("control_type", type);
        f->SetField("name", name.c_str());
        f->SetField("county", kCounties[static_cast<size_t>(n_patches + n_red + n_disc) % 10]);
        f->SetField("source", source.c_str());
        f->SetGeometryDirectly(to_ogr(g, fr, vertices).release());
        cl.add(f);
        OGRFeature::DestroyFeature(f);
        GEOSGeom_destroy_r(G, g);
    };

    // 1. farmland patches: cells in raster order, each with its own RNG stream (seed, cell) so that the
    // patch of a cell does not depend on the others.
    {
        const long nx = static_cast<long>(std::ceil((reg.x1 - reg.x0) / cell)), ny = static_cast<long>(std::ceil((reg.y1 - reg.y0) / cell));
        const double margin = cell * 0.06, jitter = cell * 0.22, wiggle = cell * 0.012;
        char id[32];
        for (long j = 0; j < ny; ++j)
            for (long i = 0; i < nx; ++i) {
                Rng r{seed * 0x100000001B3ULL ^ static_cast<uint64_t>(j * nx + i) * 0x9E3779B97F4A7C15ULL};
                r.next();
                if (r.uniform() >= kOccupancy) continue;
                const double cx = reg.x0 + static_cast<double>(i) * cell, cy = reg.y0 + static_cast<double>(j) * cell;
                if (!reg.contains_box(cx, cy, cx + cell, cy + cell)) continue;
                double px[4], py[4];
                const double sx[4] = {0, 1, 1, 0}, sy[4] = {0, 0, 1, 1};
                for (int k = 0; k < 4; ++k) {
                    const double dx = margin + r.uniform() * jitter, dy = margin + r.uniform() * jitter;
                    px[k] = cx + (sx[k] ? cell - dx : dx);
                    py[k] = cy + (sy[k] ? cell - dy : dy);
                }
                Ring ring;
                for (int k = 0; k < 4; ++k) {
                    const int m = 8 + static_cast<int>(r.below(5));  // 8–12 segments per edge: 32–48 vertices
                    const double ax = px[k], ay = py[k], bx = px[(k + 1) % 4], by = py[(k + 1) % 4];
                    const double len = std::hypot(bx - ax, by - ay), nxv = -(by - ay) / len, nyv = (bx - ax) / len;
                    for (int s = 0; s < m; ++s) {
                        const double t = static_cast<double>(s) / m, w = s == 0 ? 0 : r.uniform(-wiggle, wiggle);
                        ring.emplace_back(ax + (bx - ax) * t + nxv * w, ay + (by - ay) * t + nyv * w);
                    }
                }
                ring.push_back(ring.front());
                ++n_patches;
                std::snprintf(id, sizeof id, "PBF-%07ld", n_patches);
                add_control(ring_polygon(ring), id, "permanent_basic_farmland", std::string("永久基本农田图斑") + (id + 4), &v_patches);
            }
    }

    Rng rng{seed ^ 0xC0FFEEULL};
    auto random_point = [&](double inset) {
        for (;;) {
            const double x = rng.uniform(reg.x0 + inset, reg.x1 - inset), y = rng.uniform(reg.y0 + inset, reg.y1 - inset);
            if (reg.contains(x, y)) return std::make_pair(x, y);
        }
    };

    // 2. ecological red lines: buffered walks; the first `huge` ones are long fine-stepped walks.
    {
        char id[32];
        GEOSBufferParams* bp = GEOSBufferParams_create_r(G);
        for (int k = 0; k < spec->red_lines; ++k) {
            const bool huge = k < spec->huge_red_lines;
            const int steps = huge ? static_cast<int>(rng.uniform(2000, 8000)) : static_cast<int>(rng.uniform(10, 60));
            const double step = huge ? rng.uniform(10, 20) : rng.uniform(150, 500);
            const double radius = huge ? rng.uniform(30, 100) : rng.uniform(40, 400);
            auto [x, y] = random_point(0);
            double heading = rng.uniform(0, 2 * kPi);
            GEOSCoordSequence* seq = GEOSCoordSeq_create_r(G, static_cast<unsigned>(steps + 1), 2);
            GEOSCoordSeq_setXY_r(G, seq, 0, x, y);
            for (int s = 1; s <= steps; ++s) {
                heading += rng.uniform(-0.35, 0.35);
                double nx = x + step * std::cos(heading), ny = y + step * std::sin(heading);
                if (!reg.contains(nx, ny)) {  // turn back into the region
                    heading += kPi;
                    nx = x + step * std::cos(heading);
                    ny = y + step * std::sin(heading);
                }
                x = nx;
                y = ny;
                GEOSCoordSeq_setXY_r(G, seq, static_cast<unsigned>(s), x, y);
            }
            GEOSGeometry* line = GEOSGeom_createLineString_r(G, seq);
            GEOSBufferParams_setQuadrantSegments_r(G, bp, huge ? 16 : 8);
            GEOSGeometry* poly = GEOSBufferWithParams_r(G, line, bp, radius);
            GEOSGeom_destroy_r(G, line);
            if (huge) {  // densify the rim so that a huge one reaches 10⁴–10⁵ vertices
                GEOSGeometry* dense = GEOSDensify_r(G, poly, 5.0);
                GEOSGeom_destroy_r(G, poly);
                poly = dense;
            }
            ++n_red;
            std::snprintf(id, sizeof id, "ERL-%05ld", n_red);
            const long before = v_red;
            add_control(poly, id, "ecological_red_line", std::string(huge ? "生态保护红线（大）" : "生态保护红线") + (id + 4), &v_red);
            max_red = std::max(max_red, v_red - before);
        }
        GEOSBufferParams_destroy_r(G, bp);
    }

    // 3. urban development boundaries: discs with an irregular rim.
    {
        char id[32];
        for (int k = 0; k < spec->discs; ++k) {
            const double radius = rng.log_uniform(400, 4000);
            auto [cx, cy] = random_point(0);
            const int n = 72 + static_cast<int>(rng.below(289));
            Ring ring;
            const double phase = rng.uniform(0, 2 * kPi);
            for (int s = 0; s < n; ++s) {
                const double a = 2 * kPi * s / n, rr = radius * (1 + 0.04 * std::sin(5 * a + phase) + rng.uniform(-0.01, 0.01));
                ring.emplace_back(cx + rr * std::cos(a), cy + rr * std::sin(a));
            }
            ring.push_back(ring.front());
            ++n_disc;
            std::snprintf(id, sizeof id, "UDB-%04ld", n_disc);
            add_control(ring_polygon(ring), id, "urban_development_boundary", std::string("城镇开发边界") + (id + 4), &v_disc);
        }
    }
    cl.commit();

    // 4. mineral rights
    {
        char id[32], lic[40], holder[96], mine[64], from[16], to[16];
        for (int k = 0; k < spec->rights; ++k) {
            const double w = rng.log_uniform(150, 3000), h = std::clamp(w * rng.log_uniform(0.5, 2.0), 150.0, 3000.0);
            auto [cx, cy] = random_point(0);
            const double shape = rng.uniform();
            Ring ring;
            if (shape < 0.9) {  // rectangle, rotated in 2 of 9
                const double a = shape < 0.7 ? 0 : rng.uniform(5, 40) * kPi / 180, c = std::cos(a), s = std::sin(a);
                for (auto [u, v] : {std::pair{-1.0, -1.0}, {1.0, -1.0}, {1.0, 1.0}, {-1.0, 1.0}, {-1.0, -1.0}})
                    ring.emplace_back(cx + c * u * w / 2 - s * v * h / 2, cy + s * u * w / 2 + c * v * h / 2);
            } else if (shape < 0.95) {  // L-shape: the rectangle without one corner rectangle
                const double fx = rng.uniform(0.3, 0.7), fy = rng.uniform(0.3, 0.7), x0 = cx - w / 2, y0 = cy - h / 2;
                ring = {{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h * fy}, {x0 + w * fx, y0 + h * fy}, {x0 + w * fx, y0 + h}, {x0, y0 + h}, {x0, y0}};
            } else {  // irregular convex: points on an ellipse at increasing angles
                const int n = 5 + static_cast<int>(rng.below(4));
                for (int s = 0; s < n; ++s) {
                    const double a = 2 * kPi * (s + rng.uniform(0.1, 0.9)) / n;
                    ring.emplace_back(cx + w / 2 * std::cos(a), cy + h / 2 * std::sin(a));
                }
                ring.push_back(ring.front());
            }
            const auto& m = kMinerals[rng.below(7)];
            const bool mining = rng.uniform() < (std::strcmp(m[2], "mining") == 0 ? 0.8 : 0.2);
            ++n_rights;
            std::snprintf(id, sizeof id, "BR-%06ld", n_rights);
            std::snprintf(lic, sizeof lic, "%s14020020%08ld", mining ? "C" : "T", n_rights);
            std::snprintf(holder, sizeof holder, "大同基准%03ld矿业有限公司", n_rights % 997);
            std::snprintf(mine, sizeof mine, "基准%ld号%s", n_rights, mining ? "矿" : "勘查项目");
            const int y0 = 2016 + static_cast<int>(rng.below(8));
            std::snprintf(from, sizeof from, "%04d-01-01", y0);
            std::snprintf(to, sizeof to, "%04d-12-31", y0 + (mining ? 10 + static_cast<int>(rng.below(20)) : 5));
            GEOSGeometry* g = ring_polygon(ring);
            if (GEOSisValid_r(G, g) != 1) ++invalid;
            OGRFeature* f = OGRFeature::CreateFeature(mr.layer->GetLayerDefn());
            f->SetField("right_id", id);
            f->SetField("kind", mining ? "mining" : "exploration");
            f->SetField("licence_no", lic);
            f->SetField("holder", holder);
            f->SetField("mine_name", mine);
            f->SetField("mineral", m[0]);
            if (mining) {
                f->SetField("scale", std::round(rng.log_uniform(3, 300)));
                f->SetField("scale_unit", m[1]);
            }
            // text, not OFTDate: minplan's importer reads a GeoPackage DATE as GDAL's "YYYY/MM/DD" and rejects it
            f->SetField("valid_from", from);
            f->SetField("valid_to", to);
            f->SetField("state", "有效");
            f->SetField("county", kCounties[rng.below(10)]);
            f->SetField("source", source.c_str());
            f->SetGeometryDirectly(to_ogr(g, fr, &v_rights).release());
            mr.add(f);
            OGRFeature::DestroyFeature(f);
            GEOSGeom_destroy_r(G, g);
        }
    }
    mr.commit();
    GDALClose(ds);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s: size %s seed %llu, cell %.1f m, region %.1f x %.1f km\n", out.c_str(), size.c_str(),
                static_cast<unsigned long long>(seed), cell, (reg.x1 - reg.x0) / 1000, (reg.y1 - reg.y0) / 1000);
    std::printf("control_lines: %ld farmland patches (%ld vertices), %ld red-line polygons (%ld vertices, largest %ld), %ld urban discs (%ld vertices)\n",
                n_patches, v_patches, n_red, v_red, max_red, n_disc, v_disc);
    std::printf("mineral_rights: %ld rights (%ld vertices); invalid geometries repaired: %ld; %.1f s\n", n_rights, v_rights, invalid, secs);
    GEOSPreparedGeom_destroy_r(G, reg.prepared);
    GEOSGeom_destroy_r(G, reg.mask);
    GEOS_finish_r(G);
    return 0;
}
