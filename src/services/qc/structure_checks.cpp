// Structure: the layers the plan requires, their CRS, and codes fit for exchange (DZ/T 0226—2020 4–5, 7).
#include <cctype>

#include "services/qc/detail.hpp"

namespace minplan::services::qc::detail {

namespace {

// Shapefile/DBF field names are at most 10 bytes; DZ/T codes are upper-case ASCII (dzt0226-2020.md §13).
bool exchange_code(const std::string& code) {
    if (code.empty() || code.size() > 10) return false;
    for (unsigned char c : code)
        if (!(std::isupper(c) || std::isdigit(c) || c == '_')) return false;
    return true;
}

}  // namespace

void check_structure(const LayerReader& reader, Collector& out) {
    const QcConfig& config = out.config();
    const auto layers = reader.store().layers();
    for (const auto& rules : config.layers) {
        if (!rules.required || !out.enabled("layer_missing")) continue;
        bool found = false;
        for (const auto& l : layers)
            if (l.id == rules.layer) found = l.feature_count > 0;
        if (!found)
            out.add_layer("layer_missing", reader.schema(rules.layer), "规划要求的图层 " + rules.layer + " 没有要素",
                          {{"layer", rules.layer}, {"features", 0}});
    }
    for (const auto& l : layers) {
        const TableSchema& s = reader.schema(l.id);
        if (l.spatial && l.epsg != config.crs_epsg && out.enabled("layer_crs"))
            out.add_layer("layer_crs", s, "坐标系为 EPSG:" + std::to_string(l.epsg) + "，规划设置为 EPSG:" + std::to_string(config.crs_epsg),
                          {{"stated", config.crs_epsg}, {"found", l.epsg}});
        if (out.enabled("field_code"))
            for (const auto& f : s.fields)
                if (!exchange_code(f.code))
                    out.add_layer("field_code", s, "字段 " + f.name + " 的代码 \"" + f.code + "\" 不宜用于 Shapefile/DBF 交换",
                                  {{"field", f.name}, {"code", f.code}});
        if (l.spatial && out.enabled("code_mapping") && s.code_origin.find("DZ/T 0226") == std::string::npos)
            out.add_layer("code_mapping", s, "图层代码 " + s.code + " 的来源为 " + (s.code_origin.empty() ? "未注明" : s.code_origin) +
                                                 "，未对应到 DZ/T 0226—2020 代码",
                          {{"code", s.code}, {"code_origin", s.code_origin}});
    }
}

}  // namespace minplan::services::qc::detail
