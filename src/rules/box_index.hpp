// A layer's index boxes held in memory (a packed R*-tree, Boost.Geometry), for a service that answers many
// windows of one plan version: the server's checks asked SQLite's R*Tree for every window, ≈ 11 % of a check
// at goal size (docs/performance.md, session 16). Built once per plan version and layer from the store's own
// boxes, so a query answers exactly the rows PlanStore::index_boxes would (closed intervals: touching counts).
// Immutable once built: any number of threads may query one at once.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "store/plan_store.hpp"

namespace minplan::rules {

class BoxIndex {
public:
    explicit BoxIndex(const std::vector<store::IndexBox>& boxes);
    ~BoxIndex();
    BoxIndex(const BoxIndex&) = delete;
    BoxIndex& operator=(const BoxIndex&) = delete;

    // The entries whose box meets `box` (in no particular order).
    std::vector<store::IndexBox> query(const store::BBox& box) const;
    std::size_t size() const;

private:
    struct Tree;
    std::unique_ptr<Tree> tree_;
};

}  // namespace minplan::rules
