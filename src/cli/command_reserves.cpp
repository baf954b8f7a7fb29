// `minplan reserves [YEAR]`: 专栏1's 保有资源储量 rolled forward from the annual intake (services/reserves.hpp).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/reserves.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class ReservesCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("year", year_, "年度（默认：有报送数据的最近年度）/ year")->check(CLI::Range(1900, 2200));
        sub.add_option("--xlsx", xlsx_, "写出台账与差异 XLSX / write the ledger and its discrepancies");
    }
    int run(Context& ctx) override {
        const auto ledger = monitor::reserves_ledger(*store::open_store(resolve_db(ctx)), year_ ? std::optional<int>(year_) : std::nullopt);
        const int year = ledger.years.back().year;
        const auto table = monitor::reserves_table(ledger, year);
        const auto gaps = monitor::reserves_discrepancies_table(ledger);
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {table, gaps});
        if (ctx.json) {
            ctx.out << monitor::reserves_json(ledger).dump(1) << "\n";
            return kOk;
        }
        print_table_view(ctx.out, table);
        if (!gaps.rows.empty()) {
            ctx.out << "\n";
            print_table_view(ctx.out, gaps);
        }
        return kOk;
    }

private:
    std::string xlsx_;
    int year_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_reserves() { return std::make_unique<ReservesCommand>(); }

}  // namespace minplan::cli
