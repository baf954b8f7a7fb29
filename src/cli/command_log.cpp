#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

// The plan database's change log: one line per committed plan version (docs/database.md).
class LogCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("-n,--limit", limit_, "最多显示条数 / how many changes")->default_val(20)->check(CLI::Range(1, 100000));
    }
    int run(Context& ctx) override {
        auto db = store::open_database(resolve_db(ctx));
        auto changes = db->changes(limit_);
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& c : changes)
                j.push_back({{"version", c.version}, {"committed_at", c.committed_at}, {"actor", c.actor}, {"summary", c.summary}});
            ctx.out << nlohmann::json{{"database", db->location()}, {"version", db->version()}, {"changes", j}}.dump(2) << "\n";
            return 0;
        }
        ctx.out << "规划数据库 " << db->location() << "，当前版本 " << db->version() << "\n";
        if (changes.empty()) ctx.out << "（没有变更记录：数据库生成于变更记录之前）\n";
        TextTable t({"版本", "时间（UTC）", "操作者", "变更"});
        for (const auto& c : changes) t.add({std::to_string(c.version), c.committed_at, c.actor, c.summary});
        t.print(ctx.out);
        return 0;
    }

private:
    std::size_t limit_ = 20;
};

}  // namespace

std::unique_ptr<Command> make_log() { return std::make_unique<LogCommand>(); }

}  // namespace minplan::cli
