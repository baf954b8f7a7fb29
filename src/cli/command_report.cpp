#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "monitor/report.hpp"
#include "store/plan_store.hpp"
#include "services/monitoring.hpp"

namespace minplan::cli {


namespace {

class ReportCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--year", year_, "评估年度（规划期内）/ year within the plan period")->required();
        sub.add_option("--out", out_, "输出目录 / output directory")->required();
        sub.add_option("--data", data_, "另行读入的年度数据文件（CSV/XLSX，不写入数据库，可多次）/ extra data files");
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto in = services::monitoring_input(*store, year_, std::vector<std::filesystem::path>(data_.begin(), data_.end()));
        auto files = monitor::write_report(in, out_);
        ctx.out << "已写出 / written:\n  " << files.xlsx.string() << "\n  " << files.html.string() << "\n";
        return 0;
    }

private:
    int year_ = 0;
    std::string out_;
    std::vector<std::string> data_;
};

}  // namespace

std::unique_ptr<Command> make_report() { return std::make_unique<ReportCommand>(); }

}  // namespace minplan::cli
