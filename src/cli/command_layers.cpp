#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "cli/text_table.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class LayersCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--fields", layer_, "列出该图层的字段（代码、中文别名、类型）/ list a layer's fields");
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        if (!layer_.empty()) return print_fields(ctx, store->schema(layer_));
        auto layers = store->layers();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& l : layers)
                j.push_back({{"id", l.id}, {"code", l.code}, {"name_zh", l.name_zh}, {"spatial", l.spatial},
                             {"features", l.feature_count}, {"epsg", l.epsg},
                             {"code_origin", store->schema(l.id).code_origin}});
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        TextTable t({"图层代码", "名称", "内部名", "类型", "要素数", "坐标系"});
        for (const auto& l : layers)
            t.add({l.code, l.name_zh, l.id, l.spatial ? "面" : "表", std::to_string(l.feature_count),
                   l.epsg ? "EPSG:" + std::to_string(l.epsg) : ""});
        t.print(ctx.out);
        return 0;
    }

private:
    int print_fields(Context& ctx, const TableSchema& s) {
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& f : s.fields)
                j.push_back({{"name", f.name}, {"code", f.code}, {"alias_zh", f.alias_zh},
                             {"type", to_string(f.type)}, {"unit", f.unit}, {"required", f.required}});
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        ctx.out << s.name_zh << "（" << s.code << "，代码来源：" << s.code_origin << "）\n";
        TextTable t({"字段代码", "中文别名", "内部名", "类型", "单位", "必填"});
        for (const auto& f : s.fields)
            t.add({f.code, f.alias_zh, f.name, to_string(f.type), f.unit, f.required ? "是" : ""});
        t.print(ctx.out);
        return 0;
    }
    std::string layer_;
};

}  // namespace

std::unique_ptr<Command> make_layers() { return std::make_unique<LayersCommand>(); }

}  // namespace minplan::cli
