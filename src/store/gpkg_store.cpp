#include "store/gpkg_store.hpp"

#include <algorithm>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "geo/geometry.hpp"
#include "store/geodesy.hpp"
#include "store/gdal_handles.hpp"
#include "store/ogr_convert.hpp"
#include "store/gpkg_database.hpp"
#include "store/gpkg_qgis.hpp"
#include "store/gpkg_history.hpp"
#include "store/gpkg_lean_read.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

using detail::DatasetPtr;
using detail::FeaturePtr;

namespace {
constexpr const char* kSchemaTable = "minplan_schema";
constexpr const char* kMetadataTable = "minplan_metadata";
constexpr const char* kPackageTable = "minplan_package";
}  // namespace

std::string schema_to_json(const TableSchema& s) {
    nlohmann::json j;
    j["id"] = s.id;
    j["code"] = s.code;
    j["code_origin"] = s.code_origin;
    j["name_zh"] = s.name_zh;
    j["geometry"] = s.spatial ? "polygon" : "none";
    j["source_file"] = s.source_file;
    j["fields"] = nlohmann::json::array();
    for (const auto& f : s.fields) {
        nlohmann::json field = {{"name", f.name},       {"code", f.code}, {"alias_zh", f.alias_zh},
                                {"type", to_string(f.type)}, {"unit", f.unit}, {"required", f.required}};
        if (!f.codes.empty()) field["codes"] = f.codes;  // the code table the field takes its values from
        j["fields"].push_back(std::move(field));
    }
    return j.dump();
}

TableSchema schema_from_json(const std::string& text, const std::string& context) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
        TableSchema s;
        s.id = j.at("id").get<std::string>();
        s.code = j.at("code").get<std::string>();
        s.code_origin = j.value("code_origin", "");
        s.name_zh = j.value("name_zh", s.code);
        s.spatial = j.value("geometry", "none") == "polygon";
        s.source_file = j.value("source_file", "");
        for (const auto& fj : j.at("fields")) {
            FieldDef f;
            f.name = fj.at("name").get<std::string>();
            f.code = fj.value("code", f.name);
            f.alias_zh = fj.value("alias_zh", "");
            f.type = parse_field_type(fj.value("type", "string"));
            f.unit = fj.value("unit", "");
            f.required = fj.value("required", false);
            f.codes = fj.value("codes", "");
            s.fields.push_back(std::move(f));
        }
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(context + ": 图层模式无法解析 / bad schema JSON: " + e.what());
    }
}

// ---------------------------------------------------------------- reading

namespace {

std::int64_t committed_version(SqliteDb& db) {
    if (!db.table_exists("minplan_version")) return 0;
    return db.scalar("SELECT version FROM minplan_version WHERE id = 1");
}

// QGIS's own tables (styles, projects) are registered as attribute tables so that QGIS finds them: not plan
// layers.
bool is_qgis_table(const std::string& name) { return name == "layer_styles" || name == "qgis_projects"; }

}  // namespace

std::unique_ptr<GpkgStore> GpkgStore::open(const std::filesystem::path& path, const std::string& as_of) {
    detail::ensure_gdal_registered();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw IoError("规划数据库文件不存在或不可读: " + path.string() + " / plan database not found");
    const char* drivers[] = {"GPKG", nullptr};
    std::unique_ptr<GpkgStore> store;
    // GDAL reads the list of layers when it opens, before the read transaction can start: the version read
    // before the open and inside the transaction must agree, else a writer committed in between (retry).
    for (int attempt = 0;; ++attempt) {
        std::int64_t before = 0;
        {
            SqliteDb probe(path, SqliteDb::Mode::ReadOnly);  // also: locked / not a database, said clearly
            probe.scalar("SELECT count(*) FROM sqlite_master");
            before = committed_version(probe);
        }
        auto* ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers);
        if (!ds)
            throw IoError("无法作为 GeoPackage 打开: " + path.string() + " (" + detail::last_gdal_error() +
                          ") / not a GeoPackage");
        store.reset(new GpkgStore());
        store->path_ = path;
        store->as_of_ = as_of;
        store->ds_ = ds;
        store->pin_ = std::make_unique<SqliteDb>(static_cast<sqlite3*>(ds->GetInternalHandle("SQLITE_HANDLE")), path);
        store->pin_->exec("BEGIN");
        store->version_ = committed_version(*store->pin_);
        if (store->version_ == before || attempt >= 20) break;
    }
    GDALDataset* ds = store->ds_;
    // minplan's own tables are read by SQL: they are not registered in gpkg_contents (so that QGIS and
    // ogrinfo list only the plan), and GDAL does not open unregistered tables by name.
    SqliteDb& pin = *store->pin_;
    auto rows = [&](const char* table, const char* a, const char* b, const std::function<void(std::string, std::string)>& add) {
        if (!pin.table_exists(table)) return;
        auto st = pin.prepare(std::string("SELECT \"") + a + "\", \"" + b + "\" FROM \"" + table + "\" ORDER BY rowid");
        while (st.step()) add(st.text(0), st.text(1));
    };
    rows(kSchemaTable, "layer_code", "schema_json", [&](std::string, std::string json) {
        store->schemas_.push_back(schema_from_json(json, path.string() + ":" + kSchemaTable));
    });
    rows(kMetadataTable, "key", "value", [&](std::string k, std::string v) { store->metadata_[k] = std::move(v); });
    rows(kPackageTable, "name", "content", [&](std::string k, std::string v) { store->package_[k] = std::move(v); });
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* layer = ds->GetLayer(i);
        std::string name = layer->GetName();
        if (name == kSchemaTable || name == kMetadataTable || name.rfind("minplan_", 0) == 0 || is_qgis_table(name)) continue;
        bool known = false;
        for (const auto& s : store->schemas_) known = known || s.code == name;
        if (!known) store->schemas_.push_back(detail::schema_from_layer(*layer));
    }
    return store;
}

GpkgStore::~GpkgStore() {
    lean_.clear();  // its statements are finalised before the read transaction ends and GDAL closes
    index_boxes_.clear();
    if (pin_) {
        try {
            pin_->exec("COMMIT");  // ends the read transaction
        } catch (...) {
        }
        pin_.reset();
    }
    if (ds_) GDALClose(ds_);
}

std::vector<LayerInfo> GpkgStore::layers() const {
    std::vector<LayerInfo> out;
    for (const auto& s : schemas_) {
        LayerInfo info{s.id, s.code, s.name_zh, s.spatial, 0, 0};
        if (OGRLayer* layer = ds_->GetLayerByName(s.code.c_str())) {
            info.feature_count = needs_history(s) ? static_cast<std::int64_t>(read(s.code).size()) : layer->GetFeatureCount();
            if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
                const char* code = srs->GetAuthorityCode(nullptr);
                info.epsg = code ? std::atoi(code) : 0;
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

const TableSchema& GpkgStore::schema(const std::string& key) const {
    for (const auto& s : schemas_)
        if (s.id == key || s.code == key || s.name_zh == key) return s;
    std::string known;
    for (const auto& s : schemas_) known += (known.empty() ? "" : ", ") + s.id;
    throw NotFoundError("规划数据库 " + path_.string() + " 中没有图层 \"" + key + "\"；可用图层: " + known + " / unknown layer");
}

namespace {

// A page of a bbox query in fid order through the R*Tree, stopping once the page is full: the same rows as
// GDAL's spatial filter (envelopes meet; a feature whose envelope is not inside the box must intersect it),
// but without decoding every feature of the window first. A PlanStore::has_features probe (the whole world,
// LIMIT 1) over 10⁵ farmland patches decoded them all, tens of seconds per CLI check. nullopt without an
// R*Tree (the caller then takes GDAL's path).
std::optional<std::vector<Feature>> window_page(SqliteDb& pin, const TableSchema& s, OGRLayer& layer, const Query& query,
                                                const std::string& where) {
    const std::string rtree = std::string("rtree_") + s.code + "_" + layer.GetGeometryColumn();
    if (!pin.table_exists(rtree)) return std::nullopt;
    auto quoted = [](const std::string& name) {
        std::string q = "\"";
        for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    const BBox& b = *query.bbox;
    const char* fid = layer.GetFIDColumn();
    // The R*Tree only narrows the rows (each is tested below); a box around the whole layer (the has_features
    // probe: the world) skips it, since SQLite would first collect every id of the tree.
    OGREnvelope extent;
    const bool covers = layer.GetExtent(&extent, FALSE) == OGRERR_NONE && b.min_x <= extent.MinX && b.min_y <= extent.MinY &&
                        b.max_x >= extent.MaxX && b.max_y >= extent.MaxY;
    std::string filter = covers ? std::string()
                                : fmt::format("{} IN (SELECT id FROM {} WHERE minx <= {:.17g} AND maxx >= {:.17g} AND miny <= {:.17g} AND maxy >= {:.17g})",
                                              quoted(fid && *fid ? fid : "fid"), quoted(rtree), b.max_x, b.min_x, b.max_y, b.min_y);
    if (!where.empty()) filter = filter.empty() ? where : "(" + where + ") AND " + filter;
    layer.SetSpatialFilter(nullptr);
    if (layer.SetAttributeFilter(filter.empty() ? nullptr : filter.c_str()) != OGRERR_NONE)
        throw InputError("属性过滤条件无效 / invalid attribute filter: " + where + " (" + detail::last_gdal_error() + ")");
    const geo::Envelope box{b.min_x, b.min_y, b.max_x, b.max_y};
    std::optional<geo::Geometry> rect;
    std::unique_ptr<geo::PreparedGeometry> prepared;
    std::vector<Feature> out;
    std::size_t matched = 0;
    layer.ResetReading();
    while (FeaturePtr f{layer.GetNextFeature()}) {
        Feature row = detail::to_feature(s, *f);
        if (row.wkb.empty()) continue;
        geo::Geometry g = geo::Geometry::from_wkb(row.wkb);
        if (g.is_empty()) continue;
        const geo::Envelope e = g.envelope();
        if (!box.intersects(e)) continue;
        if (!box.contains(e)) {
            if (!prepared) {
                rect = geo::Geometry::rectangle(box);
                prepared = std::make_unique<geo::PreparedGeometry>(*rect);
            }
            if (!prepared->intersects(g)) continue;
        }
        if (matched++ < query.offset) continue;
        out.push_back(std::move(row));
        if (out.size() >= query.limit) break;
    }
    layer.SetAttributeFilter(nullptr);
    return out;
}

}  // namespace

std::vector<Feature> GpkgStore::read(const std::string& key, const Query& query) const {
    const TableSchema& s = schema(key);
    OGRLayer* layer = ds_->GetLayerByName(s.code.c_str());
    if (!layer) throw NotFoundError("图层 \"" + s.code + "\" 在数据库中缺失 / layer missing from " + path_.string());
    if (query.bbox) {
        const BBox& b = *query.bbox;
        if (!s.spatial) throw InputError("图层 \"" + s.id + "\" 没有几何，不能按范围查询 / bbox on a non-spatial table");
        layer->SetSpatialFilterRect(b.min_x, b.min_y, b.max_x, b.max_y);
    } else {
        layer->SetSpatialFilter(nullptr);
    }
    std::string where = detail::build_where(s, query.filters);
    if (needs_history(s)) {
        auto out = read_as_of(s, *layer, query, where);
        layer->SetSpatialFilter(nullptr);
        return out;
    }
    if (query.bbox && query.limit)
        if (auto page = window_page(*pin_, s, *layer, query, where)) return std::move(*page);
    if (layer->SetAttributeFilter(where.empty() ? nullptr : where.c_str()) != OGRERR_NONE)
        throw InputError("属性过滤条件无效 / invalid attribute filter: " + where + " (" + detail::last_gdal_error() + ")");
    std::vector<Feature> out;
    layer->ResetReading();
    if (query.bbox) {
        // With a spatial filter GDAL walks the R-tree, whose order depends on where the features lie: pages are
        // cut in fid order, as without a filter (and as the portal's snapshot does), so that they stay stable.
        // With a limit only the offset + limit lowest fids are kept (a heap on fid): a window over a 10⁶-feature
        // layer holds one page, not the window.
        const std::size_t keep = query.limit ? query.offset + query.limit : 0;
        auto by_fid = [](const Feature& a, const Feature& b) { return a.fid < b.fid; };
        while (FeaturePtr f{layer->GetNextFeature()}) {
            if (keep && out.size() == keep && f->GetFID() >= out.front().fid) continue;
            out.push_back(detail::to_feature(s, *f));
            if (!keep) continue;
            std::push_heap(out.begin(), out.end(), by_fid);
            if (out.size() > keep) {
                std::pop_heap(out.begin(), out.end(), by_fid);
                out.pop_back();
            }
        }
        std::stable_sort(out.begin(), out.end(), by_fid);
        out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(query.offset, out.size())));
        if (query.limit && out.size() > query.limit) out.resize(query.limit);
    } else {
        std::size_t index = 0;
        // A page deep into a big layer (the quality check reads 10⁶ features a page at a time): let SQLite skip
        // the rows (OFFSET) instead of decoding every feature before the page.
        if (query.offset > 0 && layer->TestCapability(OLCFastSetNextByIndex) &&
            layer->SetNextByIndex(static_cast<GIntBig>(query.offset)) == OGRERR_NONE)
            index = query.offset;
        while (FeaturePtr f{layer->GetNextFeature()}) {
            if (index++ < query.offset) continue;
            out.push_back(detail::to_feature(s, *f));
            if (query.limit && out.size() >= query.limit) break;
        }
    }
    layer->SetSpatialFilter(nullptr);
    layer->SetAttributeFilter(nullptr);
    return out;
}

std::vector<Feature> GpkgStore::features_in(const std::string& key, const BBox& b) const {
    const TableSchema& s = schema(key);
    OGRLayer* layer = ds_->GetLayerByName(s.code.c_str());
    if (!layer) throw NotFoundError("图层 \"" + s.code + "\" 在数据库中缺失 / layer missing from " + path_.string());
    const std::string rtree = std::string("rtree_") + s.code + "_" + layer->GetGeometryColumn();
    if (!s.spatial || !has_rtree(rtree) || needs_history(s)) return PlanStore::features_in(key, b);
    std::lock_guard lock(lean_mutex_);
    if (detail::LeanReader* lean = this->lean(s, *layer, rtree)) return lean->in_box(b);
    auto quoted = [](const std::string& name) {
        std::string q = "\"";
        for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    const char* fid = layer->GetFIDColumn();
    const std::string where = fmt::format("{} IN (SELECT id FROM {} WHERE minx <= {:.17g} AND maxx >= {:.17g} AND miny <= {:.17g} AND maxy >= {:.17g})",
                                          quoted(fid && *fid ? fid : "fid"), quoted(rtree), b.max_x, b.min_x, b.max_y, b.min_y);
    layer->SetSpatialFilter(nullptr);
    if (layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE)
        throw IoError("空间索引查询失败 / R*Tree query failed: " + where + " (" + detail::last_gdal_error() + ")");
    std::vector<Feature> out;
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) out.push_back(detail::to_feature(s, *f));
    layer->SetAttributeFilter(nullptr);
    std::sort(out.begin(), out.end(), [](const Feature& x, const Feature& y) { return x.fid < y.fid; });
    return out;
}

std::vector<Feature> GpkgStore::attributes_of(const std::string& key, const std::vector<std::string>& fields) const {
    const TableSchema& s = schema(key);
    const std::vector<std::string> names = field_names(key, fields);
    OGRLayer* layer = ds_->GetLayerByName(s.code.c_str());
    if (!layer) throw NotFoundError("图层 \"" + s.code + "\" 在数据库中缺失 / layer missing from " + path_.string());
    const char* geom = layer->GetGeometryColumn();
    const std::string rtree = std::string("rtree_") + s.code + "_" + (geom ? geom : "");
    if (s.spatial && has_rtree(rtree) && !needs_history(s)) {
        std::lock_guard lock(lean_mutex_);  // GDAL's connection: one read at a time
        std::unique_ptr<detail::LeanReader> lean;
        try {
            lean = detail::LeanReader::make(*pin_, s, *layer, rtree, &names);
        } catch (const IoError&) {  // SQLite refused the statement: GDAL's path below
        }
        if (lean) {
            std::vector<Feature> out = lean->in_box(BBox{-180, -90, 180, 90});
            keep_only(out, names);  // rows read through GDAL come whole
            return out;
        }
    }
    return PlanStore::attributes_of(key, fields);
}

std::vector<std::string> GpkgStore::distinct_texts(const std::string& key, const std::string& field) const {
    const TableSchema& s = schema(key);
    const FieldDef* def = s.field(field_names(key, {field}).front());
    // A plan as of a date is the live rows and the history's (read_as_of): left to the paged read.
    if (def->type != FieldType::String || needs_history(s) || !pin_->table_exists(s.code)) return PlanStore::distinct_texts(key, field);
    const std::string column = detail::quoted(def->code);
    std::lock_guard lock(lean_mutex_);  // GDAL's connection: one read at a time
    auto st = pin_->prepare("SELECT " + column + " FROM " + detail::quoted(s.code) + " WHERE " + column + " IS NOT NULL AND " +
                            column + " <> '' GROUP BY " + column + " ORDER BY min(rowid)");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

detail::LeanReader* GpkgStore::lean(const TableSchema& s, OGRLayer& layer, const std::string& rtree) const {
    auto it = lean_.find(s.code);
    if (it == lean_.end()) {
        std::unique_ptr<detail::LeanReader> reader;
        try {
            reader = detail::LeanReader::make(*pin_, s, layer, rtree);
        } catch (const IoError&) {  // SQLite refused the statements (a table GDAL reads its own way): GDAL's path
        }
        it = lean_.emplace(s.code, std::move(reader)).first;
    }
    return it->second.get();
}

std::optional<std::vector<IndexBox>> GpkgStore::index_boxes(const std::string& key, const BBox& b) const {
    const TableSchema& s = schema(key);
    OGRLayer* layer = ds_->GetLayerByName(s.code.c_str());
    if (!layer || !s.spatial || needs_history(s)) return std::nullopt;
    const std::string rtree = std::string("rtree_") + s.code + "_" + layer->GetGeometryColumn();
    if (!has_rtree(rtree)) return std::nullopt;
    // Read on GDAL's connection, inside this view's read transaction: the same rows features_in would see. The
    // statement is prepared once per view and layer (compiling it for every window was 4 % of a server check).
    std::lock_guard lock(lean_mutex_);
    auto& st = index_boxes_[rtree];
    if (!st) {
        std::string q = "\"";
        for (char c : rtree) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        st = std::make_unique<SqliteDb::Statement>(
            pin_->prepare("SELECT id, minx, miny, maxx, maxy FROM " + q + "\" WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"));
    }
    struct Reset {  // no statement left mid-step, also when step() throws
        SqliteDb::Statement& st;
        ~Reset() { st.reset(); }
    } reset{*st};
    st->reset();
    st->bind_real(1, b.max_x).bind_real(2, b.min_x).bind_real(3, b.max_y).bind_real(4, b.min_y);
    std::vector<IndexBox> out;
    while (st->step()) out.push_back({st->integer(0), {st->real(1), st->real(2), st->real(3), st->real(4)}});
    return out;
}

std::vector<Feature> GpkgStore::features_with_fids(const std::string& key, const BBox& b, const std::vector<std::int64_t>& fids) const {
    const TableSchema& s = schema(key);
    OGRLayer* layer = ds_->GetLayerByName(s.code.c_str());
    if (!layer) throw NotFoundError("图层 \"" + s.code + "\" 在数据库中缺失 / layer missing from " + path_.string());
    if (!s.spatial || needs_history(s)) return PlanStore::features_with_fids(key, b, fids);
    std::vector<Feature> out;
    if (fids.empty()) return out;
    const std::string rtree = std::string("rtree_") + s.code + "_" + layer->GetGeometryColumn();
    {
        std::lock_guard lock(lean_mutex_);
        if (detail::LeanReader* lean = has_rtree(rtree) ? this->lean(s, *layer, rtree) : nullptr) return lean->by_fids(fids);
    }
    const char* fid = layer->GetFIDColumn();
    std::string q = "\"";
    for (const char* c = fid && *fid ? fid : "fid"; *c; ++c) q += *c == '"' ? std::string("\"\"") : std::string(1, *c);
    std::string where = q + "\" IN (";
    for (std::size_t i = 0; i < fids.size(); ++i) where += (i ? "," : "") + std::to_string(fids[i]);
    where += ")";
    layer->SetSpatialFilter(nullptr);
    if (layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE)
        throw IoError("按要素编号读取失败 / read by fid failed (" + detail::last_gdal_error() + ")");
    out.reserve(fids.size());
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) out.push_back(detail::to_feature(s, *f));
    layer->SetAttributeFilter(nullptr);
    std::sort(out.begin(), out.end(), [](const Feature& x, const Feature& y) { return x.fid < y.fid; });
    return out;
}

std::map<std::int64_t, StoredGeodesy> GpkgStore::geodesy(const std::string& key, const std::vector<std::int64_t>& fids) const {
    const TableSchema& s = schema(key);
    // A read as of a past date may return rows of the history, whose fids are not the live table's.
    if (!s.spatial || needs_history(s)) return {};
    // Whether the table exists is asked once per read view (has_rtree's memo of sqlite_master), not per window.
    if (!has_rtree(detail::kGeodesyTable)) return {};
    return detail::read_geodesy(*pin_, s.code, fids);
}

bool GpkgStore::has_rtree(const std::string& rtree) const {
    // Asked on every window read (a batch audit makes 10^5 of them): sqlite_master once per table.
    std::lock_guard lock(history_mutex_);
    auto it = has_rtree_.find(rtree);
    if (it != has_rtree_.end()) return it->second;
    return has_rtree_[rtree] = pin_->table_exists(rtree);
}

bool GpkgStore::needs_history(const TableSchema& s) const {
    std::lock_guard lock(history_mutex_);
    auto it = needs_history_.find(s.code);
    if (it != needs_history_.end()) return it->second;
    bool later = false;
    if (!as_of_.empty()) {
        // Both are one descent of an index (minplan_validity (layer, valid_from); the history's valid_to).
        if (pin_->table_exists(detail::kValidityTable)) {
            auto st = pin_->prepare(std::string("SELECT 1 FROM ") + detail::kValidityTable + " WHERE layer = ? AND valid_from > ? LIMIT 1");
            st.bind(1, s.code).bind(2, as_of_);
            later = st.step();
        }
        const std::string hist = detail::history_table(s.code);
        if (!later && pin_->table_exists(hist)) {
            auto st = pin_->prepare("SELECT 1 FROM " + detail::quoted(hist) + " WHERE minplan_valid_to > ? LIMIT 1");
            st.bind(1, as_of_);
            later = st.step();
        }
    }
    needs_history_[s.code] = later;
    return later;
}

std::vector<Feature> GpkgStore::read_as_of(const TableSchema& s, OGRLayer& live, const Query& query, const std::string& where) const {
    // as_of_ is a validated date: safe as a literal.
    const std::string date = "'" + as_of_ + "'";
    const char* fid_column = live.GetFIDColumn();
    const std::string fid = detail::quoted(fid_column && *fid_column ? fid_column : "fid");
    const std::string and_where = where.empty() ? std::string() : "(" + where + ") AND ";
    std::vector<Feature> out;
    auto collect = [&](OGRLayer& layer, const std::string& filter, bool from_history) {
        if (query.bbox) layer.SetSpatialFilterRect(query.bbox->min_x, query.bbox->min_y, query.bbox->max_x, query.bbox->max_y);
        else layer.SetSpatialFilter(nullptr);
        if (layer.SetAttributeFilter(filter.empty() ? nullptr : filter.c_str()) != OGRERR_NONE)
            throw InputError("属性过滤条件无效 / invalid attribute filter: " + filter + " (" + detail::last_gdal_error() + ")");
        layer.ResetReading();
        while (FeaturePtr f{layer.GetNextFeature()}) {
            Feature feature = detail::to_feature(s, *f);
            if (from_history) feature.fid = f->GetFieldAsInteger64("minplan_fid");
            out.push_back(std::move(feature));
        }
        layer.SetSpatialFilter(nullptr);
        layer.SetAttributeFilter(nullptr);
    };
    // Live rows, less those a change set made valid only after the date.
    collect(live, and_where + fid + " NOT IN (SELECT fid FROM " + detail::kValidityTable + " WHERE layer = '" + s.code +
                      "' AND valid_from > " + date + ")", false);
    // Retired rows that were valid on the date: [valid_from, valid_to).
    if (OGRLayer* hist = ds_->GetLayerByName(detail::history_table(s.code).c_str()))
        collect(*hist, and_where + "minplan_valid_from <= " + date + " AND minplan_valid_to > " + date, true);
    std::sort(out.begin(), out.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    if (query.offset >= out.size()) return {};
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(query.offset));
    if (query.limit && out.size() > query.limit) out.resize(query.limit);
    return out;
}

std::optional<std::string> GpkgStore::metadata(const std::string& key) const {
    auto it = metadata_.find(key);
    if (it == metadata_.end()) return std::nullopt;
    return it->second;
}

std::optional<LayerStyleText> GpkgStore::default_style(const std::string& layer) const {
    const TableSchema& s = schema(layer);
    if (!pin_->table_exists("layer_styles")) return std::nullopt;
    auto st = pin_->prepare("SELECT styleName, styleQML, styleSLD FROM layer_styles WHERE f_table_name = ? AND useAsDefault"
                            " ORDER BY id DESC LIMIT 1");
    st.bind(1, s.code);
    if (!st.step()) return std::nullopt;
    return LayerStyleText{st.text(0), st.text(1), st.text(2)};
}

std::optional<std::string> GpkgStore::package_file(const std::string& name) const {
    auto it = package_.find(name);
    if (it == package_.end()) return std::nullopt;
    return it->second;
}

std::unique_ptr<PlanStore> open_store(const std::string& location) { return open_database(location)->snapshot(); }

// ---------------------------------------------------------------- writing

GpkgWriter::GpkgWriter(const std::filesystem::path& target) : target_(target) {
    detail::ensure_gdal_registered();
    auto parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    remove_dead_writers_files(target);  // what a killed build left
    temp_ = parent / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    std::filesystem::remove(temp_, ec);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw InternalError("GDAL 缺少 GPKG 驱动 / GDAL has no GPKG driver");
    ds_ = driver->Create(temp_.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds_) throw IoError("无法创建 " + temp_.string() + ": " + detail::last_gdal_error());
}

GpkgWriter::~GpkgWriter() {
    if (ds_) GDALClose(ds_);
    if (!committed_) {
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
        for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(temp_.string() + suffix, ec);  // a refused check's
    }
}

void GpkgWriter::set_metadata(const std::string& key, const std::string& value) { metadata_[key] = value; }

void GpkgWriter::set_package_file(const std::string& name, const std::string& content) { package_[name] = content; }

void GpkgWriter::write_layer(const TableSchema& schema, const std::vector<Feature>& features) {
    detail::write_ogr_layer(*ds_, schema, features, detail::LayerOptions{});
    schemas_.push_back(schema);
}

namespace {

using TextRows = std::vector<std::pair<std::string, std::string>>;

// One of minplan's own two-column tables (key → text), rows in the order given.
void write_text_table(GDALDataset& ds, const char* code, const std::string& name_zh, const FieldDef& key,
                      const FieldDef& value, const TextRows& rows) {
    TableSchema table{code, code, "minplan", name_zh, false, "", {key, value}};
    std::vector<Feature> features;
    for (const auto& [k, v] : rows) {
        Feature f;
        f.attributes[key.name] = k;
        f.attributes[value.name] = v;
        features.push_back(std::move(f));
    }
    detail::write_ogr_layer(ds, table, features, detail::LayerOptions{});
}

}  // namespace

void GpkgWriter::commit(const PublishCheck& check) {
    TextRows schemas;  // in the order the layers were written: the store lists them so
    for (const auto& s : schemas_) schemas.emplace_back(s.code, schema_to_json(s));
    write_text_table(*ds_, kSchemaTable, "图层模式（minplan）", {"layer_code", "layer_code", "图层代码", FieldType::String, "", true},
                     {"schema_json", "schema_json", "模式", FieldType::String, "", true}, schemas);
    write_text_table(*ds_, kMetadataTable, "元数据", {"key", "key", "键", FieldType::String, "", true},
                     {"value", "value", "值", FieldType::String, "", false}, TextRows(metadata_.begin(), metadata_.end()));
    write_text_table(*ds_, kPackageTable, "规划包文件", {"name", "name", "文件", FieldType::String, "", true},
                     {"content", "content", "内容", FieldType::String, "", false}, TextRows(package_.begin(), package_.end()));
    detail::ensure_history_layers(*ds_, schemas_);  // every plan layer keeps its retired rows (docs/database.md)
    CPLErrorReset();
    GDALClose(ds_);
    ds_ = nullptr;
    if (CPLGetLastErrorType() == CE_Failure) throw IoError("写入 " + temp_.string() + " 失败: " + detail::last_gdal_error());
    {
        // Born in WAL mode with its version counter: readers never block writers (plan_database.hpp).
        SqliteDb db(temp_, SqliteDb::Mode::ReadWrite);
        db.exec("CREATE TABLE minplan_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, changed_at TEXT)");
        db.exec("INSERT INTO minplan_version VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
        db.exec("CREATE TABLE minplan_changes (version INTEGER PRIMARY KEY, committed_at TEXT NOT NULL, actor TEXT NOT NULL,"
                " summary TEXT NOT NULL)");
        auto log = db.prepare("INSERT INTO minplan_changes VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)");
        const char* user = std::getenv("USER");
        log.bind(1, std::string(user && *user ? user : "?")).bind(2, "生成规划数据库（minplan build），" +
                                                                      std::to_string(schemas_.size()) + " 个图层/表");
        log.step();
        // Coded fields and geometry_source are what every check asks "is there any feature of this kind?"
        // about (PlanStore::has_features): with an index that is one lookup, without it a scan of the
        // layer for a kind it lacks (10⁶ farmland patches: ~1 s per CLI check). Imports keep the table, so
        // the index stays.
        for (const auto& schema : schemas_)
            for (const auto& fd : schema.fields)
                if (!fd.codes.empty() || fd.name == kGeometrySourceField)
                    db.exec("CREATE INDEX IF NOT EXISTS \"minplan_idx_" + schema.code + "_" + fd.code + "\" ON \"" + schema.code +
                            "\" (\"" + fd.code + "\")");
        write_qgis_extras(db, qgis_);
        detail::ensure_history_schema(db);
        db.exec("PRAGMA journal_mode = WAL");  // last: everything above is in the file itself, the WAL is empty
    }
    if (check) {
        PublishNote note;
        {
            auto store = GpkgStore::open(temp_);
            note = check(*store);  // throws: the destructor removes the temporary file
        }
        SqliteDb db(temp_, SqliteDb::Mode::ReadWrite);
        for (const auto& [key, value] : note.metadata) {
            db.prepare(std::string("DELETE FROM ") + kMetadataTable + " WHERE key = ?").bind(1, key).step();
            db.prepare(std::string("INSERT INTO ") + kMetadataTable + " (key, value) VALUES (?, ?)").bind(1, key).bind(2, value).step();
        }
        if (!note.change_note.empty())
            db.prepare("UPDATE minplan_changes SET summary = summary || ? WHERE version = 1").bind(1, note.change_note).step();
        // Into the file itself: the WAL is removed below, before the rename.
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(temp_.string() + suffix, ec);
    // A WAL or shared-memory file of a database that was at the target path before belongs to that file:
    // SQLite would replay it into the new one.
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(target_.string() + suffix, ec);
    std::filesystem::rename(temp_, target_, ec);
    if (ec) throw IoError("无法写入 " + target_.string() + ": " + ec.message());
    committed_ = true;
}

}  // namespace minplan::store
