#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"

namespace minplan::cli {
namespace {

class TableCommand final : public Command {
public:
    void setup(CLI::App& sub) override { sub.add_option("table", table_, "专栏编号或表名 / table")->required(); }
    int run(Context& ctx) override {
        ctx.out << table_ << "\n";
        return 0;
    }

private:
    std::string table_;
};

}  // namespace

std::unique_ptr<Command> make_table() { return std::make_unique<TableCommand>(); }

}  // namespace minplan::cli
