// minplan check APPLICATION: plan-conformance review of one application (规划符合性审查).
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "store/history.hpp"
#include "core/error.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "rules/opinion.hpp"
#include "rules/pdf.hpp"
#include "rules/report.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {

namespace {

class CheckCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("application", file_, "申请范围文件：采矿权/探矿权坐标串、国土TXT、登记TXT、GeoJSON、Shapefile、GeoPackage")
            ->required();  // existence is checked by the loader: a missing file is exit 4 (README), not a usage error
        sub.add_option("--attrs", attrs_, "申请属性文件（JSON 或 TOML）/ attributes sidecar");
        sub.add_option("--attr", attr_pairs_, "单项属性 key=value，可多次（如 --attr main_mineral=石灰岩）");
        sub.add_option("--kind", kind_, "exploration（探矿权）| mining（采矿权）");
        sub.add_option("--action", action_, "new | extension | expansion | change_mineral");
        sub.add_option("--layer", layer_, "GeoPackage 中的图层 / layer inside a GeoPackage");
        sub.add_option("--rules", rules_, "规则文件，替代规划数据库中的规则（默认：数据库中的 rules.json）/ rule set")->check(CLI::ExistingFile);
        sub.add_option("--format", format_, "json | html | pdf | docx（默认 json；html/pdf/docx 为审查意见）")
            ->check(CLI::IsMember({"json", "html", "pdf", "docx"}));
        sub.add_option("--out", out_, "输出文件（pdf、docx 必填；默认标准输出）");
        sub.add_option("--reviewer", reviewer_, "审查人姓名（写入审查意见）/ reviewer's name");
        sub.add_option("--role", role_, "审查人职务或角色（如 审查员）/ reviewer's role");
        sub.add_option("--number", number_, "审查意见编号（门户存档的审查自动编号；命令行不给则留空待登记）/ opinion number");
    }
    int run(Context& ctx) override {
        if ((format_ == "pdf" || format_ == "docx") && out_.empty())
            throw InputError("--format " + format_ + " 需要 --out 文件 / --format " + format_ + " needs --out");
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto setup = rules::ReviewSetup::load(*store, rules_);
        rules::LoadOptions lo;
        if (!kind_.empty()) lo.kind = kind_;
        if (!action_.empty()) lo.action = action_;
        lo.attrs_file = attrs_;
        lo.layer = layer_;
        for (const auto& p : attr_pairs_) {
            auto eq = p.find('=');
            if (eq == std::string::npos) throw InputError("--attr 应为 key=value，实际为 “" + p + "”");
            lo.attrs.emplace_back(p.substr(0, eq), p.substr(eq + 1));
        }
        rules::Application app;
        try {
            app = rules::load_application(file_, lo, setup->engine->polygon_options());
        } catch (const rules::KindUnknownError&) {
            throw InputError("无法从坐标格式判断矿业权类型：请用 --kind mining（采矿权）或 --kind exploration（探矿权），或在属性文件中给出 kind"
                             " / cannot tell the kind of right: use --kind");
        }
        // The plan in force on the application's filing date (--as-of wins), unless that is the one read.
        std::string plan_date = ctx.as_of;
        if (plan_date.empty())
            if (auto filed = app.attrs.text("filing_date")) plan_date = store::parse_date(*filed, "属性 filing_date（申请受理日期）");
        const std::string read_date = ctx.as_of.empty() ? store::today() : ctx.as_of;
        if (plan_date.empty()) plan_date = read_date;
        if (plan_date != read_date) {
            auto dated = store::open_store_at(resolve_db(ctx), plan_date);
            auto dated_setup = rules::ReviewSetup::load(*dated, rules_);
            setup = std::move(dated_setup);  // the old setup goes before the store it reads
            store = std::move(dated);
        }
        rules::Report report = setup->engine->check(app);
        report.application.header = app.header;
        rules::add_map_context(report, *setup->index, setup->index->reader());
        auto info = rules::opinion_info_now(rules::OpinionSettings::from(setup->rules.settings), reviewer_, role_);
        info.number = number_;
        std::string text;
        if (format_ == "json") {
            auto j = rules::report_to_json(report);
            j["opinion"] = rules::opinion_to_json(info);
            j["plan_version"] = {{"version", store->version()}, {"as_of", plan_date}};
            text = j.dump(2) + "\n";
        } else if (format_ != "docx") {
            text = rules::opinion_html(report, info);
        }
        if (format_ == "pdf") {
            rules::html_to_pdf(text, out_);
        } else if (format_ == "docx") {
            rules::write_opinion_docx(report, info, out_);
        } else if (out_.empty()) {
            ctx.out << text;
        } else {
            std::ofstream o(out_, std::ios::binary);
            if (!(o << text)) throw IoError("无法写入 " + out_ + " / cannot write");
        }
        if (!out_.empty())
            ctx.err << "审查结论：" << rules::to_zh(report.verdict) << "，已写入 " << out_ << "\n";
        return report.verdict == rules::Verdict::NonConformant ? kNonConformant : kOk;
    }

private:
    std::string file_, attrs_, kind_, action_, layer_, rules_, format_ = "json", out_, reviewer_, role_, number_;
    std::vector<std::string> attr_pairs_;
};

}  // namespace

std::unique_ptr<Command> make_check() { return std::make_unique<CheckCommand>(); }

}  // namespace minplan::cli
