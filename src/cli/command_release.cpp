// `minplan release check YEAR --file PLAN.xlsx`: the year's rights release plan against the plan.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/release.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class ReleaseCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("action", action_, "check：审查年度投放计划 / check a release plan")->required()->check(CLI::IsMember({"check"}));
        sub.add_option("year", year_, "投放年度 / year")->required()->check(CLI::Range(1900, 2200));
        sub.add_option("--file", file_, "投放计划 CSV/XLSX（区块编号、区块类型、矿种、出让方式、协议出让理由、计划出让时间）")->required();
        sub.add_option("--xlsx", xlsx_, "写出审查结果 XLSX / write the findings as XLSX");
    }
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        const auto report = services::check_release_plan(*store, services::read_release_plan(file_, year_));
        const auto table = services::release_report_table(report);
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {table});
        if (ctx.json) {
            ctx.out << services::release_report_json(report).dump(1) << "\n";
        } else {
            ctx.out << table.title << "\n";
            TextTable t(table.headers);
            for (const auto& row : table.rows) {
                std::vector<std::string> cells;
                for (const auto& c : row) cells.push_back(c.text);
                t.add(std::move(cells));
            }
            t.print(ctx.out);
            for (const auto& n : table.notes) ctx.out << n << "\n";
        }
        return report.overall == services::ReleaseVerdict::Fail ? kNonConformant : kOk;
    }

private:
    std::string action_, file_, xlsx_;
    int year_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_release() { return std::make_unique<ReleaseCommand>(); }

}  // namespace minplan::cli
