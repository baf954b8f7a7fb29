#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "cli/text_table.hpp"
#include "plan/summary.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class InfoCommand final : public Command {
public:
    void setup(CLI::App&) override {}
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        plan::PlanSummary s = plan::summarize(*store);
        if (ctx.json) {
            nlohmann::json j{{"database", store->location()}, {"name_zh", s.name}, {"period", s.period},
                             {"base_year", s.base_year}, {"outlook_year", s.outlook_year}};
            j["lines"] = nlohmann::json::array();
            for (const auto& l : s.lines)
                j["lines"].push_back({{"group", l.group}, {"label", l.label}, {"count", l.count}, {"detail", l.detail}});
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        ctx.out << s.name << "\n基期 " << s.base_year << " 年，规划期 " << s.period << " 年，展望至 " << s.outlook_year
                << " 年\n数据库 " << store->location() << "\n\n";
        TextTable t({"类别", "项目", "数量", "构成"});
        std::string last;
        for (const auto& l : s.lines) {
            if (!last.empty() && l.group != last) t.add_separator();
            t.add({l.group == last ? "" : l.group, l.label, l.count ? std::to_string(l.count) : (l.detail.empty() ? "0" : ""), l.detail});
            last = l.group;
        }
        t.print(ctx.out);
        ctx.out << "\n注：几何来源见各图层 geometry_source 字段；schematic 为示意几何，仅表示所在县区与规划面积。\n"
                   "完整图层列表：minplan layers\n";
        return 0;
    }
};

}  // namespace

std::unique_ptr<Command> make_info() { return std::make_unique<InfoCommand>(); }

}  // namespace minplan::cli
