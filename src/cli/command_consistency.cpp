// `minplan consistency --upper PROVINCE.gpkg`: does this plan carry out its upper-level plan (落实省规划)?
// services/consistency.hpp; exit code 1 when an error-level finding remains.
#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/consistency.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class ConsistencyCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--upper", upper_, "上级（省级）规划数据库 / the upper-level plan database")->required()->check(CLI::ExistingFile);
        sub.add_option("--xlsx", xlsx_, "写出一致性检查表 XLSX / write the findings as XLSX");
        sub.footer("检查本级规划是否落实上级规划：上级区块在本级行政区内须有同编号要素；标为落实省规划（plan_level = province）的\n"
                   "要素须在上级规划中存在、矿种相同、范围不超出；本级指标目标不高于上级同类指标。退出码 1：有错误。\n"
                   "Checks that this plan carries out its upper-level plan; exit code 1 when errors remain.");
    }
    int run(Context& ctx) override {
        auto lower = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto upper = store::open_store_at(upper_, ctx.as_of);
        auto report = services::check_consistency(*lower, *upper);
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {services::consistency_table(report)});
        if (ctx.json) {
            ctx.out << services::consistency_json(report).dump(2) << "\n";
        } else {
            ctx.out << report.lower << " 落实 " << report.upper << "：" << report.findings.size() << " 项发现\n";
            TextTable t({"检查项", "图层", "编号", "问题", "条款", "性质"});
            for (const auto& f : report.findings)
                t.add({f.check, f.layer_zh, f.key, f.message, f.clause, f.blocking ? "错误" : "提示"});
            t.print(ctx.out);
        }
        return report.has_errors() ? kNonConformant : kOk;
    }

private:
    std::string upper_, xlsx_;
};

}  // namespace

std::unique_ptr<Command> make_consistency() { return std::make_unique<ConsistencyCommand>(); }

}  // namespace minplan::cli
