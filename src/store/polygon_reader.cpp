#include "store/polygon_reader.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "store/exchange.hpp"
#include "store/gdal_handles.hpp"

namespace minplan::store {

ReadPolygon read_application_polygon(const std::filesystem::path& file, const std::string& layer_name) {
    detail::ensure_gdal_registered();
    const VectorFormat fmt_kind = format_for_path(file);
    detail::DatasetPtr ds(static_cast<GDALDataset*>(
        GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds) throw IoError(fmt::format("无法打开 {}：{} / cannot open", file.string(), detail::last_gdal_error()));
    OGRLayer* layer = layer_name.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer_name.c_str());
    if (!layer) throw InputError(fmt::format("{} 中没有图层 {} / no such layer", file.string(), layer_name));
    ReadPolygon out;
    out.format = fmt_kind == VectorFormat::GeoJson ? "geojson" : fmt_kind == VectorFormat::Shapefile ? "shapefile" : "geopackage";
    const OGRSpatialReference* src = layer->GetSpatialRef();
    std::unique_ptr<OGRCoordinateTransformation> ct;
    OGRSpatialReference target = detail::cgcs2000();
    if (src) {
        OGRSpatialReference s(*src);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (s.AutoIdentifyEPSG() == OGRERR_NONE || s.GetAuthorityCode(nullptr)) {
            const char* code = s.GetAuthorityCode(nullptr);
            out.source_epsg = code ? std::atoi(code) : 0;
        }
        ct.reset(OGRCreateCoordinateTransformation(&s, &target));
        if (!ct) throw InputError(fmt::format("{} 的坐标系无法转换到 CGCS2000（EPSG:4490）/ CRS cannot be transformed", file.string()));
        out.crs_known = true;
    }
    OGRMultiPolygon all;
    layer->ResetReading();
    int n = 0;
    for (detail::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++n;
        if (n == 1)
            for (int i = 0; i < f->GetFieldCount(); ++i)
                if (f->IsFieldSetAndNotNull(i)) out.properties[f->GetFieldDefnRef(i)->GetNameRef()] = f->GetFieldAsString(i);
        OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        std::unique_ptr<OGRGeometry> copy(g->clone());
        if (ct && copy->transform(ct.get()) != OGRERR_NONE)
            throw InputError(fmt::format("{} 第{}个要素无法转换坐标 / cannot transform feature {}", file.string(), n, n));
        const auto type = wkbFlatten(copy->getGeometryType());
        if (type == wkbPolygon) all.addGeometry(copy.get());
        else if (type == wkbMultiPolygon)
            for (const auto* p : *copy->toMultiPolygon()) all.addGeometry(p);
        else
            throw InputError(fmt::format("{} 第{}个要素是 {}，申请范围应为面（Polygon/MultiPolygon）/ expected polygons", file.string(),
                                         n, copy->getGeometryName()));
    }
    if (all.IsEmpty()) throw InputError(fmt::format("{} 中没有面状要素 / no polygon features", file.string()));
    all.flattenTo2D();
    out.wkb.resize(all.WkbSize());
    all.exportToWkb(wkbNDR, out.wkb.data(), wkbVariantIso);
    return out;
}

}  // namespace minplan::store
