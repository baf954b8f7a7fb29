// Loading a bureau's own files through store::import_layer: field mapping (pairs and mapping files),
// constants, source filters, several files merged, appending, and coded fields checked against the plan's
// code tables (a Chinese label is stored as its code; an unknown value names file, feature and field and
// lists the codes). Every failing import must leave the database byte-identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "store/import_mapping.hpp"
#include "backends.hpp"
#include "import_test_files.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

// Both backends (value-parameterised).
class BureauImport : public ::testing::TestWithParam<std::string> {
protected:
    store::ImportResult import_into(const std::string& layer, const std::vector<fs::path>& files,
                                    const store::ImportOptions& options) {
        return store::import_layer(db_, layer, files, options);
    }
    std::vector<Feature> lines() const { return store::open_store(db_.string())->read("control_lines"); }
    static std::vector<std::string> values(const std::vector<Feature>& rows, const std::string& field) {
        std::vector<std::string> out;
        for (const auto& f : rows) out.push_back(f.text(field));
        return out;
    }
    // Runs an import that must fail with InputError, checks the database is unchanged, returns the message.
    std::string failing_import(const std::vector<fs::path>& files, const store::ImportOptions& options,
                               const std::string& layer = "control_lines") {
        const std::string before = written_state(plan_);
        last_problems_.clear();
        try {
            store::import_layer(db_, layer, files, options);
        } catch (const InputError& e) {
            EXPECT_EQ(written_state(plan_), before) << "a failed import must write nothing";
            if (const auto* list = dynamic_cast<const InputProblems*>(&e)) last_problems_ = list->problems();
            return e.what();
        }
        ADD_FAILURE() << "import did not fail";
        return {};
    }
    std::vector<std::string> last_problems_;  // of the last failing_import, one per problem
    TempDir dir_;
    BackendPlan plan_{GetParam()};
    fs::path db_ = plan_.location();  // a GeoPackage file or "PG:… active_schema=…"
};

TEST_P(BureauImport, ChineseLabelAndAliasAreStoredAsTheCode) {
    // The county's red-line file writes the type as a Chinese label; the rules compare codes.
    auto file = write_geojson(dir_ / "red.geojson",
                              {{{{"KZXBH", "HY-1"}, {"KZXLX", "生态保护红线"}}},
                               {{{"KZXBH", "HY-2"}, {"KZXLX", "基本农田"}}, 113.72},  // an alias
                               {{{"KZXBH", "HY-3"}, {"KZXLX", "urban_development_boundary"}}, 113.74}});
    auto result = import_into("control_lines", {file}, {});
    EXPECT_EQ(result.imported, 3u);
    EXPECT_EQ(values(lines(), "control_type"),
              (std::vector<std::string>{code_of_label("control_types", "生态保护红线"),
                                        code_of_label("control_types", "永久基本农田"), "urban_development_boundary"}));
}

TEST_P(BureauImport, UnknownCodeNamesFileFeatureFieldAndListsTheCodes) {
    auto file = write_geojson(dir_ / "bad_type.geojson",
                              {{{{"KZXBH", "A"}, {"KZXLX", "生态保护红线"}}},
                               {{{"KZXBH", "B"}, {"KZXLX", "生态红线区"}}, 113.72},
                               {{{"KZXBH", "C"}, {"KZXLX", "林地"}}, 113.74}});
    std::string msg = failing_import({file}, {});
    EXPECT_NE(msg.find(file.string() + ": 要素 2 (FID 1) 字段 KZXLX（control_type）：\"生态红线区\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("要素 3 (FID 2) 字段 KZXLX（control_type）：\"林地\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("code_control_types"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("要素 1 "), std::string::npos) << "feature 1 is valid: " << msg;
    // Every code of the table is listed with its label (the table read independently).
    for (const auto& row : read_csv_text(source_dir() / "data" / "schema" / "codes" / "control_types.csv").rows)
        EXPECT_NE(msg.find(row.at("code") + "（" + row.at("label_zh") + "）"), std::string::npos) << row.at("code") << "\n" << msg;
    EXPECT_NE(msg.find("2 处错误"), std::string::npos) << "both bad features reported together: " << msg;
    ASSERT_EQ(last_problems_.size(), 2u) << msg;
    EXPECT_NE(last_problems_[0].find("ecological_red_line（生态保护红线）"), std::string::npos) << "codes listed once";
    EXPECT_EQ(last_problems_[1].find("ecological_red_line（"), std::string::npos) << "…not on every line";
}

TEST_P(BureauImport, MapPairsRenameSourceFieldsAndSetGivesConstants) {
    auto file = write_geojson(dir_ / "bureau.geojson",
                              {{{{"BH", "X-1"}, {"MC", "某红线"}, {"XZQ", "浑源县"}}},
                               {{{"BH", "X-2"}, {"MC", "另一红线"}, {"XZQ", "灵丘县"}}, 113.72}});
    store::ImportOptions o;
    o.field_map = {{"BH", "line_id"}, {"XZQ", "所在行政区"}};  // internal name and Chinese alias; MC matches the code
    o.constants = {{"control_type", "生态保护红线"}, {"source", "浑源县自然资源局 2026"}};
    auto result = import_into("control_lines", {file}, o);
    EXPECT_TRUE(result.warnings.empty()) << result.warnings.front();
    auto rows = lines();
    EXPECT_EQ(values(rows, "line_id"), (std::vector<std::string>{"X-1", "X-2"}));
    EXPECT_EQ(values(rows, "name"), (std::vector<std::string>{"某红线", "另一红线"}));
    EXPECT_EQ(values(rows, "county"), (std::vector<std::string>{"浑源县", "灵丘县"}));
    EXPECT_EQ(values(rows, "control_type"), (std::vector<std::string>(2, "ecological_red_line")));
    EXPECT_EQ(values(rows, "source"), (std::vector<std::string>(2, "浑源县自然资源局 2026")));
}

TEST_P(BureauImport, MappingFilesInCsvAndJson) {
    std::ofstream(dir_ / "map.csv") << "source,target\nBH,line_id\nLX,控制线类型\n";
    std::ofstream(dir_ / "map_alias.csv") << "BH,line_id\nLX,KZXLX\n";  // no header, target by code
    std::ofstream(dir_ / "map.json") << R"({"BH": "line_id", "LX": "control_type"})";
    EXPECT_EQ(store::read_map_file(dir_ / "map_alias.csv"),
              (std::vector<std::pair<std::string, std::string>>{{"BH", "line_id"}, {"LX", "KZXLX"}}));
    EXPECT_EQ(store::read_map_file(dir_ / "map.json"),
              (std::vector<std::pair<std::string, std::string>>{{"BH", "line_id"}, {"LX", "control_type"}}));
    // "控制线类型" is not a field of control_lines: the mapping file's target is checked.
    store::ImportOptions bad;
    bad.field_map = store::read_map_file(dir_ / "map.csv");
    auto file = write_geojson(dir_ / "b.geojson", {{{{"BH", "M-1"}, {"LX", "水源地"}}}});
    EXPECT_THROW(import_into("control_lines", {file}, bad), NotFoundError);
    store::ImportOptions o;
    o.field_map = store::read_map_file(dir_ / "map_alias.csv");
    import_into("control_lines", {file}, o);
    EXPECT_EQ(values(lines(), "control_type"), (std::vector<std::string>{code_of_label("control_types", "水源保护区")}));

    std::ofstream(dir_ / "broken.csv") << "BH,line_id\nLX\n";
    try {
        store::read_map_file(dir_ / "broken.csv");
        ADD_FAILURE() << "a one-column row must be refused";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("broken.csv:2"), std::string::npos) << e.what();
    }
    std::ofstream(dir_ / "list.json") << R"(["BH", "line_id"])";
    EXPECT_THROW(store::read_map_file(dir_ / "list.json"), InputError);
}

TEST_P(BureauImport, WhereKeepsOnlyMatchingSourceFeatures) {
    auto file = write_geojson(dir_ / "mixed.geojson",
                              {{{{"KZXBH", "W-1"}, {"KZXLX", "生态保护红线"}, {"XZQ", "浑源县"}}},
                               {{{"KZXBH", "W-2"}, {"KZXLX", "生态保护红线"}, {"XZQ", "灵丘县"}}, 113.72},
                               {{{"KZXBH", "W-3"}, {"KZXLX", "永久基本农田"}, {"XZQ", "浑源县"}}, 113.74}});
    store::ImportOptions o;
    o.where = "XZQ = '浑源县'";
    o.field_map = {{"XZQ", "county"}};
    EXPECT_EQ(import_into("control_lines", {file}, o).imported, 2u);
    EXPECT_EQ(values(lines(), "line_id"), (std::vector<std::string>{"W-1", "W-3"}));

    o.where = "XZQ = = 'x'";
    std::string msg = failing_import({file}, o);
    EXPECT_NE(msg.find("--where"), std::string::npos) << msg;
    EXPECT_NE(msg.find("XZQ = = 'x'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
}

TEST_P(BureauImport, SeveralFilesAreMergedIntoOneLayer) {
    // File 2 is a GeoPackage with the layer's own field codes, made by exporting an imported layer.
    auto first = write_geojson(dir_ / "a.geojson", {{{{"BH", "M-1"}, {"LX", "生态保护红线"}}},
                                                    {{{"BH", "M-2"}, {"LX", "自然保护区"}}, 113.72}});
    {
        TempDir other;
        fs::path scratch = copy_of_plan(other);
        auto src = write_geojson(other / "c.geojson", {{{{"KZXBH", "G-1"}, {"KZXLX", "城镇开发边界"}}, 113.80}});
        store::import_layer(scratch, "control_lines", {src}, {});
        store::export_layer(*store::GpkgStore::open(scratch), "control_lines", dir_ / "b.gpkg");
    }
    store::ImportOptions o;
    o.field_map = {{"BH", "line_id"}, {"LX", "control_type"}};  // BH/LX exist only in the GeoJSON
    auto result = import_into("control_lines", {first, dir_ / "b.gpkg"}, o);
    EXPECT_EQ(result.imported, 3u);
    auto rows = lines();
    EXPECT_EQ(values(rows, "line_id"), (std::vector<std::string>{"M-1", "M-2", "G-1"}));
    EXPECT_EQ(values(rows, "control_type"),
              (std::vector<std::string>{"ecological_red_line", "nature_reserve", "urban_development_boundary"}));
}

TEST_P(BureauImport, AppendKeepsTheLayersFeatures) {
    auto first = write_geojson(dir_ / "one.geojson", {{{{"KZXBH", "P-1"}, {"KZXLX", "生态保护红线"}}}});
    auto second = write_geojson(dir_ / "two.geojson", {{{{"KZXBH", "P-2"}, {"KZXLX", "永久基本农田"}}, 113.72},
                                                       {{{"KZXBH", "P-3"}, {"KZXLX", "永久基本农田"}}, 113.74}});
    import_into("control_lines", {first}, {});
    store::ImportOptions o;
    o.append = true;
    auto result = import_into("control_lines", {second}, o);
    EXPECT_EQ(result.imported, 2u);
    EXPECT_EQ(result.layer_total, 3u);
    EXPECT_EQ(values(lines(), "line_id"), (std::vector<std::string>{"P-1", "P-2", "P-3"}));
    // Without --append the layer is replaced.
    import_into("control_lines", {first}, {});
    EXPECT_EQ(values(lines(), "line_id"), (std::vector<std::string>{"P-1"}));
}

TEST_P(BureauImport, ABadSecondFileMeansNothingIsImported) {
    store::import_layer(db_, "control_lines",
                        {write_geojson(dir_ / "old.geojson", {{{{"KZXBH", "OLD"}, {"KZXLX", "生态保护红线"}}}})}, {});
    auto good = write_geojson(dir_ / "good.geojson", {{{{"KZXBH", "N-1"}, {"KZXLX", "生态保护红线"}}}});
    auto bad = write_geojson(dir_ / "bad.geojson", {{{{"KZXBH", "N-2"}, {"KZXLX", "永久基本农田"}}},
                                                    {{{"KZXBH", "N-3"}, {"KZXLX", "耕地"}}, 113.72}});
    store::ImportOptions o;
    o.append = true;
    std::string msg = failing_import({good, bad}, o);
    EXPECT_NE(msg.find(bad.string() + ": 要素 2 (FID 1) 字段 KZXLX"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(good.string() + ": 要素"), std::string::npos) << msg;
    EXPECT_EQ(last_problems_.size(), 1u) << msg;
    EXPECT_EQ(values(lines(), "line_id"), (std::vector<std::string>{"OLD"}));
}

TEST_P(BureauImport, UnmappedFieldsWarnAndMissingRequiredFieldsFail) {
    auto file = write_geojson(dir_ / "extra.geojson",
                              {{{{"KZXBH", "U-1"}, {"KZXLX", "生态保护红线"}, {"Shape_Area", 12.5}, {"BZ", "x"}}}});
    auto result = import_into("control_lines", {file}, {});
    ASSERT_EQ(result.warnings.size(), 1u);
    // In the order GDAL reads the file's fields (nlohmann::json writes object keys sorted).
    EXPECT_NE(result.warnings[0].find("BZ、Shape_Area"), std::string::npos) << result.warnings[0];
    EXPECT_NE(result.warnings[0].find(file.string()), std::string::npos) << result.warnings[0];
    EXPECT_EQ(values(lines(), "line_id"), (std::vector<std::string>{"U-1"}));

    auto no_type = write_geojson(dir_ / "no_type.geojson", {{{{"KZXBH", "U-2"}}}});
    std::string msg = failing_import({no_type}, {});
    EXPECT_NE(msg.find("缺少必填字段 \"KZXLX\""), std::string::npos) << msg;
    EXPECT_NE(msg.find(no_type.string()), std::string::npos) << msg;
}

TEST_P(BureauImport, MistakesInMapAndSetAreNamed) {
    auto file = write_geojson(dir_ / "m.geojson", {{{{"KZXBH", "E-1"}, {"KZXLX", "生态保护红线"}}}});
    store::ImportOptions typo;
    typo.field_map = {{"KZXBHH", "line_id"}};  // source field in no file
    std::string msg = failing_import({file}, typo);
    EXPECT_NE(msg.find("--map KZXBHH=line_id"), std::string::npos) << msg;

    store::ImportOptions both;
    both.field_map = {{"KZXLX", "control_type"}};
    both.constants = {{"control_type", "永久基本农田"}};  // a --map and a --set for one field contradict
    msg = failing_import({file}, both);
    EXPECT_NE(msg.find("--map KZXLX"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--set"), std::string::npos) << msg;

    store::ImportOptions bad_constant;
    bad_constant.constants = {{"kind", "勘探"}};
    try {
        import_into("mining_blocks", {file}, bad_constant);
        ADD_FAILURE() << "勘探 is not a code of code_kinds";
    } catch (const InputError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("--set kind=勘探 字段 QKLX（kind）：\"勘探\""), std::string::npos) << m;
        EXPECT_EQ(m.find("要素 1 (FID 0) 字段 QKLX"), std::string::npos) << "reported once, not per feature: " << m;
        for (const auto& code : codes_of("kinds")) EXPECT_NE(m.find(code + "（"), std::string::npos) << m;
    }
    EXPECT_THROW(store::parse_assignment("BH", "--map"), InputError);
    EXPECT_THROW(store::parse_assignment("=line_id", "--map"), InputError);
    EXPECT_EQ(store::parse_assignment(" BH = line_id ", "--map"), (std::pair<std::string, std::string>{"BH", "line_id"}));
}

// --set wins over a column that only matches by name, so the file needs no editing; the column is reported.
TEST_P(BureauImport, SetOverridesAColumnMatchedByName) {
    auto file = write_geojson(dir_ / "typed.geojson", {{{{"KZXBH", "S-1"}, {"KZXLX", "其他"}}}});
    store::ImportOptions o;
    o.constants = {{"control_type", "生态保护红线"}};
    auto result = import_into("control_lines", {file}, o);
    EXPECT_EQ(values(lines(), "control_type"), (std::vector<std::string>{"ecological_red_line"}));
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_NE(result.warnings[0].find("KZXLX 对应的字段已由 --map 或 --set 提供"), std::string::npos) << result.warnings[0];
}

// Two columns for one field: ambiguous by name alone, settled by --map (the other column is reported).
TEST_P(BureauImport, TwoColumnsForOneFieldNeedAMap) {
    auto file = write_geojson(dir_ / "two.geojson",
                              {{{{"KZXBH", "T-1"}, {"KZXLX", "生态保护红线"}, {"MC", "旧名"}, {"名称", "新名"}}}});
    std::string msg = failing_import({file}, {});
    EXPECT_NE(msg.find("\"MC\" 和 \"名称\" 都对应字段 MC（name）"), std::string::npos) << msg;
    store::ImportOptions o;
    o.field_map = {{"名称", "name"}};
    auto result = import_into("control_lines", {file}, o);
    EXPECT_EQ(values(lines(), "name"), (std::vector<std::string>{"新名"}));
    ASSERT_EQ(result.warnings.size(), 1u);
    EXPECT_NE(result.warnings[0].find("源字段 MC 对应的字段已由"), std::string::npos) << result.warnings[0];
}

TEST_P(BureauImport, BlockKindAndPlanLevelAreCodedToo) {
    auto file = write_geojson(dir_ / "blocks.geojson",
                              {{{{"GHQBH", "K-1"}, {"ZKZ", "煤炭"}, {"LY", "测试"}, {"QHQLB", "市县级"}}}});
    store::ImportOptions o;
    o.constants = {{"kind", "开采规划区块"}};  // an alias of the code table
    import_into("mining_blocks", {file}, o);
    auto rows = store::open_store(db_.string())->read("mining_blocks");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text("kind"), "mining");
    EXPECT_EQ(rows[0].text("plan_level"), code_of_label("plan_levels", "市县级"));
}

INSTANTIATE_TEST_SUITE_P(Backends, BureauImport, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
