// The builder refuses plan data whose coded fields hold anything but codes (a label such as 开采 in
// mining_blocks.kind would match no rule), naming file, line and field; the plan as shipped builds.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "plan/builder.hpp"
#include "plan_fixture.hpp"

namespace minplan::testing {
namespace {

TEST(BuildCodes, ALabelOrAnUnknownValueInACodedFieldStopsTheBuild) {
    TempDir dir;
    const fs::path plan = dir / "plan";
    fs::copy(plan_source_dir(), plan, fs::copy_options::recursive);
    // Line 2 of mining_blocks.csv is its first block, kind "mining" (the header is one line);
    // line 3 gets a value that is no spelling of any code.
    const fs::path csv = plan / "features" / "mining_blocks.csv";
    std::ifstream in(csv);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    in.close();
    ASSERT_GT(lines.size(), 3u);
    for (auto [line, value] : {std::pair<std::size_t, const char*>{1, ",开采,"}, {2, ",采掘,"}}) {
        auto at = lines[line].find(",mining,");
        ASSERT_NE(at, std::string::npos) << lines[line];
        lines[line].replace(at, 8, value);
    }
    std::ofstream out(csv);
    for (const auto& l : lines) out << l << "\n";
    out.close();

    const fs::path db = dir / "plan.gpkg";
    try {
        plan::build_plan({plan, schema_tables_dir(), db, {}});
        ADD_FAILURE() << "the build must fail";
    } catch (const InputProblems& e) {
        ASSERT_EQ(e.problems().size(), 2u) << e.what();
        EXPECT_NE(e.problems()[0].find(csv.string() + ":2: 字段 kind 的值 \"开采\" 应写代码 mining"), std::string::npos)
            << e.problems()[0];
        EXPECT_NE(e.problems()[1].find(csv.string() + ":3: 字段 kind 的值 \"采掘\" 不是代码表 code_kinds"), std::string::npos)
            << e.problems()[1];
        EXPECT_NE(e.problems()[1].find("exploration（"), std::string::npos) << e.problems()[1];
    }
    EXPECT_FALSE(fs::exists(db)) << "nothing written";
}

}  // namespace
}  // namespace minplan::testing
