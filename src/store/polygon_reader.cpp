#include "store/polygon_reader.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/ogr_cell.hpp"
#include "store/exchange.hpp"
#include "store/gdal_handles.hpp"

namespace minplan::store {
namespace {

// Polygons and ring points of one feature's geometry, read from GDAL's structure (nothing is built).
struct Counts {
    std::size_t parts = 0, vertices = 0;
};
void count_polygon(const OGRPolygon& p, Counts& c) {
    ++c.parts;
    for (const OGRLinearRing* r : p) c.vertices += static_cast<std::size_t>(r->getNumPoints());
}
Counts count(const OGRGeometry& g) {
    Counts c;
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) count_polygon(*g.toPolygon(), c);
    else if (type == wkbMultiPolygon)
        for (const OGRPolygon* p : *g.toMultiPolygon()) count_polygon(*p, c);
    return c;
}

}  // namespace

ReadPolygon read_application_polygon(const std::filesystem::path& file, const std::string& layer_name,
                                     const PolygonLimits& limits) {
    detail::ensure_gdal_registered();
    const VectorFormat fmt_kind = format_for_path(file);
    if (fmt_kind == VectorFormat::Csv)  // CSV is for attribute tables (import), never an application's polygon
        throw InputError("不支持的文件类型 \"" + file.string() + "\"：应为 .gpkg、.shp、.geojson、.gdb 或 .xlsx / unsupported format");
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
    Counts total;
    for (detail::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++n;
        if (n == 1)
            for (int i = 0; i < f->GetFieldCount(); ++i)
                if (f->IsFieldSetAndNotNull(i)) out.properties[f->GetFieldDefnRef(i)->GetNameRef()] = formats::ogr_cell_text(*f, i);
        OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        // Counted before the copy, the transformation and GEOS: a limit crossed is refused at once.
        const Counts c = count(*g);
        total.parts += c.parts;
        total.vertices += c.vertices;
        if (limits.max_parts && total.parts > limits.max_parts)
            throw InputError(fmt::format("{}：到第{}个要素为止已有{}个多边形，超过申请范围{}个多边形的上限（formats::InputLimits::max_parts，"
                                         "见 docs/review.md）/ more than {} polygons (limit max_parts)",
                                         file.string(), n, total.parts, limits.max_parts, limits.max_parts));
        if (limits.max_vertices && total.vertices > limits.max_vertices)
            throw InputError(fmt::format("{}：到第{}个要素为止已有{}个顶点，超过申请范围{}个顶点的上限（formats::InputLimits::max_vertices，"
                                         "见 docs/review.md）/ more than {} vertices (limit max_vertices)",
                                         file.string(), n, total.vertices, limits.max_vertices, limits.max_vertices));
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
