// minplan audit: re-checks every existing right in mineral_rights and writes a findings table.
#include <CLI/CLI.hpp>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "rules/audit.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class AuditCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--rules", rules_, "规则文件，替代规划数据库中的规则（默认：数据库中的 rules.json）/ rule set")->check(CLI::ExistingFile);
        sub.add_option("--format", format_, "csv | json（默认 csv）")->check(CLI::IsMember({"csv", "json"}));
        sub.add_option("--out", out_, "输出文件（默认标准输出）");
    }
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        auto setup = rules::ReviewSetup::load(*store, rules_);
        auto entries = rules::audit_rights(*setup->engine, *setup->index);
        const std::string text =
            format_ == "json" || ctx.json ? rules::audit_to_json(entries).dump(2) + "\n" : rules::audit_to_csv(entries);
        if (out_.empty()) ctx.out << text;
        else if (!(std::ofstream(out_, std::ios::binary) << text)) throw IoError("无法写入 " + out_ + " / cannot write");
        int bad = 0, review = 0;
        for (const auto& e : entries) {
            bad += e.report.verdict == rules::Verdict::NonConformant;
            review += e.report.verdict == rules::Verdict::Review;
        }
        ctx.err << "已审查矿业权 " << entries.size() << " 个：不符合 " << bad << " 个，需人工核查 " << review << " 个"
                << (entries.empty() ? "（矿业权图层为空：请先用 minplan import mineral_rights 导入现有矿业权）" : "") << "\n";
        return 0;
    }

private:
    std::string rules_, format_ = "csv", out_;
};

}  // namespace

std::unique_ptr<Command> make_audit() { return std::make_unique<AuditCommand>(); }

}  // namespace minplan::cli
