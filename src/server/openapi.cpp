// The OpenAPI 3 description of /api, built as JSON so that it cannot drift into invalid syntax.
#include <nlohmann/json.hpp>

#include "server/api.hpp"
#include "server/server.hpp"

namespace minplan::server {
namespace {

using nlohmann::json;

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json query_param(const std::string& name, const std::string& desc, const json& schema, bool required = false) {
    return {{"name", name}, {"in", "query"}, {"required", required}, {"description", desc}, {"schema", schema}};
}

json path_param(const std::string& name, const std::string& desc, const json& schema) {
    return {{"name", name}, {"in", "path"}, {"required", true}, {"description", desc}, {"schema", schema}};
}

json ok(const std::string& desc, const json& schema, const std::string& type = "application/json") {
    return {{"description", desc}, {"content", {{type, {{"schema", schema}}}}}};
}

json error(const std::string& desc) { return ok(desc, ref("Error")); }

json get(const std::string& summary, const json& params, json responses) {
    responses["500"] = error("服务器内部错误 / internal error");
    return {{"get", {{"summary", summary}, {"parameters", params}, {"responses", responses}}}};
}

}  // namespace

std::string openapi_document() {
    json obj = {{"type", "object"}};
    json paths;
    paths["/api/layers"] = get("图层列表（代码、中文名、要素数、字段及中文别名）/ layers with field aliases", json::array(),
                               {{"200", ok("图层列表", ref("LayerList"))}});
    paths["/api/layers/{id}/features"] = get(
        "图层要素，GeoJSON（EPSG:4490），属性含 geometry_source（schematic = 示意几何）/ features as GeoJSON",
        {path_param("id", "图层内部名、代码或中文名，如 mining_blocks、KAICQK", {{"type", "string"}}),
         query_param("bbox", "最小经度,最小纬度,最大经度,最大纬度（EPSG:4490）", {{"type", "string"}, {"example", "113,39.5,114.5,40.5"}}),
         query_param("limit", "最多返回条数，默认 " + std::to_string(kDefaultLimit) + "，上限 " + std::to_string(kMaxLimit),
                     {{"type", "integer"}, {"minimum", 0}}),
         query_param("offset", "跳过条数（分页）", {{"type", "integer"}, {"minimum", 0}}),
         {{"name", "filters"}, {"in", "query"}, {"style", "form"}, {"explode", true},
          {"description", "其他任意参数视为字段等值过滤：字段名（内部名、代码或中文别名）=值，如 mineral=煤炭"},
          {"schema", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}},
        {{"200", ok("要素集合", ref("FeatureCollection"), "application/geo+json")},
         {"400", error("bbox、分页参数或字段名无效 / bad bbox, paging or field")},
         {"404", error("没有该图层 / unknown layer")}});
    paths["/api/features/{layer}/{fid}"] = get(
        "单个要素详情 / one feature",
        {path_param("layer", "图层", {{"type", "string"}}), path_param("fid", "要素编号", {{"type", "integer"}})},
        {{"200", ok("要素（含 bbox）", ref("Feature"), "application/geo+json")},
         {"400", error("要素编号不是整数")}, {"404", error("没有该图层或要素")}});
    paths["/api/search"] = get(
        "按名称、编号、许可证号搜索各图层 / search names, codes and licence numbers",
        {query_param("q", "搜索词（部分匹配）", {{"type", "string"}}, true)},
        {{"200", ok("搜索结果（最多50条）", ref("SearchResult"))}, {"400", error("缺少或过长的搜索词")}});
    paths["/api/tables"] = get("专栏列表 / the plan's tables", json::array(), {{"200", ok("专栏列表", obj)}});
    paths["/api/tables/{id}"] = get(
        "专栏内容（字段、行；专栏2含重算合计的透视表）/ one 专栏",
        {path_param("id", "专栏编号（如 2）或表名（如 zl02_mines_by_county）", {{"type", "string"}})},
        {{"200", ok("专栏", obj)}, {"404", error("没有该专栏")}});
    paths["/api/summary"] = get("规划概览 / the plan at a glance", json::array(), {{"200", ok("概览", obj)}});
    paths["/api/openapi.json"] = get("本文档 / this document", json::array(), {{"200", ok("OpenAPI 3", obj)}});
    paths["/api/monitor"] = get("监测指标（尚未接入，返回501）/ indicators (not wired in yet)",
                                {query_param("year", "年份", {{"type", "integer"}})},
                                {{"501", error("尚未接入")}});
    paths["/api/check"] = {{"post", {
        {"summary", "合规性审查：提交申请范围，返回结论与依据 / conformance check: verdict with evidence"},
        {"parameters", {query_param("kind", "申请类型（如 mining、exploration；坐标串可自动识别）", {{"type", "string"}}),
                        query_param("action", "申请事项（默认 new）", {{"type", "string"}}),
                        {{"name", "attributes"}, {"in", "query"}, {"style", "form"}, {"explode", true},
                         {"description", "其他参数视为申请属性，如 mineral=煤炭"},
                         {"schema", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}},
        {"requestBody", {{"required", true}, {"content", {
            {"application/geo+json", {{"schema", obj}}}, {"application/json", {{"schema", obj}}},
            {"text/plain", {{"schema", {{"type", "string"}, {"description", "采矿权/探矿权坐标串、国土TXT、登记TXT"}}}}}}}}},
        {"responses", {{"200", ok("审查报告（verdict、findings 及依据）", obj)}, {"400", error("JSON 或坐标格式错误")},
                       {"413", error("请求体过大")}, {"415", error("不支持的内容类型")}, {"500", error("服务器内部错误")}}}}}};

    json schemas;
    schemas["Error"] = {{"type", "object"}, {"required", {"error"}},
                        {"properties", {{"error", {{"type", "object"}, {"properties", {
                            {"status", {{"type", "integer"}}}, {"message", {{"type", "string"}, {"description", "中文说明，指出如何修改请求"}}}}}}}}}};
    schemas["Field"] = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}, {"code", {{"type", "string"}}},
                        {"alias_zh", {{"type", "string"}}}, {"type", {{"type", "string"}}}, {"unit", {{"type", "string"}}}}}};
    schemas["LayerList"] = {{"type", "object"}, {"properties", {{"layers", {{"type", "array"}, {"items", {
        {"type", "object"}, {"properties", {{"id", {{"type", "string"}}}, {"code", {{"type", "string"}}},
        {"name_zh", {{"type", "string"}}}, {"spatial", {{"type", "boolean"}}}, {"feature_count", {{"type", "integer"}}},
        {"epsg", {{"type", "integer"}}}, {"fields", {{"type", "array"}, {"items", ref("Field")}}}}}}}}}}}};
    schemas["Feature"] = {{"type", "object"}, {"properties", {{"type", {{"type", "string"}}}, {"id", {{"type", "integer"}}},
        {"geometry", {{"type", "object"}, {"nullable", true}}},
        {"properties", {{"type", "object"}, {"description", "字段内部名→值；geometry_source = schematic 表示示意几何"}}}}}};
    schemas["FeatureCollection"] = {{"type", "object"}, {"properties", {{"type", {{"type", "string"}}},
        {"layer", {{"type", "string"}}}, {"numberReturned", {{"type", "integer"}}},
        {"features", {{"type", "array"}, {"items", ref("Feature")}}}}}};
    schemas["SearchResult"] = {{"type", "object"}, {"properties", {{"q", {{"type", "string"}}},
        {"truncated", {{"type", "boolean"}}}, {"results", {{"type", "array"}, {"items", obj}}}}}};

    json doc = {{"openapi", "3.0.3"},
                {"info", {{"title", "minplan 矿产资源规划门户 API"}, {"version", "0.1.0"},
                          {"description", "规划图层、要素、专栏与概览；坐标为 CGCS2000 经纬度（EPSG:4490）。错误均为 JSON：{error:{status,message}}。"}}},
                {"paths", paths},
                {"components", {{"schemas", schemas}}}};
    return doc.dump(1);
}

}  // namespace minplan::server
