// Code tables (core/code_table.hpp) and the progress bar (core/progress.hpp): resolution of codes, labels
// and aliases; ambiguous tables refused; the bar's frames, and silence when the stream is not a terminal.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "core/code_table.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"

namespace minplan::testing {
namespace {

// The code a spelling resolves to, or "(none)": a wrong resolution fails the expectation instead of crashing.
std::string code(const CodeTable& t, const std::string& spelling) {
    const std::string* c = t.resolve(spelling);
    return c ? *c : "(none)";
}

CodeTable control_types() {
    return CodeTable("code_control_types", "管控范围类型",
                     {{"ecological_red_line", "生态保护红线", {"生态红线", "红线"}},
                      {"permanent_basic_farmland", "永久基本农田", {"基本农田"}}});
}

TEST(CodeTable, ResolvesCodesLabelsAndAliasesToTheCode) {
    CodeTable t = control_types();
    EXPECT_EQ(code(t, "ecological_red_line"), "ecological_red_line");
    EXPECT_EQ(code(t, "生态保护红线"), "ecological_red_line");
    EXPECT_EQ(code(t, " 基本农田 "), "permanent_basic_farmland");
    EXPECT_EQ(t.resolve("耕地"), nullptr);
    EXPECT_EQ(t.resolve(""), nullptr);
    EXPECT_EQ(t.resolve("Ecological_Red_Line"), nullptr) << "codes are exact";
    EXPECT_EQ(t.listing(), "ecological_red_line（生态保护红线）、permanent_basic_farmland（永久基本农田）");
}

TEST(CodeTable, FromRowsSplitsAliasesAndRefusesAmbiguity) {
    Feature a, b;
    a.attributes = {{"code", std::string("key_mining")}, {"label_zh", std::string("重点矿区")},
                    {"aliases", std::string("重点开采区; 重点区")}};
    b.attributes = {{"code", std::string("concentrated_mining")}, {"label_zh", std::string("集中开采区")}};
    CodeTable t = CodeTable::from_rows("code_zone_kinds", "分区类型", {a, b});
    EXPECT_EQ(code(t, "重点区"), "key_mining");
    EXPECT_EQ(code(t, "集中开采区"), "concentrated_mining");
    b.attributes["aliases"] = std::string("重点区");  // now two codes claim 重点区
    EXPECT_THROW(CodeTable::from_rows("code_zone_kinds", "分区类型", {a, b}), InputError);
    Feature empty;
    EXPECT_THROW(CodeTable::from_rows("t", "t", {empty}), InputError);
}

TEST(Progress, FramesShowShareAndCount) {
    EXPECT_EQ(Progress::render("导入", 3, 4, 4), "导入 [███░] 75% 3/4");
    EXPECT_EQ(Progress::render("导入", 0, 10, 2), "导入 [░░] 0% 0/10");
    EXPECT_EQ(Progress::render("导入", 12, 10, 2), "导入 [██] 100% 10/10") << "never beyond the total";
    EXPECT_EQ(Progress::render("生成", 7, 0), "生成 7") << "unknown total: count only";
}

TEST(Progress, QuietWhenTheStreamIsNotATerminal) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
        Progress p("导入", 100, f);
        EXPECT_FALSE(p.drawing());
        for (int i = 0; i < 100; ++i) p.advance();
    }
    EXPECT_EQ(std::ftell(f), 0L) << "nothing written to a file";
    std::fclose(f);
}

}  // namespace
}  // namespace minplan::testing
