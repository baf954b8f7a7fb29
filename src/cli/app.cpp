#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "plan/builder.hpp"
#include "store/history.hpp"

namespace minplan::cli {

std::string resolve_db(const Context& ctx) {
    if (!ctx.db.empty()) return ctx.db;
    return plan::ensure_default_database().string();
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{"minplan — 矿产资源规划管理系统 / mineral resources plan system", "minplan"};
    app.require_subcommand(1);
    Context ctx{out, err};
    app.add_flag("--json", ctx.json, "机器可读的 JSON 输出 / machine-readable output");
    app.add_option("--db", ctx.db, "规划数据库 GeoPackage（默认：随程序附带的规划，首次使用时生成）/ plan database");
    app.add_option("--plan", ctx.plan, "PostGIS 数据库中的规划编号（模式名）/ the plan in a PG: database");
    app.add_option("--as-of", ctx.as_of,
                   "按日期读取当时有效的规划（YYYY-MM-DD，默认今天）/ read the plan in force on that date")
        ->check([](const std::string& v) {
            try {
                store::parse_date(v, "--as-of");
                return std::string();
            } catch (const Error& e) {
                return std::string(e.what());
            }
        });
    app.footer(
        "退出码 / exit codes: 0 成功, 1 审查不符合, 2 命令行错误, 3 输入数据错误, 4 文件读写错误, 5 未找到, 10 内部错误");

    std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> subs;
    for (const auto& info : commands()) {
        CLI::App* sub = app.add_subcommand(info.name, info.description);
        sub->fallthrough();  // `minplan info --json` as well as `minplan --json info`
        auto cmd = info.make();
        cmd->setup(*sub);
        subs.emplace_back(sub, std::move(cmd));
    }

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kOk;
    } catch (const CLI::ParseError& e) {
        // Help requested on a subcommand arrives as a ParseError with exit code 0.
        if (e.get_exit_code() == 0) {
            for (auto& [sub, cmd] : subs)
                if (sub->parsed()) out << sub->help();
            return kOk;
        }
        err << "命令行错误 / usage error: " << e.what() << "\n";
        return kUsage;
    }

    try {
        if (!ctx.plan.empty() && ctx.db.rfind("PG:", 0) != 0 && !app.get_subcommand_ptr("copy")->parsed() &&
            !app.get_subcommand_ptr("build")->parsed())
            throw InputError("--plan 只用于 PostGIS 数据库（--db PG:…）/ --plan needs --db PG:…");
        ctx.db = with_plan(ctx.db, ctx.plan);
        for (auto& [sub, cmd] : subs)
            if (sub->parsed()) return cmd->run(ctx);
    } catch (...) {
        return report_failure(std::current_exception(), err);
    }
    return kUsage;
}

int report_failure(std::exception_ptr failure, std::ostream& err) {
    try {
        std::rethrow_exception(failure);
    } catch (const NotFoundError& e) {
        err << "未找到 / not found: " << e.what() << "\n";
        return kNotFound;
    } catch (const InputError& e) {
        err << "输入错误 / input error: " << e.what() << "\n";
        return kInputError;
    } catch (const IoError& e) {
        err << "文件错误 / I/O error: " << e.what() << "\n";
        return kIoError;
    } catch (const std::exception& e) {
        err << "内部错误 / internal error: " << e.what() << "\n";
        return kInternal;
    } catch (...) {
        err << "内部错误 / internal error（未知异常 / unknown exception）\n";
        return kInternal;
    }
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return run(args, std::cout, std::cerr);
}

}  // namespace minplan::cli
