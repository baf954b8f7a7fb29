// Structure: the layers the plan requires, their CRS, and codes fit for exchange (DZ/T 0226—2020 4–5, 7).
#include <cctype>

#include "services/qc/detail.hpp"
#include "store/physical_columns.hpp"

namespace minplan::services::qc::detail {

namespace {

// Shapefile/DBF field names are at most 10 bytes; DZ/T codes are upper-case ASCII (dzt0226-2020.md §13).
bool exchange_code(const std::string& code) {
    if (code.empty() || code.size() > 10) return false;
    for (unsigned char c : code)
        if (!(std::isupper(c) || std::isdigit(c) || c == '_')) return false;
    return true;
}

const char* type_zh(FieldType t) {
    switch (t) {
        case FieldType::String: return "文本";
        case FieldType::Integer: return "整数";
        case FieldType::Real: return "实数";
        case FieldType::Date: return "日期";
        case FieldType::Boolean: return "布尔";
    }
    return "";
}

// Every field of the stored schema against the table the database really has (its declared column
// types, through the store: GeoPackage PRAGMA table_info, PostGIS information_schema).
void check_field_types(const store::PlanStore& plan, const store::LayerInfo& l, const TableSchema& s, Collector& out) {
    auto columns = store::physical_columns(plan, l.id);
    if (!columns) return;  // a store that cannot tell
    for (const auto& f : s.fields) {
        const store::PhysicalColumn* col = nullptr;
        for (const auto& c : *columns)
            if (c.name == f.code) col = &c;
        if (!col) {
            out.add_layer("field_type", s, "字段 " + f.code + "（" + f.alias_zh + "）在数据库表 " + s.code + " 中不存在",
                          {{"field", f.name}, {"code", f.code}, {"expected", to_string(f.type)}, {"found", nullptr}});
        } else if (col->type != f.type) {
            out.add_layer("field_type", s,
                          "字段 " + f.code + "（" + f.alias_zh + "）的列类型为 " + col->declared + "，图层模式要求" + type_zh(f.type),
                          {{"field", f.name}, {"code", f.code}, {"expected", to_string(f.type)}, {"found", col->declared}});
        }
    }
}

}  // namespace

void check_structure(const LayerReader& reader, Collector& out) {
    const QcConfig& config = out.config();
    // A database build never wrote (an export of one layer, another program's GeoPackage): said first.
    if (out.enabled("plan_database")) {
        std::vector<std::string> missing;
        for (const char* key : {"id", "name_zh", "period_start", "period_end"})
            if (!reader.store().metadata(key).value_or("").size()) missing.push_back(key);
        if (!missing.empty()) {
            std::string list;
            for (const auto& k : missing) list += (list.empty() ? "" : "、") + k;
            out.add("plan_database", FeatureRef{}, "数据库缺少规划元数据 " + list + "：不是 minplan 规划数据库（minplan build 生成），或元数据已损坏",
                    {{"missing", missing}});
        }
    }
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
        if (out.enabled("field_type")) check_field_types(reader.store(), l, s, out);
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
