// `minplan release check|import|list|show YEAR`: the year's rights release plan against the plan, and the
// plans stored in the plan database.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/release.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class ReleaseCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("action", action_,
                       "check：审查年度投放计划；import：审查通过后存入规划数据库；list：已入库的各年度计划；show：某年度已入库计划")
            ->required()
            ->check(CLI::IsMember({"check", "import", "list", "show"}));
        sub.add_option("year", year_, "投放年度 / year")->check(CLI::Range(1900, 2200));
        sub.add_option("plan_file", file_, "投放计划 CSV/XLSX（区块编号、区块类型、矿种、出让方式、协议出让理由、计划出让时间）");
        sub.add_option("--file", file_, "同上（check 的原写法）/ the same, as an option");
        sub.add_option("--xlsx", xlsx_, "写出审查结果（check/import）或计划（show）XLSX / write XLSX");
    }
    int run(Context& ctx) override {
        if (action_ == "list") return list(ctx);
        if (year_ == 0) throw InputError("release " + action_ + " 需要年度 / YEAR is required");
        if (action_ == "show") return show(ctx);
        if (file_.empty()) throw InputError("release " + action_ + " 需要投放计划文件 / FILE is required");
        const auto plan = services::read_release_plan(file_, year_);
        services::ReleaseReport report;
        if (action_ == "import") {
            auto r = services::import_release_plan(*store::open_database(resolve_db(ctx)), plan);  // ProblemsError: nothing stored
            report = std::move(r.report);
            if (!ctx.json) ctx.out << year_ << "年度投放计划已入库（" << plan.entries.size() << " 个区块，规划数据库版本 " << r.version << "）\n";
        } else {
            report = services::check_release_plan(*store::open_store(resolve_db(ctx)), plan);
        }
        const auto table = services::release_report_table(report);
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {table});
        if (ctx.json)
            ctx.out << services::release_report_json(report).dump(1) << "\n";
        else
            print_table_view(ctx.out, table);
        return report.overall == services::ReleaseVerdict::Fail ? kNonConformant : kOk;
    }

private:
    int list(Context& ctx) {
        const auto plans = services::load_release_plans(*store::open_store(resolve_db(ctx)));
        if (ctx.json) {
            ctx.out << services::release_plans_json(plans).dump(1) << "\n";
            return kOk;
        }
        if (plans.empty()) ctx.out << "规划数据库中没有投放计划（minplan release import YEAR FILE）/ no release plan stored\n";
        TextTable t({"年度", "区块数", "勘查", "开采", "来源"});
        for (const auto& p : plans) {
            int exploration = 0;
            for (const auto& e : p.entries) exploration += e.kind == services::ReleaseKind::Exploration;
            t.add({std::to_string(p.year), std::to_string(p.entries.size()), std::to_string(exploration),
                   std::to_string(p.entries.size() - exploration), p.source});
        }
        if (!plans.empty()) t.print(ctx.out);
        return kOk;
    }
    int show(Context& ctx) {
        for (const auto& p : services::load_release_plans(*store::open_store(resolve_db(ctx))))
            if (p.year == year_) {
                if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {services::release_plan_table(p)});
                if (ctx.json)
                    ctx.out << services::release_plans_json({p})[0].dump(1) << "\n";
                else
                    print_table_view(ctx.out, services::release_plan_table(p));
                return kOk;
            }
        throw NotFoundError("规划数据库中没有" + std::to_string(year_) + "年度投放计划 / no release plan stored for that year");
    }

    std::string action_, file_, xlsx_;
    int year_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_release() { return std::make_unique<ReleaseCommand>(); }

}  // namespace minplan::cli
