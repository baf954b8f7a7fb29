// read_for_import: bureau files → validated features of one plan layer (declared in store/exchange.hpp).
// Nothing here writes; problems are collected over all files and reported together.
#include <cpl_conv.h>
#include <cpl_string.h>
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <thread>
#include <iterator>
#include <optional>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/text.hpp"
#include "formats/ogr_cell.hpp"
#include "formats/sheet_reader.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "plan/source_reader.hpp"
#include "store/exchange.hpp"
#include "store/gdal_handles.hpp"
#include "store/import_mapping.hpp"

namespace minplan::store {

using detail::DatasetPtr;
using detail::FeaturePtr;

namespace {

struct Problems {
    std::vector<std::string> items;
    void add(std::string s) { items.push_back(std::move(s)); }
    void throw_if_any(const std::string& what) const {
        if (items.empty()) return;
        throw InputProblems(what + " 有 " + std::to_string(items.size()) + " 处错误，未导入任何数据 / nothing imported:", items);
    }
};

// Columns the builder adds to every spatial layer: an exported layer carries them, and they are never
// reported as unmapped.
bool is_builder_column(const std::string& name) {
    return name == kGeometrySourceField || name == "JHLY" || name == "TQMJ" || name == "JHSM";
}

// One opened source file and how its columns reach the target.
struct Source {
    std::filesystem::path file;
    DatasetPtr ds;
    OGRLayer* layer = nullptr;
    std::vector<std::pair<int, const FieldDef*>> columns;
    std::unique_ptr<OGRCoordinateTransformation> ct;
    bool usable = true;  // false when its header already has problems: its features are not read
    bool csv = false;    // a CSV: features are numbered by their line (FID), and messages say 第N行
};

// A CSV table as a GDAL in-memory layer of text fields, so that it goes through the same mapping, typing
// and checks as an XLSX sheet. The text is read by formats::read_csv_sheet, as the annual intake reads it:
// UTF-8 with or without BOM, or GBK/GB18030 detected; RFC 4180 quoting; size bounded before reading. Each
// feature's FID is its line. A row with more cells than the header is a problem naming the line.
DatasetPtr csv_dataset(const std::filesystem::path& file, Problems& problems) {
    const formats::TextSheet sheet = formats::read_csv_sheet(file);
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
    if (!mem) throw IoError("GDAL 缺少 Memory 驱动，无法读取 CSV / GDAL Memory driver missing");
    DatasetPtr ds(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = ds ? ds->CreateLayer(sheet.name.c_str(), nullptr, wkbNone, nullptr) : nullptr;
    if (!layer) throw IoError("无法读取 " + file.string() + "（" + detail::last_gdal_error() + "）/ cannot open");
    if (sheet.rows.empty()) return ds;  // no header: every required field is reported missing
    const auto& header = sheet.rows.front().cells;
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string name = trim(header[i]);
        if (name.empty()) name = "列" + std::to_string(i + 1);  // an unnamed column is reported as unmapped
        OGRFieldDefn fd(name.c_str(), OFTString);
        if (layer->CreateField(&fd) != OGRERR_NONE)
            throw IoError("无法读取 " + file.string() + "（" + detail::last_gdal_error() + "）/ cannot open");
    }
    for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& row = sheet.rows[r];
        if (row.cells.size() > header.size()) {
            problems.add(file.string() + ": 第" + std::to_string(row.number) + "行有 " + std::to_string(row.cells.size()) +
                         " 个单元格，表头只有 " + std::to_string(header.size()) + " 列 / more cells than header columns");
            continue;
        }
        FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetFID(row.number);
        for (std::size_t j = 0; j < row.cells.size(); ++j)
            if (!row.cells[j].empty()) f->SetField(static_cast<int>(j), row.cells[j].c_str());
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw IoError("无法读取 " + file.string() + "（" + detail::last_gdal_error() + "）/ cannot open");
    }
    return ds;
}

// The code tables of the target's coded fields, by field name.
class CodeChecks {
public:
    CodeChecks(const TableSchema& target, const ImportReference& ref, Problems& problems) {
        for (const auto& f : target.fields) {
            if (f.codes.empty()) continue;
            auto it = std::find_if(ref.code_tables.begin(), ref.code_tables.end(),
                                   [&](const CodeTable& t) { return t.id() == f.codes; });
            if (it == ref.code_tables.end())
                problems.add("图层 " + target.id + " 的字段 " + f.code + "（" + f.name + "）取值来自代码表 " + f.codes +
                             "，但规划数据库中没有该表，请用 minplan build 重建数据库 / code table missing");
            else
                tables_[f.name] = &*it;
        }
    }

    // Replaces labels and aliases in `row` by their codes; an unknown value is a problem. The list of
    // valid codes is printed with the first unknown value of each field, not repeated on every line.
    void apply(Feature& row, const TableSchema& target, const std::string& where, Problems& problems) {
        for (const auto& [field, table] : tables_) {
            auto it = row.attributes.find(field);
            if (it == row.attributes.end()) continue;
            const auto* text = std::get_if<std::string>(&it->second);
            if (!text) continue;
            if (const std::string* code = table->resolve(*text)) {
                it->second = *code;
                continue;
            }
            const FieldDef* fd = target.field(field);
            std::string msg = where + " 字段 " + fd->code + "（" + fd->name + "）：\"" + *text + "\" 不是代码表 " +
                              table->id() + "（" + table->name_zh() + "）中的代码或名称";
            msg += listed_.insert(field).second ? "；可用代码: " + table->listing() : "；可用代码见上";
            problems.add(msg + " / not a code of " + table->id());
        }
    }

private:
    std::map<std::string, const CodeTable*> tables_;
    std::set<std::string> listed_;
};

// Opens one file, applies --where, and decides which column feeds which target field.
Source open_source(const std::filesystem::path& file, const TableSchema& target, const ImportOptions& options,
                   const std::map<std::string, const FieldDef*>& explicit_map, const Feature& constants,
                   std::set<std::string>& map_sources_seen, std::vector<std::string>& warnings, Problems& problems) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    const VectorFormat format = format_for_path(file);
    Source src;
    src.file = file;
    const std::string name = file.string();
    CPLStringList open_options;
    // XLSX: the first row names the columns even when every cell is text, and cells stay as typed: the
    // schema types them (plan::parse_cell), as it does every other source. GDAL 3.6 reads these as
    // configuration options (thread-local here), not open options.
    const bool xlsx = format == VectorFormat::Xlsx;
    CPLConfigOptionSetter headers("OGR_XLSX_HEADERS", xlsx ? "FORCE" : nullptr, true);
    CPLConfigOptionSetter types("OGR_XLSX_FIELD_TYPES", xlsx ? "STRING" : nullptr, true);
    if (!options.encoding.empty()) open_options.AddNameValue("ENCODING", options.encoding.c_str());
    if (format == VectorFormat::Csv) {
        // CSV carries no geometry: a layer with one is imported from .gpkg/.shp/.geojson.
        if (target.spatial)
            throw InputError(name + "：CSV 只能导入属性表；图层 " + target.id + "（" + target.name_zh +
                             "）有几何图形，请用 .gpkg、.shp 或 .geojson / CSV holds attribute tables only");
        src.ds = csv_dataset(file, problems);
        src.csv = true;
    } else {
        src.ds.reset(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.List(), nullptr));
    }
    if (!src.ds) throw IoError("无法读取 " + name + "（" + detail::last_gdal_error() + "）/ cannot open");
    if (options.source_layer.empty()) {
        // The first layer that holds data: a GeoPackage exported by minplan or saved by QGIS may also hold its
        // styles (layer_styles), which is not what the user means to import.
        for (int i = 0; i < src.ds->GetLayerCount() && !src.layer; ++i)
            if (OGRLayer* l = src.ds->GetLayer(i); l && std::string(l->GetName()) != "layer_styles") src.layer = l;
    } else {
        src.layer = src.ds->GetLayerByName(options.source_layer.c_str());
    }
    if (!src.layer) throw NotFoundError(name + " 中没有图层 \"" + options.source_layer + "\" / no such layer");

    const std::size_t before = problems.items.size();
    if (!options.where.empty()) {
        CPLErrorReset();
        if (src.layer->SetAttributeFilter(options.where.c_str()) != OGRERR_NONE)
            problems.add(name + ": --where 条件 \"" + options.where + "\" 无效（" + detail::last_gdal_error() +
                         "）/ bad attribute filter");
    }

    OGRFeatureDefn* defn = src.layer->GetLayerDefn();
    std::vector<std::string> unmapped, overridden;
    std::map<const FieldDef*, std::string> fed_by;  // target field → the source column feeding it
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        std::string col = defn->GetFieldDefn(i)->GetNameRef();
        const FieldDef* f = nullptr;
        if (auto it = explicit_map.find(col); it != explicit_map.end()) {
            f = it->second;
            map_sources_seen.insert(col);
            if (!is_null(constants.get(f->name))) {
                problems.add(name + ": 字段 " + f->code + "（" + f->name + "）既由 --map " + col +
                             " 提供又由 --set 指定，请只用其一 / field both mapped and set");
                continue;
            }
        } else {
            f = match_source_field(target, col);
            // A column that merely matches a field which a --map or --set already fills (the bureau's own
            // 名称 beside XMMC→名称, an empty KZXLX beside --set control_type=…) is left out with a warning:
            // the explicit option says which one is meant, and the file need not be edited.
            const bool displaced =
                f && (!is_null(constants.get(f->name)) ||
                      std::any_of(explicit_map.begin(), explicit_map.end(), [&](const auto& m) {
                          return m.second == f && defn->GetFieldIndex(m.first.c_str()) >= 0;
                      }));
            if (displaced) {
                overridden.push_back(col);
                continue;
            }
        }
        if (!f) {
            if (!is_builder_column(col)) unmapped.push_back(col);
            continue;
        }
        if (auto [it, added] = fed_by.emplace(f, col); !added) {
            problems.add(name + ": 源字段 \"" + it->second + "\" 和 \"" + col + "\" 都对应字段 " + f->code + "（" + f->name +
                         "），请用 --map 指定其一 / two source fields map to one field");
            continue;
        }
        src.columns.emplace_back(i, f);
    }
    auto joined = [](const std::vector<std::string>& names) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : "、") + n;
        return list;
    };
    if (!unmapped.empty())
        warnings.push_back(name + ": 源字段 " + joined(unmapped) + " 不对应图层 " + target.id +
                           " 的任何字段，已忽略（可用 --map 源字段=目标字段 指定）/ unmapped source fields ignored");
    if (!overridden.empty())
        warnings.push_back(name + ": 源字段 " + joined(overridden) +
                           " 对应的字段已由 --map 或 --set 提供，已忽略 / source fields overridden by --map/--set");
    for (const auto& f : target.fields) {
        bool present = fed_by.count(&f) || !is_null(constants.get(f.name));
        if (f.required && !present && f.name != kGeometrySourceField)
            problems.add(name + ": 缺少必填字段 \"" + f.code + "\"（" + f.alias_zh + "），可用 --map 或 --set 提供 / missing required field");
    }

    if (target.spatial) {
        OGRSpatialReference target_srs = detail::cgcs2000();
        const OGRSpatialReference* src_srs = src.layer->GetSpatialRef();
        OGRSpatialReference given;
        if (!src_srs && options.source_epsg) {
            given.importFromEPSG(options.source_epsg);
            given.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            src_srs = &given;
        }
        if (!src_srs) {
            problems.add(name + ": 图层没有坐标系（缺少 .prj 或 CRS），请用 --srs 指定，如 --srs 4490 / missing CRS");
        } else {
            OGRSpatialReference s(*src_srs);
            s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!s.IsSame(&target_srs)) {
                src.ct.reset(OGRCreateCoordinateTransformation(&s, &target_srs));
                if (!src.ct)
                    problems.add(name + ": 无法将坐标系 " + std::string(s.GetName() ? s.GetName() : "?") + " 转换为 CGCS2000 (EPSG:4490)");
            }
        }
    }
    src.usable = problems.items.size() == before;
    return src;
}

// The geometry of one feature in EPSG:4490 as WKB; adds a problem and returns false if unusable. Runs in
// the reading thread (GDAL's feature and the source's transformation are not shared between threads).
bool read_geometry(OGRFeature& f, const Source& src, const std::string& where, Feature& row, Problems& problems) {
    OGRGeometry* g = f.GetGeometryRef();
    if (!g) {
        problems.add(where + "：没有几何 / no geometry");
        return false;
    }
    // A copy only to transform: a source already in EPSG:4490 is exported as GDAL read it.
    std::unique_ptr<OGRGeometry> transformed;
    if (src.ct) {
        transformed.reset(g->clone());
        if (transformed->transform(src.ct.get()) != OGRERR_NONE) {
            problems.add(where + "：坐标无法转换到 CGCS2000 / cannot transform");
            return false;
        }
    }
    const OGRGeometry* copy = transformed ? transformed.get() : g;
    OGRwkbGeometryType t = wkbFlatten(copy->getGeometryType());
    if (t != wkbPolygon && t != wkbMultiPolygon) {
        problems.add(where + "：几何类型为 " + std::string(OGRGeometryTypeToName(t)) + "，应为面 / expected a polygon");
        return false;
    }
    // Projected coordinates under a geographic CRS (e.g. Gauss–Krüger metres labelled EPSG:4490).
    OGREnvelope env;
    copy->getEnvelope(&env);
    if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90) {
        problems.add(where + "：坐标 (" + std::to_string(env.MinX) + ", " + std::to_string(env.MinY) +
                     ") 超出经纬度范围，坐标系有误？请检查 .prj/CRS 或用 --srs 指定 / coordinates out of range: wrong CRS");
        return false;
    }
    row.wkb.resize(static_cast<std::size_t>(copy->WkbSize()));
    copy->exportToWkb(wkbNDR, row.wkb.data(), wkbVariantIso);
    return true;
}

// The per-feature values derived from the geometry (row.wkb, EPSG:4490): validity (GEOSisValid, the one
// test of the import: the quality check is told so, PendingLayer::validated) and the fields the store
// keeps from it (area_km2, the geometry's source). Pure: runs on the worker threads (one GEOS context each).
// A value the store derives per feature at import is added here.
void derive_geometry_values(const std::string& where, Feature& row, Problems& problems) {
    try {
        geo::Geometry geom = geo::Geometry::from_wkb(row.wkb);
        if (auto p = geom.validity_problem()) {
            problems.add(where + "：无效面（" + p->reason + "），位置 (" + std::to_string(p->location.x) + ", " +
                         std::to_string(p->location.y) + ") / invalid polygon");
            return;
        }
        // Keep a source's own flag (an exported schematic layer stays schematic after re-import).
        if (is_null(row.get(kGeometrySourceField))) row.attributes[kGeometrySourceField] = std::string("imported");
        const double area_km2 = geo::ellipsoidal_area_km2(geom);
        row.attributes[kAreaField] = geo::round_km2(area_km2);
        // The same values the store's record computes from the written row (store/geodesy.cpp), handed on so
        // that it does not compute them again: the row is written as read (forced to MultiPolygon, which
        // keeps every ring and its order), so area, vertex count and envelope are those of the stored row.
        const geo::Envelope env = geom.envelope();
        row.facts = GeometryFacts{area_km2 * 1e6, true, static_cast<std::int64_t>(geom.vertex_count()), env.min_x, env.min_y, env.max_x, env.max_y};
    } catch (const Error& e) {
        problems.add(where + "：" + e.what());
    }
}

// County and mineral names are checked against admin_counties and code_minerals as written (a cell may
// list several, separated by ';', data-format.md); the seed's printed total rows (合计) carry a label.
void check_names(const Feature& row, const ImportReference& ref, const std::string& where, Problems& problems) {
    if (row.text("row_kind") == "total") return;
    auto check = [&](const char* field, const std::vector<std::string>& table, const char* table_name) {
        std::string value = row.text(field);
        if (table.empty() || value.empty()) return;
        for (const std::string& code : split_list(value))
            if (std::find(table.begin(), table.end(), code) == table.end())
                problems.add(where + " 字段 " + field + "：\"" + code + "\" 不在" + table_name + "中 / not in the code table");
    };
    check("county", ref.known_counties, "行政区代码表");
    check("mineral", ref.known_minerals, "矿种代码表（data/schema/minerals.csv）");
}

// --map pairs by source field name. An unknown target throws NotFoundError listing the layer's fields.
std::map<std::string, const FieldDef*> explicit_mapping(const TableSchema& target, const ImportOptions& options) {
    std::map<std::string, const FieldDef*> out;
    for (const auto& [source, dst] : options.field_map) {
        const std::string option = "--map " + source + "=" + dst;
        const FieldDef& f = target_field(target, dst, option);
        if (auto [it, added] = out.emplace(source, &f); !added && it->second != &f)
            throw InputError(option + "：源字段 \"" + source + "\" 已映射到 " + it->second->name + " / mapped twice");
    }
    return out;
}

// --set values, parsed and coded once like a cell of every feature.
Feature constant_values(const TableSchema& target, const ImportOptions& options, CodeChecks& codes, Problems& problems) {
    Feature constants;
    for (const auto& [field, value] : options.constants) {
        const std::string option = "--set " + field + "=" + value;
        const FieldDef& f = target_field(target, field, option);
        try {
            Feature one;
            one.attributes[f.name] = plan::parse_cell(value, f, "--set", 1);
            codes.apply(one, target, option, problems);
            constants.attributes[f.name] = one.attributes[f.name];
        } catch (const InputError& e) {
            problems.add(option + "：" + e.what());
        }
    }
    return constants;
}

// The attributes of one source feature on top of the constants, typed by the target schema.
void read_attributes(OGRFeature& f, const Source& src, int n, const TableSchema& target, const std::string& where,
                     Feature& row, Problems& problems) {
    std::set<std::string> reported;  // fields of this feature already reported (no second "required" line)
    for (const auto& [idx, fd] : src.columns) {
        std::string cell = formats::ogr_cell_text(f, idx, fd->type == FieldType::Date);
        // A date cell of a workbook read as text (XLSX, every cell as text) is "2021/05/01" too.
        if (fd->type == FieldType::Date && cell.size() == 10 && cell[4] == '/' && cell[7] == '/') {
            cell[4] = '-';
            cell[7] = '-';
        }
        if (!CPLIsUTF8(cell.c_str(), -1)) {
            problems.add(where + " 字段 " + fd->code +
                         "：文本不是UTF-8且文件未声明编码（.cpg），请用 --encoding GBK 指定 / non-UTF-8 text");
            reported.insert(fd->name);
            continue;
        }
        try {
            row.attributes[fd->name] = plan::parse_cell(cell, *fd, src.file.string(), n);
        } catch (const InputError& e) {
            problems.add(where + "：" + e.what());
            reported.insert(fd->name);
        }
    }
    for (const auto& fd : target.fields)
        if (fd.required && is_null(row.get(fd.name)) && fd.name != kGeometrySourceField && !reported.count(fd.name))
            problems.add(where + " 字段 " + fd.code + "（" + fd.alias_zh + "）为必填项，不能为空 / required");
}

}  // namespace

// One reading of the sources: the state read_for_import and the streaming import share.
struct ImportReader::Impl {
    const TableSchema& target;
    const ImportReference& reference;
    std::vector<std::filesystem::path> files;
    Problems problems;
    CodeChecks codes;
    Feature constants;
    std::vector<Source> sources;
    std::vector<std::string> warnings;
    std::size_t source_index = 0;
    int n = 0;                   // feature number within the current source
    std::int64_t next_fid = 1;   // of the rows handed out
    Progress progress;

    Impl(const std::vector<std::filesystem::path>& f, const TableSchema& t, const ImportOptions& options, const ImportReference& ref)
        : target(t), reference(ref), files(f), codes(t, ref, problems), progress("导入 " + t.id, 0) {
        if (files.empty()) throw InputError("没有输入文件 / no input file");
        const auto explicit_map = explicit_mapping(target, options);
        // A bad constant is reported once, and then no feature is read (each would repeat it).
        const std::size_t before_constants = problems.items.size();
        constants = constant_values(target, options, codes, problems);
        const bool constants_ok = problems.items.size() == before_constants;
        std::set<std::string> map_sources_seen;
        for (const auto& file : files) {
            sources.push_back(open_source(file, target, options, explicit_map, constants, map_sources_seen, warnings, problems));
            sources.back().usable = sources.back().usable && constants_ok;
        }
        for (const auto& [source, dst] : options.field_map)
            if (!map_sources_seen.count(source))
                problems.add("--map " + source + "=" + dst + "：源字段 \"" + source + "\" 不在任何输入文件中 / source field not found");
        std::size_t total = 0;
        for (auto& s : sources)
            if (s.usable) total += static_cast<std::size_t>(std::max<GIntBig>(0, s.layer->GetFeatureCount()));
        progress.add_total(total);
        if (!sources.empty()) sources.front().layer->ResetReading();
    }

    // One source feature on its way to a row: what the reading thread made of it, then the workers.
    struct Item {
        std::string where;
        Feature row;
        Problems problems;  // this feature's, in the order the sequential reading found them
        bool derive = false;  // the geometry was read: its derived values are still to compute
    };

    // Reads up to `max` source features (fewer at the end), in order. The reading thread does what touches
    // GDAL and the order-dependent checks (code tables name their listing once); the workers derive the
    // geometry values; the rows are then numbered in order: the same rows, fids and messages with any
    // number of workers. Returns false once the sources are exhausted and nothing was read.
    bool read_chunk(std::vector<Item>& items, std::size_t max) {
        items.clear();
        while (items.size() < max && source_index < sources.size()) {
            Source& src = sources[source_index];
            FeaturePtr f{src.usable ? src.layer->GetNextFeature() : nullptr};
            if (!f) {
                if (++source_index < sources.size()) sources[source_index].layer->ResetReading();
                n = 0;
                continue;
            }
            progress.advance();
            ++n;
            Item& item = items.emplace_back();
            item.where = src.csv ? src.file.string() + ": 第" + std::to_string(f->GetFID()) + "行"
                                 : src.file.string() + ": 要素 " + std::to_string(n) + " (FID " + std::to_string(f->GetFID()) + ")";
            item.row = constants;
            read_attributes(*f, src, n, target, item.where, item.row, item.problems);
            codes.apply(item.row, target, item.where, item.problems);
            check_names(item.row, reference, item.where, item.problems);
            item.derive = target.spatial && read_geometry(*f, src, item.where, item.row, item.problems);
        }
        derive_in_parallel(items);
        return !items.empty();
    }

    void derive_in_parallel(std::vector<Item>& items) const {
        auto derive = [&items](std::size_t from, std::size_t to) {
            for (std::size_t i = from; i < to; ++i)
                if (items[i].derive) derive_geometry_values(items[i].where, items[i].row, items[i].problems);
        };
        const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(workers, items.size() / kMinPerWorker));
        std::vector<std::future<void>> others;
        const std::size_t step = (items.size() + parts - 1) / parts;
        for (std::size_t p = 1; p < parts; ++p)
            others.push_back(std::async(std::launch::async, derive, std::min(items.size(), p * step),
                                        std::min(items.size(), (p + 1) * step)));
        derive(0, std::min(items.size(), step));
        for (auto& o : others) o.get();  // a worker's exception (e.g. out of memory) is rethrown here
    }

    static constexpr std::size_t kMinPerWorker = 64;  // fewer rows than this are not worth a thread
    std::size_t workers = 1;
};

ImportReader::ImportReader(const std::vector<std::filesystem::path>& files, const TableSchema& target,
                           const ImportOptions& options, const ImportReference& reference) {
    detail::ensure_gdal_registered();
    impl_ = std::make_unique<Impl>(files, target, options, reference);
    impl_->workers = options.workers > 0 ? options.workers : std::max(1u, std::thread::hardware_concurrency());
}

ImportReader::~ImportReader() = default;

bool ImportReader::next(std::vector<Feature>& batch, std::size_t max_rows) {
    batch.clear();
    std::vector<Impl::Item> items;
    const std::size_t max = std::max<std::size_t>(1, max_rows);
    while (batch.size() < max && impl_->read_chunk(items, max - batch.size())) {
        for (auto& item : items) {
            // A row with a problem is not returned (the problem is kept), and reading goes on so that every
            // problem is listed; once a problem is known nothing will be written: no row is returned.
            const bool ok = item.problems.items.empty();
            for (auto& p : item.problems.items) impl_->problems.add(std::move(p));
            if (!ok) continue;
            item.row.fid = impl_->next_fid++;
            if (impl_->problems.items.empty()) batch.push_back(std::move(item.row));
        }
    }
    return !batch.empty() || impl_->source_index < impl_->sources.size();
}

bool ImportReader::has_problems() const { return !impl_->problems.items.empty(); }

const std::vector<std::string>& ImportReader::warnings() const { return impl_->warnings; }

void ImportReader::throw_if_problems() const {
    std::string what = "导入图层 " + impl_->target.id + "：";
    for (std::size_t i = 0; i < impl_->files.size(); ++i) what += (i ? "、" : "") + impl_->files[i].string();
    impl_->problems.throw_if_any(what);
}

ImportBatch read_for_import(const std::vector<std::filesystem::path>& files, const TableSchema& target,
                            const ImportOptions& options, const ImportReference& reference) {
    ImportReader reader(files, target, options, reference);
    ImportBatch batch;
    std::vector<Feature> rows;
    while (reader.next(rows, 10000)) std::move(rows.begin(), rows.end(), std::back_inserter(batch.features));
    reader.throw_if_problems();
    batch.warnings = reader.warnings();
    return batch;
}

}  // namespace minplan::store
