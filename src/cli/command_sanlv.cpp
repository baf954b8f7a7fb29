// `minplan sanlv YEAR`: the yearly 三率 publication (monitor/sanlv_list.hpp) — summary, mines below the
// minimum and at the leading level, every mine with its reasons; XLSX and HTML to publish.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/sanlv_list.hpp"
#include "services/monitoring.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class SanlvCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("year", year_, "年度 / year")->required()->check(CLI::Range(1900, 2200));
        sub.add_option("--xlsx", xlsx_, "写出公布表 XLSX / write the lists as XLSX");
        sub.add_option("--html", html_, "写出公布网页 HTML / write the publication page");
    }
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        const auto in = services::monitoring_input(*store, year_);  // InputError outside the plan period
        const auto pub = monitor::sanlv_publication(*in.indicators, *in.standards, in.data, year_);
        const auto tables = monitor::sanlv_publication_tables(pub);
        monitor::write_sanlv_publication(pub, in.plan_name, xlsx_, html_);  // the portal's downloads write the same
        if (ctx.json) {
            ctx.out << monitor::sanlv_publication_json(pub).dump(1) << "\n";
            return kOk;
        }
        for (std::size_t i = 0; i + 1 < tables.size(); ++i) {  // the full list of every mine goes to the files
            const auto& t = tables[i];
            ctx.out << t.title << "\n";
            TextTable tt(t.headers);
            for (const auto& row : t.rows) {
                std::vector<std::string> cells;
                for (const auto& c : row) cells.push_back(c.text);
                tt.add(std::move(cells));
            }
            if (!t.rows.empty()) tt.print(ctx.out);
            for (const auto& n : t.notes) ctx.out << n << "\n";
            ctx.out << "\n";
        }
        return kOk;
    }

private:
    std::string xlsx_, html_;
    int year_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_sanlv() { return std::make_unique<SanlvCommand>(); }

}  // namespace minplan::cli
