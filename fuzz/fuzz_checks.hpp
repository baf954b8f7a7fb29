// Invariants every successful parse must keep; a violation aborts the fuzzer like a crash would.
#pragma once

#include <cmath>
#include <cstdlib>

#include "formats/coordinate_input.hpp"

namespace minplan::formats::fuzz {

inline void require(bool ok) {
    if (!ok) std::abort();
}

inline void check_parsed(const ParsedInput& in) {
    require(!in.format.empty());
    require(!in.parcels.empty());
    std::size_t points = 0;
    for (const auto& parcel : in.parcels) {
        require(!parcel.rings.empty());
        for (const auto& ring : parcel.rings) {
            require(ring.points.size() >= 4);
            require(ring.points.front().x == ring.points.back().x && ring.points.front().y == ring.points.back().y);
            for (const auto& p : ring.points) require(std::isfinite(p.x) && std::isfinite(p.y));
            points += ring.points.size();
        }
    }
    // Closing rings may add one point per ring on top of the limit.
    require(points <= 2 * kMaxPoints);
    if (in.zone_width) require(*in.zone_width == 3 || *in.zone_width == 6);
}

}  // namespace minplan::formats::fuzz
