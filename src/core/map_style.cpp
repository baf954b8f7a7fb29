#include "core/map_style.hpp"

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace minplan {

namespace {

using nlohmann::json;

std::string text(const json& j, const char* key, const std::string& where, bool required) {
    if (!j.contains(key) || j[key].is_null()) {
        if (required) throw InputError(where + "：缺少键 \"" + key + "\" / missing key");
        return {};
    }
    if (!j[key].is_string()) throw InputError(where + "：键 \"" + key + "\" 应为字符串 / must be a string");
    return j[key].get<std::string>();
}

std::string colour(const json& j, const char* key, const std::string& where) {
    static const std::regex hex("#[0-9a-fA-F]{6}");
    std::string c = text(j, key, where, true);
    if (!std::regex_match(c, hex))
        throw InputError(where + "：键 \"" + key + "\" 应为 #rrggbb 形式的颜色，实际为 \"" + c + "\" / expected #rrggbb");
    return c;
}

double number(const json& j, const char* key, const std::string& where, double fallback, double lo, double hi) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_number() || j[key].get<double>() < lo || j[key].get<double>() > hi)
        throw InputError(where + "：键 \"" + key + "\" 应为 " + std::to_string(lo) + "～" + std::to_string(hi) +
                         " 之间的数 / number out of range");
    return j[key].get<double>();
}

}  // namespace

MapStyle MapStyle::parse(const std::string& text_json, const std::string& context) {
    json doc;
    try {
        doc = json::parse(text_json);
    } catch (const json::exception& e) {
        throw InputError(context + "：JSON 语法错误 / syntax error: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_array())
        throw InputError(context + "：应为含 \"layers\" 数组的 JSON 对象 / expected an object with a layers array");
    MapStyle m;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < doc["layers"].size(); ++i) {
        const json& l = doc["layers"][i];
        const std::string where = context + " layers[" + std::to_string(i) + "]";
        if (!l.is_object()) throw InputError(where + "：应为对象 / must be an object");
        LayerStyle s;
        s.layer = text(l, "layer", where, true);
        if (!seen.insert(s.layer).second) throw InputError(where + "：图层 \"" + s.layer + "\" 重复 / layer listed twice");
        s.group_zh = text(l, "group_zh", where, true);
        s.legend_zh = text(l, "legend_zh", where, true);
        s.fill = colour(l, "fill", where);
        s.fill_opacity = number(l, "fill_opacity", where, 0.3, 0, 1);
        s.stroke = colour(l, "stroke", where);
        s.width_px = number(l, "width_px", where, 1.5, 0.1, 20);
        s.label_field = text(l, "label_field", where, false);
        s.max_scale_denominator = number(l, "max_scale_denominator", where, 0, 0, 1e9);
        m.layers.push_back(std::move(s));
    }
    if (doc.contains("schematic")) {
        const json& sc = doc["schematic"];
        const std::string where = context + " schematic";
        m.schematic_note_zh = text(sc, "note_zh", where, false);
        if (sc.contains("dash_px")) {
            if (!sc["dash_px"].is_array() || sc["dash_px"].size() != 2 || !sc["dash_px"][0].is_number() || !sc["dash_px"][1].is_number())
                throw InputError(where + "：dash_px 应为两个数 [实线长, 间隔] / expected [dash, gap]");
            m.schematic_dash_px = {sc["dash_px"][0].get<double>(), sc["dash_px"][1].get<double>()};
        }
        if (sc.contains("labels") && sc["labels"].is_object())
            for (const auto& [k, v] : sc["labels"].items())
                if (v.is_string()) m.geometry_source_labels[k] = v.get<std::string>();
    }
    if (doc.contains("label")) {
        const json& lb = doc["label"];
        const std::string where = context + " label";
        if (lb.contains("color")) m.label_color = colour(lb, "color", where);
        if (lb.contains("halo_color")) m.halo_color = colour(lb, "halo_color", where);
        m.halo_px = number(lb, "halo_px", where, m.halo_px, 0, 20);
        m.label_size_px = number(lb, "size_px", where, m.label_size_px, 4, 72);
    }
    return m;
}

const LayerStyle* MapStyle::find(const std::string& layer) const {
    for (const auto& l : layers)
        if (l.layer == layer) return &l;
    return nullptr;
}

std::string MapStyle::to_json() const {
    json layers_json = json::array();
    for (const auto& l : layers)
        layers_json.push_back({{"layer", l.layer}, {"group_zh", l.group_zh}, {"legend_zh", l.legend_zh}, {"fill", l.fill},
                               {"fill_opacity", l.fill_opacity}, {"stroke", l.stroke}, {"width_px", l.width_px},
                               {"label_field", l.label_field}, {"max_scale_denominator", l.max_scale_denominator}});
    json out{{"layers", layers_json},
             {"schematic", {{"dash_px", schematic_dash_px}, {"note_zh", schematic_note_zh}, {"labels", geometry_source_labels}}},
             {"label", {{"color", label_color}, {"halo_color", halo_color}, {"halo_px", halo_px}, {"size_px", label_size_px}}}};
    return out.dump();
}

Rgb parse_rgb(const std::string& hex) {
    if (hex.size() != 7) return {};
    return {std::stoi(hex.substr(1, 2), nullptr, 16), std::stoi(hex.substr(3, 2), nullptr, 16), std::stoi(hex.substr(5, 2), nullptr, 16)};
}

}  // namespace minplan
