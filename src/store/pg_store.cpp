#include "store/pg_store.hpp"

#include <fmt/format.h>

#include "store/gpkg_store.hpp"
#include "store/ogr_convert.hpp"
#include "store/pg_schema.hpp"

namespace minplan::store {
namespace {

std::string envelope(const BBox& b) {
    return fmt::format("ST_MakeEnvelope({}, {}, {}, {}, 4490)", b.min_x, b.min_y, b.max_x, b.max_y);
}

}  // namespace

std::string PgStore::source(const TableSchema& s) const {
    auto it = needs_history_.find(s.code);
    if (it == needs_history_.end()) {
        // Two index probes: a live row valid only after the date, or a history row that ended after it.
        const bool later = conn_->exec("SELECT EXISTS (SELECT 1 FROM minplan_validity WHERE layer = $1 AND valid_from > $2)"
                                       " OR EXISTS (SELECT 1 FROM " + pg::ident(pg::history_table(s.code)) + " WHERE minplan_valid_to > $2)",
                                       {s.code, as_of_})
                                   .text(0, 0) == "t";
        it = needs_history_.emplace(s.code, later).first;
    }
    if (!it->second) return pg::ident(s.code);
    // as_of_ is a validated date; the planner pushes a window or filter into both branches (their GiST indexes).
    const std::string date = pg::literal(as_of_), cols = pg::column_list(s);
    return "(SELECT fid, " + cols + " FROM " + pg::ident(s.code) + " WHERE fid NOT IN (SELECT fid FROM minplan_validity WHERE layer = " +
           pg::literal(s.code) + " AND valid_from > " + date + ") UNION ALL SELECT minplan_fid, " + cols + " FROM " +
           pg::ident(pg::history_table(s.code)) + " WHERE minplan_valid_from <= " + date + " AND minplan_valid_to > " + date + ") AS t";
}

PgStore::PgStore(std::unique_ptr<pg::Conn> conn, std::string location, std::string as_of)
    : conn_(std::move(conn)), location_(std::move(location)), as_of_(std::move(as_of)) {
    conn_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    version_ = conn_->scalar("SELECT version FROM minplan_version WHERE id = 1");
    plan_ = conn_->exec("SELECT current_schema()").text(0, 0);
    auto r = conn_->exec("SELECT schema_json FROM minplan_schema ORDER BY layer_id");
    for (int i = 0; i < r.rows(); ++i) schemas_.push_back(schema_from_json(r.text(i, 0), location_));
    auto m = conn_->exec("SELECT key, value FROM minplan_metadata");
    for (int i = 0; i < m.rows(); ++i) metadata_[m.text(i, 0)] = m.text(i, 1);
}

PgStore::~PgStore() {
    try {
        conn_->exec("COMMIT");
    } catch (...) {
    }
}

std::vector<LayerInfo> PgStore::layers() const {
    std::lock_guard lock(mutex_);
    std::vector<LayerInfo> out;
    for (const auto& s : schemas_)
        out.push_back({s.id, s.code, s.name_zh, s.spatial, conn_->scalar("SELECT count(*) FROM " + source(s)), s.spatial ? 4490 : 0});
    return out;
}

const TableSchema& PgStore::schema(const std::string& layer) const {
    for (const auto& s : schemas_)
        if (s.id == layer || s.code == layer || s.name_zh == layer) return s;
    std::string names;
    for (const auto& s : schemas_) names += (names.empty() ? "" : ", ") + s.id;
    throw NotFoundError("规划数据库（PostgreSQL 规划 " + plan_ + "）中没有图层 \"" + layer + "\"；可用图层: " + names + " / unknown layer");
}

std::vector<Feature> PgStore::read(const std::string& layer, const Query& query) const {
    const TableSchema& s = schema(layer);
    std::string where = "TRUE";
    std::vector<pg::Param> params;
    if (query.bbox) {
        if (!s.spatial) throw InputError("图层 \"" + s.id + "\" 没有几何，不能按范围查询 / bbox on a non-spatial table");
        where += " AND geom && " + envelope(*query.bbox) + " AND ST_Intersects(geom, " + envelope(*query.bbox) + ")";
    }
    // The same checks and messages as the GeoPackage (unknown field, operator, a number or a boolean expected);
    // the values then go in as parameters.
    detail::build_where(s, query.filters);
    for (const auto& f : query.filters) {
        const FieldDef* def = s.field(f.field);
        if (def->type == FieldType::Boolean) params.emplace_back(f.value == "true" || f.value == "1" || f.value == "是" ? "true" : "false");
        else params.emplace_back(f.value);
        const std::string p = "$" + std::to_string(params.size());
        if (f.op == "like") where += " AND " + pg::ident(def->code) + "::text LIKE " + p;
        else where += " AND " + pg::ident(def->code) + " " + (f.op == "!=" ? "<>" : f.op) + " " + p;
    }
    std::lock_guard lock(mutex_);
    std::string sql = "SELECT " + pg::select_list(s) + " FROM " + source(s) + " WHERE " + where + " ORDER BY fid";
    if (query.limit) sql += " LIMIT " + std::to_string(query.limit);
    if (query.offset) sql += " OFFSET " + std::to_string(query.offset);
    auto r = conn_->exec(sql, params);
    std::vector<Feature> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::feature_of(s, r, i));
    return out;
}

std::vector<Feature> PgStore::features_in(const std::string& layer, const BBox& box) const {
    const TableSchema& s = schema(layer);
    if (!s.spatial) return {};
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT " + pg::select_list(s) + " FROM " + source(s) + " WHERE geom && " + envelope(box) + " ORDER BY fid");
    std::vector<Feature> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::feature_of(s, r, i));
    return out;
}

std::vector<Feature> PgStore::attributes_of(const std::string& layer, const std::vector<std::string>& fields) const {
    const TableSchema& s = schema(layer);
    const std::vector<std::string> names = field_names(layer, fields);
    if (!s.spatial) return {};
    TableSchema only = s;  // the select list and the row reader of just those columns, without the geometry
    only.spatial = false;
    only.fields.clear();
    for (const auto& n : names) only.fields.push_back(*s.field(n));
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT " + pg::select_list(only) + " FROM " + source(s) + " WHERE geom && " +
                         envelope(BBox{-180, -90, 180, 90}) + " ORDER BY fid");
    std::vector<Feature> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::feature_of(only, r, i));
    return out;
}

std::vector<std::string> PgStore::distinct_texts(const std::string& layer, const std::string& field) const {
    const TableSchema& s = schema(layer);
    const FieldDef* def = s.field(field_names(layer, {field}).front());
    if (def->type != FieldType::String) return PlanStore::distinct_texts(layer, field);
    const std::string column = pg::ident(def->code);
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT " + column + "::text FROM " + source(s) + " WHERE " + column + " IS NOT NULL AND " + column +
                         "::text <> '' GROUP BY " + column + " ORDER BY min(fid)");
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
}

std::optional<std::vector<IndexBox>> PgStore::index_boxes(const std::string& layer, const BBox& box) const {
    const TableSchema& s = schema(layer);
    if (!s.spatial) return std::vector<IndexBox>{};
    std::lock_guard lock(mutex_);
    // Box2D is the geometry's bounding box (PostGIS keeps it with the geometry), which contains its envelope.
    auto r = conn_->exec("SELECT fid, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT fid, Box2D(geom) AS b FROM " +
                         source(s) + " WHERE geom && " + envelope(box) + ") AS w");
    std::vector<IndexBox> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({std::stoll(r.text(i, 0)), {std::stod(r.text(i, 1)), std::stod(r.text(i, 2)), std::stod(r.text(i, 3)), std::stod(r.text(i, 4))}});
    return out;
}

std::vector<Feature> PgStore::features_with_fids(const std::string& layer, const BBox& /*box*/, const std::vector<std::int64_t>& fids) const {
    const TableSchema& s = schema(layer);
    if (!s.spatial || fids.empty()) return {};
    std::string list = "{";
    for (std::size_t i = 0; i < fids.size(); ++i) list += (i ? "," : "") + std::to_string(fids[i]);
    list += "}";
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT " + pg::select_list(s) + " FROM " + source(s) + " WHERE fid = ANY($1::bigint[]) ORDER BY fid", {list});
    std::vector<Feature> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::feature_of(s, r, i));
    return out;
}

bool PgStore::has_features(const std::string& layer, const std::string& field, const std::vector<std::string>& values) const {
    const TableSchema& s = schema(layer);
    if (!s.spatial) return false;
    std::unique_lock lock(mutex_);
    std::string sql = "SELECT EXISTS (SELECT 1 FROM " + source(s) + " WHERE geom IS NOT NULL";
    std::vector<pg::Param> params;
    if (!field.empty() && !values.empty()) {
        const FieldDef* def = s.field(field);
        if (!def) throw InputError("图层 " + s.name_zh + " 没有字段 \"" + field + "\" / no such field");
        std::string list;
        for (const auto& v : values) {
            params.emplace_back(v);
            list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
        }
        sql += " AND " + pg::ident(def->code) + "::text IN (" + list + ")";
    }
    return conn_->exec(sql + ")", params).text(0, 0) == "t";
}

std::optional<std::string> PgStore::metadata(const std::string& key) const {
    auto it = metadata_.find(key);
    if (it == metadata_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> PgStore::metadata_keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : metadata_) out.push_back(k);
    return out;
}

std::optional<LayerStyleText> PgStore::default_style(const std::string& layer) const {
    const TableSchema& s = schema(layer);
    std::lock_guard lock(mutex_);
    if (conn_->exec("SELECT to_regclass('public.layer_styles') IS NOT NULL").text(0, 0) != "t") return std::nullopt;
    auto r = conn_->exec("SELECT stylename, styleqml::text, coalesce(stylesld::text, '') FROM public.layer_styles"
                         " WHERE f_table_catalog = current_database() AND f_table_schema = current_schema() AND f_table_name = $1"
                         " AND useasdefault ORDER BY id DESC LIMIT 1",
                         {s.code});
    if (r.rows() == 0) return std::nullopt;
    return LayerStyleText{r.text(0, 0), r.text(0, 1), r.text(0, 2)};
}

std::optional<std::string> PgStore::package_file(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT encode(content, 'hex') FROM minplan_package WHERE name = $1", {name});
    if (r.rows() == 0) return std::nullopt;
    const std::string hex = r.text(0, 0);
    std::string out(hex.size() / 2, '\0');
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return out;
}

std::vector<std::string> PgStore::package_names() const {
    std::lock_guard lock(mutex_);
    auto r = conn_->exec("SELECT name FROM minplan_package ORDER BY name");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
}

}  // namespace minplan::store
