// The OpenAPI 3 description of /api, built as JSON so that it cannot drift into invalid syntax.
#include <nlohmann/json.hpp>

#include "server/api.hpp"
#include "server/auth.hpp"
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

// The plan's history (server/history_api.hpp): ?as_of= on the read routes, change sets, diff, audit trail.
void add_history_paths(json& paths) {
    json obj = {{"type", "object"}};
    json date = {{"type", "string"}, {"format", "date"}, {"example", "2022-06-01"}};
    json as_of = query_param("as_of", "按日期读取当时有效的规划（YYYY-MM-DD，默认今天）/ the plan in force on that date", date);
    for (const char* path : {"/api/layers", "/api/layers/{id}/features", "/api/tables/{id}", "/api/layers/{id}/export"})
        if (paths.contains(path)) {
            json& params = paths[path]["get"]["parameters"];
            // A single parameter may have been written as one object rather than a list of one.
            if (!params.is_array()) params = params.is_null() ? json::array() : json::array({params});
            params.push_back(as_of);
        }
    paths["/api/changesets"] = get("调整批次列表（公众只见已批准的批次）/ change sets", json::array(), {{"200", ok("批次列表", obj)}});
    paths["/api/changesets/{id}"] = get("调整批次及其变更项 / one change set with its items",
                                        json::array({path_param("id", "批次号", {{"type", "integer"}})}),
                                        {{"200", ok("批次", obj)}, {"404", error("没有该批次")}});
    json point = {{"type", "string"}, {"description", "日期 YYYY-MM-DD 或已批准的批次号"}};
    paths["/api/diff"] = get("两个日期或批次之间的规划变化（新增、注销、修改及专栏合计变化）/ plan diff",
                             json::array({query_param("from", "起点", point, true), query_param("to", "终点（默认今天）", point),
                                          query_param("format", "json | geojson | xlsx（调整情况表）", {{"type", "string"}})}),
                             {{"200", ok("变化", obj)}, {"400", error("日期或批次号无效")}});
    paths["/api/audit"] = get("审计记录：每次写操作（管理员）/ the audit trail (admin)",
                              json::array({query_param("from", "起始日期", date), query_param("to", "截止日期（含）", date),
                                           query_param("user", "操作者", {{"type", "string"}}),
                                           query_param("action", "操作前缀（import、changeset、login …）", {{"type", "string"}}),
                                           query_param("object", "对象包含的文字", {{"type", "string"}}),
                                           query_param("limit", "最多条数（默认 1000）", {{"type", "integer"}}),
                                           query_param("format", "json | csv | xlsx（导出全部筛选结果）", {{"type", "string"}})}),
                              {{"200", ok("审计记录", obj)}, {"401", error("未登录")}, {"403", error("需要管理员")}});
    // The change-set writes (server/changeset_api.cpp).
    json id = path_param("id", "批次号", {{"type", "integer"}});
    auto post = [&](const std::string& summary, const json& params, const std::string& type, const std::string& who) {
        return json{{"post", {{"summary", summary + "（" + who + "）"},
                              {"parameters", params},
                              {"requestBody", {{"content", {{type, {{"schema", obj}}}}}}},
                              {"responses", {{"200", ok("结果", obj)}, {"400", error("输入有误（error.problems 逐行列出）")},
                                             {"401", error("未登录")}, {"403", error("角色不足")}, {"404", error("没有该批次")}}}}}};
    };
    paths["/api/changesets"]["post"] = post("新建调整批次（草稿）：{name, effective_date, kind, reason, doc_no, doc_date}", json::array(),
                                            "application/json", "审查员及以上")["post"];
    paths["/api/changesets/{id}/items"] = post("上传调整数据文件（file，含操作列：新增/修改/注销；layer；encoding）", json::array({id}),
                                               "multipart/form-data", "审查员及以上");
    paths["/api/changesets/{id}/submit"] = post("检查调整规则并提交", json::array({id}), "application/json", "审查员及以上");
    paths["/api/changesets/{id}/approve"] = post("批准：先质检，有错误须 {force: true, reason}", json::array({id}), "application/json", "规划员及以上");
    paths["/api/changesets/{id}/reject"] = post("退回：{note}", json::array({id}), "application/json", "规划员及以上");
    paths["/api/changesets/{id}/qc"] = get("调整批次生效后规划的质检（只列出该批次带来的问题）/ QC of the plan as the set would leave it",
                                           json::array({id}), {{"200", ok("质检报告", obj)}, {"404", error("没有该批次")}});
}

// GET /api/monitor and the downloads (server/monitor_api.hpp, server/downloads.hpp).
void add_monitor_paths(json& paths) {
    json obj = {{"type", "object"}};
    json year = query_param("year", "规划期内的年度（2021–2025）", {{"type", "integer"}, {"example", 2023}});
    paths["/api/monitor"] = get(
        "规划实施监测指标：给出 year 时返回该年度各指标的实际值、状态（met 已达成 / on_track 按进度 / at_risk 有风险 / "
        "breached 未达标 / manual 需人工核查 / no_data 无数据）及判定依据，逐年开采量对照上限，三率结果；"
        "不给 year 时返回规划期与有数据的年度 / yearly indicators with status and deciding rule",
        {query_param("year", "规划期内的年度（2021–2025）；省略则返回规划期概况", {{"type", "integer"}, {"example", 2023}}),
         query_param("county", "县区：按指标分解表的县级目标评价该县（与 minplan monitor --county 相同）", {{"type", "string"}}, false)},
        {{"200", ok("年度评估（indicators[].status、rule；extraction；sanlv）或规划期概况", obj)},
         {"400", error("year 不是整数或不在规划期内 / year outside the plan period")}});
    paths["/api/downloads/report.xlsx"] = get(
        "年度监测评估工作簿（XLSX，专栏8格式等各表）/ the year's monitoring workbook", {year},
        {{"200", ok("XLSX 文件（Content-Disposition 含 UTF-8 文件名）", {{"type", "string"}, {"format", "binary"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
         {"400", error("缺少 year 或不在规划期内")}});
    paths["/api/downloads/report.html"] = get(
        "年度规划实施评估报告（HTML，内嵌 SVG 图表）/ the year's evaluation report", {year},
        {{"200", ok("HTML 文件", {{"type", "string"}}, "text/html")}, {"400", error("缺少 year 或不在规划期内")}});
    paths["/api/map.pdf"] = get(
        "专题图 PDF：门户打印页（图例、比例尺、指北针、坐标系、日期、数据来源、示意说明）由 Chromium 打印（审查员及以上）/ the printed thematic map",
        {query_param("layers", "显示的图层编号，逗号分隔（默认全部）", {{"type", "string"}}),
         query_param("bbox", "minLon,minLat,maxLon,maxLat（CGCS2000）", {{"type", "string"}}),
         query_param("paper", "A4（默认）或 A3", {{"type", "string"}, {"enum", {"A4", "A3"}}}),
         query_param("orientation", "landscape（默认）或 portrait", {{"type", "string"}, {"enum", {"landscape", "portrait"}}})},
        {{"200", ok("PDF", {{"type", "string"}, {"format", "binary"}}, "application/pdf")}, {"400", error("参数无效")},
         {"401", error("未登录")}, {"503", error("服务器未安装 chromium 或文档工具繁忙")}});
    paths["/api/layers/{id}/export"] = get(
        "导出图层（GeoJSON、GeoPackage 或 zip 压缩的 Shapefile），保留全部字段，示意几何标记 JHLY = schematic / export a layer",
        {path_param("id", "图层内部名、代码或中文名", {{"type", "string"}}),
         query_param("format", "geojson（默认）、gpkg 或 shp", {{"type", "string"}, {"enum", {"geojson", "gpkg", "shp"}}}),
         query_param("encoding", "Shapefile 属性编码，写入 .cpg：UTF-8（默认）或 GBK", {{"type", "string"}, {"enum", {"UTF-8", "GBK"}}})},
        {{"200", ok("导出文件", {{"type", "string"}, {"format", "binary"}}, "application/octet-stream")},
         {"400", error("不支持的格式或编码，或文本无法用 GBK 表示")}, {"404", error("没有该图层")}});
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
         query_param("zoom", "按地图缩放级简化（大图层用）：GEOS 保持拓扑的简化，容差为半个像素，分辨率 = 360/(256·2^zoom) 度/像素"
                     "（与网页地图 EPSG:4490 视图的缩放级一致）；响应含 simplification 的顶点数统计",
                     {{"type", "number"}, {"minimum", 0}, {"maximum", 24}, {"example", 9}}),
         query_param("resolution", "按分辨率（度/像素）简化，与 zoom 二选一；容差为 resolution/2",
                     {{"type", "number"}, {"exclusiveMinimum", true}, {"minimum", 0}, {"maximum", 1}}),
         {{"name", "filters"}, {"in", "query"}, {"style", "form"}, {"explode", true},
          {"description", "其他任意参数视为字段等值过滤：字段名（内部名、代码或中文别名）=值，如 mineral=煤炭"},
          {"schema", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}},
        {{"200", ok("要素集合", ref("FeatureCollection"), "application/geo+json")},
         {"400", error("bbox、分页参数、zoom/resolution 或字段名无效 / bad bbox, paging, zoom or field")},
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
    paths["/api/gaps"] = get(
        "边角、夹缝资源（与 minplan gaps --json 相同）/ corner and gap resources",
        {query_param("within", "查找范围图层（默认开采规划区块）", {{"type", "string"}}, false),
         query_param("bbox", "范围 最小经度,最小纬度,最大经度,最大纬度", {{"type", "string"}}, false),
         query_param("min-area-km2", "最小独立设权面积（平方公里）", {{"type", "number"}}, false),
         query_param("max-width-m", "最小独立设权宽度（米）", {{"type", "number"}}, false),
         query_param("adjacency-m", "相邻判定距离（米）", {{"type", "number"}}, false)},
        {{"200", ok("GeoJSON 要素集与汇总", obj, "application/geo+json")}, {"400", error("参数不是正数或图层不是空间图层")}, {"404", error("没有该图层")}});
    paths["/api/release"] = get("已入库的各年度矿业权投放计划（与 minplan release list --json 相同）/ stored release plans", json::array(),
                                {{"200", ok("各年度投放计划", obj)}});
    paths["/api/release/{year}"] = get(
        "某年度已入库的投放计划 / one year's stored release plan", {path_param("year", "投放年度", {{"type", "integer"}})},
        {{"200", ok("投放计划", obj)}, {"404", error("该年度没有入库的投放计划")}});
    paths["/api/reserves"] = get(
        "保有资源储量台账（与 minplan reserves --json 相同）/ the reserves ledger",
        {query_param("year", "年度（只列该年；默认全部年度）", {{"type", "integer"}}, false)},
        {{"200", ok("各年度期初、新增查明、动用、期末及差异", obj)}, {"400", error("年度不是四位数字或早于规划基期")}});
    paths["/api/sanlv"] = get(
        "矿山“三率”年度公布（与 minplan sanlv YEAR --json 相同）/ the yearly 三率 publication",
        {query_param("year", "规划期内的年度", {{"type", "integer"}}, true)},
        {{"200", ok("各矿山最低指标与领跑者结论、大中型矿山达标率与目标", obj)}, {"400", error("缺少年度或不在规划期内")}});
    paths["/api/downloads/sanlv.xlsx"] = get(
        "矿山“三率”年度公布表（XLSX，与 minplan sanlv YEAR --xlsx 相同）/ the 三率 lists as XLSX",
        {query_param("year", "规划期内的年度", {{"type", "integer"}}, true)},
        {{"200", ok("XLSX 文件", {{"type", "string"}, {"format", "binary"}}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
         {"400", error("缺少年度或不在规划期内")}});
    paths["/api/downloads/sanlv.html"] = get(
        "矿山“三率”年度公布网页（HTML，与 minplan sanlv YEAR --html 相同）/ the 三率 publication page",
        {query_param("year", "规划期内的年度", {{"type", "integer"}}, true)},
        {{"200", ok("HTML 文件", {{"type", "string"}}, "text/html")}, {"400", error("缺少年度或不在规划期内")}});
    paths["/api/geoenv"] = get(
        "矿山地质环境监管与绿色矿山名录（与 minplan geoenv VIEW --json 相同）/ geo-environment supervision",
        {query_param("view", "sites（图斑与责任主体）、open（未治理图斑）、overdue（逾期工程）、change（两期变化，含图形）、register（绿色矿山名录）、"
                     "campaigns（监测批次与发现图斑）、projects（治理工程）、zones（专栏15分区进度）、history（名录全部状态变更）、"
                     "greenmap（名录落图 GeoJSON：按采矿许可证号关联采矿权，或名录经纬度；其余列为未落图）。"
                     "匿名访问只得到规划公开的内容（rules.json settings.geoenv.public），未公开的视图返回 403",
                     {{"type", "string"}}, false),
         query_param("by", "open：county（行政区）或 holder（责任单位）", {{"type", "string"}}, false),
         query_param("date", "open/register/greenmap：日期 YYYY-MM-DD（默认今天）", {{"type", "string"}}, false),
         query_param("year", "overdue/projects/zones：年度（默认今年）", {{"type", "integer"}}, false),
         query_param("from", "change：前一期监测批次编号", {{"type", "string"}}, false),
         query_param("to", "change：后一期监测批次编号", {{"type", "string"}}, false),
         query_param("min-growth-ha", "change：视为扩大的最小新增面积（公顷）", {{"type", "number"}}, false)},
        {{"200", ok("视图内容", obj)}, {"400", error("未知视图、日期或监测批次")}, {"403", error("规划未向公众公开该内容，请登录")}});
    paths["/api/tables"] = get("专栏列表 / the plan's tables", json::array(), {{"200", ok("专栏列表", obj)}});
    paths["/api/tables/{id}"] = get(
        "专栏内容（字段、行；专栏2含重算合计的透视表）/ one 专栏",
        {path_param("id", "专栏编号（如 2）或表名（如 zl02_mines_by_county）", {{"type", "string"}})},
        {{"200", ok("专栏", obj)}, {"404", error("没有该专栏")}});
    paths["/api/summary"] = get("规划概览 / the plan at a glance", json::array(), {{"200", ok("概览", obj)}});
    paths["/api/styles"] = get("规划图层样式（填充、边线、虚线示意、标注字段、图例、绘制顺序）/ the plan's map style", json::array(),
                               {{"200", ok("样式定义（styles.json）", obj)}});
    paths["/api/qc"] = get("最近一次质检结果（规划员；build/import 记录）/ the last quality-check result (planners)", json::array(),
                           {{"200", ok("质检结果", obj)}});
    paths["/api/qc/report"] = get("当前规划的完整质检报告：汇总、问题清单、位置（规划员）/ the whole quality-check report (planners)",
                                  json::array({query_param("format", "json | geojson（问题位置）", {{"type", "string"}})}),
                                  {{"200", ok("质检报告", obj)}, {"400", error("format 无效")}, {"401", error("未登录")}, {"403", error("需要规划员")}});
    paths["/api/config"] = get("门户配置：可选底图瓦片地址（minplan serve --tiles）/ portal configuration: optional tile URL", json::array(), {{"200", ok("配置", obj)}});
    paths["/api/openapi.json"] = get("本文档 / this document", json::array(), {{"200", ok("OpenAPI 3", obj)}});
    add_monitor_paths(paths);
    paths["/api/check"] = {{"post", {
        {"summary", "合规性审查：提交申请范围，返回结论与依据 / conformance check: verdict with evidence"},
        {"parameters", {query_param("kind", "申请类型（如 mining、exploration；坐标串可自动识别）", {{"type", "string"}}),
                        query_param("action", "申请事项（默认 new）", {{"type", "string"}}),
                        {{"name", "attributes"}, {"in", "query"}, {"style", "form"}, {"explode", true},
                         {"description", "其他参数视为申请属性，如 mineral=煤炭"},
                         {"schema", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}},
        {"requestBody", {{"required", true}, {"content", {
            {"application/geo+json", {{"schema", obj}}}, {"application/json", {{"schema", obj}}},
            {"text/plain", {{"schema", {{"type", "string"}, {"description", "采矿权/探矿权坐标串、国土TXT、登记TXT；格式按内容识别（GeoJSON 亦可）"}}}}},
            {"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}, {"description", "上传的坐标文件（GBK 或 UTF-8）"}}}}}}}}},
        {"responses", {{"200", ok("审查报告（verdict、findings 及依据）", obj)}, {"400", error("JSON 或坐标格式错误")},
                       {"413", error("请求体过大")}, {"415", error("不支持的内容类型")}, {"500", error("服务器内部错误")}}}}}};

    add_auth_openapi_paths(paths);  // after /api/check, which it annotates
    add_history_paths(paths);

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
