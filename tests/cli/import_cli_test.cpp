// `minplan import` with a bureau's own files, run in-process through cli::run: repeated --map with input
// files after it, --map-file, --set, --where, several inputs, --append, the exit codes of bad input (3), a
// malformed option (2) and an unknown mapping target (5), the warning for unmapped fields, --help.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/app.hpp"
#include "store/gpkg_store.hpp"
#include "../store/import_test_files.hpp"

namespace minplan::testing {
namespace {

class ImportCli : public ::testing::Test {
protected:
    CliResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string(), "import"});
        return run_cli(args);
    }
    std::vector<std::string> column(const std::string& layer, const std::string& field) const {
        std::vector<std::string> out;
        for (const auto& f : store::GpkgStore::open(db_)->read(layer)) out.push_back(f.text(field));
        return out;
    }
    TempDir dir_;
    fs::path db_ = copy_of_plan(dir_);
};

TEST_F(ImportCli, MapSetWhereAndSeveralInputs) {
    auto a = write_geojson(dir_ / "a.geojson", {{{{"BH", "A-1"}, {"XZQ", "浑源县"}}},
                                                {{{"BH", "A-2"}, {"XZQ", "灵丘县"}}, 113.72}});
    auto b = write_geojson(dir_ / "b.geojson", {{{{"BH", "B-1"}, {"XZQ", "浑源县"}}, 113.74}});
    // The input files after --map/--set stay inputs (one value per option).
    CliResult r = run({"control_lines", a.string(), "--map", "BH=line_id", "--map", "XZQ=county", b.string(),
                       "--set", "control_type=生态保护红线", "--where", "XZQ = '浑源县'"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    EXPECT_NE(r.out.find("已导入 2 个要素"), std::string::npos) << r.out;
    EXPECT_EQ(column("control_lines", "line_id"), (std::vector<std::string>{"A-1", "B-1"}));
    EXPECT_EQ(column("control_lines", "control_type"),
              (std::vector<std::string>(2, code_of_label("control_types", "生态保护红线"))));
    EXPECT_EQ(r.err, "") << "every source field was mapped";
}

TEST_F(ImportCli, MapFileAppendAndUnmappedWarning) {
    std::ofstream(dir_ / "map.json") << R"({"BH": "编号", "LX": "KZXLX"})";
    auto a = write_geojson(dir_ / "a.geojson", {{{{"BH", "J-1"}, {"LX", "水源地"}, {"FID_1", 7}}}});
    auto b = write_geojson(dir_ / "b.geojson", {{{{"BH", "J-2"}, {"LX", "自然保护区"}}, 113.72}});
    CliResult first = run({"control_lines", a.string(), "--map-file", (dir_ / "map.json").string()});
    ASSERT_EQ(first.code, cli::kOk) << first.err;
    EXPECT_NE(first.err.find("FID_1"), std::string::npos) << "unmapped field reported: " << first.err;
    EXPECT_NE(first.err.find("warning"), std::string::npos) << first.err;
    CliResult second = run({"control_lines", b.string(), "--map-file", (dir_ / "map.json").string(), "--append"});
    ASSERT_EQ(second.code, cli::kOk) << second.err;
    EXPECT_NE(second.out.find("图层现有 2 个要素"), std::string::npos) << second.out;
    CliResult third = run_cli({"--db", db_.string(), "--json", "import", "control_lines", a.string(), "--map-file",
                               (dir_ / "map.json").string(), "--append"});
    ASSERT_EQ(third.code, cli::kOk) << third.err;
    const auto summary = nlohmann::json::parse(third.out);
    EXPECT_EQ(summary.at("imported"), 1);
    EXPECT_EQ(summary.at("layer_total"), 3);
    ASSERT_EQ(summary.at("warnings").size(), 1u);
    EXPECT_NE(summary.at("warnings")[0].get<std::string>().find("FID_1"), std::string::npos);
    EXPECT_EQ(column("control_lines", "line_id"), (std::vector<std::string>{"J-1", "J-2", "J-1"}));
    EXPECT_EQ(column("control_lines", "control_type"),
              (std::vector<std::string>{"water_source", "nature_reserve", "water_source"}));
}

TEST_F(ImportCli, BadInputExitsThreeAndWritesNothing) {
    const std::string before = read_bytes(db_);
    auto a = write_geojson(dir_ / "a.geojson", {{{{"KZXBH", "C-1"}, {"KZXLX", "红线区"}}}});
    CliResult unknown_code = run({"control_lines", a.string()});
    EXPECT_EQ(unknown_code.code, cli::kInputError);
    EXPECT_NE(unknown_code.err.find("要素 1 (FID 0) 字段 KZXLX（control_type）：\"红线区\""), std::string::npos)
        << unknown_code.err;
    EXPECT_NE(unknown_code.err.find("ecological_red_line（生态保护红线）"), std::string::npos) << unknown_code.err;

    CliResult bad_where = run({"control_lines", a.string(), "--where", "KZXBH ==="});
    EXPECT_EQ(bad_where.code, cli::kInputError);
    EXPECT_NE(bad_where.err.find("KZXBH ==="), std::string::npos) << bad_where.err;

    CliResult bad_map = run({"control_lines", a.string(), "--map", "KZXBH"});
    EXPECT_EQ(bad_map.code, cli::kUsage) << "a malformed option is a command-line error";
    EXPECT_NE(bad_map.err.find("SRC=DST"), std::string::npos) << bad_map.err;

    CliResult bad_set = run({"control_lines", a.string(), "--set", "=生态保护红线"});
    EXPECT_EQ(bad_set.code, cli::kUsage);
    EXPECT_NE(bad_set.err.find("field=value"), std::string::npos) << bad_set.err;

    CliResult unknown_target = run({"control_lines", a.string(), "--map", "KZXBH=no_such_field"});
    EXPECT_EQ(unknown_target.code, cli::kNotFound);
    EXPECT_NE(unknown_target.err.find("no_such_field"), std::string::npos) << unknown_target.err;
    EXPECT_NE(unknown_target.err.find("line_id"), std::string::npos) << "lists the fields: " << unknown_target.err;

    CliResult missing_map_file = run({"control_lines", a.string(), "--map-file", (dir_ / "nope.csv").string()});
    EXPECT_EQ(missing_map_file.code, cli::kIoError);
    EXPECT_EQ(read_bytes(db_), before);
}

// A field the layer does not have is a warning, not a failure: bureau files carry Shape_Area, FID_1 …
TEST_F(ImportCli, UnknownSourceFieldIsReportedAndTheRestImported) {
    const fs::path file = test_data_dir() / "store" / "unknown_field.geojson";
    CliResult r = run({"key_exploration_zones", file.string(), "--force"});  // stated ≠ drawn area: a qc 错误, not this test's subject
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    EXPECT_NE(r.err.find(file.string() + ": 源字段 BOGUS"), std::string::npos) << r.err;
    EXPECT_EQ(column("key_exploration_zones", "zone_id"), (std::vector<std::string>{"T-01", "T-02"}));
    // --where on a source field that no target field takes.
    CliResult filtered = run({"key_exploration_zones", file.string(), "--where", "BOGUS IS NULL", "--force"});
    ASSERT_EQ(filtered.code, cli::kOk) << filtered.err;
    EXPECT_EQ(column("key_exploration_zones", "zone_id"), (std::vector<std::string>{"T-01"}));
}

// The red-line fixture of bad_cases.txt imports once the unknown label is left out.
TEST_F(ImportCli, ControlTypeFixtureImportsWithoutItsBadFeature) {
    const fs::path file = test_data_dir() / "store" / "bad_control_type.geojson";
    CliResult r = run({"control_lines", file.string(), "--where", "KZXBH = 'HY-1'"});
    ASSERT_EQ(r.code, cli::kOk) << r.err;
    EXPECT_EQ(column("control_lines", "control_type"),
              (std::vector<std::string>{code_of_label("control_types", "生态保护红线")}));
}

// The incident behind the code tables: a county's red line typed 生态保护红线 was imported as text, and
// R07 then found "no red-line data" (需人工核查) instead of the overlap. Stored as the code, R07 sees it.
// coal_all_pass.txt lies at 113.703–113.715 E, 39.874–39.883 N (its corner coordinates converted from
// CGCS2000 zone 38 by `minplan check`), inside the 113.6–113.8 × 39.8–40.0 square below.
TEST_F(ImportCli, RedLineGivenWithItsChineseLabelIsFoundByTheReview) {
    const std::string app = (test_data_dir() / "rules" / "apps" / "coal_all_pass.txt").string();
    auto r07 = [&](int expected_exit) {
        CliResult r = run_cli({"--db", db_.string(), "--json", "check", app});
        EXPECT_EQ(r.code, expected_exit) << r.err;
        const auto review = nlohmann::json::parse(r.out);
        for (const auto& f : review.at("findings"))
            if (f.at("rule") == "R07") return f.at("result").get<std::string>();
        return std::string("no R07");
    };
    EXPECT_EQ(r07(cli::kOk), "需人工核查") << "no red line in the plan yet";
    SourceFeature red{{{"BH", "HY-ERL-1"}, {"LX", "生态保护红线"}, {"MC", "县红线"}}, 113.6, 39.8};
    auto file = write_geojson(dir_ / "red.geojson", {red});
    // A 0.2° square instead of write_geojson's 0.01°: rewrite its coordinates.
    auto fc = nlohmann::json::parse(read_bytes(file));
    fc["features"][0]["geometry"]["coordinates"] =
        nlohmann::json::array({nlohmann::json::array({{113.6, 39.8}, {113.8, 39.8}, {113.8, 40.0}, {113.6, 40.0}, {113.6, 39.8}})});
    std::ofstream(file) << fc.dump();
    CliResult imported = run({"control_lines", file.string(), "--map", "BH=line_id", "--map", "LX=control_type"});
    ASSERT_EQ(imported.code, cli::kOk) << imported.err;
    EXPECT_EQ(r07(cli::kNonConformant), "不通过");
}

TEST_F(ImportCli, HelpDescribesTheOptions) {
    CliResult r = run_cli({"import", "--help"});
    EXPECT_EQ(r.code, cli::kOk);
    for (const char* option : {"--map", "--map-file", "--set", "--where", "--append", "代码表"})
        EXPECT_NE(r.out.find(option), std::string::npos) << option << "\n" << r.out;
}

}  // namespace
}  // namespace minplan::testing
