// Mining-right and exploration-right database strings (references.md, formats 1 and 2).
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "formats/detail/parse_support.hpp"

namespace minplan::formats {
namespace {

using detail::fail;
using detail::InputBuilder;
using detail::quote;
using detail::TokenStream;
using detail::Value;

Value read_value(TokenStream& ts, const std::string& what_zh, const std::string& what_en) {
    const std::size_t i = ts.position();
    const double v = ts.next_number(what_zh, what_en);
    return {v, ts.token(i).text, ts.where(i, what_zh, what_en)};
}

// A 点号 that looks like a coordinate means the fields have slipped: a value is missing before it.
void check_point_number(TokenStream& ts, long long expected, const std::string& what_zh, const std::string& what_en) {
    const std::size_t i = ts.position();
    const auto& t = ts.next(what_zh, what_en);
    auto v = detail::parse_number(t.text);
    const bool coordinate_like = v && (*v != std::floor(*v) || (std::fabs(*v) >= 1000 && *v != static_cast<double>(expected)));
    if (t.text.empty() || coordinate_like)
        fail(ts.where(i, what_zh, what_en),
             fmt::format("点号处出现{}，像是坐标值或空值：前面缺少坐标，或点数有误", quote(t.text)),
             fmt::format("point number is {}, which looks like a coordinate or blank: a value is missing earlier, "
                         "or the point count is wrong",
                         quote(t.text)));
}

void check_start(const TokenStream& ts) {
    if (ts.size() == 0) fail("输入为空：没有坐标串", "empty input: no coordinate string");
}

void check_end(const TokenStream& ts, long long rings) {
    if (!ts.at_end())
        fail(ts.here("多余字段", "extra field"),
             fmt::format("圈数为{}，但最后一圈之后还有{}个字段：圈数或点数有误", rings, ts.size() - ts.position()),
             fmt::format("ring count is {} but {} fields follow the last ring: wrong ring or point count", rings,
                         ts.size() - ts.position()));
}

void check_has_area(ParsedInput& out, InputBuilder& b) {
    bool any_area = false;
    for (const auto& p : out.parcels)
        for (const auto& r : p.rings) any_area = any_area || !r.hole;
    if (!any_area) b.warn_once("all_holes", "所有圈都是扣除范围（标志-1），没有开采/勘查范围");
}

}  // namespace

double dms_packed_to_degrees(double packed) {
    auto p = detail::decode_dms(packed);
    if (p.ok) return p.degrees;
    if (!std::isfinite(packed) || std::fabs(packed) > 360.0)
        fail(fmt::format("度分秒值{}超出范围（应在±360以内）", packed), fmt::format("DMS value {} out of range", packed));
    if (p.minutes >= 60)
        fail(fmt::format("度分秒值{}的分为{}，应小于60", packed, p.minutes),
             fmt::format("DMS value {} has minutes {} >= 60", packed, p.minutes));
    fail(fmt::format("度分秒值{}的秒为{:.4g}，应小于60", packed, p.seconds),
         fmt::format("DMS value {} has seconds {:.4g} >= 60", packed, p.seconds));
}

ParsedInput parse_mining_right_string(std::string_view text) {
    const std::string utf8 = to_utf8(text);
    ParsedInput out;
    out.format = "mining_right_string";
    TokenStream ts(utf8);
    check_start(ts);
    InputBuilder b(out);
    const long long rings = ts.next_integer("圈数", "ring count", 1, static_cast<long long>(kMaxPoints / 3));
    ParsedParcel parcel;
    for (long long r = 1; r <= rings; ++r) {
        const std::size_t count_at = ts.position();
        const auto count_zh = fmt::format("第{}圈点数", r), count_en = fmt::format("ring {} point count", r);
        const long long n = ts.next_integer(count_zh, count_en, 3, static_cast<long long>(kMaxPoints));
        Ring ring;
        ring.source_line = ts.token(count_at).line;
        for (long long j = 1; j <= n; ++j) {
            const auto ctx_zh = fmt::format("第{}圈第{}点", r, j), ctx_en = fmt::format("ring {} point {}", r, j);
            const auto decl_zh = fmt::format("，该圈声明{}个点", n), decl_en = fmt::format(", ring declares {}", n);
            check_point_number(ts, j, ctx_zh + "点号" + decl_zh, ctx_en + " number" + decl_en);
            Value x = read_value(ts, ctx_zh + "X坐标" + decl_zh, ctx_en + " X" + decl_en);
            Value y = read_value(ts, ctx_zh + "Y坐标" + decl_zh, ctx_en + " Y" + decl_en);
            ring.points.push_back(b.point(x, y));
        }
        ring.top_elevation = ts.next_optional_number(fmt::format("第{}圈上标高", r), fmt::format("ring {} top elevation", r));
        ring.bottom_elevation =
            ts.next_optional_number(fmt::format("第{}圈下标高", r), fmt::format("ring {} bottom elevation", r));
        ring.note = std::string(ts.next(fmt::format("第{}圈说明", r), fmt::format("ring {} note", r)).text);
        const std::size_t flag_at = ts.position();
        const auto flag_zh = fmt::format("第{}圈标志", r), flag_en = fmt::format("ring {} flag", r);
        const auto& flag = ts.next(flag_zh, flag_en);
        auto f = detail::parse_integer(flag.text);
        if (!f || (*f != 1 && *f != -1))
            fail(ts.where(flag_at, flag_zh, flag_en),
                 fmt::format("标志应为1（开采范围）或-1（扣除范围），实际为{}", quote(flag.text)),
                 fmt::format("flag must be 1 (area) or -1 (deducted area), got {}", quote(flag.text)));
        ring.hole = *f == -1;
        if (!ring.hole && ring.note.find("扣除") != std::string::npos)
            b.warn_once(fmt::format("note_flag{}", r),
                        fmt::format("第{}圈说明为“{}”，含“扣除”但标志为1（开采范围），请核对标志", r, ring.note));
        b.finish_ring(ring, ts.where(count_at, count_zh, count_en));
        parcel.rings.push_back(std::move(ring));
    }
    check_end(ts, rings);
    out.parcels.push_back(std::move(parcel));
    b.finish();
    check_has_area(out, b);
    return out;
}

ParsedInput parse_exploration_right_string(std::string_view text) {
    const std::string utf8 = to_utf8(text);
    ParsedInput out;
    out.format = "exploration_right_string";
    out.kind = CoordKind::GeographicDms;
    TokenStream ts(utf8);
    check_start(ts);
    InputBuilder b(out);
    b.set_kind(CoordKind::GeographicDms);
    const long long rings = ts.next_integer("圈数", "ring count", 1, static_cast<long long>(kMaxPoints / 3));
    ParsedParcel parcel;
    for (long long r = 1; r <= rings; ++r) {
        const std::size_t count_at = ts.position();
        const auto count_zh = fmt::format("第{}圈点数", r), count_en = fmt::format("ring {} point count", r);
        const long long n = ts.next_integer(count_zh, count_en, 3, static_cast<long long>(kMaxPoints));
        Ring ring;
        ring.source_line = ts.token(count_at).line;
        for (long long j = 1; j <= n; ++j) {
            const auto ctx_zh = fmt::format("第{}圈第{}点", r, j), ctx_en = fmt::format("ring {} point {}", r, j);
            const auto decl_zh = fmt::format("，该圈声明{}个点", n), decl_en = fmt::format(", ring declares {}", n);
            Value lon = read_value(ts, ctx_zh + "经度" + decl_zh, ctx_en + " longitude" + decl_en);
            Value lat = read_value(ts, ctx_zh + "纬度" + decl_zh, ctx_en + " latitude" + decl_en);
            for (const Value* v : {&lon, &lat})
                if (std::fabs(v->value) >= 1000)
                    fail(v->where, fmt::format("探矿权坐标串应为经纬度（度分秒DDD.MMSS），实际为{}", quote(v->text)),
                         fmt::format("exploration strings hold packed DMS degrees, got {}", quote(v->text)));
            ring.points.push_back(b.point(lon, lat));
        }
        const std::size_t flag_at = ts.position();
        const auto flag_zh = fmt::format("第{}圈标志", r), flag_en = fmt::format("ring {} flag", r);
        const auto& flag = ts.next(flag_zh, flag_en);
        auto f = detail::parse_integer(flag.text);
        if (!f || *f < -1 || *f > 1)
            fail(ts.where(flag_at, flag_zh, flag_en),
                 fmt::format("标志应为0或1（主范围）或-1（扣除范围），实际为{}", quote(flag.text)),
                 fmt::format("flag must be 0 or 1 (main area) or -1 (cut-out), got {}", quote(flag.text)));
        ring.hole = *f == -1;
        // The two items after the flag are kept as written; their meaning varies between sources.
        const std::string_view extra1 = ts.next_text_or_empty(), extra2 = ts.next_text_or_empty();
        if (!extra1.empty() || !extra2.empty()) ring.note = fmt::format("{},{}", extra1, extra2);
        b.finish_ring(ring, ts.where(count_at, count_zh, count_en));
        parcel.rings.push_back(std::move(ring));
    }
    check_end(ts, rings);
    out.parcels.push_back(std::move(parcel));
    b.finish();
    check_has_area(out, b);
    return out;
}

}  // namespace minplan::formats
