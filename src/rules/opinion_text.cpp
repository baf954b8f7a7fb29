// What users read instead of identifiers, and the computed parts of the opinion (corner table, overlap
// tables, conclusion) shared by the HTML and DOCX renderings.
#include <algorithm>
#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "core/labels.hpp"
#include "geo/crs.hpp"
#include "rules/detail/opinion_text.hpp"

namespace minplan::rules {

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace minplan::rules

namespace minplan::rules::detail {
namespace {

// Layers a plan database always has; the report's own names (from the schema) come first.
const std::map<std::string, std::string>& known_layers() {
    static const std::map<std::string, std::string> m = {
        {"exploration_blocks", "勘查规划区块"},     {"mining_blocks", "开采规划区块"},
        {"key_mining_zones", "重点开采区"},         {"key_exploration_zones", "重点勘查区"},
        {"strategic_reserve_zones", "战略性矿产资源储备区"}, {"control_areas", "管控区域"},
        {"control_lines", "控制线"},                {"mineral_rights", "已设矿业权"},
        {"admin_city", "行政区界线"},               {"admin_counties", "县区界线"},
        {"concentrated_zones", "集中开采区"},
    };
    return m;
}

}  // namespace

std::string layer_zh(const Report& r, const std::string& layer) {
    if (auto it = r.layer_names_zh.find(layer); it != r.layer_names_zh.end() && !it->second.empty()) return it->second;
    for (const auto& m : r.map_features)
        if (m.layer == layer && !m.layer_zh.empty()) return m.layer_zh;
    if (auto it = known_layers().find(layer); it != known_layers().end()) return it->second;
    return "相关图层";
}

std::string source_format_zh(const std::string& format) {
    static const std::map<std::string, std::string> m = {
        {"mining_right_string", "采矿权登记坐标串"},
        {"exploration_right_string", "探矿权登记坐标串"},
        {"land_parcel_txt", "国土资源部标准坐标文件（TXT）"},
        {"registration_txt", "矿业权登记报盘文件（TXT）"},
        {"geojson", "GeoJSON 矢量文件"},
        {"shapefile", "Shapefile 矢量文件"},
        {"geopackage", "GeoPackage 矢量文件"},
    };
    auto it = m.find(format);
    return it == m.end() ? "坐标文件" : it->second;
}

std::string crs_zh(int epsg) {
    if (epsg == geo::kCgcs2000Geographic) return "2000国家大地坐标系（经纬度）";
    if (epsg >= 4513 && epsg <= 4533)
        return fmt::format("2000国家大地坐标系 高斯-克吕格投影 3度带 第{}带（Y坐标含带号）", epsg - 4488);
    if (epsg >= 4534 && epsg <= 4554)
        return fmt::format("2000国家大地坐标系 高斯-克吕格投影 3度带 第{}带（中央经线{}°）", epsg - 4509, 3 * (epsg - 4509));
    if (epsg >= 4491 && epsg <= 4501) return fmt::format("2000国家大地坐标系 高斯-克吕格投影 6度带 第{}带（Y坐标含带号）", epsg - 4478);
    if (epsg >= 4502 && epsg <= 4512) return fmt::format("2000国家大地坐标系 高斯-克吕格投影 6度带 第{}带", epsg - 4489);
    if (epsg == 4326) return "WGS 84 经纬度（视同2000国家大地坐标系）";
    if (epsg <= 0) return "未声明坐标系";
    return fmt::format("坐标系代码 {}", epsg);  // not a CGCS2000 system an opinion expects
}

std::string clean_section(const std::string& section) {
    static const std::regex marker(R"(\s*\[[^\]]*\])");
    return std::regex_replace(section, marker, "");
}

std::string user_text(const Report& r, const std::string& text) {
    std::string out = text;
    auto replace_word = [&](const std::string& id, const std::string& zh) {
        if (id.empty() || zh.empty() || id == zh) return;
        for (std::size_t pos = 0; (pos = out.find(id, pos)) != std::string::npos;) {
            auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
            const bool left = pos == 0 || !word(out[pos - 1]);
            const bool right = pos + id.size() >= out.size() || !word(out[pos + id.size()]);
            if (left && right) {
                out.replace(pos, id.size(), zh);
                pos += zh.size();
            } else {
                pos += id.size();
            }
        }
    };
    // A message naming an attribute as "标签（key）" keeps the label only.
    for (const auto& d : attribute_defs())
        for (const std::string& k : {"（" + std::string(d.key) + "）", "(" + std::string(d.key) + ")"})
            for (std::size_t pos; (pos = out.find(k)) != std::string::npos;) out.erase(pos, k.size());
    for (const auto& d : attribute_defs()) replace_word(d.key, d.label_zh);
    for (const auto& [id, zh] : r.layer_names_zh) replace_word(id, zh);
    for (const auto& [id, zh] : known_layers()) replace_word(id, layer_zh(r, id));
    for (const char* f : {"mining_right_string", "exploration_right_string", "land_parcel_txt", "registration_txt"})
        replace_word(f, source_format_zh(f));
    replace_word("geometry_source", "几何来源");
    replace_word("schematic", "示意");
    static const std::regex epsg(R"((?:，)?\s*EPSG:(\d+))");  // (?:，): a UTF-8 comma is three bytes
    std::string named;
    auto it = std::sregex_iterator(out.begin(), out.end(), epsg);
    std::size_t last = 0;
    for (; it != std::sregex_iterator(); ++it) {
        named += out.substr(last, static_cast<std::size_t>(it->position()) - last);
        named += (it->str().rfind("，", 0) == 0 ? "，" : "") + crs_zh(std::stoi((*it)[1].str()));
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    named += out.substr(last);
    return clean_section(named);
}

std::string missing_zh(const Report& r, const std::string& item) {
    if (auto colon = item.find(':'); colon != std::string::npos) {
        const std::string table = item.substr(0, colon), value = item.substr(colon + 1);
        if (table == "mine_size_classes") return "矿山规模分类标准中“" + value + "”的规模界限";
        if (table == "minimum_scale") return "“" + value + "”的最低开采规模";
        return "“" + value + "”的标准值";
    }
    for (const auto& d : attribute_defs())
        if (item == d.key) return std::string("申请属性“") + d.label_zh + "”";
    if (r.layer_names_zh.count(item) || known_layers().count(item)) return "图层“" + layer_zh(r, item) + "”的数据";
    return user_text(r, item);
}

std::string dms(double degrees) {
    double v = std::fabs(degrees);
    int d = static_cast<int>(v);
    double rest = (v - d) * 60;
    int m = static_cast<int>(rest);
    double s = (rest - m) * 60;
    if (s >= 59.995) {
        s = 0;
        if (++m == 60) {
            m = 0;
            ++d;
        }
    }
    return fmt::format("{}{}°{:02d}′{:05.2f}″", degrees < 0 ? "-" : "", d, m, s);
}

Corners corner_table(const Report& r, int default_gk_zone) {
    Corners c;
    const auto& app = r.application;
    if (app.polygon.is_null()) return c;
    int epsg = app.source_epsg;
    const bool geographic = epsg == geo::kCgcs2000Geographic || epsg == 4326 || epsg == 0;
    if (geographic) {
        const auto env = app.polygon.envelope();
        int zone = default_gk_zone > 0 ? default_gk_zone : geo::gk3_zone_of((env.min_x + env.max_x) / 2);
        epsg = geo::cgcs2000_gk3_epsg(zone, true);
        c.plane_is_source = false;
    }
    c.plane_crs_zh = crs_zh(epsg);
    const auto& to_plane = geo::cached_transformer(geo::kCgcs2000Geographic, epsg);
    if (!app.corners.empty()) {
        // The corners as the application gives them (点号 as written); plane X/Y as given, or for a
        // geographic input computed in the plan's zone.
        for (const auto& k : app.corners) {
            CornerRow row{k.ring, k.hole, k.id, k.x, k.y, k.lon, k.lat};
            if (geographic) {
                const geo::Coord p = to_plane.apply({k.lon, k.lat});
                row.x = p.y;
                row.y = p.x;
            }
            c.rows.push_back(row);
        }
        return c;
    }
    const auto parts = app.polygon.polygons();
    int ring_no = 0;
    for (const auto& poly : parts)
        for (std::size_t ri = 0; ri < poly.size(); ++ri) {
            ++ring_no;
            const auto& ring = poly[ri];
            const std::size_t n = ring.size() > 1 ? ring.size() - 1 : ring.size();  // closing point not repeated
            for (std::size_t i = 0; i < n; ++i) {
                const geo::Coord p = to_plane.apply(ring[i]);
                c.rows.push_back({ring_no, ri > 0, std::to_string(i + 1), p.y, p.x, ring[i].x, ring[i].y});
            }
        }
    return c;
}

std::vector<std::pair<std::string, std::vector<OverlapRow>>> overlap_tables(const Report& r) {
    std::vector<std::pair<std::string, std::vector<OverlapRow>>> out;
    for (const auto& f : r.findings) {
        if (f.result == Result::NotApplicable) continue;
        for (const auto& e : f.evidence) {
            if (!(e.overlap_m2 > 0)) continue;
            auto layer = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == e.layer; });
            if (layer == out.end()) layer = out.insert(out.end(), {e.layer, {}});
            auto row = std::find_if(layer->second.begin(), layer->second.end(), [&](const auto& x) { return x.feature_id == e.feature_id; });
            const OverlapRow x{e.feature_id, e.name, e.overlap_m2, e.overlap_pct, e.overlap_plane_m2, e.overlap_ellipsoid_m2, e.schematic};
            if (row == layer->second.end()) layer->second.push_back(x);
            else if (e.overlap_m2 > row->m2) *row = x;
        }
    }
    for (auto& [layer, rows] : out) std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.m2 > b.m2; });
    return out;
}

bool relies_on_schematic(const Report& r) {
    if (r.schematic.any()) return true;
    for (const auto& f : r.findings)
        if (f.relies_on_schematic() && f.result != Result::NotApplicable) return true;
    return false;
}

std::string result_class(Result r) {
    switch (r) {
        case Result::Pass: return "pass";
        case Result::Fail: return "fail";
        case Result::Review: return "review";
        case Result::NotApplicable: return "na";
    }
    return "na";
}

namespace {

std::string what_to_verify(const Report& r, const Finding& f) {
    std::vector<std::string> parts;
    std::vector<std::string> attrs, data;
    for (const auto& m : f.missing) {
        bool attr = std::any_of(attribute_defs().begin(), attribute_defs().end(), [&](const auto& d) { return m == d.key; });
        if (attr) attrs.push_back(attribute_label(m));
        else if (const std::string zh = missing_zh(r, m); zh == m) data.push_back("“" + m + "”数据");
        else data.push_back(zh);
    }
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
        return s;
    };
    if (!attrs.empty()) parts.push_back("请申请人提供并核实" + join(attrs) + "，据实判定是否满足本条要求");
    if (!data.empty()) parts.push_back("补充" + join(data) + "后复核，或对照正式规划图件人工核实");
    std::vector<std::string> schematic;
    auto add = [&](const std::string& s) {
        if (std::find(schematic.begin(), schematic.end(), s) == schematic.end()) schematic.push_back(s);
    };
    for (const auto& u : f.schematic) {
        const std::string zh = u.layer_zh.empty() ? layer_zh(r, u.layer) : u.layer_zh;
        if (u.features.empty()) {
            add(zh);
            continue;
        }
        std::string names;
        for (const auto& x : u.features) names += (names.empty() ? "" : "、") + x;
        if (u.feature_count > u.features.size()) names += fmt::format("等{}个要素", u.feature_count);
        add(zh + "“" + names + "”");
    }
    for (const auto& e : f.evidence)
        if (e.schematic) add(layer_zh(r, e.layer) + "“" + (e.name.empty() ? e.feature_id : e.name) + "”");
    if (!schematic.empty())
        parts.push_back("依据的" + join(schematic) + "为示意几何，请对照正式规划图件核实申请范围与其空间关系");
    if (parts.empty()) parts.push_back("核实：" + user_text(r, f.message));
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : "；") + p;
    return s + "。";
}

}  // namespace

Conclusion conclusion(const Report& r) {
    Conclusion c;
    int fails = 0, reviews = 0, warnings = 0;
    int n = 0;
    for (const auto& f : r.findings) {
        const std::string title = fmt::format("第{}项 {}", ++n, f.title_zh);
        if (f.result == Result::Fail && f.severity == Severity::Veto) {
            ++fails;
            if (r.verdict == Verdict::NonConformant) c.deciding.push_back(title + "：不通过（否决项）。" + user_text(r, f.message));
        } else if (f.result == Result::Fail && f.severity == Severity::Warning) {
            ++warnings;
            if (r.verdict == Verdict::Review) c.deciding.push_back(title + "：不通过（警告项）。" + user_text(r, f.message));
        }
        if (f.result == Result::Review) {
            ++reviews;
            c.to_verify.push_back({title, what_to_verify(r, f)});
        }
    }
    if (r.verdict == Verdict::Review)
        for (const auto& note : r.application.input_notes) c.deciding.push_back("坐标读取：" + user_text(r, note));
    const std::string name = "“" + r.application.name + "”" + to_zh(r.application.action) + to_zh(r.application.kind) + "申请";
    if (r.verdict == Verdict::NonConformant)
        c.summary = fmt::format("经审查，{}存在{}项否决项不通过，不符合《{}》。", name, fails, r.plan_name_zh);
    else if (r.verdict == Verdict::Review)
        c.summary = fmt::format("经审查，{}未发现否决项不通过，但有{}项需人工核查{}，须经审查人逐项核实后方可形成“符合”或“不符合”的结论。", name,
                                reviews, warnings ? fmt::format("、{}项警告项不通过", warnings) : std::string());
    else
        c.summary = fmt::format("经审查，{}符合《{}》各项准入要求。", name, r.plan_name_zh);
    if (r.verdict == Verdict::Conformant) c.deciding.push_back("所有适用的审查事项均为通过（提示项不影响结论）。");
    return c;
}

}  // namespace minplan::rules::detail
