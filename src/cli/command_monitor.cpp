#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "monitor/evaluate.hpp"
#include "monitor/intake.hpp"
#include "monitor/report.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {

// Loads the stored annual data plus any --data files (validated, not stored): shared by monitor and report.
monitor::ReportInput load_monitor_input(const store::PlanStore& store, int year, const std::vector<std::string>& data_files) {
    monitor::ReportInput in;
    in.store = &store;
    auto ctx = monitor::context_from_store(store);
    in.indicators = ctx.indicators;
    in.standards = ctx.standards;
    in.year = year;
    in.plan_name = store.metadata("name_zh").value_or("规划");
    if (year < ctx.first_year || year > ctx.last_year)
        throw InputError("--year " + std::to_string(year) + " 不在规划期 " + std::to_string(ctx.first_year) + "–" +
                         std::to_string(ctx.last_year) + " 内 / year outside the plan period");
    in.data = ctx.existing;
    if (!data_files.empty()) {
        std::vector<std::filesystem::path> files(data_files.begin(), data_files.end());
        in.data.append(monitor::read_intake(files, ctx));
    }
    return in;
}

namespace {

class MonitorCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--year", year_, "监测年度（规划期内）/ year within the plan period")->required();
        sub.add_option("--data", data_, "另行读入的年度数据文件（CSV/XLSX，不写入数据库，可多次）/ extra data files");
    }
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        auto in = load_monitor_input(*store, year_, data_);
        auto ev = monitor::evaluate_year(*in.indicators, *in.standards, in.data, year_);
        if (ctx.json) {
            nlohmann::json j;
            j["year"] = year_;
            j["sample"] = monitor::is_sample(in.data);
            for (const auto& r : ev.results) {
                j["indicators"].push_back({{"id", r.def->id}, {"name_zh", r.def->name_zh}, {"unit", r.def->unit}, {"basis", r.def->basis},
                                           {"kind", r.def->kind}, {"direction", r.def->direction == monitor::Direction::Cap ? "cap" : "floor"},
                                           {"target_2025", r.def->target_2025}, {"path_value", r.path_value},
                                           {"actual", r.actual ? nlohmann::json(*r.actual) : nlohmann::json()},
                                           {"status", monitor::to_key(r.status)}, {"status_zh", monitor::to_zh(r.status)},
                                           {"rule", r.rule}, {"notes", r.notes}, {"source", r.def->source}});
            }
            ctx.out << j.dump(1) << "\n";
            return 0;
        }
        auto table = monitor::indicator_table(ev, *in.indicators);
        if (monitor::is_sample(in.data)) ctx.out << "【示例数据 SAMPLE：虚构数据，仅供演示】\n";
        ctx.out << table.title << "\n";
        TextTable t({"编号", "指标", "单位", std::to_string(in.indicators->target_year()) + "年目标", "路径值", "实际", "属性", "状态", "判定依据"});
        for (const auto& row : table.rows)
            t.add({row[0].text, row[2].text, row[3].text, row[4].text, row[5].text, row[6].text, row[7].text, row[8].text, row[9].text});
        t.print(ctx.out);
        for (const auto& n : table.notes) ctx.out << n << "\n";
        return 0;
    }

private:
    int year_ = 0;
    std::vector<std::string> data_;
};

}  // namespace

std::unique_ptr<Command> make_monitor() { return std::make_unique<MonitorCommand>(); }

}  // namespace minplan::cli
