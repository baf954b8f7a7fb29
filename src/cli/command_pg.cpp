// Commands of the PostGIS plan database (docs/database.md "PostGIS"): `plans` lists the plans a database
// holds, `copy` moves a whole plan between a GeoPackage and PostGIS, `migrate` brings plan schemas written by
// an older minplan up to this one.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "store/copy.hpp"
#include "store/pg_database.hpp"

namespace minplan::cli {
namespace {

void require_pg(const std::string& db, const char* command) {
    if (db.rfind("PG:", 0) != 0)
        throw InputError(std::string("minplan ") + command + " 需要 --db PG:<连接串>（PostgreSQL + PostGIS）/ needs a PostGIS database");
}

class PlansCommand final : public Command {
public:
    void setup(CLI::App&) override {}
    int run(Context& ctx) override {
        require_pg(ctx.db, "plans");
        auto plans = store::list_plans(ctx.db);
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& p : plans) j.push_back({{"id", p.id}, {"version", p.version}, {"schema_version", p.schema_version}, {"title", p.title}});
            ctx.out << nlohmann::json{{"plans", j}}.dump(2) << "\n";
            return 0;
        }
        if (plans.empty()) ctx.out << "（数据库中还没有规划 / no plans）\n";
        TextTable t({"规划（模式）", "版本", "结构版本", "名称"});
        for (const auto& p : plans) t.add({p.id, std::to_string(p.version), std::to_string(p.schema_version), p.title});
        t.print(ctx.out);
        return 0;
    }
};

class CopyCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--from", from_, "来源规划数据库（.gpkg 或 PG:…）/ source")->required();
        sub.add_option("--to", to_, "目标规划数据库（PG:… 或 .gpkg）/ target")->required();
        sub.add_flag("--replace", replace_, "替换目标中已有的同名规划 / replace an existing plan");
    }
    int run(Context& ctx) override {
        // --plan (global) names the plan on the PostGIS side.
        auto from = store::open_store_at(with_plan(from_, ctx.plan), ctx.as_of);
        std::size_t n = store::copy_plan(*from, with_plan(to_, ctx.plan), replace_);
        if (ctx.json) ctx.out << nlohmann::json{{"from", from_}, {"to", to_}, {"features", n}}.dump(2) << "\n";
        else ctx.out << "已复制规划（" << n << " 个要素）: " << from_ << " → " << to_ << " / copied\n";
        return 0;
    }
    std::string from_, to_;
    bool replace_ = false;
};

class MigrateCommand final : public Command {
public:
    void setup(CLI::App&) override {}
    int run(Context& ctx) override {
        require_pg(ctx.db, "migrate");
        for (const auto& line : store::migrate_plans(ctx.db)) ctx.out << line << "\n";
        return 0;
    }
};

}  // namespace

std::unique_ptr<Command> make_plans() { return std::make_unique<PlansCommand>(); }
std::unique_ptr<Command> make_copy() { return std::make_unique<CopyCommand>(); }
std::unique_ptr<Command> make_migrate() { return std::make_unique<MigrateCommand>(); }

// `--plan ID` names the schema of a PG: location (GDAL's active_schema=…); with `copy`, of its PG: side.
std::string with_plan(const std::string& location, const std::string& plan) {
    if (plan.empty() || location.rfind("PG:", 0) != 0) return location;
    return location + " active_schema=" + plan;
}

}  // namespace minplan::cli
