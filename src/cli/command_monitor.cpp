#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "monitor/county_split.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "monitor/report.hpp"
#include "services/monitoring.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {

namespace {

class MonitorCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--year", year_, "监测年度（规划期内）/ year within the plan period")->required();
        sub.add_option("--data", data_, "另行读入的年度数据文件（CSV/XLSX，不写入数据库，可多次）/ extra data files");
        sub.add_option("--county", county_, "某县区的指标（按指标分解表的县级目标）/ one county's indicators against its split targets");
        sub.add_flag("--counties", all_counties_, "各县区的指标（分县监测表）/ every county's indicators");
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto in = services::monitoring_input(*store, year_, std::vector<std::filesystem::path>(data_.begin(), data_.end()));
        if (!county_.empty() || all_counties_) return counties(ctx, in);
        if (ctx.json) {  // exactly what /api/monitor?year=Y serves, without the download links
            ctx.out << services::year_evaluation(in).dump(1) << "\n";
            return 0;
        }
        auto ev = monitor::evaluate_year(*in.indicators, *in.standards, in.data, year_, in.external);
        auto table = monitor::indicator_table(ev, *in.indicators);
        if (monitor::is_sample(in.data)) ctx.out << "【示例数据 SAMPLE：虚构数据，仅供演示】\n";
        ctx.out << table.title << "\n";
        TextTable t({"编号", "指标", "单位", std::to_string(in.indicators->target_year()) + "年目标", "路径值", "实际", "属性", "状态", "判定依据"});
        for (const auto& row : table.rows)
            t.add({row[0].text, row[2].text, row[3].text, row[4].text, row[5].text, row[6].text, row[7].text, row[8].text, row[9].text});
        t.print(ctx.out);
        for (const auto& n : table.notes) ctx.out << n << "\n";
        for (const auto& extra : in.extra_tables) {  // geo-environment: zones, coverage, green-mine register
            ctx.out << "\n" << extra.title << "\n";
            TextTable x(extra.headers);
            for (const auto& row : extra.rows) {
                std::vector<std::string> cells;
                for (const auto& c : row) cells.push_back(c.text);
                x.add(cells);
            }
            x.print(ctx.out);
            for (const auto& n : extra.notes) ctx.out << n << "\n";
        }
        return 0;
    }

private:
    // 指标分解: one county (--county) or every county (--counties), the same service as /api/monitor?county=.
    int counties(Context& ctx, const monitor::ReportInput& in) {
        const auto names = county_.empty() ? services::monitored_counties(in) : std::vector<std::string>{county_};
        if (ctx.json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& c : names) out.push_back(services::county_year_evaluation(in, c));
            ctx.out << (county_.empty() ? out : out.at(0)).dump(1) << "\n";
            return 0;
        }
        std::vector<monitor::CountyEvaluation> evs;
        for (const auto& c : names) evs.push_back(services::county_evaluation(in, c));
        if (names.empty()) ctx.out << "没有县区数据：矿山名录未填所在行政区，指标分解表也为空 / no county data\n";
        print_table_view(ctx.out, monitor::county_table(evs));
        return 0;
    }

    int year_ = 0;
    std::vector<std::string> data_;
    std::string county_;
    bool all_counties_ = false;
};

}  // namespace

std::unique_ptr<Command> make_monitor() { return std::make_unique<MonitorCommand>(); }

}  // namespace minplan::cli
