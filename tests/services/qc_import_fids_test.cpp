// Issue 9: the import's quality check reads a batch where it is (PendingLayer::own_fids) when the reader
// numbered its rows in import order, instead of copying every row and numbering it from 1. The findings must
// name the same rows either way: the expected fids below are the rows' places in the import, by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "../plan/plan_fixture.hpp"
#include "core/error.hpp"
#include "geo/geometry.hpp"
#include "services/qc/gate.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::testing {
namespace {

// 25 control lines: 0.01° squares, except rows 3, 12 and 24 (1-based), strips 0.04° long and 0.00003° high
// (≈ 3.3 m at 39.5° N, under the plan's 5 m minimum width: slivers, an error).
std::vector<Feature> rows_with_slivers(bool numbered) {
    const std::set<int> slivers{3, 12, 24};
    std::vector<Feature> rows;
    for (int i = 1; i <= 25; ++i) {
        Feature f;
        if (numbered) f.fid = i;  // as the import's reader numbers them
        f.attributes["line_id"] = "L-" + std::to_string(i);
        f.attributes["control_type"] = std::string("ecological_red_line");
        const double x = 113.0 + 0.05 * i;
        f.wkb = geo::Geometry::rectangle({x, 39.5, x + (slivers.count(i) ? 0.04 : 0.01), 39.5 + (slivers.count(i) ? 0.00003 : 0.01)}).to_wkb();
        rows.push_back(std::move(f));
    }
    return rows;
}

// The fids the gate's refusal names for the sliver check, fed in batches of 10 (10, 10, 5).
std::set<std::int64_t> sliver_fids(bool numbered, bool append) {
    auto store = store::open_store(built_plan().string());
    auto gate = services::qc::import_gate(*store, store->schema("control_lines"), append, false);
    const auto rows = rows_with_slivers(numbered);
    for (std::size_t from = 0; from < rows.size(); from += 10)
        gate->add(*store, std::vector<Feature>(rows.begin() + static_cast<long>(from),
                                               rows.begin() + static_cast<long>(std::min(rows.size(), from + 10))));
    std::set<std::int64_t> fids;
    try {
        gate->finish(*store);
        ADD_FAILURE() << "three slivers and no refusal";
    } catch (const ProblemsError& e) {
        for (const auto& p : e.problems()) {
            if (p.find("[sliver]") == std::string::npos) continue;
            const auto at = p.find(" fid ");
            if (at != std::string::npos) fids.insert(std::stoll(p.substr(at + 5)));
        }
    }
    return fids;
}

TEST(QcImportFids, RowsCheckedWhereTheyAreNameTheirPlaceInTheImport) {
    const std::set<std::int64_t> expected{3, 12, 24};
    EXPECT_EQ(sliver_fids(/*numbered=*/true, false), expected);
    EXPECT_EQ(sliver_fids(/*numbered=*/false, false), expected);  // copied and numbered 1–10 per batch
}

TEST(QcImportFids, AppendedRowsCountDownEitherWay) {
    // Appended rows must not share a fid with the layer's own: the n-th row of the import is -n.
    const std::set<std::int64_t> expected{-3, -12, -24};
    EXPECT_EQ(sliver_fids(/*numbered=*/true, true), expected);
    EXPECT_EQ(sliver_fids(/*numbered=*/false, true), expected);
}

}  // namespace
}  // namespace minplan::testing
