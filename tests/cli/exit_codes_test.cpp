// Every documented exit code (README "Exit codes", cli/app.hpp) from the failure that produces it. Codes
// 0–5 are also reached end to end by the CLI tests (cli_test, check_input_cli_test, import_cli_test,
// fictional_plan_test); an internal error cannot be provoked through a correct program, so 10 is tested
// here, where every failure is mapped.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "../plan/plan_fixture.hpp"
#include "cli/app.hpp"
#include "core/error.hpp"

namespace minplan::testing {
namespace {

int code_of(std::exception_ptr e, std::string* message = nullptr) {
    std::ostringstream err;
    const int code = cli::report_failure(e, err);
    if (message) *message = err.str();
    return code;
}

TEST(ExitCodes, EachFailureClassHasItsDocumentedCode) {
    std::string msg;
    EXPECT_EQ(code_of(std::make_exception_ptr(InputError("第 3 行：缺少 X")), &msg), 3);
    EXPECT_NE(msg.find("第 3 行：缺少 X"), std::string::npos);
    EXPECT_EQ(code_of(std::make_exception_ptr(IoError("无法读取 a.txt"))), 4);
    EXPECT_EQ(code_of(std::make_exception_ptr(NotFoundError("没有图层 x"))), 5);
    EXPECT_EQ(code_of(std::make_exception_ptr(std::runtime_error("boom")), &msg), 10);
    EXPECT_NE(msg.find("boom"), std::string::npos);
    EXPECT_EQ(code_of(std::make_exception_ptr(42)), 10);
}

TEST(ExitCodes, EndToEnd) {
    TempDir dir;
    EXPECT_EQ(run_cli({"info"}).code, cli::kOk);
    EXPECT_EQ(run_cli({"no-such-command"}).code, cli::kUsage);
    EXPECT_EQ(run_cli({"layers", "--fields", "NO_SUCH_LAYER"}).code, cli::kNotFound);
    // A missing input file is a file error (4), as documented — not a usage error.
    EXPECT_EQ(run_cli({"check", (dir.path() / "missing.txt").string(), "--kind", "mining"}).code, cli::kIoError);
    std::ofstream(dir.path() / "bad.txt") << "这不是坐标\n";
    EXPECT_EQ(run_cli({"check", (dir.path() / "bad.txt").string(), "--kind", "mining"}).code, cli::kInputError);
}

}  // namespace
}  // namespace minplan::testing
