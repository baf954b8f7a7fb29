// `minplan import` and `minplan export`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <ostream>
#include <vector>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "plan/qgis_assets.hpp"
#include "services/layer_import.hpp"
#include "store/exchange.hpp"
#include "store/import_mapping.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class ExportCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("layer", layer_, "图层 / layer")->required();
        sub.add_option("output", out_, "输出文件 .gpkg/.shp/.geojson / output file")->required();
        sub.add_option("--encoding", encoding_, "Shapefile 编码，写入 .cpg（UTF-8 或 GBK）/ Shapefile encoding")
            ->check(CLI::IsMember({"UTF-8", "GBK"}));
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto n = store::export_layer(*store, layer_, out_, {encoding_});
        ctx.out << "已导出 " << n << " 个要素到 " << out_ << "\n";
        return 0;
    }

private:
    std::string layer_, out_, encoding_ = "UTF-8";
};

// A malformed --map/--set is a command-line error (exit 2), found while parsing.
CLI::Validator assignment_check(const std::string& option) {
    return CLI::Validator(
        [option](std::string& value) {
            try {
                store::parse_assignment(value, option);
                return std::string();
            } catch (const InputError& e) {
                return std::string(e.what());
            }
        },
        option == "--map" ? "SRC=DST" : "FIELD=VALUE");
}

class ImportCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("layer", layer_, "目标图层（代码、中文名或内部名）/ target layer")->required();
        sub.add_option("inputs", inputs_, "输入文件 .gpkg/.shp/.geojson/.gdb，可多个，合并为一个图层 / input files, merged")
            ->required();
        sub.add_option("--source-layer", options_.source_layer, "输入文件中的图层名 / layer inside the inputs");
        sub.add_option("--encoding", options_.encoding, "输入文本编码（无 .cpg 时），如 GBK / source encoding");
        sub.add_option("--srs", options_.source_epsg, "输入无坐标系时指定 EPSG 代码 / EPSG when the input has no CRS");
        sub.add_option("--map", maps_,
                       "字段映射 源字段=目标字段（目标为内部名、代码或中文别名），可重复 / SRC=DST, repeatable")
            ->allow_extra_args(false)  // one value per --map, so that input files after it stay inputs
            ->check(assignment_check("--map"));
        sub.add_option("--map-file", map_file_,
                       "字段映射文件：CSV 两列 source,target，或 JSON 对象 {\"源字段\": \"目标字段\"} / mapping file");
        sub.add_option("--set", sets_, "为每个要素设定常量 字段=值，如 --set kind=mining，可重复 / constant field=value")
            ->allow_extra_args(false)
            ->check(assignment_check("--set"));
        sub.add_option("--where", options_.where,
                       "只导入满足条件的源要素（OGR SQL 属性条件，如 \"LX = '开采'\"）/ OGR attribute filter");
        sub.add_flag("--append", options_.append, "追加到图层现有要素之后，而不是替换 / append instead of replace");
        sub.add_flag("--force", force_, "质检有错误时仍导入（记录在元数据 qc_last 中）/ import despite quality-check errors");
        sub.add_option("--effective", options_.effective_date,
                       "新要素生效（旧要素失效）的日期 YYYY-MM-DD，默认今天 / date the import takes effect");
        sub.footer(
            "字段按名称、代码或中文别名自动对应；其余源字段给出警告并忽略，缺少必填字段则报错。\n"
            "代码字段（如 control_lines.control_type）按规划数据库的代码表检查：中文名称或别名存为代码，\n"
            "未知取值报错并列出可用代码（也可查看：minplan query code_control_types）。\n"
            "所有文件的全部错误一次列出；任何错误都不写入数据（全部成功或全部不导入）。\n"
            "Fields match by name, code or Chinese alias; coded fields take a code, its label or an alias and\n"
            "store the code; any problem means nothing is written.\n"
            "例 / example:\n"
            "  minplan --db plan.gpkg import control_lines 省红线.shp 浑源县红线.gpkg --map XMMC=名称 \\\n"
            "      --set control_type=生态保护红线 --where \"XZQDM LIKE '1402%'\" --append");
    }
    int run(Context& ctx) override {
        if (ctx.db.empty()) {
            ctx.err << "导入需要用 --db 指定要修改的规划数据库（内置默认库由源数据生成，不直接修改）\n";
            return 2;
        }
        if (!map_file_.empty()) options_.field_map = store::read_map_file(map_file_);
        for (const auto& m : maps_) options_.field_map.push_back(store::parse_assignment(m, "--map"));
        for (const auto& s : sets_) options_.constants.push_back(store::parse_assignment(s, "--set"));
        std::vector<std::filesystem::path> files(inputs_.begin(), inputs_.end());
        // references, dates and register transitions of the geo-environment layers, then the quality check
        options_.quality_check = services::import_checks(force_);
        auto result = store::import_layer(ctx.db, layer_, files, options_);
        auto db = store::open_database(ctx.db);
        plan::refresh_qgis_assets(*db);  // the QGIS metadata's version and date follow the plan
        for (const auto& w : result.warnings) ctx.err << "警告 / warning: " << w << "\n";
        if (ctx.json) {
            ctx.out << nlohmann::json{{"layer", layer_}, {"imported", result.imported}, {"append", options_.append},
                                      {"layer_total", result.layer_total}, {"warnings", result.warnings}}
                           .dump(2)
                    << "\n";
            return 0;
        }
        ctx.out << "已导入 " << result.imported << " 个要素到图层 " << layer_
                << (options_.append ? "（追加，图层现有 " + std::to_string(result.layer_total) + " 个要素）"
                                    : std::string("（替换原有要素）"))
                << "\n";
        return 0;
    }

private:
    std::string layer_, map_file_;
    std::vector<std::string> inputs_, maps_, sets_;
    bool force_ = false;
    store::ImportOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_export() { return std::make_unique<ExportCommand>(); }
std::unique_ptr<Command> make_import() { return std::make_unique<ImportCommand>(); }

}  // namespace minplan::cli
