// Internal RAII for GDAL handles. Only included by src/store/*.cpp.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

namespace minplan::store::detail {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const {
        if (ds) GDALClose(ds);
    }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

void ensure_gdal_registered();
std::string last_gdal_error();

// CGCS2000 geographic with lon/lat axis order, as GeoPackage stores it.
OGRSpatialReference cgcs2000();

}  // namespace minplan::store::detail
