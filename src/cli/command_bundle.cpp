// `minplan exchange export|import`: the exchange bundle (汇交数据包) a city files with the province, and
// its import into a new database (services/exchange_bundle.hpp).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "services/exchange_bundle.hpp"
#include "store/history.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class BundleCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.require_subcommand(1);
        export_ = sub.add_subcommand("export", "写出汇交数据包（zip）/ write the exchange bundle");
        export_->add_option("--out", out_, "输出 zip 文件（不得已存在）/ the bundle to write")->required();
        export_->add_option("--changeset", options_.change_set, "汇交一个已批准的调整批次（含调整情况表）/ an approved change set");
        export_->add_option("--encoding", options_.encoding, "Shapefile 编码（GBK 默认，或 UTF-8），写入 .cpg")
            ->check(CLI::IsMember({"GBK", "UTF-8"}));
        import_ = sub.add_subcommand("import", "把汇交数据包导入为新数据库（--db 指定，须不存在或为空）/ import a bundle into a new database");
        import_->add_option("bundle", bundle_, "汇交数据包 zip / the bundle")->required()->check(CLI::ExistingFile);
        import_->add_flag("--force", force_, "质检有错误时仍导入（须 --reason，记入审计日志）/ import despite quality-check errors");
        import_->add_option("--reason", reason_, "强制导入的理由 / why the import is forced");
        import_->add_flag("--as-changeset", as_changeset_,
                          "把交换包中的调整批次导入 --db 已有的同一规划数据库，重建为草稿 / recreate the bundle's change set in an existing database");
        for (CLI::App* s : {export_, import_}) s->fallthrough();
    }

    int run(Context& ctx) override {
        if (export_->parsed()) {
            auto db = store::open_database(resolve_db(ctx));
            if (options_.as_of.empty()) options_.as_of = ctx.as_of;
            auto meta = services::export_bundle(*db, out_, options_);
            if (ctx.json) {
                ctx.out << meta.dump(2) << "\n";
            } else {
                ctx.out << "已写出汇交数据包 " << out_ << "：" << meta.value("plan_name", "") << "，版本 " << meta.value("version", 0) << "，"
                        << meta.value("as_of", "") << " 有效，" << meta["files"].size() << " 个文件\n";
            }
            return 0;
        }
        if (ctx.db.empty()) {
            ctx.err << "导入交换包需要用 --db 指定新数据库的路径（须不存在或为空）/ --db names the new database\n";
            return 2;
        }
        if (as_changeset_) {
            auto db = store::open_database(ctx.db);
            auto r = services::import_changeset_bundle(bundle_, *db, store::os_actor());
            if (ctx.json)
                ctx.out << nlohmann::json{{"database", ctx.db}, {"change_set", r.change_set}, {"items", r.items}, {"metadata", r.metadata}}.dump(2)
                        << "\n";
            else
                ctx.out << "已把交换包中的调整批次「" << r.metadata["change_set"].value("name", "") << "」（" << r.items << " 项）重建为本库草稿批次 "
                        << r.change_set << "；请用 minplan changeset submit/approve " << r.change_set << " 提交、批准\n";
            return 0;
        }
        auto result = services::import_bundle(bundle_, ctx.db, store::os_actor(), force_, reason_);
        if (ctx.json) {
            ctx.out << nlohmann::json{{"database", ctx.db}, {"metadata", result.metadata},
                                      {"qc", {{"errors", result.qc.count(services::qc::Severity::Error)},
                                              {"warnings", result.qc.count(services::qc::Severity::Warning)}}}}
                           .dump(2)
                    << "\n";
        } else {
            ctx.out << "已导入汇交数据包到 " << ctx.db << "：" << result.metadata.value("plan_name", "") << "，版本 "
                    << result.metadata.value("version", 0) << "；质检错误 " << result.qc.count(services::qc::Severity::Error) << "\n";
        }
        return 0;
    }

private:
    CLI::App *export_ = nullptr, *import_ = nullptr;
    services::BundleOptions options_;
    std::string out_, bundle_, reason_;
    bool as_changeset_ = false;
    bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> make_bundle() { return std::make_unique<BundleCommand>(); }

}  // namespace minplan::cli
