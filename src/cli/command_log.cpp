#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/audit_export.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

// The plan database's change log (one line per committed plan version), or with --audit the audit trail
// of every write (docs/database.md), filtered and exported as CSV or XLSX.
class LogCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("-n,--limit", limit_, "最多显示条数 / how many changes")->default_val(20)->check(CLI::Range(1, 1000000));
        sub.add_flag("--audit", audit_, "审计记录（所有写操作）而非版本变更记录 / the audit trail of every write");
        sub.add_option("--from", filter_.from, "审计：起始日期 YYYY-MM-DD / from date");
        sub.add_option("--to", filter_.to, "审计：截止日期 YYYY-MM-DD（含）/ to date");
        sub.add_option("--user", filter_.actor, "审计：操作者 / actor");
        sub.add_option("--action", filter_.action, "审计：操作（前缀，如 changeset、import、login）/ action prefix");
        sub.add_option("--object", filter_.object, "审计：对象包含的文字 / object contains");
        sub.add_option("--out", out_, "审计：导出到 .csv 或 .xlsx / export");
    }
    int run(Context& ctx) override {
        auto db = store::open_database(resolve_db(ctx));
        if (audit_ || !out_.empty() || !filter_.from.empty() || !filter_.to.empty() || !filter_.actor.empty() ||
            !filter_.action.empty() || !filter_.object.empty())
            return run_audit(ctx, *db);
        auto changes = db->changes(limit_);
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& c : changes)
                j.push_back({{"version", c.version}, {"committed_at", c.committed_at}, {"actor", c.actor}, {"summary", c.summary}});
            ctx.out << nlohmann::json{{"database", db->location()}, {"version", db->version()}, {"changes", j}}.dump(2) << "\n";
            return 0;
        }
        ctx.out << "规划数据库 " << db->location() << "，当前版本 " << db->version() << "\n";
        if (changes.empty()) ctx.out << "（没有变更记录：数据库生成于变更记录之前）\n";
        TextTable t({"版本", "时间（UTC）", "操作者", "变更"});
        for (const auto& c : changes) t.add({std::to_string(c.version), c.committed_at, c.actor, c.summary});
        t.print(ctx.out);
        return 0;
    }

private:
    int run_audit(Context& ctx, store::PlanDatabase& db) {
        if (!filter_.from.empty()) store::parse_date(filter_.from, "--from");
        if (!filter_.to.empty()) store::parse_date(filter_.to, "--to");
        filter_.limit = out_.empty() ? limit_ : 0;
        auto entries = db.audit_log(filter_);
        if (!out_.empty()) {
            if (out_.size() > 5 && out_.substr(out_.size() - 5) == ".xlsx") {
                formats::write_xlsx(out_, {services::audit_table(entries, db.location())});
            } else {
                std::ofstream f(out_, std::ios::binary);
                f << services::audit_csv(entries);
                if (!f) throw IoError("无法写入 " + out_);
            }
            ctx.out << "已导出 " << entries.size() << " 条审计记录到 " << out_ << "\n";
            return 0;
        }
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& e : entries)
                j.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"client", e.client}, {"action", e.action},
                             {"object", e.object}, {"before", e.before}, {"after", e.after}});
            ctx.out << nlohmann::json{{"database", db.location()}, {"entries", j}}.dump(2) << "\n";
            return 0;
        }
        TextTable t(services::audit_header());
        for (const auto& e : entries) t.add(services::audit_row(e));
        t.print(ctx.out);
        return 0;
    }

    std::size_t limit_ = 20;
    bool audit_ = false;
    store::AuditFilter filter_;
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> make_log() { return std::make_unique<LogCommand>(); }

}  // namespace minplan::cli
