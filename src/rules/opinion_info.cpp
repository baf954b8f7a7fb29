// The opinion's identity (number, date, reviewer, issuing unit) and the map context around an application.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "core/package.hpp"
#include "core/error.hpp"
#include "rules/opinion.hpp"
#include "rules/plan_index.hpp"

namespace minplan::rules {

OpinionSettings OpinionSettings::from(const nlohmann::json& s) {
    OpinionSettings o;
    if (!s.is_object()) return o;
    if (auto it = s.find("issuing_unit_zh"); it != s.end() && it->is_string()) o.issuing_unit = it->get<std::string>();
    if (auto it = s.find("gk_zone"); it != s.end() && it->is_number_integer()) o.gk_zone = it->get<int>();
    if (auto it = s.find("review_number_pattern"); it != s.end() && it->is_string()) o.number_pattern = it->get<std::string>();
    return o;
}

std::string format_review_number(const std::string& pattern, int year, long long seq) {
    std::string out;
    bool has_seq = false;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != '{') {
            out += pattern[i++];
            continue;
        }
        const auto close = pattern.find('}', i);
        if (close == std::string::npos) throw InputError("审查意见编号格式缺少“}”：" + pattern + " / unclosed { in review_number_pattern");
        const std::string field = pattern.substr(i + 1, close - i - 1);
        if (field == "year") {
            out += std::to_string(year);
        } else if (field == "seq") {
            out += std::to_string(seq);
            has_seq = true;
        } else if (field.rfind("seq:", 0) == 0 && field.size() > 4 &&
                   std::all_of(field.begin() + 4, field.end(), [](char c) { return c >= '0' && c <= '9'; }) && field.size() <= 6) {
            out += fmt::format("{:0{}d}", seq, std::stoi(field.substr(4)));
            has_seq = true;
        } else {
            throw InputError("审查意见编号格式只认 {year}、{seq} 与 {seq:宽度}，实际有 {" + field + "} / unknown field in review_number_pattern");
        }
        i = close + 1;
    }
    if (!has_seq) throw InputError("审查意见编号格式须含 {seq}（年度流水号）：" + pattern + " / review_number_pattern needs {seq}");
    return out;
}

std::string ShanghaiTime::date_zh() const { return fmt::format("{}年{}月{}日", year, month, day); }
std::string ShanghaiTime::text() const {
    return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", year, month, day, hour, minute, second);
}

ShanghaiTime shanghai_time(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t) + 8 * 3600;  // UTC+8, no daylight saving
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

std::optional<ShanghaiTime> shanghai_time(const std::string& utc) {
    std::tm tm{};
    int y, mo, d, h, mi, s;
    char z = 0;
    if (std::sscanf(utc.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z') return std::nullopt;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return shanghai_time(std::chrono::system_clock::from_time_t(timegm(&tm)));
}

OpinionInfo opinion_info_now(const OpinionSettings& settings, const std::string& reviewer, const std::string& role) {
    OpinionInfo info;
    const auto now = shanghai_time(std::chrono::system_clock::now());
    info.year = now.year;
    info.date_zh = now.date_zh();
    info.issued_at = now.text();
    info.reviewer = reviewer;
    info.reviewer_role = role;
    info.settings = settings;
    return info;
}

nlohmann::json opinion_to_json(const OpinionInfo& info) {
    return {{"number", info.number},     {"date", info.date_zh},       {"issued_at", info.issued_at},
            {"reviewer", info.reviewer}, {"role", info.reviewer_role}, {"issuing_unit", info.settings.issuing_unit}};
}

void add_map_context(Report& r, const PlanIndex& index, const store::PlanStore& reader, std::size_t max_features) {
    // The same colours as the plan's QGIS styles and portal map (one definition in the plan package).
    if (auto styles = reader.package_file(package::kStyles))
        r.map_style = std::make_shared<const MapStyle>(MapStyle::parse(*styles, reader.location() + ":" + package::kStyles));
    static const char* const layers[] = {"mining_blocks",        "exploration_blocks", "key_mining_zones", "key_exploration_zones",
                                         "strategic_reserve_zones", "control_areas",   "control_lines",    "mineral_rights"};
    for (const char* id : layers)
        if (const auto* l = index.layer(id)) {
            std::string zh = l->name_zh;
            if (auto p = zh.find("（"); p != std::string::npos) zh = zh.substr(0, p);
            r.layer_names_zh.emplace(id, zh);
        }
    for (const auto& f : r.findings)
        for (const auto& e : f.evidence)
            if (!r.layer_names_zh.count(e.layer)) {
                std::string zh = index.layer_name_zh(e.layer);
                if (auto p = zh.find("（"); p != std::string::npos) zh = zh.substr(0, p);
                if (!zh.empty() && zh != e.layer) r.layer_names_zh.emplace(e.layer, zh);
            }
    if (r.application.polygon.is_null()) return;
    // The window the sketch map shows: the application with three times its size (at least ~2 km) around it.
    const auto ae = r.application.polygon.envelope();
    const double span = std::max({ae.width(), ae.height(), 0.02});
    const geo::Envelope window{ae.min_x - span, ae.min_y - span, ae.max_x + span, ae.max_y + span};
    std::size_t added = 0;
    for (const char* id : layers) {
        for (const auto& f : index.window(reader, id, window)) {
            if (added >= max_features) return;
            const bool drawn = std::any_of(r.map_features.begin(), r.map_features.end(),
                                           [&](const MapFeature& m) { return m.layer == id && m.feature_id == f.id; });
            if (drawn || !f.envelope.intersects(window)) continue;
            r.map_features.push_back({id, r.layer_names_zh[id], f.id, f.name, f.geometry.clone(), f.schematic, true});
            ++added;
        }
    }
}

}  // namespace minplan::rules
