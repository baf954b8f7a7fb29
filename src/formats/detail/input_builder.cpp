#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/detail/parse_support.hpp"

namespace minplan::formats::detail {
namespace {

// Rough extent of China, used only for warnings.
constexpr double kLonMin = 73.0, kLonMax = 136.0, kLatMin = 3.0, kLatMax = 54.0;

bool in(double v, double lo, double hi) { return v >= lo && v <= hi; }

std::string coord_text(double v) { return fmt::format("{:.2f}", v); }

// 3° zones over China are 24–45 (EPSG:4513–4533 cover 25–45), 6° zones 13–23.
std::optional<int> width_of_zone(int zone) {
    if (zone >= 13 && zone <= 23) return 6;
    if (zone >= 24 && zone <= 45) return 3;
    return std::nullopt;
}

}  // namespace

void InputBuilder::warn_once(const std::string& key, const std::string& message) {
    if (warned_.insert(key).second) out_.warnings.push_back(message);
}

void InputBuilder::apply_header(std::string_view key, std::string_view value, const Where& where) {
    if (key == "坐标系" || key == "坐标系统") {
        out_.crs_name = std::string(value);
        if (value == "2")
            warn_once("xian80", "坐标系统=2：在部分登记系统中表示1980西安坐标系，请确认后再转换，不要按2000坐标系直接使用");
        else if (value.find("西安") != std::string_view::npos || value.find("北京") != std::string_view::npos ||
                 value.find("1954") != std::string_view::npos || value.find("1980") != std::string_view::npos)
            warn_once("old_crs", fmt::format("坐标系为“{}”，不是2000国家大地坐标系，需要转换参数后才能使用", value));
    } else if (key == "带号") {
        if (value.empty()) return;
        auto z = parse_integer(value);
        if (!z || *z < 1 || *z > 60)
            fail(where, fmt::format("带号应为1到60的整数，实际为{}", quote(value)),
                 fmt::format("zone must be an integer 1-60, got {}", quote(value)));
        out_.gk_zone = static_cast<int>(*z);
    } else if (key == "几度分带") {
        if (value.empty()) return;
        auto w = parse_integer(value);
        if (!w || (*w != 3 && *w != 6))
            fail(where, fmt::format("几度分带应为3或6，实际为{}", quote(value)),
                 fmt::format("zone width must be 3 or 6, got {}", quote(value)));
        out_.zone_width = static_cast<int>(*w);
    } else if (key == "计量单位") {
        if (value == "米" || value == "m" || value == "M") kind_ = CoordKind::PlaneGaussKruger;
        else if (value == "度分秒") kind_ = CoordKind::GeographicDms;
        else if (value == "度") kind_ = CoordKind::GeographicDegrees;
        else if (!value.empty())
            fail(where, fmt::format("计量单位应为“米”“度”或“度分秒”，实际为{}", quote(value)),
                 fmt::format("unit must be 米, 度 or 度分秒, got {}", quote(value)));
    }
}

Point InputBuilder::point(const Value& a, const Value& b) {
    if (++points_ > kMaxPoints)
        fail(a.where, fmt::format("坐标点数超过上限{}", kMaxPoints), fmt::format("more than {} points", kMaxPoints));
    if (!kind_) {
        // Packed DMS and degrees are below 360; Gauss–Krüger metres are far above.
        const bool small = std::fabs(a.value) < 1000 && std::fabs(b.value) < 1000;
        kind_ = small ? CoordKind::GeographicDms : CoordKind::PlaneGaussKruger;
    }
    out_.kind = *kind_;
    return *kind_ == CoordKind::PlaneGaussKruger ? plane_point(a, b) : geographic_point(a, b);
}

void InputBuilder::record_prefix_zone(int zone, const Where& where) {
    auto width = width_of_zone(zone);
    if (!width) {
        warn_once("zone_range", fmt::format("{}：带号前缀{}不在中国范围（6度带13–23，3度带24–45）", where.zh, zone));
        return;
    }
    if (!prefix_zone_) {
        prefix_zone_ = zone;
    } else if (*prefix_zone_ != zone) {
        warn_once("zone_mixed", fmt::format("{}：Y坐标带号前缀{}与前面的{}不一致", where.zh, zone, *prefix_zone_));
    }
}

Point InputBuilder::plane_point(const Value& xv, const Value& yv) {
    const double x = xv.value, y = yv.value;
    if (std::fabs(x) < 1000 && std::fabs(y) < 1000)
        fail(xv.where, fmt::format("平面坐标值{}、{}过小，疑似经纬度；请检查计量单位或坐标类型", xv.text, yv.text),
             "plane coordinates this small look like degrees; check the unit or coordinate kind");
    if (x < 0 || y < 0)
        fail(x < 0 ? xv.where : yv.where, "高斯-克吕格平面坐标应为正数", "Gauss-Kruger coordinates must be positive");
    if (x >= 1e8 || y >= 1e8)
        fail(x >= 1e8 ? xv.where : yv.where, "坐标值过大（超过8位整数）", "coordinate too large (more than 8 integer digits)");

    const bool x_easting_like = x >= 1e7 || in(x, 2e5, 8e5);
    const bool y_northing_like = y >= 1e6 && y < 1e7;
    if (x_easting_like && y_northing_like) {
        warn_once("swap", fmt::format("{}：疑似X/Y颠倒（X={}像横坐标，Y={}像纵坐标）；X应为纵坐标（北），Y为横坐标（东）",
                                      xv.where.zh, coord_text(x), coord_text(y)));
        if (x >= 1e7) record_prefix_zone(static_cast<int>(x / 1e6), xv.where);
        else unprefixed_y_ = true;
        return {x, y};
    }
    // No northing exceeds the quarter meridian (~10,002 km); PROJ's inverse of a larger one is not an error
    // but a point somewhere else (X 44221500, a digit too many, came back at latitude 38°, inside the
    // province, and made the application a bow-tie that the review then failed on: application_fuzz).
    if (x >= 1e7)
        fail(xv.where, fmt::format("X坐标{}超过1000万米，不可能是纵坐标（北）：赤道到极点约1000万米；可能多输了一位数字", coord_text(x)),
             "X (northing) of 10,000 km or more is off the earth: a digit too many?");
    if (y >= 1e7) {
        record_prefix_zone(static_cast<int>(y / 1e6), yv.where);
    } else if (y < 1e6) {
        unprefixed_y_ = true;
    } else {
        warn_once("y_digits", fmt::format("{}：Y坐标{}为7位整数，既不是带号前缀的8位数也不是6位数", yv.where.zh, coord_text(y)));
    }
    if (!in(x, 1e5, 6.5e6))
        warn_once("x_range", fmt::format("{}：X坐标{}超出中国范围的纵坐标（约10万–650万米）", xv.where.zh, coord_text(x)));
    return {x, y};
}

double InputBuilder::angle(const Value& v) {
    if (*kind_ == CoordKind::GeographicDegrees) return v.value;
    if (fraction_digits(v.text) > 7)
        warn_once("dms_decimal", fmt::format("{}：{}小数位数过多，疑似十进制度而非度分秒（DDD.MMSSsss）", v.where.zh, v.text));
    DmsParts p = decode_dms(v.value);
    if (!p.ok) {
        if (std::fabs(v.value) > 360.0)
            fail(v.where, fmt::format("度分秒值{}超出范围", quote(v.text)), fmt::format("DMS value {} out of range", v.text));
        if (p.minutes >= 60)
            fail(v.where, fmt::format("度分秒值{}的分为{}，应小于60（若为十进制度，请先换算为度分秒）", v.text, p.minutes),
                 fmt::format("DMS value {} has minutes {} >= 60 (decimal degrees?)", v.text, p.minutes));
        fail(v.where, fmt::format("度分秒值{}的秒为{:.4g}，应小于60（若为十进制度，请先换算为度分秒）", v.text, p.seconds),
             fmt::format("DMS value {} has seconds {:.4g} >= 60 (decimal degrees?)", v.text, p.seconds));
    }
    return p.degrees;
}

Point InputBuilder::geographic_point(const Value& av, const Value& bv) {
    double a = angle(av), b = angle(bv);
    // Order: magnitude first (|lat| <= 90), then China's extent, then the format's convention.
    bool a_is_lon;
    if (std::fabs(a) > 90 && std::fabs(b) <= 90) a_is_lon = true;
    else if (std::fabs(b) > 90 && std::fabs(a) <= 90) a_is_lon = false;
    else if (in(a, kLonMin, kLonMax) && in(b, kLatMin, kLatMax) && !in(b, kLonMin, kLonMax)) a_is_lon = true;
    else if (in(b, kLonMin, kLonMax) && in(a, kLatMin, kLatMax) && !in(a, kLonMin, kLonMax)) a_is_lon = false;
    else a_is_lon = !latitude_first_;
    if (a_is_lon == latitude_first_)
        warn_once("swap_geo", fmt::format("{}：疑似经纬度颠倒（{}、{}），已按经度{}、纬度{}读取", av.where.zh, av.text, bv.text,
                                          a_is_lon ? av.text : bv.text, a_is_lon ? bv.text : av.text));
    const double lon = a_is_lon ? a : b, lat = a_is_lon ? b : a;
    const Value& lat_v = a_is_lon ? bv : av;
    if (std::fabs(lat) > 90)
        fail(lat_v.where, fmt::format("纬度{}超出±90度", lat_v.text), fmt::format("latitude {} beyond ±90°", lat_v.text));
    if (std::fabs(lon) > 180)
        fail(av.where, fmt::format("经度超出±180度"), "longitude beyond ±180°");
    if (!in(lon, kLonMin, kLonMax) || !in(lat, kLatMin, kLatMax))
        warn_once("geo_range", fmt::format("{}：经纬度（{:.6f}，{:.6f}）不在中国范围内", av.where.zh, lon, lat));
    return {lon, lat};
}

void InputBuilder::finish_ring(Ring& ring, const Where& where) {
    auto& pts = ring.points;
    if (pts.empty()) fail(where, "圈中没有坐标点", "ring has no points");
    std::vector<std::pair<double, double>> distinct;
    distinct.reserve(pts.size());
    for (const auto& p : pts) distinct.emplace_back(p.x, p.y);
    std::sort(distinct.begin(), distinct.end());
    auto n = std::unique(distinct.begin(), distinct.end()) - distinct.begin();
    if (n < 3)
        fail(where, fmt::format("只有{}个不同的点，一个圈至少需要3个不同的点", n),
             fmt::format("only {} distinct points; a ring needs at least 3", n));
    if (pts.front().x != pts.back().x || pts.front().y != pts.back().y) pts.push_back(pts.front());
}

void InputBuilder::finish() {
    if (kind_) out_.kind = *kind_;
    if (out_.kind != CoordKind::PlaneGaussKruger) return;
    if (prefix_zone_) {
        if (out_.gk_zone && *out_.gk_zone != *prefix_zone_)
            warn_once("zone_header", fmt::format("表头带号{}与Y坐标前缀带号{}不一致", *out_.gk_zone, *prefix_zone_));
        if (!out_.gk_zone) out_.gk_zone = prefix_zone_;
    }
    if (out_.gk_zone) {
        auto implied = width_of_zone(*out_.gk_zone);
        if (!out_.zone_width) out_.zone_width = implied;
        else if (implied && *implied != *out_.zone_width)
            warn_once("zone_width", fmt::format("几度分带为{}，但带号{}属于{}度带", *out_.zone_width, *out_.gk_zone, *implied));
    } else if (unprefixed_y_) {
        warn_once("no_zone", "缺少带号：表头没有带号，Y坐标也没有带号前缀，需人工确认投影带后才能转换");
    }
}

}  // namespace minplan::formats::detail
