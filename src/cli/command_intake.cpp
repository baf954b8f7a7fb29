#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "monitor/intake.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class IntakeCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("files", files_, "年度数据文件：CSV 或 XLSX（模板见 data/templates/）/ data files");
        sub.add_option("--write-template", template_, "写出本规划的空白 XLSX 报送模板后退出 / write the plan's XLSX template");
        sub.add_option("--db", db_, "写入的规划数据库 GeoPackage（必填，不写入内置数据库）/ target database");
        sub.add_flag("--replace", replace_, "已存在的同一矿山同一年度数据以本次为准 / replace stored rows");
        sub.add_flag("--dry-run", dry_run_, "只校验并统计将导入的行数，不写入数据库 / validate and count, write nothing");
    }
    int run(Context& ctx) override {
        if (!template_.empty()) {
            Context plan_ctx{ctx.out, ctx.err, ctx.json, db_.empty() ? ctx.db : db_};
            monitor::write_template_xlsx(*store::open_store(resolve_db(plan_ctx)), template_);
            ctx.out << "已写出模板 / template written: " << template_ << "\n";
            return 0;
        }
        if (files_.empty()) throw InputError("请给出要导入的文件 / no input files");
        std::string db = db_.empty() ? ctx.db : db_;
        if (dry_run_) {  // the same check as the portal's preview (POST /api/intake dry_run=true)
            Context plan_ctx{ctx.out, ctx.err, ctx.json, db};
            const std::string target = resolve_db(plan_ctx);
            auto s = monitor::preview_intake(*store::open_database(target), {files_.begin(), files_.end()}, replace_);
            ctx.out << "校验通过，未写入 / dry run, nothing written: 将导入矿山名录 " << s.mines << " 条，矿山年报 " << s.mine_years
                    << " 条，勘查成果 " << s.exploration << " 条 → " << target << "\n";
            return 0;
        }
        // The embedded database is rebuilt from the sources when they change, which would lose the data.
        if (db.empty()) throw InputError("请用 --db 指定要写入的规划数据库（先用 minplan build 生成）/ --db is required");
        std::vector<std::filesystem::path> files(files_.begin(), files_.end());
        auto s = monitor::intake_into_db(db, files, replace_);
        ctx.out << "已导入 / imported: 矿山名录 " << s.mines << " 条，矿山年报 " << s.mine_years << " 条，勘查成果 "
                << s.exploration << " 条 → " << db << "\n";
        return 0;
    }

private:
    std::vector<std::string> files_;
    std::string db_, template_;
    bool replace_ = false, dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> make_intake() { return std::make_unique<IntakeCommand>(); }

}  // namespace minplan::cli
