// Test support for exchange round trips: feature-by-feature comparison of two reads of one layer, and a
// look at an exported file through GDAL's C API (what ogrinfo shows: layer names and the CRS).
#pragma once

#include <gtest/gtest.h>

#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "geo/geometry.hpp"

namespace minplan::testing {

// Equal attributes (text byte for byte, reals to 1e-9 relative) and equal geometry: the same number of
// vertices and each geometry within `tolerance_deg` of the other (GEOS buffer + covers both ways).
inline void expect_same_features(const TableSchema& schema, const std::vector<Feature>& expected,
                                 const std::vector<Feature>& actual, const std::string& context,
                                 double tolerance_deg = 1e-9) {
    ASSERT_EQ(actual.size(), expected.size()) << context;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Feature& e = expected[i];
        const Feature& a = actual[i];
        const std::string where =
            context + " feature " + std::to_string(i + 1) + " (" + e.text(schema.fields[0].name) + ")";
        for (const auto& f : schema.fields) {
            const Value& ev = e.get(f.name);
            const Value& av = a.get(f.name);
            if (auto en = std::get_if<double>(&ev)) {
                auto an = as_number(av);
                ASSERT_TRUE(an.has_value()) << where << " field " << f.name << ": " << to_display(av);
                EXPECT_NEAR(*an, *en, std::fabs(*en) * 1e-9 + 1e-12) << where << " field " << f.name;
            } else {
                EXPECT_EQ(to_display(av), to_display(ev)) << where << " field " << f.name;
                EXPECT_EQ(av.index(), ev.index()) << where << " field " << f.name << " changed type";
            }
        }
        ASSERT_EQ(a.wkb.empty(), e.wkb.empty()) << where;
        if (e.wkb.empty()) continue;
        geo::Geometry eg = geo::Geometry::from_wkb(e.wkb), ag = geo::Geometry::from_wkb(a.wkb);
        std::size_t ev = 0, av = 0;
        for (const auto& p : eg.polygons())
            for (const auto& r : p) ev += r.size();
        for (const auto& p : ag.polygons())
            for (const auto& r : p) av += r.size();
        EXPECT_EQ(av, ev) << where << ": vertex count";
        EXPECT_TRUE(eg.buffer(tolerance_deg).covers(ag) && ag.buffer(tolerance_deg).covers(eg))
            << where << ": geometry differs";
    }
}

struct OgrLayerView {
    std::string name;
    int epsg = 0;
    long long features = 0;
};

// Every layer of a vector file as GDAL sees it, the CRS identified against the EPSG database.
inline std::vector<OgrLayerView> ogr_layers(const std::string& path) {
    GDALAllRegister();
    std::vector<OgrLayerView> out;
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds) return out;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, i);
        OgrLayerView v;
        v.name = OGR_L_GetName(layer);
        v.features = OGR_L_GetFeatureCount(layer, 1);
        if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
            OGRSpatialReferenceH copy = OSRClone(srs);
            if (!OSRGetAuthorityCode(copy, nullptr)) OSRAutoIdentifyEPSG(copy);
            const char* name = OSRGetAuthorityName(copy, nullptr);
            const char* code = OSRGetAuthorityCode(copy, nullptr);
            if (name && code && std::string(name) == "EPSG") v.epsg = std::atoi(code);
            OSRDestroySpatialReference(copy);
        }
        out.push_back(v);
    }
    GDALClose(ds);
    return out;
}

}  // namespace minplan::testing
