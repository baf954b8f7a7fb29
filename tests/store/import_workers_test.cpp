// Issue 9: the import derives each feature's values (validity, area) on worker threads and reads the next
// batch while one is checked and written. The output must not depend on it: the imported layer (fids,
// attributes, WKB) and the problem list are byte-equal with 1 worker and with 4, on both backends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "backends.hpp"
#include "import_test_files.hpp"

namespace minplan::testing {
namespace {

constexpr int kFeatures = 500;

// 500 features: 0.01° squares; when `bad`, every 37th a bow tie (invalid) and every 53rd with a control type
// no code table has. 500/37 → 13 bow ties, 500/53 → 9 bad codes, none both (37 × 53 > 500).
fs::path source(const fs::path& file, bool bad) {
    nlohmann::json fc = {{"type", "FeatureCollection"},
                         {"name", "bureau"},
                         {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
                         {"features", nlohmann::json::array()}};
    for (int i = 1; i <= kFeatures; ++i) {
        const double x = 113.0 + 0.011 * (i % 40), y = 39.5 + 0.011 * (i / 40), d = 0.01;
        nlohmann::json ring = bad && i % 37 == 0 ? nlohmann::json{{x, y}, {x + d, y + d}, {x + d, y}, {x, y + d}, {x, y}}
                                          : nlohmann::json{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}};
        fc["features"].push_back({{"type", "Feature"},
                                  {"properties", {{"KZXBH", "HL-" + std::to_string(i)},
                                                  {"KZXLX", bad && i % 53 == 0 ? "不存在的类型" : "生态保护红线"}}},
                                  {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}});
    }
    std::ofstream(file) << fc.dump();
    return file;
}

store::ImportOptions options(unsigned workers) {
    store::ImportOptions o;
    o.batch_rows = 200;  // three batches: the third is read while the second is written; 200 rows split 3 ways
    o.workers = workers;
    return o;
}

// The layer as text: every row's fid, attributes and WKB (hex), in fid order.
std::string dump(const std::string& location) {
    std::string out;
    for (const auto& f : store::open_store(location)->read("control_lines")) {
        out += std::to_string(f.fid);
        for (const auto& [k, v] : f.attributes) out += "|" + k + "=" + to_display(v);
        out += "|";
        for (unsigned char c : f.wkb) out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
        out += "\n";
    }
    return out;
}

class ImportWorkers : public ::testing::TestWithParam<std::string> {
protected:
    TempDir dir_;
};

TEST_P(ImportWorkers, TheLayerIsTheSameWithOneWorkerAndWithFour) {
    const fs::path file = source(dir_ / "clean.geojson", false);
    BackendPlan one(GetParam()), four(GetParam());
    const auto a = store::import_layer(fs::path(one.location()), "control_lines", std::vector<fs::path>{file}, options(1));
    const auto b = store::import_layer(fs::path(four.location()), "control_lines", std::vector<fs::path>{file}, options(4));
    EXPECT_EQ(a.imported, static_cast<std::size_t>(kFeatures));
    EXPECT_EQ(b.imported, static_cast<std::size_t>(kFeatures));
    const std::string da = dump(one.location()), db = dump(four.location());
    EXPECT_EQ(std::count(da.begin(), da.end(), '\n'), kFeatures);
    EXPECT_EQ(da, db);
    EXPECT_NE(da.find("HL-500"), std::string::npos);
}

TEST_P(ImportWorkers, TheProblemsAreTheSameWithOneWorkerAndWithFour) {
    const fs::path file = source(dir_ / "bad.geojson", true);
    BackendPlan plan(GetParam());
    auto problems = [&](unsigned workers) {
        try {
            store::import_layer(fs::path(plan.location()), "control_lines", std::vector<fs::path>{file}, options(workers));
        } catch (const InputProblems& e) {
            return e.problems();
        }
        ADD_FAILURE() << "the import did not fail";
        return std::vector<std::string>{};
    };
    const auto with_one = problems(1);
    const auto with_four = problems(4);
    ASSERT_EQ(with_one.size(), 13u + 9u);
    EXPECT_EQ(with_one, with_four);
    // In file order: feature 37 (bow tie) comes before 53 (bad code), 53 before 74 (bow tie).
    EXPECT_NE(with_one[0].find("要素 37 "), std::string::npos) << with_one[0];
    EXPECT_NE(with_one[0].find("无效面"), std::string::npos) << with_one[0];
    EXPECT_NE(with_one[1].find("要素 53 "), std::string::npos) << with_one[1];
    EXPECT_NE(with_one[2].find("要素 74 "), std::string::npos) << with_one[2];
    EXPECT_EQ(stage_tables(plan), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportWorkers, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
