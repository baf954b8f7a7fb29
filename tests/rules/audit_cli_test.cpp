// `minplan audit --overlaps FILE --layers …` through cli::run: the file's exact shape (the benchmark
// compares it with PostGIS) and the list of what was skipped on stderr.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "batch_plan.hpp"
#include "cli/app.hpp"
#include "rules/audit.hpp"
#include "rules/audit_batch.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AuditCli, WritesTheOverlapFileAndListsWhatItSkipped) {
    const auto dir = std::filesystem::temp_directory_path() / ("minplan-audit-cli-" + std::to_string(::getpid()));
    const auto db = testing::build_batch_plan(dir / "plan.gpkg");
    std::ostringstream out, err;
    const int code = cli::run({"--db", db.string(), "audit", "--overlaps", (dir / "overlaps.csv").string(), "--layers",
                               "control_lines,control_areas", "--threads", "2", "--out", (dir / "audit.csv").string()},
                              out, err);
    EXPECT_EQ(code, 0) << err.str();
    const std::string csv = slurp(dir / "overlaps.csv");
    ASSERT_EQ(csv.rfind("right_id,layer,feature_id,overlap_m2\n", 0), 0u) << "header first, no BOM";
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    int rows = 0;
    while (std::getline(lines, line)) {
        ++rows;
        EXPECT_EQ(line.rfind("R", 0), 0u) << line;
        EXPECT_NE(line.find(",control_lines,"), std::string::npos) << line;  // control_areas is empty
        const auto dot = line.rfind('.');
        ASSERT_NE(dot, std::string::npos) << line;
        EXPECT_EQ(line.size() - dot - 1, 3u) << "three decimals: " << line;
    }
    EXPECT_GT(rows, 50);
    EXPECT_NE(err.str().find("BOWTIE"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("为空"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("已审查矿业权 36 个"), std::string::npos) << err.str();
    EXPECT_NE(slurp(dir / "audit.csv").find("跳过"), std::string::npos);

    std::ostringstream out2, err2;
    EXPECT_NE(cli::run({"--db", db.string(), "audit", "--layers", "no_such_layer"}, out2, err2), 0);
    EXPECT_NE(err2.str().find("no_such_layer"), std::string::npos) << err2.str();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

// The CLI writes each right's rows as its tile is delivered (BatchSinks::entry) instead of holding every
// report: the files must be those of the whole result formatted at once (audit_to_csv / audit_to_json).
TEST(AuditCli, StreamedOutputEqualsTheWholeResult) {
    const auto dir = std::filesystem::temp_directory_path() / ("minplan-audit-stream-" + std::to_string(::getpid()));
    const auto db = testing::build_batch_plan(dir / "plan.gpkg");
    std::ostringstream out, err;
    ASSERT_EQ(cli::run({"--db", db.string(), "audit", "--threads", "2", "--out", (dir / "audit.csv").string()}, out, err), 0)
        << err.str();
    ASSERT_EQ(cli::run({"--db", db.string(), "audit", "--format", "json", "--out", (dir / "audit.json").string()}, out, err), 0)
        << err.str();
    auto store = store::open_store(db.string());
    auto setup = ReviewSetup::load(*store);
    const auto whole = audit_batch(*setup->engine, BatchOptions{});
    ASSERT_EQ(whole.entries.size(), 36u);
    EXPECT_EQ(slurp(dir / "audit.csv"), audit_to_csv(whole.entries, whole.skipped));
    EXPECT_EQ(slurp(dir / "audit.json"), audit_to_json(whole.entries, whole.skipped).dump(2) + "\n");
    // Every right handed over once, at its place in the layer, with the findings of the whole result.
    std::vector<int> seen(whole.entries.size(), 0);
    BatchSinks sinks;
    sinks.entry = [&](std::size_t ordinal, AuditEntry&& e) {
        ASSERT_LT(ordinal, seen.size());
        ++seen[ordinal];
        EXPECT_EQ(e.right_id, whole.entries[ordinal].right_id);
        EXPECT_EQ(audit_csv_rows(e), audit_csv_rows(whole.entries[ordinal]));
    };
    BatchOptions o;
    o.tile_size = 5;
    EXPECT_TRUE(audit_batch(*setup->engine, o, sinks).entries.empty());
    for (int n : seen) EXPECT_EQ(n, 1);
    setup.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

// The CSV writers quote a cell holding a comma, a quote or a line break and double its quotes (RFC 4180);
// other cells, Chinese punctuation included, go as they are. Expected rows written by hand.
TEST(AuditCli, CsvCellsAreQuotedAsRfc4180) {
    EXPECT_EQ(overlap_csv_rows({{"R,1", "control_lines", "L\"2\"", 0.0005}, {"R2", "a\nb", "x\ry", 12.3456}}),
              "\"R,1\",control_lines,\"L\"\"2\"\"\",0.001\n"  // 0.0005 is 5.0000000000000001e-4 as a double: 0.001
              "R2,\"a\nb\",\"x\ry\",12.346\n");
    AuditEntry e;
    e.right_id = "BR,7";
    e.licence_no = "C1";
    e.holder = "某\"公司\"";
    e.mineral = "煤炭";
    e.kind = "采矿权";
    e.report.verdict = Verdict::NonConformant;
    Finding f;
    f.rule_id = "R-1";
    f.title_zh = "不得重叠";
    f.result = Result::Fail;
    f.severity = Severity::Veto;
    f.message = "与“甲，乙”重叠；第二行\n";
    e.report.findings.push_back(f);
    EXPECT_EQ(audit_csv_rows(e), "\"BR,7\",C1,\"某\"\"公司\"\"\",煤炭,采矿权,不符合,R-1,不得重叠,不通过,否决,\"与“甲，乙”重叠；第二行\n\",否\n");
    e.report.findings.clear();
    EXPECT_EQ(audit_csv_rows(e), "\"BR,7\",C1,\"某\"\"公司\"\"\",煤炭,采矿权,不符合,,,通过,,全部适用规则通过,否\n");
}

}  // namespace
}  // namespace minplan::rules
