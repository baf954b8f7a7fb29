// A uniform grid over a fixed set of envelopes, built once and queried many times by one thread: the batch
// audit's per-tile index of the features near each right (audit_batch.cpp). GEOS's STRtree needed a GEOS
// rectangle per inserted feature and per query (2 % of the goal audit); this needs none. Answers are
// the items whose envelope meets the query's (boundaries inclusive, as Envelope::intersects), ascending.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "geo/geometry.hpp"

namespace minplan::geo {

class GridIndex {
public:
    explicit GridIndex(std::vector<Envelope> boxes) : boxes_(std::move(boxes)) {
        if (boxes_.empty()) return;
        all_ = boxes_.front();
        for (const auto& b : boxes_) all_ = all_.expanded(b);
        // About one item per cell, the cells shaped like the whole.
        const double w = std::max(all_.width(), 1e-12), h = std::max(all_.height(), 1e-12);
        const double n = static_cast<double>(boxes_.size());
        nx_ = static_cast<std::size_t>(std::clamp(std::sqrt(n * w / h), 1.0, 4096.0));
        ny_ = static_cast<std::size_t>(std::clamp(std::sqrt(n * h / w), 1.0, 4096.0));
        cw_ = w / static_cast<double>(nx_);
        ch_ = h / static_cast<double>(ny_);
        // Cells as one array (counts, then offsets, then items): no vector per cell.
        start_.assign(nx_ * ny_ + 1, 0);
        for (std::size_t i = 0; i < boxes_.size(); ++i)
            if (!oversized(boxes_[i]))
                for_cells(boxes_[i], [&](std::size_t c) { ++start_[c + 1]; });
        for (std::size_t c = 0; c < nx_ * ny_; ++c) start_[c + 1] += start_[c];
        cells_.resize(start_.back());
        std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
        for (std::size_t i = 0; i < boxes_.size(); ++i) {
            if (oversized(boxes_[i])) big_.push_back(static_cast<std::uint32_t>(i));
            else for_cells(boxes_[i], [&](std::size_t c) { cells_[fill[c]++] = static_cast<std::uint32_t>(i); });
        }
    }

    // Into `out` (cleared first): the items whose envelope meets `e`, ascending.
    void query(const Envelope& e, std::vector<std::size_t>& out) const {
        out.clear();
        if (boxes_.empty() || !all_.intersects(e)) return;
        const std::size_t x0 = cx(e.min_x), x1 = cx(e.max_x), y0 = cy(e.min_y), y1 = cy(e.max_y);
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) {
                const std::size_t c = y * nx_ + x;
                for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
                    const std::uint32_t i = cells_[k];
                    const Envelope& b = boxes_[i];
                    // An item in several cells is answered once: from the first cell the item and the
                    // query share (the larger of their first columns and rows; cx/cy are monotone).
                    if (x != std::max(cx(b.min_x), x0) || y != std::max(cy(b.min_y), y0)) continue;
                    if (b.intersects(e)) out.push_back(i);
                }
            }
        for (std::uint32_t i : big_)
            if (boxes_[i].intersects(e)) out.push_back(i);
        std::sort(out.begin(), out.end());
    }

    // Whether any item's envelope meets `e` (the first one found decides).
    bool meets_any(const Envelope& e) const {
        if (boxes_.empty() || !all_.intersects(e)) return false;
        const std::size_t x0 = cx(e.min_x), x1 = cx(e.max_x), y0 = cy(e.min_y), y1 = cy(e.max_y);
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) {
                const std::size_t c = y * nx_ + x;
                for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k)
                    if (boxes_[cells_[k]].intersects(e)) return true;
            }
        for (std::uint32_t i : big_)
            if (boxes_[i].intersects(e)) return true;
        return false;
    }

    std::size_t size() const { return boxes_.size(); }

private:
    std::size_t cx(double x) const { return cell(x, all_.min_x, cw_, nx_); }
    std::size_t cy(double y) const { return cell(y, all_.min_y, ch_, ny_); }
    static std::size_t cell(double v, double origin, double size, std::size_t n) {
        const double c = std::floor((v - origin) / size);
        if (!(c > 0)) return 0;  // also NaN
        return c >= static_cast<double>(n - 1) ? n - 1 : static_cast<std::size_t>(c);
    }
    // An item over more than 64 cells (a huge red line across the tile) is tested on every query instead.
    bool oversized(const Envelope& b) const { return (cx(b.max_x) - cx(b.min_x) + 1) * (cy(b.max_y) - cy(b.min_y) + 1) > 64; }
    template <class F>
    void for_cells(const Envelope& b, F&& f) const {
        for (std::size_t y = cy(b.min_y); y <= cy(b.max_y); ++y)
            for (std::size_t x = cx(b.min_x); x <= cx(b.max_x); ++x) f(y * nx_ + x);
    }

    std::vector<Envelope> boxes_;
    Envelope all_{};
    std::size_t nx_ = 1, ny_ = 1;
    double cw_ = 1, ch_ = 1;
    std::vector<std::uint32_t> start_, cells_, big_;
};

}  // namespace minplan::geo
