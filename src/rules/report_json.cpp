#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "geo/crs.hpp"
#include "rules/report.hpp"

namespace minplan::rules {
namespace {

// The report's JSON layout is written once (emit_report) into either sink: a nlohmann tree (report_to_json)
// or the text itself (report_json_text). Keys are emitted in the order nlohmann keeps them (sorted), so that
// the text equals the tree written out; the text sink checks that order.

class TreeSink {
public:
    void begin_object() { open(nlohmann::json::object()); }
    void begin_array() { open(nlohmann::json::array()); }
    void end() { stack_.pop_back(); }
    void key(std::string_view k) { key_ = k; }
    template <class T>
    void value(T&& v) {
        place(nlohmann::json(std::forward<T>(v)));
    }
    nlohmann::json take() { return std::move(root_); }

private:
    void open(nlohmann::json empty) { stack_.push_back(&place(std::move(empty))); }
    nlohmann::json& place(nlohmann::json v) {
        if (stack_.empty()) return root_ = std::move(v);
        nlohmann::json& top = *stack_.back();
        if (top.is_array()) {
            top.push_back(std::move(v));
            return top.back();
        }
        return top[key_] = std::move(v);
    }
    nlohmann::json root_;
    std::vector<nlohmann::json*> stack_;  // the open containers (a child is only added to the innermost)
    std::string key_;
};

class TextSink {
public:
    explicit TextSink(std::string& out) : out_(out) {}
    void begin_object() { open('{'); }
    void begin_array() { open('['); }
    void end() {
        out_ += levels_.back().object ? '}' : ']';
        levels_.pop_back();
    }
    void key(std::string_view k) {
        Level& level = levels_.back();
        if (!level.first && !(level.last_key < k))
            throw InternalError(fmt::format("report JSON keys out of order: \"{}\" after \"{}\"", k, level.last_key));
        level.last_key = k;
        separate();
        append_json_string(out_, k);
        out_ += ':';
    }
    void value(const std::string& v) { separate(), append_json_string(out_, v); }
    void value(const char* v) { separate(), append_json_string(out_, v); }
    void value(double v) { separate(), append_json_double(out_, v); }
    void value(bool v) { separate(), out_ += v ? "true" : "false"; }
    void value(int v) { separate(), out_ += fmt::format_int(v).str(); }
    void value(std::size_t v) { separate(), out_ += fmt::format_int(v).str(); }
    void value(const nlohmann::json& v) { separate(), append_json_text(out_, v); }
    void value(const std::vector<std::string>& v) {
        begin_array();
        for (const auto& s : v) value(s);
        end();
    }

private:
    struct Level {
        bool object = false, first = true, after_key = false;
        std::string_view last_key;
    };
    void open(char c) {
        separate();
        out_ += c;
        levels_.push_back({c == '{', true, false, {}});
    }
    // A comma before every member or element but the first; none between a key and its value.
    void separate() {
        if (levels_.empty()) return;
        Level& level = levels_.back();
        if (level.object && level.after_key) {
            level.after_key = false;
            return;
        }
        if (!level.first) out_ += ',';
        level.first = false;
        if (level.object) level.after_key = true;
    }
    std::string& out_;
    std::vector<Level> levels_;
};

template <class Sink>
void member(Sink& out, std::string_view k, const auto& v) {
    out.key(k);
    out.value(v);
}

template <class Sink>
void emit_application(Sink& out, const Application& a) {
    out.begin_object();
    member(out, "action", to_string(a.action));
    member(out, "area_basis", a.plane_decides ? "plane" : "ellipsoid");
    member(out, "area_km2", geo::round_km2(a.area_m2 / 1e6));
    member(out, "area_m2", a.area_m2);
    member(out, "attributes", a.attrs.json());
    out.key("corners");
    out.begin_array();
    for (const auto& c : a.corners) {
        out.begin_object();
        member(out, "hole", c.hole);
        member(out, "id", c.id);
        member(out, "lat", c.lat);
        member(out, "lon", c.lon);
        member(out, "ring", c.ring);
        member(out, "x", c.x);
        member(out, "y", c.y);
        out.end();
    }
    out.end();
    member(out, "ellipsoid_area_km2", geo::round_km2(a.area_m2 / 1e6));
    member(out, "ellipsoid_area_m2", a.area_m2);
    member(out, "geometry", a.polygon.is_null() ? nlohmann::json() : nlohmann::json::parse(a.polygon.to_geojson(7)));
    member(out, "input_notes", a.input_notes);
    member(out, "kind", to_string(a.kind));
    member(out, "name", a.name);
    member(out, "notes", a.notes);
    member(out, "plane_area_km2", geo::round_km2(a.plane_area_m2 / 1e6));
    member(out, "plane_area_m2", a.plane_area_m2);
    member(out, "plane_epsg", a.plane_epsg);
    member(out, "source_epsg", a.source_epsg);
    member(out, "source_format", a.source_format);
    out.end();
}

template <class Sink>
void emit_finding(Sink& out, const Finding& f) {
    out.begin_object();
    out.key("citation");
    out.begin_object();
    member(out, "clause_id", f.citation.clause_id);
    member(out, "quote", f.citation.quote);
    member(out, "section", f.citation.section);
    out.end();
    member(out, "data", f.data);
    out.key("evidence");
    out.begin_array();
    for (const auto& e : f.evidence) {
        out.begin_object();
        member(out, "feature_id", e.feature_id);
        member(out, "layer", e.layer);
        member(out, "name", e.name);
        member(out, "overlap_ellipsoid_m2", e.overlap_ellipsoid_m2);
        member(out, "overlap_m2", e.overlap_m2);
        member(out, "overlap_pct", e.overlap_pct);
        member(out, "overlap_plane_m2", e.overlap_plane_m2);
        member(out, "schematic", e.schematic);
        out.end();
    }
    out.end();
    member(out, "message", f.message);
    member(out, "missing", f.missing);
    member(out, "relies_on_schematic", f.relies_on_schematic());
    member(out, "result", to_zh(f.result));
    member(out, "rule", f.rule_id);
    out.key("schematic");
    out.begin_array();
    for (const auto& s : f.schematic) {
        out.begin_object();
        member(out, "feature_count", s.feature_count);
        member(out, "features", s.features);
        member(out, "layer", s.layer);
        member(out, "layer_zh", s.layer_zh);
        out.end();
    }
    out.end();
    member(out, "severity", to_zh(f.severity));
    member(out, "title_zh", f.title_zh);
    out.end();
}

// The report's members, and those of `extra` in their place among them (an extra key replaces the report's).
template <class Sink>
void emit_report(Sink& out, const Report& r, const nlohmann::json& extra) {
    bool schematic = false;
    for (const auto& f : r.findings) schematic = schematic || f.relies_on_schematic();
    auto e = extra.begin();
    auto extras_before = [&](std::string_view k) {  // the extra members whose keys sort before k
        for (; e != extra.end() && std::string_view(e.key()) < k; ++e) member(out, e.key(), e.value());
        if (e != extra.end() && e.key() == k) {
            member(out, e.key(), e.value());
            ++e;
            return false;
        }
        return true;
    };
    out.begin_object();
    if (extras_before("application")) {
        out.key("application");
        emit_application(out, r.application);
    }
    if (extras_before("engine_ms")) member(out, "engine_ms", r.engine_ms);
    if (extras_before("findings")) {
        out.key("findings");
        out.begin_array();
        for (const auto& f : r.findings) emit_finding(out, f);
        out.end();
    }
    if (extras_before("plan_id")) member(out, "plan_id", r.plan_id);
    if (extras_before("plan_name_zh")) member(out, "plan_name_zh", r.plan_name_zh);
    if (extras_before("relies_on_schematic")) member(out, "relies_on_schematic", schematic);
    if (extras_before("rule_set")) member(out, "rule_set", r.rule_set_id);
    if (extras_before("schematic_summary")) {
        out.key("schematic_summary");
        out.begin_object();
        member(out, "layers_zh", r.schematic.layers_zh);
        member(out, "rules", r.schematic.rule_ids);
        out.end();
    }
    if (extras_before("verdict")) member(out, "verdict", to_zh(r.verdict));
    for (; e != extra.end(); ++e) member(out, e.key(), e.value());
    out.end();
}

}  // namespace

nlohmann::json report_to_json(const Report& r) {
    TreeSink out;
    emit_report(out, r, nlohmann::json::object());
    return out.take();
}

std::string report_json_text(const Report& r, const nlohmann::json& extra) {
    if (!extra.is_object()) throw InternalError("report_json_text: extra members must be an object");
    // Room for the whole answer at once: growing a 16 KB string to a 73 KB answer (183 evidence rows) copied
    // it three times (≈ 1.3 % of a server check at 64 clients, docs/performance.md, session 17).
    std::size_t estimate = 16384;
    for (const Finding& f : r.findings)
        estimate += 1024 + f.message.size() + f.evidence.size() * (320 + (f.evidence.empty() ? 0 : f.evidence.front().name.size()));
    std::string text;
    text.reserve(estimate);
    TextSink out(text);
    emit_report(out, r, extra);
    return text;
}

}  // namespace minplan::rules
