#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>

#include "cli/command.hpp"
#include "plan/builder.hpp"
#include "rules/external_tool.hpp"
#include "store/copy.hpp"
#include "store/plan_database.hpp"
#include "services/qc/gate.hpp"

namespace minplan::cli {
namespace {

class BuildCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--plan", plan_dir_, "规划目录（格式见 docs/plan-folder.md；默认：随程序附带的规划）/ plan folder")
            ->check(CLI::ExistingDirectory);
        sub.add_option("--schema", schema_dir_, "图层模式目录，替代 plan.json 的 schema / schema directory")->check(CLI::ExistingDirectory);
        sub.add_option("--out", out_, "输出 GeoPackage，或 PostGIS 规划 PG:<连接串>（规划编号：active_schema=、全局 --plan 或 plan.json 的 id）/ output file or PG:…")
            ->required();
        sub.add_flag("--replace", replace_, "PostGIS：替换数据库中已有的同名规划（含其历史、账户与审查记录）/ PostGIS: replace an existing plan");
        sub.add_flag("--force", force_, "质检有错误时仍生成（记录在元数据 qc_last 与变更记录中）/ build despite quality-check errors");
    }
    int run(Context& ctx) override {
        plan::BuildOptions o;
        o.plan_dir = plan_dir_.empty() ? plan::default_plan_dir() : std::filesystem::path(plan_dir_);
        o.schema_dir = schema_dir_;
        o.before_publish = [this](const store::PlanStore& built) { return services::qc::check_build(built, force_); };
        // PostGIS: the plan is built (and quality-checked) into a GeoPackage in a temp directory, then copied into
        // its schema in one transaction (store::copy_plan: layers, package, QGIS styles), all or nothing.
        const bool pg = out_.rfind("PG:", 0) == 0;
        std::optional<rules::TempDir> work;
        if (pg) work.emplace("minplan-build");
        o.output = pg ? work->path() / "plan.gpkg" : std::filesystem::path(out_);
        auto s = plan::build_plan(o);
        if (pg) store::copy_plan(*store::open_store(o.output.string()), with_plan(out_, ctx.plan), replace_);
        if (ctx.json) {
            ctx.out << nlohmann::json{{"output", out_}, {"tables", s.tables}, {"features", s.features},
                                      {"schematic_features", s.schematic_features}}
                           .dump(2)
                    << "\n";
        } else {
            ctx.out << "已生成 " << out_ << "：" << s.tables << " 个图层/表，" << s.features << " 条记录，其中 "
                    << s.schematic_features << " 个示意几何（schematic）\n";
        }
        return 0;
    }

private:
    std::string plan_dir_, schema_dir_, out_;
    bool force_ = false, replace_ = false;
};

}  // namespace

std::unique_ptr<Command> make_build() { return std::make_unique<BuildCommand>(); }

}  // namespace minplan::cli
