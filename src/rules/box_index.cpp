#include "rules/box_index.hpp"

// Boost 1.74's geometry headers include one that Boost itself deprecates: its compile-time note is noise here.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <cstdint>
#include <iterator>
#include <utility>

namespace minplan::rules {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {
using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using Entry = std::pair<Box, std::int64_t>;  // 40 bytes: the box as the store keeps it and the feature id
constexpr std::size_t kNodeEntries = 16;

Box box_of(const store::BBox& b) { return Box(Point(b.min_x, b.min_y), Point(b.max_x, b.max_y)); }
}  // namespace

struct BoxIndex::Tree {
    bgi::rtree<Entry, bgi::rstar<kNodeEntries>> rtree;
};

BoxIndex::BoxIndex(const std::vector<store::IndexBox>& boxes) {
    std::vector<Entry> entries;
    entries.reserve(boxes.size());
    for (const auto& b : boxes) entries.emplace_back(box_of(b.box), b.fid);
    // The range constructor packs the tree (sort-tile-recursive): faster to build and to query than inserts.
    tree_ = std::make_unique<Tree>(Tree{bgi::rtree<Entry, bgi::rstar<kNodeEntries>>(entries.begin(), entries.end())});
}

BoxIndex::~BoxIndex() = default;

std::vector<store::IndexBox> BoxIndex::query(const store::BBox& box) const {
    std::vector<Entry> hits;
    tree_->rtree.query(bgi::intersects(box_of(box)), std::back_inserter(hits));
    std::vector<store::IndexBox> out;
    out.reserve(hits.size());
    for (const auto& [b, fid] : hits)
        out.push_back({fid, {b.min_corner().get<0>(), b.min_corner().get<1>(), b.max_corner().get<0>(), b.max_corner().get<1>()}});
    return out;
}

std::size_t BoxIndex::size() const { return tree_->rtree.size(); }

}  // namespace minplan::rules
