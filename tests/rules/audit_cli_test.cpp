// `minplan audit --overlaps FILE --layers …` through cli::run: the file's exact shape (the benchmark
// compares it with PostGIS) and the list of what was skipped on stderr.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "batch_plan.hpp"
#include "cli/app.hpp"

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

}  // namespace
}  // namespace minplan::rules
