// The one runner of document tools (Chromium, pandoc, rsvg-convert): exit status, a missing program, the
// time limit, and the cap on tools running at once (issue 11: a burst of PDF requests must not start one
// Chromium per server worker).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "rules/external_tool.hpp"

namespace minplan::rules {
namespace {

using std::chrono::seconds;

TEST(ExternalTool, ExitStatusAndMissingProgram) {
    EXPECT_EQ(run_tool({"true"}, seconds(30)), 0);
    EXPECT_EQ(run_tool({"false"}, seconds(30)), 1);
    EXPECT_THROW(run_tool({"minplan-no-such-program"}, seconds(30)), ToolMissing);
}

TEST(ExternalTool, ATimedOutToolIsKilledAndReported) {
    try {
        run_tool({"sleep", "30"}, seconds(1));
        FAIL() << "no timeout";
    } catch (const ToolBusy&) {
        FAIL() << "busy instead of timed out";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("超过 1 秒"), std::string::npos) << e.what();
    }
}

TEST(ExternalTool, NoMoreThanTheCapRunAtOnce) {
    ASSERT_EQ(max_running_tools(), 2u);  // the default; MINPLAN_MAX_TOOLS is not set in the tests
    std::vector<std::thread> busy;
    for (int i = 0; i < 2; ++i) busy.emplace_back([] { run_tool({"sleep", "4"}, seconds(30)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // both slots taken (sleep 4 s each)
    EXPECT_THROW(run_tool({"true"}, seconds(1)), ToolBusy);
    for (auto& t : busy) t.join();
    EXPECT_EQ(run_tool({"true"}, seconds(5)), 0);  // slots given back
}

}  // namespace
}  // namespace minplan::rules
