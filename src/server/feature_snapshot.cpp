#include "server/feature_snapshot.hpp"
#include "server/json_response.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/code_table.hpp"
#include "core/error.hpp"
#include "core/labels.hpp"
#include "geo/geojson.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

// As server.cpp dumps answers: invalid UTF-8 in a value is replaced rather than failing the dump.
std::size_t parse_count(const Params& params, const std::string& key, std::size_t fallback, std::size_t max) {
    auto it = params.find(key);
    if (it == params.end() || it->second.empty()) return fallback;
    std::size_t v = 0;
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        throw HttpError(400, "参数 " + key + " 应为非负整数，实际为 \"" + s + "\"");
    if (v > max) throw HttpError(400, "参数 " + key + " 不能超过 " + std::to_string(max) + "，请分页请求（offset）");
    return v;
}

// An equality filter evaluated on the stored values the way the store's SQL (store::detail::build_where,
// SQLite comparison) evaluated it: numbers numerically, booleans as 1/0, text and dates as text; null never
// matches.
struct Filter {
    const FieldDef* field = nullptr;
    std::string text;
    double number = 0;
    std::optional<std::int64_t> integer;  // the literal is an integer
    bool boolean = false;
    bool never = false;

    bool matches(const Feature& f) const {
        if (never) return false;
        const Value& v = f.get(field->name);
        switch (field->type) {
            case FieldType::Integer:
            case FieldType::Real:
                if (auto* i = std::get_if<std::int64_t>(&v)) return integer ? *i == *integer : static_cast<double>(*i) == number;
                if (auto* d = std::get_if<double>(&v)) return *d == number;
                return false;
            case FieldType::Boolean:
                if (auto* b = std::get_if<bool>(&v)) return *b == boolean;
                if (auto* i = std::get_if<std::int64_t>(&v)) return *i == (boolean ? 1 : 0);
                return false;
            default:
                if (auto* s = std::get_if<std::string>(&v)) return *s == text;
                return !is_null(v) && to_display(v) == text;
        }
    }
};

// The checks (and messages) of store::detail::build_where for one filter.
Filter make_filter(const FieldDef& f, const std::string& value) {
    Filter flt;
    flt.field = &f;
    flt.text = value;
    if (f.type == FieldType::Integer || f.type == FieldType::Real) {
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), flt.number);
        if (ec != std::errc() || p != value.data() + value.size())
            throw InputError("字段 \"" + f.name + "\" 是数值型，\"" + value + "\" 不是数字 / not a number");
        if (!std::isfinite(flt.number)) flt.never = true;  // inf/nan: the store's SQL filter matched no row
        std::int64_t i = 0;
        auto [pi, eci] = std::from_chars(value.data(), value.data() + value.size(), i);
        if (eci == std::errc() && pi == value.data() + value.size()) flt.integer = i;
    } else if (f.type == FieldType::Boolean) {
        if (value == "true" || value == "1" || value == "是") flt.boolean = true;
        else if (value == "false" || value == "0" || value == "否") flt.boolean = false;
        else throw InputError("字段 \"" + f.name + "\" 是布尔型，应为 true/false / expected true or false");
    }
    return flt;
}

// GDAL's spatial filter (OGRLayer::FilterGeometry with a rectangle): the envelopes must meet; a geometry
// whose envelope lies inside the box is selected; otherwise the prepared box must intersect it (prepared
// as GDAL does: a degenerate box, e.g. a point, then still selects the polygon around it).
class BoxTest {
public:
    explicit BoxTest(const store::BBox& b) : box_{b.min_x, b.min_y, b.max_x, b.max_y} {}
    bool operator()(const SnapshotFeature& f) {
        if (!f.has_geometry || !box_.intersects(f.envelope)) return false;
        if (box_.contains(f.envelope)) return true;
        if (!prepared_) {
            rect_ = geo::Geometry::rectangle(box_);
            prepared_ = std::make_unique<geo::PreparedGeometry>(rect_);
        }
        return prepared_->intersects(geo::Geometry::from_wkb(f.feature.wkb));
    }

private:
    geo::Envelope box_;
    geo::Geometry rect_;
    std::unique_ptr<geo::PreparedGeometry> prepared_;  // of rect_
};

struct SimplifiedFeature {
    std::string json;  // empty = same as the full text
    std::size_t before = 0, after = 0;
};

// The steps (and counts) of simplify_features for one feature.
SimplifiedFeature simplify_one(const TableSchema& schema, const Feature& f, double tolerance_deg) {
    SimplifiedFeature out;
    if (f.wkb.empty()) return out;
    std::vector<Feature> one{Feature{f.fid, {}, f.wkb, {}}};
    auto stats = simplify_features(one, tolerance_deg);
    out.before = stats.vertices_before;
    out.after = stats.vertices_after;
    if (stats.geometries_changed) out.json = json_text(geo::feature_to_geojson(schema, Feature{f.fid, f.attributes, std::move(one.front().wkb), {}}));
    return out;
}

std::shared_ptr<const SimplifiedLayer> simplify_layer(const SnapshotLayer& layer, double tolerance_deg) {
    auto out = std::make_shared<SimplifiedLayer>();
    for (const auto& f : layer.features) {
        auto x = simplify_one(layer.schema, f.feature, tolerance_deg);
        out->json.push_back(std::move(x.json));
        out->vertices_before.push_back(x.before);
        out->vertices_after.push_back(x.after);
    }
    return out;
}

// {code: Chinese label} of a code table of the plan, so that pages show 开采 rather than `mining`; empty
// when the table is missing or unreadable (the page then shows the code, as before).
nlohmann::json code_labels(const store::PlanStore& store, const std::string& table,
                           std::map<std::string, nlohmann::json>& cache) {
    if (auto it = cache.find(table); it != cache.end()) return it->second;
    nlohmann::json labels = nlohmann::json::object();
    try {
        const auto& layers = store.layers();
        auto info = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l.id == table; });
        if (info != layers.end()) {
            const CodeTable codes = CodeTable::from_rows(info->id, info->name_zh, store.read(table));
            for (const auto& e : codes.entries()) labels[e.code] = e.label_zh;
        }
    } catch (const Error&) {
        labels = nlohmann::json::object();  // a broken code table must not take the map down
    }
    return cache[table] = labels;
}

}  // namespace

std::shared_ptr<const SimplifiedLayer> SnapshotLayer::simplified(double tolerance_deg) const {
    auto cache = cache_.load();
    if (auto it = cache->find(tolerance_deg); it != cache->end()) return it->second;
    std::lock_guard lock(compute_mutex_);
    cache = cache_.load();  // another request may have computed it meanwhile
    if (auto it = cache->find(tolerance_deg); it != cache->end()) return it->second;
    if (cache->size() >= kMaxCachedTolerances) return nullptr;  // the caller simplifies what it returns
    auto computed = simplify_layer(*this, tolerance_deg);
    auto next = std::make_shared<Cache>(*cache);
    (*next)[tolerance_deg] = computed;
    cache_.store(std::move(next));
    return computed;
}

std::shared_ptr<const Snapshot> Snapshot::load(std::shared_ptr<const store::PlanStore> store_ptr, std::int64_t held_max_features) {
    const store::PlanStore& store = *store_ptr;
    auto snap = std::make_shared<Snapshot>();
    snap->version = store.version();
    snap->location_ = store.location();
    nlohmann::json list = nlohmann::json::array();
    std::map<std::string, nlohmann::json> code_cache;
    for (const auto& l : store.layers()) {
        auto layer = std::make_unique<SnapshotLayer>();
        layer->schema = store.schema(l.id);
        layer->feature_count = l.feature_count;
        layer->held = l.feature_count <= held_max_features;
        const TableSchema& s = layer->schema;
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : s.fields) {
            fields.push_back(field_to_json(f));
            if (!f.codes.empty()) fields.back()["labels"] = code_labels(store, f.codes, code_cache);
            // geometry_source holds minplan's own codes, whose labels are core/labels.hpp's: all of them, so
            // that the list needs no read of the layer.
            if (f.name == kGeometrySourceField && !fields.back().contains("labels")) {
                nlohmann::json labels = nlohmann::json::object();
                for (const char* v : {kSchematic, "imported", "reference"}) labels[v] = label_zh(v);
                fields.back()["labels"] = labels;
            }
        }
        list.push_back({{"id", l.id}, {"code", l.code}, {"name_zh", l.name_zh}, {"spatial", l.spatial},
                        {"feature_count", l.feature_count}, {"epsg", l.epsg}, {"fields", fields},
                        {"paged", l.spatial && !layer->held}});
        snap->layers_.push_back(std::move(layer));
    }
    snap->layers = {{"layers", list}};
    snap->store_ = std::move(store_ptr);
    return snap;
}

const SnapshotLayer& Snapshot::layer(const std::string& key) const {
    for (const auto& l : layers_)
        if (l->schema.id == key || l->schema.code == key || l->schema.name_zh == key) return *l;
    std::string known;
    for (const auto& l : layers_) known += (known.empty() ? "" : ", ") + l->schema.id;
    throw NotFoundError("规划数据库 " + location_ + " 中没有图层 \"" + key + "\"；可用图层: " + known + " / unknown layer");
}

const SnapshotLayer& Snapshot::loaded(const std::string& key) const {
    const SnapshotLayer& l = layer(key);  // NotFoundError -> 404
    if (l.held) {
        std::call_once(l.loaded, [&] {
            try {
                std::vector<Feature> rows;
                {
                    std::lock_guard lock(store_mutex_);
                    rows = store_->read(l.schema.id);
                }
                for (auto& f : rows) {
                    SnapshotFeature x;
                    x.json = json_text(geo::feature_to_geojson(l.schema, f));
                    if (!f.wkb.empty()) {
                        auto g = geo::Geometry::from_wkb(f.wkb);
                        if (!g.is_empty()) {
                            x.has_geometry = true;
                            x.envelope = g.envelope();
                        }
                    }
                    x.feature = std::move(f);
                    l.features.push_back(std::move(x));
                }
            } catch (...) {
                l.features.clear();
                l.error = std::current_exception();  // the store path failed each request of this layer
            }
        });
    }
    if (l.error) std::rethrow_exception(l.error);
    return l;
}

namespace {

// What a features request asks for, checked as the store path checked it.
struct FeatureRequest {
    std::size_t limit = kDefaultLimit, offset = 0;
    std::optional<store::BBox> bbox;
    std::vector<std::pair<const FieldDef*, std::string>> filters;
    std::optional<Simplification> simplification;
};

FeatureRequest parse_request(const TableSchema& s, const Params& params) {
    FeatureRequest r;
    r.limit = parse_count(params, "limit", kDefaultLimit, kMaxLimit);
    if (r.limit == 0) r.limit = kDefaultLimit;
    r.offset = parse_count(params, "offset", 0, std::numeric_limits<std::size_t>::max());
    for (const auto& [k, value] : params) {
        if (k == "limit" || k == "offset" || k == "zoom" || k == "resolution" || k == "as_of") continue;  // as_of: history_api.hpp
        if (k == "bbox") {
            if (!s.spatial) throw HttpError(400, "图层 " + s.id + "（" + s.name_zh + "）没有几何，不能按 bbox 查询；请去掉 bbox 参数");
            r.bbox = parse_bbox_param(value);
            continue;
        }
        const FieldDef* f = s.field(k);
        if (!f) {
            std::string known;
            for (const auto& fd : s.fields) known += (known.empty() ? "" : "、") + fd.name + "（" + fd.alias_zh + "）";
            throw HttpError(400, "图层 " + s.id + " 没有字段 \"" + k + "\"；可用于过滤的字段: " + known);
        }
        r.filters.emplace_back(f, value);
    }
    r.simplification = simplification_from_params(params);
    return r;
}

// The collection around `body` (the features' texts joined by commas): every member but the features, in
// nlohmann's (sorted) key order, with the features spliced in.
std::string collection_text(const TableSchema& s, const FeatureRequest& r, std::size_t returned, std::size_t before,
                            std::size_t after, const std::string& body) {
    nlohmann::json fc = {{"type", "FeatureCollection"},
                         {"name", s.code},
                         {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
                         {"features", nlohmann::json::array()}};
    if (const auto& simplification = r.simplification)
        fc["simplification"] = {{"zoom", simplification->zoom ? nlohmann::json(*simplification->zoom) : nlohmann::json(nullptr)},
                                {"resolution_deg", simplification->resolution_deg},
                                {"tolerance_deg", simplification->tolerance_deg},
                                {"method", "GEOS TopologyPreserveSimplify"},
                                {"vertices_before", before},
                                {"vertices_after", after}};
    fc["layer"] = s.id;
    fc["name_zh"] = s.name_zh;
    fc["numberReturned"] = returned;
    fc["limit"] = r.limit;
    fc["offset"] = r.offset;
    std::string head = json_text(fc);
    static const std::string kSlot = "\"features\":[]";
    // Keys are dumped sorted and string values are escaped, so the first unquoted occurrence is the member.
    const auto at = head.find(kSlot);
    if (at == std::string::npos) throw InternalError("features member missing from the collection");
    std::string out;
    out.reserve(head.size() + body.size());
    out.append(head, 0, at + kSlot.size() - 1);
    out += body;
    out.append(head, at + kSlot.size() - 1, std::string::npos);
    return out;
}

}  // namespace

// A layer too large to hold: the store does the window (R*Tree), filters, offset and limit; only the page
// returned is serialised (and simplified at the zoom asked).
std::string Snapshot::store_features(const SnapshotLayer& layer, const Params& params) const {
    const TableSchema& s = layer.schema;
    const FeatureRequest r = parse_request(s, params);
    store::Query q;
    q.bbox = r.bbox;
    q.offset = r.offset;
    q.limit = r.limit;
    for (const auto& [f, value] : r.filters) {
        make_filter(*f, value);  // the same messages as a held layer's
        q.filters.push_back({f->name, "=", value});
    }
    std::vector<Feature> rows;
    {
        std::lock_guard lock(store_mutex_);
        rows = store_->read(s.id, q);
    }
    std::string body;
    std::size_t before = 0, after = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i) body += ',';
        if (r.simplification) {
            auto x = simplify_one(s, rows[i], r.simplification->tolerance_deg);
            before += x.before;
            after += x.after;
            if (!x.json.empty()) {
                body += x.json;
                continue;
            }
        }
        body += json_text(geo::feature_to_geojson(s, rows[i]));
    }
    return collection_text(s, r, rows.size(), before, after, body);
}

std::string Snapshot::features(const std::string& key, const Params& params) const {
    if (!layer(key).held) return store_features(layer(key), params);
    const SnapshotLayer& layer = loaded(key);
    const TableSchema& s = layer.schema;
    const FeatureRequest r = parse_request(s, params);
    std::vector<Filter> filters;
    for (const auto& [f, value] : r.filters) filters.push_back(make_filter(*f, value));

    std::shared_ptr<const SimplifiedLayer> simple;
    if (r.simplification) simple = layer.simplified(r.simplification->tolerance_deg);
    std::optional<BoxTest> in_box;
    if (r.bbox) in_box.emplace(*r.bbox);

    std::string body;
    std::size_t matched = 0, returned = 0, before = 0, after = 0;
    for (std::size_t i = 0; i < layer.features.size() && returned < r.limit; ++i) {
        const SnapshotFeature& f = layer.features[i];
        if (in_box && !(*in_box)(f)) continue;
        bool ok = true;
        for (const auto& flt : filters) ok = ok && flt.matches(f.feature);
        if (!ok || matched++ < r.offset) continue;
        if (returned++) body += ',';
        if (simple) {
            before += simple->vertices_before[i];
            after += simple->vertices_after[i];
            body += simple->json[i].empty() ? f.json : simple->json[i];
        } else if (r.simplification) {
            auto x = simplify_one(s, f.feature, r.simplification->tolerance_deg);
            before += x.before;
            after += x.after;
            body += x.json.empty() ? f.json : x.json;
        } else {
            body += f.json;
        }
    }
    return collection_text(s, r, returned, before, after, body);
}

nlohmann::json Snapshot::feature(const std::string& key, std::int64_t fid) const {
    auto answer = [&](const TableSchema& s, const Feature& f) {
        auto j = geo::feature_to_geojson(s, f);
        j["layer"] = s.id;
        j["layer_name_zh"] = s.name_zh;
        j["bbox"] = geometry_extent(j["geometry"]);
        return j;
    };
    const SnapshotLayer& found = layer(key);
    const TableSchema& s = found.schema;
    if (found.held) {
        for (const auto& f : loaded(key).features)
            if (f.feature.fid == fid) return answer(s, f.feature);
    } else if (fid > 0) {
        // Not held: the feature is looked for page by page (a layer imported in one go has fid = position,
        // tried first); memory stays one page.
        constexpr std::size_t kPage = 5000;
        std::lock_guard lock(store_mutex_);
        store::Query q;
        q.offset = static_cast<std::size_t>(fid - 1);
        q.limit = 1;
        for (auto& f : store_->read(s.id, q))
            if (f.fid == fid) return answer(s, f);
        for (q.offset = 0, q.limit = kPage;; q.offset += kPage) {
            auto page = store_->read(s.id, q);
            for (auto& f : page)
                if (f.fid == fid) return answer(s, f);
            if (page.size() < kPage) break;
        }
    }
    throw NotFoundError("图层 " + s.id + "（" + s.name_zh + "）中没有编号为 " + std::to_string(fid) + " 的要素");
}

}  // namespace minplan::server
