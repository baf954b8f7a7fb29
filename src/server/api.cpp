#include "server/api.hpp"
#include "services/column_tables.hpp"
#include "services/gaps.hpp"
#include "services/release.hpp"
#include "monitor/reserves.hpp"
#include "services/geoenv/views.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "core/pinyin.hpp"
#include "core/map_style.hpp"
#include "core/package.hpp"
#include "geo/geojson.hpp"
#include "plan/plan_tables.hpp"
#include "plan/summary.hpp"
#include "rules/rule_set.hpp"
#include "server/feature_snapshot.hpp"
#include "services/qc/qc.hpp"
#include "server/http_error.hpp"

namespace minplan::server {
namespace {

void extend(const nlohmann::json& coords, double b[4]) {
    if (!coords.is_array() || coords.empty()) return;
    if (coords[0].is_number()) {
        if (coords.size() < 2) return;
        double x = coords[0].get<double>(), y = coords[1].get<double>();
        b[0] = std::min(b[0], x), b[1] = std::min(b[1], y), b[2] = std::max(b[2], x), b[3] = std::max(b[3], y);
        return;
    }
    for (const auto& c : coords) extend(c, b);
}

// Fields worth searching: names, identifiers and licence numbers.
bool searchable(const FieldDef& f) {
    static const char* names[] = {"name", "name_zh", "mine_name", "holder", "licence_no", "zone_code", "adcode"};
    for (const char* n : names)
        if (f.name == n) return true;
    return f.type == FieldType::String && f.name.size() > 3 && f.name.compare(f.name.size() - 3, 3, "_id") == 0;
}

// Fields whose Chinese text is matched by pinyin initials: the names a user would say aloud.
bool spoken_name(const FieldDef& f) {
    return f.name == "name" || f.name == "name_zh" || f.name == "mine_name" || f.name == "holder";
}

std::string label_of(const TableSchema& s, const Feature& f) {
    for (const char* n : {"name", "name_zh", "mine_name", "block_id", "zone_id"})
        if (s.field(n) && !f.text(n).empty()) return f.text(n);
    return s.name_zh + " #" + std::to_string(f.fid);
}

// Results per layer, in the order the results list them: [{layer, layer_name_zh, count}].
nlohmann::json search_groups(const nlohmann::json& hits) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& h : hits) {
        if (groups.empty() || groups.back()["layer"] != h["layer"])
            groups.push_back({{"layer", h["layer"]}, {"layer_name_zh", h["layer_name_zh"]}, {"count", 0}});
        groups.back()["count"] = groups.back()["count"].get<int>() + 1;
    }
    return groups;
}

}  // namespace

nlohmann::json field_to_json(const FieldDef& f) {
    return {{"name", f.name}, {"code", f.code}, {"alias_zh", f.alias_zh}, {"type", to_string(f.type)}, {"unit", f.unit}};
}

store::BBox parse_bbox_param(const std::string& text) {
    try {
        return store::parse_bbox(text);  // the same rule as `minplan query --bbox`
    } catch (const InputError& e) {
        throw HttpError(400, e.what());
    }
}

nlohmann::json geometry_extent(const nlohmann::json& geometry) {
    if (!geometry.is_object() || !geometry.contains("coordinates")) return nullptr;
    double inf = std::numeric_limits<double>::infinity();
    double b[4] = {inf, inf, -inf, -inf};
    extend(geometry["coordinates"], b);
    if (b[0] > b[2]) return nullptr;
    return {b[0], b[1], b[2], b[3]};
}

PlanApi::PlanApi(std::shared_ptr<store::PlanDatabase> db, std::int64_t held_max_features)
    : db_(std::move(db)), held_max_features_(held_max_features), store_(db_->snapshot()) {
    snapshot_.store(Snapshot::load(db_->snapshot(), held_max_features_));
}

PlanApi::~PlanApi() = default;

std::shared_ptr<const Snapshot> PlanApi::current() const {
    auto snap = snapshot_.load();
    const std::int64_t version = db_->version();
    if (version == snap->version) return snap;
    std::lock_guard reload(reload_mutex_);
    snap = snapshot_.load();
    if (version == snap->version) return snap;  // another request reloaded it meanwhile
    auto store = db_->snapshot();
    auto next = Snapshot::load(db_->snapshot(), held_max_features_);
    {
        std::lock_guard lock(mutex_);
        store_ = std::move(store);
    }
    snapshot_.store(next);
    return next;
}

nlohmann::json PlanApi::layers() const { return current()->layers; }

nlohmann::json PlanApi::features(const std::string& layer, const Params& params) const {
    return nlohmann::json::parse(features_text(layer, params));
}

std::string PlanApi::features_text(const std::string& layer, const Params& params) const {
    return current()->features(layer, params);
}

nlohmann::json PlanApi::feature(const std::string& layer, std::int64_t fid) const {
    return current()->feature(layer, fid);
}

nlohmann::json PlanApi::search(const std::string& raw, std::size_t limit, const std::set<std::string>& skip) const {
    std::string q;
    for (char c : raw)
        if (c != '%' && c != '_' && c != '\'') q += c;
    if (q.empty()) throw HttpError(400, "请在 q 参数中给出要搜索的名称、编号或许可证号");
    if (q.size() > 200) throw HttpError(400, "搜索词过长（最多 200 字节），请缩短");
    current();  // reopens the store if the file changed
    std::lock_guard lock(mutex_);
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& l : store_->layers()) {
        if (!l.spatial && l.id != "mine_register") continue;
        if (l.id == "admin_city" || skip.count(l.id)) continue;
        const TableSchema& s = store_->schema(l.id);
        std::map<std::int64_t, nlohmann::json> found;
        auto hit = [&](const Feature& feat, const FieldDef& f, bool by_initials) {
            if (found.count(feat.fid)) return;
            nlohmann::json geometry = feat.wkb.empty() ? nlohmann::json(nullptr) : geo::feature_to_geojson(s, feat)["geometry"];
            std::string field = f.alias_zh.empty() ? f.name : f.alias_zh;
            found[feat.fid] = {{"layer", s.id}, {"layer_name_zh", s.name_zh}, {"fid", feat.fid},
                               {"label", label_of(s, feat)}, {"matched_field", by_initials ? field + "（拼音首字母）" : field},
                               {"matched_value", feat.text(f.name)}, {"bbox", geometry_extent(geometry)},
                               {"geometry_source", s.field(kGeometrySourceField) ? feat.text(kGeometrySourceField) : ""}};
        };
        for (const auto& f : s.fields) {
            if (!searchable(f)) continue;
            store::Query query;
            query.filters.push_back({f.name, "like", "%" + q + "%"});
            query.limit = limit + 1;  // one more than a page, so that a cut page is reported as truncated
            for (const auto& feat : store_->read(s.id, query)) hit(feat, f, false);
        }
        // "tsk" finds 塔山矿: the initials of consecutive characters of a name (core/pinyin.hpp).
        if (PinyinInitials::looks_like_initials(q)) {
            const auto& pinyin = PinyinInitials::shipped();
            std::vector<const FieldDef*> names;
            for (const auto& f : s.fields)
                if (spoken_name(f)) names.push_back(&f);
            if (!names.empty())
                for (const auto& feat : store_->read(s.id))
                    for (const FieldDef* f : names)
                        if (found.size() <= limit && pinyin.matches(feat.text(f->name), q)) hit(feat, *f, true);
        }
        for (auto& [fid, h] : found) {
            if (hits.size() >= limit) return {{"q", q}, {"results", hits}, {"groups", search_groups(hits)}, {"truncated", true}};
            hits.push_back(std::move(h));
        }
    }
    return {{"q", q}, {"results", hits}, {"groups", search_groups(hits)}, {"truncated", false}};
}

nlohmann::json PlanApi::tables() const {
    current();
    std::lock_guard lock(mutex_);
    return services::column_table_list(*store_);
}

nlohmann::json PlanApi::table(const std::string& key) const {
    current();
    std::lock_guard lock(mutex_);
    return services::column_tables(*store_, key);  // the same answer as `minplan table KEY --json`
}

nlohmann::json PlanApi::gaps(const Params& params) const {
    auto number = [&](const char* key) -> std::optional<double> {
        auto it = params.find(key);
        if (it == params.end()) return std::nullopt;
        double v = 0;
        const auto* end = it->second.data() + it->second.size();
        if (auto r = std::from_chars(it->second.data(), end, v); r.ec != std::errc() || r.ptr != end)
            throw HttpError(400, std::string("参数 ") + key + " 应为数字，实际为 \"" + it->second + "\"");
        return v;
    };
    current();
    std::lock_guard lock(mutex_);
    auto p = services::GapParams::from_settings(rules::RuleSet::from_store(*store_).settings);
    if (auto it = params.find("within"); it != params.end()) p.within_layer = it->second;
    if (auto it = params.find("rights"); it != params.end()) p.rights_layer = it->second;
    if (auto it = params.find("bbox"); it != params.end()) p.bbox = parse_bbox_param(it->second);
    p.override_with(number("min-area-km2"), number("max-width-m"), number("adjacency-m"), "请求参数", "");  // InputError → 400
    return services::gaps_geojson(services::find_gaps(*store_, p));
}

nlohmann::json PlanApi::release_plans(std::optional<int> year) const {
    current();
    std::lock_guard lock(mutex_);
    auto plans = services::load_release_plans(*store_);
    if (!year) return services::release_plans_json(plans);
    for (const auto& p : plans)
        if (p.year == *year) return services::release_plans_json({p})[0];
    throw HttpError(404, "规划数据库中没有" + std::to_string(*year) + "年度投放计划 / no release plan stored for that year");
}

nlohmann::json PlanApi::reserves(std::optional<int> year) const {
    current();
    std::lock_guard lock(mutex_);
    const auto ledger = monitor::reserves_ledger(*store_, year);  // InputError (a year before the base) → 400
    return monitor::reserves_json(ledger, year);
}

nlohmann::json PlanApi::geoenv(const Params& params, bool staff) const {
    auto text = [&](const char* key, const std::string& fallback = {}) {
        auto it = params.find(key);
        return it == params.end() ? fallback : it->second;
    };
    auto number = [&](const char* key, double fallback) {
        auto it = params.find(key);
        if (it == params.end()) return fallback;
        double v = 0;
        const auto* end = it->second.data() + it->second.size();
        if (auto r = std::from_chars(it->second.data(), end, v); r.ec != std::errc() || r.ptr != end)
            throw HttpError(400, std::string("参数 ") + key + " 应为数字，实际为 \"" + it->second + "\"");
        return v;
    };
    services::geoenv::ViewRequest r{text("view", "sites"), text("by", "county"), text("date"), text("from"), text("to"),
                                    static_cast<int>(number("year", 0)), number("min-growth-ha", 0.01)};
    current();
    std::lock_guard lock(mutex_);
    const auto data = services::geoenv::load(*store_);
    if (staff) return services::geoenv::view_json(data, r);  // InputError → 400
    if (auto why = services::geoenv::withheld_view(data.settings.publicity, r); !why.empty()) throw HttpError(403, why);
    auto answer = services::geoenv::view_json(data, r);
    services::geoenv::redact(data.settings.publicity, answer);
    return answer;
}

std::set<std::string> PlanApi::geoenv_withheld_layers() const {
    current();
    std::lock_guard lock(mutex_);
    namespace ge = services::geoenv;
    return ge::withheld_layers(ge::Settings::from_json(rules::RuleSet::from_store(*store_).settings).publicity);
}

namespace {
const std::set<std::string>& geoenv_layers() {
    namespace ge = services::geoenv;
    static const std::set<std::string> ours = {ge::kSites, ge::kProjects, ge::kProjectYears, ge::kCampaigns, ge::kFindings, ge::kRegister};
    return ours;
}
}  // namespace

std::set<std::string> PlanApi::geoenv_unsearchable() const {
    current();
    std::lock_guard lock(mutex_);
    namespace ge = services::geoenv;
    const auto p = ge::Settings::from_json(rules::RuleSet::from_store(*store_).settings).publicity;
    return ge::withheld_fields(p).empty() ? ge::withheld_layers(p) : geoenv_layers();
}

std::set<std::string> PlanApi::geoenv_layer_gate(const std::string& layer) const {
    namespace ge = services::geoenv;
    if (!geoenv_layers().count(layer)) return {};
    current();
    std::lock_guard lock(mutex_);
    const auto p = ge::Settings::from_json(rules::RuleSet::from_store(*store_).settings).publicity;
    if (ge::withheld_layers(p).count(layer))
        throw HttpError(403, "规划未向公众公开图层 " + layer + "（rules.json settings.geoenv.public" +
                                 (p.clause_zh.empty() ? "" : "；" + p.clause_zh) + "），请登录后查看 / not public in this plan: log in");
    return ge::withheld_fields(p);
}

nlohmann::json PlanApi::summary() const {
    current();
    std::lock_guard lock(mutex_);
    auto s = plan::summarize(*store_);
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& l : s.lines)
        lines.push_back({{"group", l.group}, {"label", l.label}, {"count", l.count}, {"detail", l.detail}});
    return {{"name", s.name}, {"period", s.period}, {"base_year", s.base_year}, {"outlook_year", s.outlook_year},
            {"lines", lines}, {"database", store_->location()}};
}

nlohmann::json PlanApi::styles() const {
    current();
    std::lock_guard lock(mutex_);
    const std::string text = package::required(store_->package_file(package::kStyles), package::kStyles, store_->location());
    return nlohmann::json::parse(MapStyle::parse(text, store_->location() + ":" + package::kStyles).to_json());
}

nlohmann::json PlanApi::last_qc() const {
    current();
    std::lock_guard lock(mutex_);
    auto last = store_->metadata(services::qc::kLastResultKey);
    if (!last) return {{"available", false}, {"version", store_->version()}};
    nlohmann::json j = nlohmann::json::parse(*last, nullptr, false);
    if (j.is_discarded()) return {{"available", false}, {"version", store_->version()}};
    j["available"] = true;
    j["version"] = store_->version();
    return j;
}

}  // namespace minplan::server
