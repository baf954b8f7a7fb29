#include "cli/command.hpp"

#include <vector>

namespace minplan::cli {

std::unique_ptr<Command> make_info();
std::unique_ptr<Command> make_layers();
std::unique_ptr<Command> make_query();
std::unique_ptr<Command> make_table();
std::unique_ptr<Command> make_import();
std::unique_ptr<Command> make_export();
std::unique_ptr<Command> make_build();
std::unique_ptr<Command> make_monitor();
std::unique_ptr<Command> make_report();
std::unique_ptr<Command> make_intake();
std::unique_ptr<Command> make_serve();
std::unique_ptr<Command> make_check();
std::unique_ptr<Command> make_audit();
std::unique_ptr<Command> make_user();
std::unique_ptr<Command> make_log();
std::unique_ptr<Command> make_gaps();
std::unique_ptr<Command> make_release();
std::unique_ptr<Command> make_reserves();
std::unique_ptr<Command> make_sanlv();
std::unique_ptr<Command> make_map();
std::unique_ptr<Command> make_qgis_project();
std::unique_ptr<Command> make_qc();
std::unique_ptr<Command> make_changeset();
std::unique_ptr<Command> make_diff();
std::unique_ptr<Command> make_consistency();
std::unique_ptr<Command> make_bundle();
std::unique_ptr<Command> make_plans();
std::unique_ptr<Command> make_copy();
std::unique_ptr<Command> make_migrate();
std::unique_ptr<Command> make_geoenv();
std::unique_ptr<Command> make_allocation();

const std::vector<CommandInfo>& commands() {
    static const std::vector<CommandInfo> list = {
        {"info", "规划概览：期限、分区、区块、矿业权、矿山、指标 / the plan at a glance", make_info},
        {"layers", "列出图层、字段与代码映射 / list layers, fields and code mapping", make_layers},
        {"query", "按图层、属性条件、范围查询要素 / query features", make_query},
        {"table", "按规划原表格式输出专栏 / print a plan table (专栏) from the data", make_table},
        {"import", "通过GDAL导入图层（全部成功或全部不写入）/ import a layer, all-or-nothing", make_import},
        {"export", "通过GDAL导出图层 / export a layer (GeoPackage, Shapefile, GeoJSON)", make_export},
        {"build", "由规划源数据目录生成规划数据库 / build a plan database from source files", make_build},
        {"monitor", "年度规划指标监测表 / the year's indicator table", make_monitor},
        {"report", "年度监测表(XLSX)与实施情况评估报告(HTML) / monitoring workbook and evaluation report", make_report},
        {"intake", "导入年度监测数据（全部成功或全部不写入）/ import annual data, all-or-nothing", make_intake},
        {"serve", "启动规划门户（HTTP API 与网页地图）/ serve the plan portal", make_serve},
        {"check", "矿业权申请规划符合性审查 / plan-conformance review of an application", make_check},
        {"audit", "复核全部已设矿业权的规划符合性 / re-check every existing right", make_audit},
        {"user", "门户账户：新建、列出、删除 / portal accounts (add, list, remove)", make_user},
        {"gaps", "边角、夹缝资源：开采规划区块内与同矿种采矿权相邻的未设权部分 / corner and gap resources", make_gaps},
        {"release", "年度矿业权投放计划：审查、入库、查看 / check, store and list yearly rights release plans", make_release},
        {"reserves", "保有资源储量台账：专栏1按年度报送滚动（期初+新增查明−动用=期末）/ the reserves ledger", make_reserves},
        {"sanlv", "矿山“三率”年度公布：低于最低指标、达到领跑者的大中型矿山与达标率 / the yearly 三率 lists", make_sanlv},
        {"log", "规划数据库变更记录（版本、时间、操作者、内容）/ the database's change log", make_log},
        {"map", "打印专题图 PDF（图层、范围、A4/A3）/ print a thematic map to PDF", make_map},
        {"qgis-project", "写出 QGIS 工程文件（.qgz，分组、样式、高斯投影）/ write the QGIS project", make_qgis_project},
        {"qc", "规划数据库质检（汇交前检查；有错误时退出码 1）/ quality check of the plan database", make_qc},
        {"changeset", "规划调整批次：新建、添加、提交、批准、退回、列出 / change sets of the yearly adjustment", make_changeset},
        {"diff", "两个日期或批次之间的规划变化（调整情况表）/ what changed between two dates", make_diff},
        {"exchange", "汇交数据包：导出（zip：数据库、Shapefile、调整情况表、元数据）与导入为新库 / the exchange bundle", make_bundle},
        {"consistency", "本级规划落实上级（省级）规划的一致性检查 / does the plan carry out its upper-level plan", make_consistency},
        {"plans", "列出 PostGIS 数据库中的规划（--db PG:…）/ the plans in a PostGIS database", make_plans},
        {"copy", "在 GeoPackage 与 PostGIS 之间复制整个规划 / copy a plan between stores", make_copy},
        {"migrate", "升级 PostGIS 中较早版本 minplan 写入的规划结构 / apply schema migrations", make_migrate},
        {"geoenv", "矿山地质环境监管与绿色矿山名录：图斑责任、逾期工程、两期变化、名录 / geo-environment supervision", make_geoenv},
        {"allocation", "规划指标分解到县区：导入（审查后入库）、查看 / the county split of the plan's targets", make_allocation},
    };
    return list;
}

}  // namespace minplan::cli
