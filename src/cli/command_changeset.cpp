// minplan changeset create|add|submit|approve|reject|list|show: the yearly adjustment (services/changesets).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "server/auth.hpp"
#include "services/changesets.hpp"
#include "store/change_file.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

nlohmann::json header_json(const store::ChangeSet& cs) {
    return {{"id", cs.id},           {"name", cs.name},         {"year", cs.year},
            {"kind", cs.kind},       {"kind_zh", store::kind_zh(cs.kind)},
            {"reason", cs.reason},   {"doc_no", cs.doc_no},     {"doc_date", cs.doc_date},
            {"author", cs.author},   {"effective_date", cs.effective_date},
            {"state", cs.state},     {"state_zh", store::state_zh(cs.state)},
            {"created_at", cs.created_at}, {"decided_at", cs.decided_at}, {"decided_by", cs.decided_by},
            {"note", cs.note},       {"plan_version", cs.plan_version}, {"items", cs.items.size()}};
}

void print_findings(Context& ctx, const std::vector<services::AdjustmentFinding>& findings) {
    if (ctx.json) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& f : findings)
            j.push_back({{"rule", f.rule}, {"item", f.item}, {"message", f.message}, {"clause", f.clause}, {"blocking", f.blocking}});
        ctx.out << nlohmann::json{{"findings", j}}.dump(2) << "\n";
        return;
    }
    TextTable t({"规则", "变更项", "问题", "条款"});
    for (const auto& f : findings) t.add({f.rule + (f.blocking ? "" : "（提示）"), f.item, f.message, f.clause});
    t.print(ctx.out);
}

class ChangeSetCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.require_subcommand(1);
        create_ = sub.add_subcommand("create", "新建调整批次（草稿）/ create a draft change set");
        create_->add_option("--name", cs_.name, "批次名称 / name")->required();
        create_->add_option("--effective", cs_.effective_date, "生效日期 YYYY-MM-DD / effective date")->required();
        create_->add_option("--year", cs_.year, "调整年度（默认取生效日期的年份）/ year");
        create_->add_option("--kind", cs_.kind, "adjustment（集中调整，默认）| amendment（规划修改）")->default_val("adjustment");
        create_->add_option("--reason", cs_.reason, "调整理由 / reason");
        create_->add_option("--doc-no", cs_.doc_no, "批复文号 / approving document number");
        create_->add_option("--doc-date", cs_.doc_date, "批复日期 YYYY-MM-DD / document date");
        create_->add_option("--author", cs_.author, "编制人（默认当前用户）/ author");
        add_ = sub.add_subcommand("add", "从调整数据文件添加变更（含操作列：新增/修改/注销）/ add changes from a file");
        add_->add_option("id", id_, "批次号 / change set id")->required();
        add_->add_option("layer", layer_, "图层 / layer")->required();
        add_->add_option("file", file_, "GeoPackage/Shapefile/GeoJSON，或 XLSX/CSV（注销、属性表）")->required()->check(CLI::ExistingFile);
        add_->add_option("--encoding", import_.encoding, "源文件编码（如 GBK）/ source encoding");
        submit_ = sub.add_subcommand("submit", "检查调整规则并提交 / check the adjustment rules and submit");
        submit_->add_option("id", id_, "批次号 / change set id")->required();
        check_ = sub.add_subcommand("check", "只检查调整规则 / check the adjustment rules only");
        check_->add_option("id", id_, "批次号 / change set id")->required();
        approve_ = sub.add_subcommand("approve", "批准（需规划员或管理员账户）并按生效日期生效 / approve");
        approve_->add_option("id", id_, "批次号 / change set id")->required();
        approve_->add_option("--user", user_, "批准人的门户账户（规划员或管理员）/ approver's account")->required();
        approve_->add_flag("--force", force_, "质检有错误时仍批准（须 --reason，记入审计日志）/ approve despite quality-check errors");
        approve_->add_option("--reason", reason_, "强制批准的理由 / why the approval is forced");
        reject_ = sub.add_subcommand("reject", "退回 / return to the author");
        reject_->add_option("id", id_, "批次号 / change set id")->required();
        reject_->add_option("--note", note_, "退回意见 / note");
        list_ = sub.add_subcommand("list", "列出调整批次 / list change sets");
        show_ = sub.add_subcommand("show", "批次详情与变更项 / one change set with its items");
        show_->add_option("id", id_, "批次号 / change set id")->required();
        for (CLI::App* s : {create_, add_, submit_, check_, approve_, reject_, list_, show_}) s->fallthrough();
    }

    int run(Context& ctx) override {
        auto db = store::open_database(resolve_db(ctx));
        const std::string actor = store::os_actor();
        if (create_->parsed()) {
            auto id = services::create_change_set(*db, cs_, actor);
            ctx.out << (ctx.json ? nlohmann::json{{"id", id}}.dump() : "已新建调整批次 " + std::to_string(id) + "（草稿）/ change set created") << "\n";
            return 0;
        }
        if (add_->parsed()) {
            auto snap = db->snapshot();
            const TableSchema& target = snap->schema(layer_);
            auto items = store::read_change_file(file_, target, store::import_reference(*snap, target), import_);
            snap.reset();
            services::add_change_items(*db, id_, items, actor);
            ctx.out << "已向调整批次 " << id_ << " 添加 " << items.size() << " 项变更 / changes added\n";
            return 0;
        }
        if (submit_->parsed() || check_->parsed()) {
            std::vector<services::AdjustmentFinding> findings;
            if (submit_->parsed()) {
                findings = services::submit_change_set(*db, id_, actor);
            } else {
                auto cs = db->change_set(id_);
                if (!cs) throw NotFoundError("没有调整批次 " + std::to_string(id_));
                findings = services::check_adjustment(*db, *cs);
            }
            bool blocking = false;
            for (const auto& f : findings) blocking = blocking || f.blocking;
            print_findings(ctx, findings);
            if (!ctx.json) {
                if (submit_->parsed())
                    ctx.out << (blocking ? "未提交：调整批次违反上列规划条款 / not submitted\n" : "已提交 / submitted\n");
                else
                    ctx.out << (blocking ? "不符合调整规则 / breaks the adjustment rules\n" : "符合调整规则 / passes the adjustment rules\n");
            }
            return blocking ? 1 : 0;
        }
        if (approve_->parsed()) {
            server::UserStore users(db);
            auto user = users.find(user_);
            if (!user) throw NotFoundError("没有门户账户 \"" + user_ + "\"（minplan user list）/ no such account");
            services::Approval approval;
            approval.may_approve = user->role >= server::Role::Planner;
            approval.force = force_;
            approval.force_reason = reason_;
            auto version = services::approve_change_set(*db, id_, user_ + "（" + actor + "）", approval);
            ctx.out << "已批准调整批次 " << id_ << "，规划版本 " << version << " / approved\n";
            return 0;
        }
        if (reject_->parsed()) {
            services::reject_change_set(*db, id_, actor, note_);
            ctx.out << "已退回调整批次 " << id_ << " / returned\n";
            return 0;
        }
        if (show_->parsed()) {
            auto cs = db->change_set(id_);
            if (!cs) throw NotFoundError("没有调整批次 " + std::to_string(id_) + " / no such change set");
            if (ctx.json) {
                auto j = header_json(*cs);
                nlohmann::json items = nlohmann::json::array();
                for (const auto& i : cs->items)
                    items.push_back({{"seq", i.seq}, {"action", store::action_code(i.action)}, {"layer", i.layer}, {"key", i.key}, {"source", i.source}});
                j["items"] = items;
                ctx.out << j.dump(2) << "\n";
                return 0;
            }
            ctx.out << "调整批次 " << cs->id << "「" << cs->name << "」 " << store::kind_zh(cs->kind) << "，" << cs->year << " 年，状态 "
                    << store::state_zh(cs->state) << "，生效 " << cs->effective_date << "\n批复文号 " << cs->doc_no << " " << cs->doc_date
                    << "；编制 " << cs->author << "；理由 " << cs->reason << "\n";
            TextTable t({"序号", "操作", "图层", "标识", "来源"});
            for (const auto& i : cs->items) t.add({std::to_string(i.seq), store::action_zh(i.action), i.layer, i.key, i.source});
            t.print(ctx.out);
            return 0;
        }
        auto sets = db->change_sets();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& cs : sets) j.push_back(header_json(cs));
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        TextTable t({"批次", "名称", "类型", "年度", "状态", "生效日期", "批复文号", "编制人"});
        for (const auto& cs : sets)
            t.add({std::to_string(cs.id), cs.name, store::kind_zh(cs.kind), std::to_string(cs.year), store::state_zh(cs.state), cs.effective_date,
                   cs.doc_no, cs.author});
        t.print(ctx.out);
        return 0;
    }

private:
    CLI::App *create_ = nullptr, *add_ = nullptr, *submit_ = nullptr, *check_ = nullptr, *approve_ = nullptr, *reject_ = nullptr,
             *list_ = nullptr, *show_ = nullptr;
    store::ChangeSet cs_;
    store::ImportOptions import_;
    std::int64_t id_ = 0;
    std::string layer_, file_, user_, note_, reason_;
    bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> make_changeset() { return std::make_unique<ChangeSetCommand>(); }

}  // namespace minplan::cli
