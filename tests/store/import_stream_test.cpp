// Streaming import (issue 9): PlanDatabase::stage_stream writes each batch a FeatureSource yields before it
// asks for the next, so an import holds one batch, not the layer; and import_layer stays all-or-nothing
// when the bad row comes after batches were already staged. Memory itself is not asserted (no timed or
// sized assertions): what is asserted is that rows are consumed and written batch by batch.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "geo/geometry.hpp"
#include "store/exchange.hpp"
#include "store/gpkg_store.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"
#include "backends.hpp"
#include "import_test_files.hpp"

namespace minplan::testing {
namespace {

// Yields `batches` batches of `per_batch` control lines; on each call it records how many of the rows it
// handed out the stage has not reported written yet (the progress callback sets `written`).
class CountingSource final : public store::FeatureSource {
public:
    CountingSource(std::size_t batches, std::size_t per_batch) : batches_(batches), per_batch_(per_batch) {}
    bool next(std::vector<Feature>& batch) override {
        max_unwritten = std::max(max_unwritten, handed - written);
        batch.clear();
        if (calls_++ == batches_) return false;
        for (std::size_t i = 0; i < per_batch_; ++i) {
            Feature f;
            const double x = 113.0 + 0.001 * static_cast<double>(handed);
            f.attributes["line_id"] = "S-" + std::to_string(++handed);
            f.attributes["control_type"] = std::string("ecological_red_line");
            f.wkb = geo::Geometry::rectangle({x, 39.5, x + 0.0005, 39.5005}).to_wkb();
            batch.push_back(std::move(f));
        }
        return true;
    }
    std::size_t handed = 0, written = 0, max_unwritten = 0;

private:
    std::size_t batches_, per_batch_, calls_ = 0;
};

// Both backends (value-parameterised): each streams its stage a batch at a time.
class StageStream : public ::testing::TestWithParam<std::string> {};

TEST_P(StageStream, WritesEachBatchBeforeAskingForTheNext) {
    BackendPlan plan(GetParam());
    auto db = store::open_database(plan.location());
    const TableSchema schema = db->snapshot()->schema("control_lines");
    CountingSource source(5, 7);
    auto staged = db->stage_stream(schema, source, [&](std::size_t done) { source.written = done; });
    EXPECT_EQ(source.handed, 35u);  // 5 × 7
    EXPECT_EQ(source.max_unwritten, 0u) << "a batch was still unwritten when the next was asked for";
    EXPECT_EQ(staged->rows(), 35u);
    auto tx = db->begin_plan();
    tx->swap_in(*staged, store::SwapMode::Replace);
    tx->commit();
    auto rows = db->snapshot()->read("control_lines");
    ASSERT_EQ(rows.size(), 35u);
    EXPECT_EQ(rows.front().text("line_id"), "S-1");
    EXPECT_EQ(rows.back().text("line_id"), "S-35");
    EXPECT_EQ(stage_tables(plan), 0u);
}

// Sees the rows as the import hands them to the quality check: the largest batch and how many batches.
class BatchCounter final : public store::ImportCheck {
public:
    explicit BatchCounter(std::size_t& largest, std::size_t& batches, std::size_t& rows)
        : largest_(largest), batches_(batches), rows_(rows) {}
    void add(const store::PlanStore&, const std::vector<Feature>& rows) override {
        largest_ = std::max(largest_, rows.size());
        batches_ += !rows.empty();
        rows_ += rows.size();
    }
    std::vector<std::pair<std::string, std::string>> finish(const store::PlanStore&) override { return {}; }

private:
    std::size_t &largest_, &batches_, &rows_;
};

class StreamingImport : public ::testing::TestWithParam<std::string> {
protected:
    // 100 red-line squares, HL-1 … HL-100; `bad` (1-based) gets a control type no code table has.
    fs::path source(std::size_t bad = 0) {
        std::vector<SourceFeature> features;
        for (std::size_t i = 1; i <= 100; ++i)
            features.push_back({{{"KZXBH", "HL-" + std::to_string(i)}, {"KZXLX", i == bad ? "不存在的类型" : "生态保护红线"}},
                                113.0 + 0.02 * static_cast<double>(i % 50), 39.5 + 0.02 * static_cast<double>(i / 50)});
        return write_geojson(dir_ / "hundred.geojson", features);
    }
    store::ImportOptions options() {
        store::ImportOptions o;
        o.batch_rows = 10;
        o.quality_check = [this](const store::PlanStore&, const TableSchema&, bool) {
            return std::make_unique<BatchCounter>(largest_, batches_, checked_);
        };
        return o;
    }
    TempDir dir_;
    BackendPlan plan_{GetParam()};
    fs::path db_ = plan_.location();  // a GeoPackage file or "PG:… active_schema=…"
    std::size_t largest_ = 0, batches_ = 0, checked_ = 0;
};

TEST_P(StreamingImport, ReadsChecksAndWritesInBatches) {
    auto result = store::import_layer(db_, "control_lines", std::vector<fs::path>{source()}, options());
    EXPECT_EQ(result.imported, 100u);
    EXPECT_EQ(largest_, 10u);   // batch_rows
    EXPECT_EQ(batches_, 10u);   // 100 / 10
    EXPECT_EQ(checked_, 100u);  // every row checked once
    auto rows = store::open_store(db_.string())->read("control_lines");
    ASSERT_EQ(rows.size(), 100u);
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].text("line_id"), "HL-" + std::to_string(i + 1));
    EXPECT_EQ(stage_tables(plan_), 0u);
}

TEST_P(StreamingImport, ABadRowAfterStagedBatchesWritesNothing) {
    auto db = store::open_database(db_.string());
    const auto before_rows = db->snapshot()->read("control_lines");
    const auto before_version = db->version();
    const auto file = source(95);  // batches 1–9 are clean and staged before row 95 is read
    try {
        store::import_layer(db_, "control_lines", std::vector<fs::path>{file}, options());
        FAIL() << "the import did not fail";
    } catch (const InputProblems& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_NE(e.problems().front().find("要素 95"), std::string::npos) << e.problems().front();
        EXPECT_NE(e.problems().front().find("不存在的类型"), std::string::npos) << e.problems().front();
    }
    EXPECT_EQ(largest_, 10u);
    EXPECT_EQ(checked_, 90u);  // rows 1–90: the batch holding row 95 never reaches the check
    EXPECT_EQ(db->version(), before_version);
    const auto after_rows = db->snapshot()->read("control_lines");
    ASSERT_EQ(after_rows.size(), before_rows.size());
    for (std::size_t i = 0; i < after_rows.size(); ++i) {
        EXPECT_EQ(after_rows[i].text("line_id"), before_rows[i].text("line_id"));
        EXPECT_EQ(after_rows[i].wkb, before_rows[i].wkb);
    }
    EXPECT_EQ(stage_tables(plan_), 0u) << "the stage of the failed import is dropped";
}

TEST_P(StreamingImport, AFailingQualityCheckAfterStagingWritesNothing) {
    class Refuse final : public store::ImportCheck {
    public:
        void add(const store::PlanStore&, const std::vector<Feature>&) override {}
        std::vector<std::pair<std::string, std::string>> finish(const store::PlanStore&) override { throw InputError("质检拒绝 / refused"); }
    };
    auto db = store::open_database(db_.string());
    const auto before_version = db->version();
    const auto before_count = db->snapshot()->read("control_lines").size();
    auto o = options();
    o.quality_check = [](const store::PlanStore&, const TableSchema&, bool) { return std::make_unique<Refuse>(); };
    EXPECT_THROW(store::import_layer(db_, "control_lines", std::vector<fs::path>{source()}, o), InputError);
    EXPECT_EQ(db->version(), before_version);
    EXPECT_EQ(db->snapshot()->read("control_lines").size(), before_count);
    EXPECT_EQ(stage_tables(plan_), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StageStream, ::testing::Values("gpkg", "pg"), BackendName());
INSTANTIATE_TEST_SUITE_P(Backends, StreamingImport, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
