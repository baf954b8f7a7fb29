#include "store/exchange.hpp"

#include <cpl_string.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "plan/source_reader.hpp"
#include "store/gdal_handles.hpp"
#include "store/gpkg_store.hpp"
#include "store/plan_database.hpp"
#include "store/ogr_convert.hpp"

namespace minplan::store {

using detail::DatasetPtr;
using detail::FeaturePtr;

VectorFormat format_for_path(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".gpkg") return VectorFormat::GeoPackage;
    if (ext == ".shp") return VectorFormat::Shapefile;
    if (ext == ".geojson" || ext == ".json") return VectorFormat::GeoJson;
    if (ext == ".gdb") return VectorFormat::FileGdb;
    throw InputError("不支持的文件类型 \"" + p.string() + "\"：应为 .gpkg、.shp、.geojson 或 .gdb / unsupported format");
}

const char* gdal_driver_name(VectorFormat f) {
    switch (f) {
        case VectorFormat::GeoPackage: return "GPKG";
        case VectorFormat::Shapefile: return "ESRI Shapefile";
        case VectorFormat::GeoJson: return "GeoJSON";
        case VectorFormat::FileGdb: return "OpenFileGDB";
    }
    return "GPKG";
}

std::size_t export_layer(const PlanStore& store, const std::string& layer, const std::filesystem::path& out,
                         const ExportOptions& options) {
    detail::ensure_gdal_registered();
    VectorFormat fmt = format_for_path(out);
    if (fmt == VectorFormat::FileGdb) throw InputError("File Geodatabase 只支持读取 / FileGDB is read-only here");
    std::error_code ec;
    if (std::filesystem::exists(out, ec)) throw IoError("输出文件已存在，不会覆盖: " + out.string() + " / output exists");
    const TableSchema& schema = store.schema(layer);
    auto features = store.read(layer);
    // GDAL drops characters the .cpg encoding cannot hold (e.g. "²" in GBK): refuse instead of losing text.
    if (fmt == VectorFormat::Shapefile && options.encoding != "UTF-8") {
        for (std::size_t i = 0; i < features.size(); ++i) {
            for (const auto& [field, value] : features[i].attributes) {
                const auto* text = std::get_if<std::string>(&value);
                if (!text) continue;
                CPLErrorReset();
                char* there = CPLRecode(text->c_str(), CPL_ENC_UTF8, options.encoding.c_str());
                char* back = CPLRecode(there, options.encoding.c_str(), CPL_ENC_UTF8);
                bool same = *text == back;
                CPLFree(there);
                CPLFree(back);
                if (!same)
                    throw InputError(schema.code + " 第 " + std::to_string(i + 1) + " 个要素字段 " + field + " 的文本 \"" +
                                     *text + "\" 无法用 " + options.encoding + " 编码，请改用 --encoding UTF-8 / text not representable");
            }
        }
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(gdal_driver_name(fmt));
    DatasetPtr ds{driver->Create(out.c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    if (!ds) throw IoError("无法创建 " + out.string() + ": " + detail::last_gdal_error());
    detail::LayerOptions lo;
    if (fmt == VectorFormat::Shapefile) lo.creation_options.push_back("ENCODING=" + options.encoding);
    if (fmt == VectorFormat::GeoJson) lo.creation_options.push_back("RFC7946=NO");
    detail::write_ogr_layer(*ds, schema, features, lo);
    return features.size();
}

namespace {

struct Problems {
    std::vector<std::string> items;
    void add(std::string s) { items.push_back(std::move(s)); }
    void throw_if_any(const std::string& file) const {
        if (items.empty()) return;
        std::string msg = file + " 有 " + std::to_string(items.size()) + " 处错误，未导入任何数据 / nothing imported:";
        std::size_t shown = 0;
        for (const auto& i : items) {
            if (++shown > 50) {
                msg += "\n  …（其余 " + std::to_string(items.size() - 50) + " 处省略）";
                break;
            }
            msg += "\n  " + i;
        }
        throw InputError(msg);
    }
};

const FieldDef* match_field(const TableSchema& s, const std::string& source_name) {
    for (const auto& f : s.fields) {
        if (f.code == source_name || f.name == source_name || (!f.alias_zh.empty() && f.alias_zh == source_name)) return &f;
        // Shapefile truncates names to 10 bytes.
        if (f.code.size() > 10 && f.code.substr(0, 10) == source_name) return &f;
    }
    return nullptr;
}

}  // namespace

std::vector<Feature> read_for_import(const std::filesystem::path& file, const TableSchema& target,
                                     const ImportOptions& options, const std::vector<std::string>& known_counties,
                                     const std::vector<std::string>& known_minerals) {
    detail::ensure_gdal_registered();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    format_for_path(file);
    CPLStringList open_options;
    if (!options.encoding.empty()) open_options.AddNameValue("ENCODING", options.encoding.c_str());
    DatasetPtr ds{GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                    open_options.List(), nullptr)};
    if (!ds) throw IoError("无法读取 " + file.string() + "（" + detail::last_gdal_error() + "）/ cannot open");
    OGRLayer* layer = options.source_layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(options.source_layer.c_str());
    if (!layer) throw NotFoundError(file.string() + " 中没有图层 \"" + options.source_layer + "\" / no such layer");
    const std::string name = file.string();

    Problems problems;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<std::pair<int, const FieldDef*>> mapping;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        std::string src = defn->GetFieldDefn(i)->GetNameRef();
        if (const FieldDef* f = match_field(target, src)) mapping.emplace_back(i, f);
        else if (src != kGeometrySourceField && src != "JHLY" && src != "TQMJ" && src != "JHSM")
            problems.add("字段 \"" + src + "\" 不属于图层 " + target.id + "（" + target.name_zh + "）/ unknown field");
    }
    for (const auto& f : target.fields) {
        bool present = std::any_of(mapping.begin(), mapping.end(), [&](auto& m) { return m.second == &f; });
        if (f.required && !present && f.name != kGeometrySourceField)
            problems.add("缺少必填字段 \"" + f.code + "\"（" + f.alias_zh + "）/ missing required field");
    }

    std::unique_ptr<OGRCoordinateTransformation> ct;
    OGRSpatialReference target_srs = detail::cgcs2000();
    if (target.spatial) {
        const OGRSpatialReference* src_srs = layer->GetSpatialRef();
        OGRSpatialReference given;
        if (!src_srs && options.source_epsg) {
            given.importFromEPSG(options.source_epsg);
            given.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            src_srs = &given;
        }
        if (!src_srs) {
            problems.add("图层没有坐标系（缺少 .prj 或 CRS），请用 --srs 指定，如 --srs 4490 / missing CRS");
        } else {
            OGRSpatialReference s(*src_srs);
            s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!s.IsSame(&target_srs)) {
                ct.reset(OGRCreateCoordinateTransformation(&s, &target_srs));
                if (!ct) problems.add("无法将坐标系 " + std::string(s.GetName() ? s.GetName() : "?") + " 转换为 CGCS2000 (EPSG:4490)");
            }
        }
    }
    problems.throw_if_any(name);

    std::vector<Feature> out;
    int n = 0;
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) {
        ++n;
        std::string where = "要素 " + std::to_string(n) + " (FID " + std::to_string(f->GetFID()) + ")";
        Feature row;
        row.fid = n;
        std::set<std::string> reported;  // fields of this feature already reported (no second "required" line)
        for (const auto& field_mapping : mapping) {
            const int idx = field_mapping.first;
            const FieldDef* fd = field_mapping.second;
            std::string cell = f->IsFieldSetAndNotNull(idx) ? f->GetFieldAsString(idx) : "";
            if (!CPLIsUTF8(cell.c_str(), -1)) {
                problems.add(where + " 字段 " + fd->code + "：文本不是UTF-8且文件未声明编码（.cpg），请用 --encoding GBK 指定 / non-UTF-8 text");
                reported.insert(fd->name);
                continue;
            }
            try {
                row.attributes[fd->name] = plan::parse_cell(cell, *fd, name, n);
            } catch (const InputError& e) {
                problems.add(where + "：" + e.what());
                reported.insert(fd->name);
            }
        }
        // Code-table checks. A cell may list several codes separated by ';' (data-format.md); the seed's
        // printed total rows (合计) carry a label, not a code.
        if (row.text("row_kind") != "total") {
            auto check_code = [&](const char* field, const std::vector<std::string>& table, const char* table_name) {
                std::string value = row.text(field);
                if (table.empty() || value.empty()) return;
                for (const std::string& code : split_list(value)) {
                    if (std::find(table.begin(), table.end(), code) == table.end())
                        problems.add(where + " 字段 " + field + "：\"" + code + "\" 不在" + table_name + "中 / not in the code table");
                }
            };
            check_code("county", known_counties, "行政区代码表");
            check_code("mineral", known_minerals, "矿种代码表（data/schema/minerals.csv）");
        }
        for (const auto& fd : target.fields)
            if (fd.required && is_null(row.get(fd.name)) && fd.name != kGeometrySourceField && !reported.count(fd.name))
                problems.add(where + " 字段 " + fd.code + "（" + fd.alias_zh + "）为必填项，不能为空 / required");
        if (target.spatial) {
            OGRGeometry* g = f->GetGeometryRef();
            if (!g) {
                problems.add(where + "：没有几何 / no geometry");
                continue;
            }
            std::unique_ptr<OGRGeometry> copy(g->clone());
            if (ct && copy->transform(ct.get()) != OGRERR_NONE) {
                problems.add(where + "：坐标无法转换到 CGCS2000 / cannot transform");
                continue;
            }
            OGRwkbGeometryType t = wkbFlatten(copy->getGeometryType());
            if (t != wkbPolygon && t != wkbMultiPolygon) {
                problems.add(where + "：几何类型为 " + std::string(OGRGeometryTypeToName(t)) + "，应为面 / expected a polygon");
                continue;
            }
            // Projected coordinates under a geographic CRS (e.g. Gauss–Krüger metres labelled EPSG:4490).
            OGREnvelope env;
            copy->getEnvelope(&env);
            if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90) {
                problems.add(where + "：坐标 (" + std::to_string(env.MinX) + ", " + std::to_string(env.MinY) +
                             ") 超出经纬度范围，坐标系有误？请检查 .prj/CRS 或用 --srs 指定 / coordinates out of range: wrong CRS");
                continue;
            }
            row.wkb.resize(static_cast<std::size_t>(copy->WkbSize()));
            copy->exportToWkb(wkbNDR, row.wkb.data(), wkbVariantIso);
            try {
                geo::Geometry geom = geo::Geometry::from_wkb(row.wkb);
                if (auto p = geom.validity_problem()) {
                    problems.add(where + "：无效面（" + p->reason + "），位置 (" + std::to_string(p->location.x) + ", " +
                                 std::to_string(p->location.y) + ") / invalid polygon");
                    continue;
                }
                // Keep a source's own flag (an exported schematic layer stays schematic after re-import).
                if (is_null(row.get(kGeometrySourceField))) row.attributes[kGeometrySourceField] = std::string("imported");
                row.attributes[kAreaField] = geo::round_km2(geo::ellipsoidal_area_km2(geom));
            } catch (const Error& e) {
                problems.add(where + "：" + e.what());
            }
        }
        out.push_back(std::move(row));
    }
    problems.throw_if_any(name);
    return out;
}

std::size_t import_layer(PlanDatabase& db, const std::string& layer_key, const std::filesystem::path& file,
                         const ImportOptions& options) {
    std::vector<std::string> counties, minerals;
    TableSchema target;
    {
        auto store = db.snapshot();
        target = store->schema(layer_key);
        for (const auto& s : store->layers()) {
            if (s.id == "admin_counties")
                for (const auto& f : store->read(s.id)) counties.push_back(f.text("name_zh"));
            if (s.id == "code_minerals") {
                for (const auto& f : store->read(s.id)) {
                    minerals.push_back(f.text("name_zh"));
                    for (auto& synonym : split_list(f.text("synonyms"))) minerals.push_back(std::move(synonym));
                }
            }
        }
        // Labels the plan itself keeps in these columns (合计, 全市, 其他非金属矿山…; see the data notes) stay
        // valid, so that an exported layer imports again.
        for (const auto& f : store->read(target.id)) {
            if (std::string c = f.text("county"); !c.empty() && !counties.empty()) counties.push_back(c);
            if (std::string m = f.text("mineral"); !m.empty() && !minerals.empty()) minerals.push_back(m);
        }
    }
    auto features = read_for_import(file, target, options, counties, minerals);
    // All-or-nothing: staged in short batches, swapped in by one transaction (plan_database.hpp).
    write_tables(db, {{target, features}}, SwapMode::Replace);
    return features.size();
}

std::size_t import_layer(const std::filesystem::path& db, const std::string& layer, const std::filesystem::path& file,
                         const ImportOptions& options) {
    return import_layer(*open_database(db.string()), layer, file, options);
}

}  // namespace minplan::store
