// `minplan qc`: the quality check of a plan database (services/qc, docs/qc.md). Exit code 1 when any 错误
// remains, so that scripts can refuse to file the database.
#include <CLI/CLI.hpp>

#include <fstream>
#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/changeset_qc.hpp"
#include "services/exchange_bundle.hpp"
#include "services/qc/report.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    if (!(out << content)) throw IoError("无法写入 " + path + " / cannot write");
}

class QcCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--config", config_, "质检配置 qc.json，替代规划包中的配置 / quality-check configuration")
            ->check(CLI::ExistingFile);
        sub.add_option("--html", html_, "写出 HTML 报告 / HTML report");
        sub.add_option("--xlsx", xlsx_, "写出 XLSX 报告（汇总、问题清单）/ XLSX report");
        sub.add_option("--geojson", geojson_, "写出问题位置 GeoJSON（供 QGIS）/ finding locations for QGIS");
        sub.add_option("--changeset", changeset_,
                       "检查调整批次生效后的规划（只列出该批次带来的问题）/ the plan as this change set would leave it");
        sub.add_option("--bundle", bundle_, "导入前检查汇交数据包（zip）/ check an exchange bundle before import")->check(CLI::ExistingFile);
        sub.footer("退出码：0 无错误（可有警告、提示）；1 有错误；3 配置有误（未知质检项、图层或字段）。\n"
                   "Exit code 0: no 错误; 1: 错误 remain; 3: bad configuration.");
    }
    int run(Context& ctx) override {
        services::qc::QcReport report;
        if (!bundle_.empty()) return finish(ctx, services::qc_bundle(bundle_));
        if (changeset_) {
            auto db = store::open_database(resolve_db(ctx));
            auto cs = db->change_set(changeset_);
            if (!cs) throw NotFoundError("没有调整批次 " + std::to_string(changeset_) + "（minplan changeset list 查看）/ no such change set");
            auto checked = services::qc_change_set(*db, *cs);
            report = std::move(checked.report);
            if (!ctx.json && checked.already_present)
                ctx.out << "（另有 " << checked.already_present << " 处问题在现行规划中已存在，不属本批次 / already in the plan）\n";
            return finish(ctx, report);
        }
        auto store = store::open_store(resolve_db(ctx));
        services::qc::QcOptions options;
        if (!config_.empty()) {
            std::ifstream in(config_);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::vector<TableSchema> schemas;
            for (const auto& l : store->layers()) schemas.push_back(store->schema(l.id));
            options.config = services::qc::parse_config(text, config_, schemas);
        }
        report = services::qc::run_qc(*store, options);
        return finish(ctx, report);
    }

private:
    int finish(Context& ctx, const services::qc::QcReport& report) const {
        if (!html_.empty()) write_file(html_, services::qc::to_html(report));
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, services::qc::to_tables(report));
        if (!geojson_.empty()) write_file(geojson_, services::qc::locations_geojson(report).dump(1) + "\n");
        if (ctx.json) ctx.out << services::qc::to_json(report).dump(2) << "\n";
        else services::qc::write_text(report, ctx.out);
        return report.has_errors() ? kNonConformant : kOk;
    }

    std::string config_, html_, xlsx_, geojson_, bundle_;
    std::int64_t changeset_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_qc() { return std::make_unique<QcCommand>(); }

}  // namespace minplan::cli
