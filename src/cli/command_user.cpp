// minplan user add|list|remove: the portal's accounts in a plan database (the first admin is made here).
// Passwords never go on the command line (shell history, ps): they come from --password-file or stdin.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "server/auth.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

std::string strip_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// One line from stdin; on a terminal, asked twice without echo.
std::string read_password(std::ostream& err) {
    if (!::isatty(STDIN_FILENO)) {
        std::string line;
        if (!std::getline(std::cin, line)) throw InputError("标准输入中没有密码 / no password on stdin");
        return strip_newline(line);
    }
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string first, second;
    err << "密码 / password: " << std::flush;
    std::getline(std::cin, first);
    err << "\n再次输入 / again: " << std::flush;
    std::getline(std::cin, second);
    err << "\n";
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    if (first != second) throw InputError("两次输入的密码不一致 / passwords differ");
    return strip_newline(first);
}

std::string db_of(const std::string& own, const Context& ctx) {
    std::string db = own.empty() ? ctx.db : own;
    // The embedded database is rebuilt from the sources when they change, which would lose the accounts.
    if (db.empty()) throw InputError("请用 --db 指定规划数据库（先用 minplan build --out 生成；内置数据库会被重建）/ --db is required");
    return db;
}

class UserCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.require_subcommand(1);
        add_ = sub.add_subcommand("add", "新建账户（密码从 --password-file 或标准输入读取）/ add an account");
        add_->add_option("name", name_, "用户名 / user name")->required();
        add_->add_option("--role", role_, "reviewer（审查员）| planner（规划员）| admin（管理员）")->required();
        add_->add_option("--password-file", password_file_, "含密码的文件（首行）/ file with the password")->check(CLI::ExistingFile);
        add_->add_option("--db", db_, "规划数据库 GeoPackage / plan database");
        list_ = sub.add_subcommand("list", "列出账户 / list accounts");
        list_->add_option("--db", db_, "规划数据库 GeoPackage / plan database");
        remove_ = sub.add_subcommand("remove", "删除账户 / remove an account");
        remove_->add_option("name", name_, "用户名 / user name")->required();
        remove_->add_option("--db", db_, "规划数据库 GeoPackage / plan database");
        for (CLI::App* s : {add_, list_, remove_}) s->fallthrough();
    }
    int run(Context& ctx) override {
        server::UserStore users(store::open_database(db_of(db_, ctx)));
        if (add_->parsed()) {
            server::Role role = server::parse_role(role_);
            std::string password;
            if (!password_file_.empty()) {
                std::ifstream in(password_file_);
                if (!std::getline(in, password)) throw InputError("密码文件为空: " + password_file_);
                password = strip_newline(password);
            } else {
                password = read_password(ctx.err);
            }
            users.add(name_, role, password);
            ctx.out << "已新建账户 / account added: " << name_ << "（" << server::to_zh(role) << "）\n";
            return 0;
        }
        if (remove_->parsed()) {
            if (!users.remove(name_)) throw NotFoundError("没有用户 \"" + name_ + "\" / no such user");
            ctx.out << "已删除账户 / account removed: " << name_ << "\n";
            return 0;
        }
        auto list = users.list();
        if (ctx.json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& u : list)
                out.push_back({{"username", u.name}, {"role", server::to_string(u.role)}, {"created_at", u.created_at}});
            ctx.out << out.dump(2) << "\n";
            return 0;
        }
        TextTable t({"用户名", "角色", "创建时间（UTC）"});
        for (const auto& u : list) t.add({u.name, server::to_zh(u.role) + " " + server::to_string(u.role), u.created_at});
        t.print(ctx.out);
        if (list.empty()) ctx.out << "（尚无账户：minplan user add NAME --role admin --db DB）\n";
        return 0;
    }

private:
    CLI::App* add_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* remove_ = nullptr;
    std::string name_, role_, password_file_, db_;
};

}  // namespace

std::unique_ptr<Command> make_user() { return std::make_unique<UserCommand>(); }

}  // namespace minplan::cli
