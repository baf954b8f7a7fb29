// `minplan allocation import|show`: the county split of the plan's targets (指标分解, chapter 7 一).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/county_split.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class AllocationCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("action", action_, "import：审查后替换规划数据库中的指标分解表；show：查看（--xlsx 写出，可编辑后再导入）")
            ->required()
            ->check(CLI::IsMember({"import", "show"}));
        sub.add_option("file", file_, "指标分解表 CSV/XLSX（指标编号、县区、分解目标、基期值、来源）");
        sub.add_option("--xlsx", xlsx_, "show：写出指标分解表 XLSX / write the table");
    }
    int run(Context& ctx) override {
        if (action_ == "import") {
            if (file_.empty()) throw InputError("allocation import 需要指标分解表文件 / FILE is required");
            const auto version = monitor::import_split(*store::open_database(resolve_db(ctx)), file_);
            ctx.out << "指标分解表已入库（规划数据库版本 " << version << "）/ county allocation stored\n";
        }
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        const auto split = monitor::load_split(*store);
        const auto table = monitor::split_table(split, monitor::IndicatorSet::from_store(*store));
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {table});
        if (ctx.json) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& r : split.rows)
                rows.push_back({{"indicator_id", r.indicator_id}, {"county", r.county}, {"target", r.target},
                                {"base", r.base ? nlohmann::json(*r.base) : nlohmann::json(nullptr)}, {"source", r.source}});
            ctx.out << rows.dump(1) << "\n";
        } else if (action_ == "show") {
            print_table_view(ctx.out, table);
        }
        return kOk;
    }

private:
    std::string action_, file_, xlsx_;
};

}  // namespace

std::unique_ptr<Command> make_allocation() { return std::make_unique<AllocationCommand>(); }

}  // namespace minplan::cli
