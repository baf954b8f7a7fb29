#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class InfoCommand final : public Command {
public:
    void setup(CLI::App&) override {}
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        auto meta = [&](const char* k) { return store->metadata(k).value_or(""); };
        auto layers = store->layers();
        if (ctx.json) {
            nlohmann::json j;
            j["database"] = store->location();
            j["plan"] = {{"name_zh", meta("name_zh")}, {"period", meta("period")}, {"base_year", meta("base_year")}};
            for (const auto& l : layers) j["layers"][l.id] = {{"name_zh", l.name_zh}, {"count", l.feature_count}};
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        ctx.out << meta("name_zh") << "\n规划期 " << meta("period") << "，基期 " << meta("base_year") << "\n数据库 "
                << store->location() << "\n";
        TextTable t({"图层/表", "代码", "记录数"});
        for (const auto& l : layers) t.add({l.name_zh, l.code, std::to_string(l.feature_count)});
        t.print(ctx.out);
        return 0;
    }
};

}  // namespace

std::unique_ptr<Command> make_info() { return std::make_unique<InfoCommand>(); }

}  // namespace minplan::cli
