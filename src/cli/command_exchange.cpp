// `minplan import` and `minplan export`.
#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "store/exchange.hpp"

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
        auto store = store::open_store(resolve_db(ctx));
        auto n = store::export_layer(*store, layer_, out_, {encoding_});
        ctx.out << "已导出 " << n << " 个要素到 " << out_ << "\n";
        return 0;
    }

private:
    std::string layer_, out_, encoding_ = "UTF-8";
};

class ImportCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("layer", layer_, "目标图层 / target layer")->required();
        sub.add_option("input", in_, "输入文件 .gpkg/.shp/.geojson/.gdb / input file")->required();
        sub.add_option("--source-layer", options_.source_layer, "输入文件中的图层名 / layer inside the input");
        sub.add_option("--encoding", options_.encoding, "输入文本编码（无 .cpg 时），如 GBK / source encoding");
        sub.add_option("--srs", options_.source_epsg, "输入无坐标系时指定 EPSG 代码 / EPSG when the input has no CRS");
    }
    int run(Context& ctx) override {
        if (ctx.db.empty()) {
            ctx.err << "导入需要用 --db 指定要修改的规划数据库（内置默认库由源数据生成，不直接修改）\n";
            return 2;
        }
        auto n = store::import_layer(ctx.db, layer_, in_, options_);
        ctx.out << "已导入 " << n << " 个要素到图层 " << layer_ << "（替换原有要素）\n";
        return 0;
    }

private:
    std::string layer_, in_;
    store::ImportOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_export() { return std::make_unique<ExportCommand>(); }
std::unique_ptr<Command> make_import() { return std::make_unique<ImportCommand>(); }

}  // namespace minplan::cli
