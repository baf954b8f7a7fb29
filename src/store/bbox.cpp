#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "store/plan_store.hpp"

namespace minplan::store {

BBox parse_bbox(const std::string& text) {
    double v[4];
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
        auto end = text.find(',', start);
        if ((i < 3) == (end == std::string::npos) || start > text.size())
            throw InputError("bbox 应为 最小经度,最小纬度,最大经度,最大纬度（4个数字，EPSG:4490），实际为 \"" + text + "\"");
        std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v[i]);
        if (part.empty() || ec != std::errc() || p != part.data() + part.size() || !std::isfinite(v[i]))
            throw InputError("bbox \"" + text + "\" 的第 " + std::to_string(i + 1) + " 个值 \"" + part +
                             "\" 不是数字；应为 最小经度,最小纬度,最大经度,最大纬度 / bbox values must be numbers");
        start = end + 1;
    }
    BBox b{v[0], v[1], v[2], v[3]};
    if (b.min_x < -180 || b.max_x > 180 || b.min_y < -90 || b.max_y > 90)
        throw InputError("bbox 超出经纬度范围（经度 -180～180，纬度 -90～90）: \"" + text + "\" / bbox out of range");
    if (b.min_x > b.max_x || b.min_y > b.max_y)
        throw InputError("bbox 的最小值大于最大值，请按 最小经度,最小纬度,最大经度,最大纬度 的顺序: \"" + text + "\" / bbox minimum above maximum");
    return b;
}

}  // namespace minplan::store
