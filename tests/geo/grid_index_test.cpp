// The batch audit's per-tile grid index (geo/grid_index.hpp): its answers are exactly the boxes that meet the
// query (boundaries inclusive), ascending, each once — checked against a plain scan of every box, and on
// hand-placed boxes whose answers are known.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "geo/grid_index.hpp"

namespace minplan::geo {
namespace {

std::vector<std::size_t> scan(const std::vector<Envelope>& boxes, const Envelope& q) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (boxes[i].intersects(q)) out.push_back(i);
    return out;
}

TEST(GridIndex, HandPlacedBoxesTouchingCountsAndEachAnswerOnce) {
    // Four unit squares in a row, one long box over all of them, a point-like box at (2.5, 0.5).
    const std::vector<Envelope> boxes = {{0, 0, 1, 1}, {1, 0, 2, 1}, {2, 0, 3, 1}, {3, 0, 4, 1}, {0, 0.4, 4, 0.6}, {2.5, 0.5, 2.5, 0.5}};
    const GridIndex index(boxes);
    std::vector<std::size_t> got;
    index.query({1, 0, 1, 1}, got);  // the shared edge of the first two squares: both, and the long box
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 1, 4}));
    index.query({2.2, 0.45, 2.7, 0.55}, got);
    EXPECT_EQ(got, (std::vector<std::size_t>{2, 4, 5}));
    index.query({-5, -5, 10, 10}, got);  // everything, once each, ascending
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
    index.query({4.0001, 0, 5, 1}, got);  // beyond the last square
    EXPECT_TRUE(got.empty());
    EXPECT_FALSE(index.meets_any({4.0001, 0, 5, 1}));
    EXPECT_TRUE(index.meets_any({4, 1, 5, 2}));  // the last square's corner
    index.query({0.5, 1.0001, 3.5, 2}, got);  // just above the row
    EXPECT_TRUE(got.empty());
}

TEST(GridIndex, EmptyIndexAnswersNothing) {
    const GridIndex index({});
    std::vector<std::size_t> got{7};
    index.query({0, 0, 1, 1}, got);
    EXPECT_TRUE(got.empty());
}

TEST(GridIndex, RandomBoxesAnswerAsAScanOfEveryBox) {
    // Small boxes (farmland patches), some long thin ones and a few spanning the whole area (red lines, the
    // city: tested on every query), queries of every size including degenerate and outside ones.
    std::mt19937_64 rng(20261201);
    std::uniform_real_distribution<double> x(113.0, 113.2), y(39.9, 40.0), small(0.0, 0.002), large(0.0, 0.1);
    std::vector<Envelope> boxes;
    for (int i = 0; i < 3000; ++i) {
        const double x0 = x(rng), y0 = y(rng);
        const bool big = i % 97 == 0, flat = i % 13 == 0;
        const double w = big ? large(rng) : small(rng), h = flat ? 0.0 : (big ? large(rng) : small(rng));
        boxes.push_back({x0, y0, x0 + w, y0 + h});
    }
    boxes.push_back({112.9, 39.8, 113.3, 40.1});  // over everything
    const GridIndex index(boxes);
    EXPECT_EQ(index.size(), boxes.size());
    std::vector<std::size_t> got;
    for (int q = 0; q < 2000; ++q) {
        const double x0 = x(rng) - 0.05, y0 = y(rng) - 0.05;
        const double w = q % 7 == 0 ? 0.0 : (q % 3 == 0 ? large(rng) : small(rng));
        const double h = q % 11 == 0 ? 0.0 : (q % 3 == 0 ? large(rng) : small(rng));
        const Envelope e{x0, y0, x0 + w, y0 + h};
        index.query(e, got);
        ASSERT_EQ(got, scan(boxes, e)) << "query " << q;
        ASSERT_EQ(index.meets_any(e), !got.empty()) << "query " << q;
    }
    // A query equal to one box's envelope (touching neighbours included) and one at a box's corner point.
    for (std::size_t i = 0; i < boxes.size(); i += 101) {
        index.query(boxes[i], got);
        ASSERT_EQ(got, scan(boxes, boxes[i]));
        const Envelope corner{boxes[i].max_x, boxes[i].max_y, boxes[i].max_x, boxes[i].max_y};
        index.query(corner, got);
        ASSERT_EQ(got, scan(boxes, corner));
    }
}

}  // namespace
}  // namespace minplan::geo
