// minplan diff --from V|DATE --to V|DATE: what changed in the plan between two dates or change sets.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/plan_diff.hpp"
#include "store/history.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class DiffCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--from", from_, "起点：日期 YYYY-MM-DD 或调整批次号 / from a date or change set")->required();
        sub.add_option("--to", to_, "终点：日期或调整批次号（默认今天）/ to a date or change set");
        sub.add_option("--format", format_, "text | json | geojson | xlsx（调整情况表）")->check(CLI::IsMember({"text", "json", "geojson", "xlsx"}));
        sub.add_option("--out", out_, "输出文件（xlsx 必填）/ output file");
    }
    int run(Context& ctx) override {
        if (ctx.json && format_ == "text") format_ = "json";
        if (format_ == "xlsx" && out_.empty()) throw InputError("--format xlsx 需要 --out 文件 / --format xlsx needs --out");
        auto db = store::open_database(resolve_db(ctx));
        const std::string from = services::resolve_point(*db, from_);
        const std::string to = to_.empty() ? store::today() : services::resolve_point(*db, to_);
        auto diff = services::diff_plan(*db, from, to);
        if (format_ == "xlsx") {
            formats::write_xlsx(out_, services::diff_tables(diff));
            ctx.out << "已写出调整情况表 " << out_ << "（" << diff.changes.size() << " 项变化）\n";
            return 0;
        }
        std::string text;
        if (format_ == "json") text = services::diff_json(diff).dump(2);
        else if (format_ == "geojson") text = services::diff_geojson(diff).dump();
        if (!text.empty()) {
            if (out_.empty()) {
                ctx.out << text << "\n";
            } else {
                std::ofstream f(out_);
                if (!(f << text << "\n")) throw IoError("无法写入 " + out_);
            }
            return 0;
        }
        ctx.out << "规划变化 " << from << " → " << to << "：" << diff.changes.size() << " 项\n";
        for (const auto& t : services::diff_tables(diff)) {
            ctx.out << "\n" << t.title << "\n";
            TextTable table(t.headers);
            for (const auto& r : t.rows) {
                std::vector<std::string> cells;
                for (const auto& c : r) cells.push_back(c.text);
                table.add(cells);
            }
            table.print(ctx.out);
        }
        return 0;
    }

private:
    std::string from_, to_, format_ = "text", out_;
};

}  // namespace

std::unique_ptr<Command> make_diff() { return std::make_unique<DiffCommand>(); }

}  // namespace minplan::cli
