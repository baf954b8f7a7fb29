// Issue 9: an import validates each geometry once. The import's reader refuses an invalid polygon, so the
// quality check of the rows it hands over is told they are valid (PendingLayer::validated) and skips its own
// GEOSisValid; and the sliver check answers "not a sliver" without a buffer when an inner point is wider.
// Neither may change a finding: the expectations below are worked out by hand, and the report of the rows
// marked validated equals, finding for finding, the report of the same rows tested again.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../plan/plan_fixture.hpp"
#include "geo/geometry.hpp"
#include "services/qc/qc.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::testing {
namespace {

namespace qc = services::qc;

std::vector<unsigned char> rect(double x1, double y1, double x2, double y2) {
    return geo::Geometry::rectangle({x1, y1, x2, y2}).to_wkb();
}

Feature line(const std::string& id, std::vector<unsigned char> wkb) {
    Feature f;
    f.attributes["line_id"] = id;
    f.attributes["control_type"] = std::string("ecological_red_line");
    f.wkb = std::move(wkb);
    return f;
}

// The geometry findings (invalid, sliver, empty) of the rows as pending control lines, in report order.
std::vector<qc::Finding> geometry_findings(const std::vector<Feature>& rows, bool validated) {
    auto store = store::open_store(built_plan().string());
    qc::QcOptions options;
    options.pending = qc::PendingLayer{store->schema("control_lines"), &rows, false, validated};
    options.only_pending = true;
    std::vector<qc::Finding> out;
    for (auto& f : qc::run_qc(*store, options).findings)
        if (f.check == "invalid_geometry" || f.check == "sliver" || f.check == "empty_geometry") out.push_back(std::move(f));
    return out;
}

std::string describe(const qc::Finding& f) {
    std::string s = f.check + " fid " + std::to_string(f.fid) + " " + f.message + " " + f.values.dump();
    if (f.point) s += " @" + std::to_string(f.point->first) + "," + std::to_string(f.point->second);
    if (f.extent) s += " [" + std::to_string(f.extent->min_x) + "," + std::to_string(f.extent->min_y) + "," +
                       std::to_string(f.extent->max_x) + "," + std::to_string(f.extent->max_y) + "]";
    return s;
}

// Strips along a parallel near 39.5° N, 0.04° long: 1° of latitude there is ≈ 111.0 km, so a height of
// 0.000043° is ≈ 4.77 m, 0.000047° ≈ 5.22 m, 0.00008° ≈ 8.9 m; the plan's minimum width is the default 5 m.
// 4.77 m vanishes when shrunk by 2.5 m on each side (a sliver); 5.22 m and 8.9 m do not. 5.22 m is answered by
// the buffer (its half width 2.61 m is under the shortcut's 0.55 × 5 = 2.75 m), 8.9 m by the inner point.
std::vector<Feature> valid_rows() {
    return {
        line("SQUARE", rect(113.10, 39.50, 113.11, 39.51)),
        line("STRIP-3.3", rect(113.20, 39.50, 113.24, 39.50003)),  // 0.00003° ≈ 3.3 m: a sliver
        line("EMPTY", geo::Geometry::polygon({}).to_wkb()),
        line("STRIP-4.8", rect(113.30, 39.50, 113.34, 39.500043)),  // a sliver (buffer)
        line("STRIP-5.2", rect(113.40, 39.50, 113.44, 39.500047)),  // not one (buffer)
        line("STRIP-8.9", rect(113.50, 39.50, 113.54, 39.50008)),   // not one (inner point)
    };
}

TEST(QcValidatedOnce, HandExpectationsWithAndWithoutTheValidityTest) {
    std::vector<Feature> rows = valid_rows();
    // A bow tie: its diagonals (113.00,39.50)→(113.04,39.53) and (113.04,39.50)→(113.00,39.53) cross at the
    // middle, 113.02 E 39.515 N.
    rows.push_back(line("BOWTIE", geo::Geometry::polygon({{{113.0, 39.5}, {113.04, 39.53}, {113.04, 39.5}, {113.0, 39.53}, {113.0, 39.5}}}).to_wkb()));
    // A hole outside its shell (the shell 113.6–113.61, the hole 113.7–113.701).
    rows.push_back(line("HOLE-OUT", geo::Geometry::polygon({{{113.6, 39.5}, {113.61, 39.5}, {113.61, 39.51}, {113.6, 39.51}, {113.6, 39.5}},
                                                            {{113.7, 39.5}, {113.701, 39.5}, {113.701, 39.501}, {113.7, 39.501}, {113.7, 39.5}}})
                                         .to_wkb()));
    const auto found = geometry_findings(rows, false);
    std::vector<std::string> got;
    for (const auto& f : found) got.push_back(f.check + " " + std::to_string(f.fid));
    // fids: the pending rows numbered 1… in order: STRIP-3.3 = 2, EMPTY = 3, STRIP-4.8 = 4, BOWTIE = 7, HOLE-OUT = 8.
    EXPECT_EQ(got, (std::vector<std::string>{"sliver 2", "empty_geometry 3", "sliver 4", "invalid_geometry 7", "invalid_geometry 8"}));
    const auto bowtie = std::find_if(found.begin(), found.end(), [](const auto& f) { return f.fid == 7; });
    ASSERT_NE(bowtie, found.end());
    EXPECT_NE(bowtie->message.find("Self-intersection"), std::string::npos) << bowtie->message;
    ASSERT_TRUE(bowtie->point);
    EXPECT_NEAR(bowtie->point->first, 113.02, 1e-9);
    EXPECT_NEAR(bowtie->point->second, 39.515, 1e-9);
    const auto hole = std::find_if(found.begin(), found.end(), [](const auto& f) { return f.fid == 8; });
    ASSERT_NE(hole, found.end());
    EXPECT_NE(hole->message.find("Hole lies outside shell"), std::string::npos) << hole->message;
}

TEST(QcValidatedOnce, RowsTheReaderValidatedGiveTheSameReport) {
    // What an import hands over: the valid rows only (the reader refused the others).
    const auto rows = valid_rows();
    const auto tested = geometry_findings(rows, false);
    const auto trusted = geometry_findings(rows, true);
    ASSERT_EQ(tested.size(), 3u);  // STRIP-3.3, EMPTY, STRIP-4.8 (above)
    ASSERT_EQ(trusted.size(), tested.size());
    for (std::size_t i = 0; i < tested.size(); ++i) EXPECT_EQ(describe(trusted[i]), describe(tested[i]));
}

}  // namespace
}  // namespace minplan::testing
