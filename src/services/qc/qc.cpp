#include "services/qc/qc.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/error.hpp"
#include "core/package.hpp"
#include "services/qc/detail.hpp"

namespace minplan::services::qc {

namespace detail {

namespace {
constexpr std::size_t kPage = 5000;

// The reader's envelope when it measured the row (Feature::facts: the same GEOS envelope), else decoded.
geo::Envelope envelope_of(const Feature& f) {
    if (f.facts) return {f.facts->min_x, f.facts->min_y, f.facts->max_x, f.facts->max_y};
    return geo::Geometry::from_wkb(f.wkb).envelope();
}
}  // namespace

LayerReader::LayerReader(const store::PlanStore& store, const std::optional<PendingLayer>& pending)
    : store_(store), pending_(pending) {
    for (const auto& l : store_.layers()) layers_.insert(l.id);
    if (!pending_) return;
    if (pending_->own_fids && !pending_->append) {
        rows_ = pending_->features;
        return;
    }
    std::int64_t fid = 0;
    numbered_.reserve(pending_->features->size());
    for (const auto& f : *pending_->features) {
        Feature& copy = numbered_.emplace_back(f);
        // Appended rows must not share a fid with the layer's own: they count down from -1.
        copy.fid = pending_->append ? --fid : ++fid;
    }
    rows_ = &numbered_;
}

const geo::EnvelopeIndex& LayerReader::pending_index() const {
    if (pending_index_) return *pending_index_;
    pending_index_ = std::make_unique<geo::EnvelopeIndex>();
    for (std::size_t i = 0; i < rows_->size(); ++i) {
        const Feature& f = (*rows_)[i];
        if (f.wkb.empty()) continue;
        try {
            pending_index_->insert(envelope_of(f), i);
        } catch (const Error&) {
            // unreadable: reported by the geometry checks, never a topology candidate
        }
    }
    return *pending_index_;
}

bool LayerReader::has(const std::string& layer) const {
    return (pending_ && pending_->schema.id == layer) || layers_.count(layer);
}

const TableSchema& LayerReader::schema(const std::string& layer) const {
    if (pending_ && pending_->schema.id == layer) return pending_->schema;
    return store_.schema(layer);
}

void LayerReader::each(const std::string& layer, const std::function<void(const Feature&)>& fn) const {
    const bool is_pending = pending_ && pending_->schema.id == layer;
    if (!is_pending || pending_->append) {
        for (std::size_t offset = 0;; offset += kPage) {
            store::Query q;
            q.offset = offset;
            q.limit = kPage;
            auto page = store_.read(layer, q);
            for (const auto& f : page) fn(f);
            if (page.size() < kPage) break;
        }
    }
    if (is_pending)
        for (const auto& f : *rows_) fn(f);
}

std::vector<Feature> LayerReader::window(const std::string& layer, const geo::Envelope& e) const {
    const bool is_pending = pending_ && pending_->schema.id == layer;
    std::vector<Feature> out;
    if (!is_pending || pending_->append) out = store_.features_in(layer, {e.min_x, e.min_y, e.max_x, e.max_y});
    if (is_pending)
        for (auto i : pending_index().query(e)) out.push_back((*rows_)[i]);
    return out;
}

std::vector<Feature> LayerReader::all(const std::string& layer) const {
    std::vector<Feature> out;
    each(layer, [&](const Feature& f) { out.push_back(f); });
    return out;
}

Finding& Collector::add(const char* check, const FeatureRef& ref, std::string message, nlohmann::json values) {
    const CheckDef* def = find_check(check);
    if (!def) throw InternalError(std::string("qc: check not in the catalogue: ") + check);
    Finding f;
    f.check = check;
    f.severity = config_.severity_of(*def);
    // Schematic geometry never decides a verdict: what geometry decides about it is only a hint.
    if (ref.schematic && def->geometric) {
        f.schematic = true;
        f.severity = Severity::Hint;
        message += "（示意几何 schematic，仅供参考）";
    }
    if (ref.schema) {
        f.layer = ref.schema->id;
        f.layer_code = ref.schema->code;
        f.layer_name = ref.schema->name_zh;
    }
    if (ref.feature) f.fid = ref.feature->fid;
    f.feature_id = ref.id;
    f.feature_name = ref.name;
    f.message = std::move(message);
    f.values = std::move(values);
    // By default a finding about a feature is located on it; geometric checks set a more precise place.
    if (ref.feature && !ref.feature->wkb.empty()) {
        try {
            set_location(f, geo::Geometry::from_wkb(ref.feature->wkb));
        } catch (const Error&) {
            // unreadable geometry: the finding has no location
        }
    }
    out_.push_back(std::move(f));
    return out_.back();
}

Finding& Collector::add_layer(const char* check, const TableSchema& s, std::string message, nlohmann::json values) {
    return add(check, FeatureRef{&s, nullptr, {}, {}, false}, std::move(message), std::move(values));
}

void set_location(Finding& f, geo::Coord p, const geo::Envelope& e) {
    f.point = std::make_pair(p.x, p.y);
    f.extent = store::BBox{e.min_x, e.min_y, e.max_x, e.max_y};
}

void set_location(Finding& f, const geo::Geometry& g) {
    if (g.is_null() || g.is_empty()) return;
    set_location(f, g.point_on_surface(), g.envelope());
}

}  // namespace detail

std::size_t QcReport::count(Severity s) const {
    std::size_t n = 0;
    for (const auto& f : findings) n += f.severity == s;
    return n;
}

std::vector<Summary> QcReport::summary() const {
    std::vector<Summary> out;
    for (const auto& def : catalogue())
        for (Severity s : {Severity::Error, Severity::Warning, Severity::Hint}) {
            std::size_t n = 0;
            for (const auto& f : findings) n += f.check == def.id && f.severity == s;
            if (n) out.push_back({def.id, s, n});
        }
    return out;
}

QcConfig load_config(const store::PlanStore& store, std::string* source) {
    std::vector<TableSchema> schemas;
    for (const auto& l : store.layers()) schemas.push_back(store.schema(l.id));
    if (auto text = store.package_file(package::kQc)) {
        if (source) *source = package::kQc;
        return parse_config(*text, store.location() + " 规划包 " + package::kQc, schemas);
    }
    if (source) *source = "默认 / defaults";
    return QcConfig{};
}

namespace {

using namespace detail;

std::string first_text(const Feature& f, const TableSchema& s, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (s.field(n))
            if (auto t = f.text(n); !t.empty()) return t;
    return {};
}

FeatureRef ref_of(const TableSchema& s, const Feature& f, const LayerRules* rules) {
    FeatureRef r{&s, &f, {}, {}, false};
    r.id = rules && !rules->id_field.empty() ? f.text(rules->id_field) : first_text(f, s, {"block_id", "zone_id", "control_id", "id", "code"});
    r.name = rules && !rules->name_field.empty() ? f.text(rules->name_field) : first_text(f, s, {"name", "name_zh", "mineral"});
    r.schematic = f.text(kGeometrySourceField) == kSchematic;
    return r;
}

void check_layer(const LayerReader& reader, const TableSchema& s, Collector& out) {
    const LayerRules* rules = out.config().rules_for(s.id);
    FeatureContext ctx;
    ctx.rules = rules;
    for (const auto& fd : s.fields) {
        if (fd.codes.empty() || !reader.has(fd.codes)) continue;
        const TableSchema& cs = reader.schema(fd.codes);
        ctx.codes.emplace(fd.name, CodeTable::from_rows(cs.id, cs.name_zh, reader.all(cs.id)));
    }
    std::unique_ptr<TopologyChecker> topology;
    if (rules && s.spatial) topology = std::make_unique<TopologyChecker>(reader, *rules, out);
    reader.each(s.id, [&](const Feature& f) {
        FeatureRef ref = ref_of(s, f, rules);
        check_attributes(ref, ctx, out);
        if (!s.spatial) return;
        geo::Geometry g;
        try {
            if (!f.wkb.empty()) g = geo::Geometry::from_wkb(f.wkb);
        } catch (const Error& e) {
            if (out.enabled("empty_geometry"))
                out.add("empty_geometry", ref, std::string("图形无法读取：") + e.what(), {{"wkb_bytes", f.wkb.size()}});
            return;
        }
        if (g.is_null() || g.is_empty()) {
            if (out.enabled("empty_geometry")) out.add("empty_geometry", ref, "要素没有图形");
            return;
        }
        if (!check_geometry(ref, g, rules, out, reader.validated(f)) || !rules) return;
        check_areas(ref, g, *rules, out);
        check_corners(ref, g, *rules, out);
        if (topology) topology->check(ref, g);
    });
}

}  // namespace

QcReport run_qc(const store::PlanStore& store, const QcOptions& options) {
    QcReport report;
    report.database = store.location();
    report.version = store.version();
    report.plan_name = store.metadata("name_zh").value_or("");
    QcConfig config = options.config ? *options.config : load_config(store, &report.config_source);
    if (options.config) report.config_source = "调用方 / caller";
    if (options.only_pending && options.pending) {
        // An import is judged by what it changes: the tables it feeds, not the rest of the plan.
        const std::string& id = options.pending->schema.id;
        std::erase_if(config.columns, [&](const ColumnRule& c) { return c.table != id && c.layer != id; });
        std::erase_if(config.totals, [&](const TotalRule& t) { return t.table != id; });
    }
    LayerReader reader(store, options.pending);
    Collector out(config, report.findings);
    if (!options.only_pending) check_structure(reader, out);
    std::vector<std::string> layers;
    for (const auto& l : store.layers()) layers.push_back(l.id);
    if (options.pending && !reader.store().layers().empty() &&
        std::find(layers.begin(), layers.end(), options.pending->schema.id) == layers.end())
        layers.push_back(options.pending->schema.id);
    for (const auto& id : layers) {
        if (options.only_pending && options.pending && id != options.pending->schema.id) continue;
        check_layer(reader, reader.schema(id), out);
    }
    check_columns(reader, out);
    check_totals(reader, out);
    return report;
}

nlohmann::json last_result(const QcReport& report, const std::string& command, bool forced) {
    char when[32];
    std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    nlohmann::json summary = nlohmann::json::array();
    for (const auto& s : report.summary())
        summary.push_back({{"check", s.check}, {"severity", severity_zh(s.severity)}, {"count", s.count}});
    return {{"checked_at", when}, {"command", command}, {"forced", forced}, {"errors", report.count(Severity::Error)},
            {"warnings", report.count(Severity::Warning)}, {"hints", report.count(Severity::Hint)}, {"summary", summary}};
}

}  // namespace minplan::services::qc
