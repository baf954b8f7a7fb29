// A generated plan for the batch audit tests: rights of every shape the audit meets (axis-aligned
// rectangles, rotated and concave ones, one with a hole) over control features of every shape the plan
// holds (discs, concave stars, holed squares, multipart patches, one feature of many vertices, one that
// intersects itself), around 113.3°E 40.1°N in EPSG:4490. Deterministic; the shipped rule set.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../shipped_plan.hpp"
#include "shipped_package.hpp"
#include "core/package.hpp"
#include "core/schema.hpp"
#include "geo/geometry.hpp"
#include "rules/audit_batch.hpp"
#include "store/gpkg_store.hpp"

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>

namespace minplan::rules::testing {

struct BatchPlanOptions {
    int rights = 36;
    int features = 160;
    std::size_t huge_vertices = 20000;  // one control feature with this many vertices
    bool bowtie = true;                 // one self-intersecting control feature
    bool empty_layer = true;            // control_areas present but empty
    bool foreign_crs = false;           // one more layer, in a Gauss–Krüger CRS (EPSG:4527)
};

namespace batch_plan {

inline constexpr double kLon = 113.3, kLat = 40.1, kStep = 0.004;  // about 340 m × 445 m

inline geo::Ring disc(double cx, double cy, double r, std::size_t n, double wobble = 0) {
    geo::Ring ring;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n);
        const double rr = r * (1 + wobble * std::sin(5 * a));
        ring.push_back({cx + rr * std::cos(a), cy + rr * std::sin(a)});
    }
    ring.push_back(ring.front());
    return ring;
}

inline geo::Ring box(double x1, double y1, double x2, double y2) { return {{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}; }

inline Feature feature(std::int64_t fid, const std::string& id_field, const std::string& id, const geo::Geometry& g) {
    Feature f;
    f.fid = fid;
    f.attributes[id_field] = id;
    f.attributes[kGeometrySourceField] = std::string("imported");
    f.wkb = g.to_wkb();
    return f;
}

inline TableSchema schema(const SchemaRegistry& reg, const std::string& id) {
    TableSchema s = reg.find(id);
    for (const auto& extra : spatial_extra_fields())
        if (!s.field(extra.name)) s.fields.push_back(extra);
    return s;
}

}  // namespace batch_plan

inline std::filesystem::path build_batch_plan(const std::filesystem::path& path, const BatchPlanOptions& o = {}) {
    using namespace batch_plan;
    std::filesystem::create_directories(path.parent_path());
    store::GpkgWriter w(path);
    w.set_metadata("id", "batch-test-plan");
    store_shipped_package(w);
    const auto reg = SchemaRegistry::load(source_dir() / "data" / "schema" / "tables");

    // Rights on a 6-column grid, each of 2×2 cells, every fourth one of another shape.
    const TableSchema rights_schema = schema(reg, "mineral_rights");
    std::vector<Feature> rights;
    for (int i = 0; i < o.rights; ++i) {
        const double x = kLon + (i % 6) * 2.5 * kStep, y = kLat + (i / 6) * 2.5 * kStep;
        geo::Geometry g;
        switch (i % 4) {
            case 0: g = geo::Geometry::polygon({box(x, y, x + 2 * kStep, y + 1.5 * kStep)}); break;
            case 1:  // rotated quadrilateral
                g = geo::Geometry::polygon({{{x + kStep, y}, {x + 2 * kStep, y + kStep}, {x + kStep, y + 2 * kStep}, {x, y + kStep}, {x + kStep, y}}});
                break;
            case 2:  // concave L
                g = geo::Geometry::polygon({{{x, y}, {x + 2 * kStep, y}, {x + 2 * kStep, y + 0.7 * kStep}, {x + 0.7 * kStep, y + 0.7 * kStep},
                                             {x + 0.7 * kStep, y + 2 * kStep}, {x, y + 2 * kStep}, {x, y}}});
                break;
            default:  // with a hole
                g = geo::Geometry::polygon({box(x, y, x + 2 * kStep, y + 2 * kStep), box(x + 0.6 * kStep, y + 0.6 * kStep, x + 1.4 * kStep, y + 1.4 * kStep)});
        }
        Feature f = feature(i + 1, "right_id", "R" + std::to_string(i + 1), g);
        f.attributes["kind"] = std::string(i % 2 ? "mining" : "exploration");
        f.attributes["holder"] = "矿业权人" + std::to_string(i % 5);
        rights.push_back(std::move(f));
    }
    w.write_layer(rights_schema, rights);

    // Control features scattered over the rights with a fixed linear congruential sequence.
    const TableSchema lines_schema = schema(reg, "control_lines");
    std::vector<Feature> lines;
    std::uint64_t seed = 12345;
    auto next = [&] {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(seed >> 11) / 9007199254740992.0;
    };
    const double w_all = 6 * 2.5 * kStep, h_all = (o.rights / 6 + 1) * 2.5 * kStep;
    for (int i = 0; i < o.features; ++i) {
        const double cx = kLon + next() * w_all, cy = kLat + next() * h_all, r = (0.1 + next()) * kStep;
        geo::Geometry g;
        switch (i % 4) {
            case 0: g = geo::Geometry::polygon({disc(cx, cy, r, 40)}); break;
            case 1: g = geo::Geometry::polygon({disc(cx, cy, r, 60, 0.45)}); break;  // concave star
            case 2: g = geo::Geometry::polygon({box(cx - r, cy - r, cx + r, cy + r), disc(cx, cy, r / 2, 24)}); break;
            default:
                g = geo::Geometry::multi_polygon({{disc(cx, cy, r / 2, 30)}, {box(cx + r, cy, cx + 2 * r, cy + r)}});
        }
        Feature f = feature(i + 1, "line_id", "L" + std::to_string(i + 1), g);
        f.attributes["control_type"] = std::string(i % 2 ? "ecological_red_line" : "permanent_basic_farmland");
        lines.push_back(std::move(f));
    }
    std::int64_t fid = static_cast<std::int64_t>(lines.size());
    if (o.huge_vertices) {
        // A red line of many vertices across the middle of the rights.
        Feature f = feature(++fid, "line_id", "HUGE",
                            geo::Geometry::polygon({disc(kLon + w_all / 2, kLat + h_all / 2, w_all / 3, o.huge_vertices, 0.2)}));
        f.attributes["control_type"] = std::string("ecological_red_line");
        lines.push_back(std::move(f));
    }
    if (o.bowtie) {
        const double x = kLon + 0.5 * kStep, y = kLat + 0.5 * kStep;
        Feature f = feature(++fid, "line_id", "BOWTIE",
                            geo::Geometry::polygon({{{x, y}, {x + kStep, y + kStep}, {x + kStep, y}, {x, y + kStep}, {x, y}}}));
        f.attributes["control_type"] = std::string("ecological_red_line");
        lines.push_back(std::move(f));
    }
    w.write_layer(lines_schema, lines);
    if (o.empty_layer) w.write_layer(schema(reg, "control_areas"), {});
    w.commit();
    if (o.foreign_crs) {
        // Written past minplan (as another program would): a layer in plane coordinates.
        GDALAllRegister();
        GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
        OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
        OSRImportFromEPSG(srs, 4527);
        OGRLayerH layer = GDALDatasetCreateLayer(ds, "gk_layer", srs, wkbPolygon, nullptr);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGRGeometryH g = nullptr;
        char wkt[] = "POLYGON ((39500000 4440000,39501000 4440000,39501000 4441000,39500000 4441000,39500000 4440000))";
        char* cursor = wkt;
        OGR_G_CreateFromWkt(&cursor, srs, &g);
        OGR_F_SetGeometryDirectly(f, g);
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) ADD_FAILURE() << "cannot write the foreign-CRS layer";
        OGR_F_Destroy(f);
        OSRDestroySpatialReference(srs);
        GDALClose(ds);
    }
    return path;
}

// The batch audit's overlap of every right with every control line, by (right_id, feature_id), in square metres:
// two threads and tiles of five rights, so several tiles pass through the reorder window.
inline std::map<std::pair<std::string, std::string>, double> control_line_overlaps(const Engine& engine) {
    BatchOptions o;
    o.layers = {"control_lines"};
    o.threads = 2;
    o.tile_size = 5;
    std::map<std::pair<std::string, std::string>, double> got;
    BatchSinks sinks;
    sinks.overlaps = [&](const std::vector<OverlapRow>& rows) {
        for (const auto& r : rows) got.emplace(std::make_pair(r.right_id, r.feature_id), r.m2);
    };
    audit_batch(engine, o, sinks);
    return got;
}

// Rewrites one feature with GDAL, past the store, as QGIS edits a GeoPackage: the plan version and the
// store's exact-area record stay as they were. `edit` changes the feature; no store may hold the file open.
template <class Edit>
void edit_past_store(const std::filesystem::path& gpkg, const std::string& table, std::int64_t fid, Edit&& edit) {
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, table.c_str());
    OGRFeatureH f = layer ? OGR_L_GetFeature(layer, fid) : nullptr;
    if (!f) GDALClose(ds);
    ASSERT_NE(f, nullptr) << table << " fid " << fid;
    edit(f);
    EXPECT_EQ(OGR_L_SetFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
    GDALClose(ds);
}

inline void edit_geometry_past_store(const std::filesystem::path& gpkg, const std::string& table, std::int64_t fid,
                                     std::string wkt) {
    edit_past_store(gpkg, table, fid, [&](OGRFeatureH f) {
        OGRGeometryH g = nullptr;
        char* cursor = wkt.data();
        EXPECT_EQ(OGR_G_CreateFromWkt(&cursor, nullptr, &g), OGRERR_NONE) << wkt;
        if (g) OGR_F_SetGeometryDirectly(f, g);
    });
}

// Sets one text (or date) column, by its database name, past the store.
inline void edit_text_past_store(const std::filesystem::path& gpkg, const std::string& table, std::int64_t fid,
                                 const std::string& column, const std::string& value) {
    edit_past_store(gpkg, table, fid, [&](OGRFeatureH f) {
        const int index = OGR_F_GetFieldIndex(f, column.c_str());
        EXPECT_GE(index, 0) << column;
        if (index >= 0) OGR_F_SetFieldString(f, index, value.c_str());
    });
}

}  // namespace minplan::rules::testing
