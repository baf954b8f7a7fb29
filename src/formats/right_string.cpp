// Mining-right and exploration-right database strings (references.md, formats 1 and 2).
#include <cmath>
#include <optional>

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

// Where a point stands, for messages: "第r圈第j点" and the ring's declared count.
struct PointLabels {
    std::string zh, en, declared_zh, declared_en;
};

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

namespace {

// Both strings share their frame: 圈数, then per ring its 点数, its points and a tail of ring fields; only the
// point's fields and the tail differ (references.md, formats 1 and 2).
template <class ReadPoint, class ReadTail>
ParsedInput parse_rings(std::string_view text, const char* format, std::optional<CoordKind> kind, ReadPoint read_point,
                        ReadTail read_tail) {
    const std::string utf8 = to_utf8(text);
    ParsedInput out;
    out.format = format;
    if (kind) out.kind = *kind;
    TokenStream ts(utf8);
    check_start(ts);
    InputBuilder b(out);
    if (kind) b.set_kind(*kind);
    const long long rings = ts.next_integer("圈数", "ring count", 1, static_cast<long long>(kMaxPoints / 3));
    ParsedParcel parcel;
    for (long long r = 1; r <= rings; ++r) {
        const std::size_t count_at = ts.position();
        const auto count_zh = fmt::format("第{}圈点数", r), count_en = fmt::format("ring {} point count", r);
        const long long n = ts.next_integer(count_zh, count_en, 3, static_cast<long long>(kMaxPoints));
        Ring ring;
        ring.source_line = ts.token(count_at).line;
        for (long long j = 1; j <= n; ++j) {
            const PointLabels at{fmt::format("第{}圈第{}点", r, j), fmt::format("ring {} point {}", r, j),
                                 fmt::format("，该圈声明{}个点", n), fmt::format(", ring declares {}", n)};
            ring.points.push_back(read_point(ts, b, j, at));
        }
        read_tail(ts, b, ring, r);
        b.finish_ring(ring, ts.where(count_at, count_zh, count_en));
        parcel.rings.push_back(std::move(ring));
    }
    check_end(ts, rings);
    out.parcels.push_back(std::move(parcel));
    b.finish();
    check_has_area(out, b);
    return out;
}

// The ring's 标志: read and checked against the values the format allows.
long long read_flag(TokenStream& ts, long long r, long long lowest, const std::string& expected_zh,
                    const std::string& expected_en) {
    const std::size_t flag_at = ts.position();
    const auto flag_zh = fmt::format("第{}圈标志", r), flag_en = fmt::format("ring {} flag", r);
    const auto& flag = ts.next(flag_zh, flag_en);
    auto f = detail::parse_integer(flag.text);
    if (!f || *f < -1 || *f > 1 || (*f != -1 && *f < lowest))
        fail(ts.where(flag_at, flag_zh, flag_en), fmt::format("标志应为{}，实际为{}", expected_zh, quote(flag.text)),
             fmt::format("flag must be {}, got {}", expected_en, quote(flag.text)));
    return *f;
}

}  // namespace

ParsedInput parse_mining_right_string(std::string_view text) {
    auto point = [](TokenStream& ts, InputBuilder& b, long long j, const PointLabels& at) {
        check_point_number(ts, j, at.zh + "点号" + at.declared_zh, at.en + " number" + at.declared_en);
        Value x = read_value(ts, at.zh + "X坐标" + at.declared_zh, at.en + " X" + at.declared_en);
        Value y = read_value(ts, at.zh + "Y坐标" + at.declared_zh, at.en + " Y" + at.declared_en);
        return b.point(x, y);
    };
    auto tail = [](TokenStream& ts, InputBuilder& b, Ring& ring, long long r) {
        ring.top_elevation = ts.next_optional_number(fmt::format("第{}圈上标高", r), fmt::format("ring {} top elevation", r));
        ring.bottom_elevation =
            ts.next_optional_number(fmt::format("第{}圈下标高", r), fmt::format("ring {} bottom elevation", r));
        ring.note = std::string(ts.next(fmt::format("第{}圈说明", r), fmt::format("ring {} note", r)).text);
        ring.hole = read_flag(ts, r, 1, "1（开采范围）或-1（扣除范围）", "1 (area) or -1 (deducted area)") == -1;
        if (!ring.hole && ring.note.find("扣除") != std::string::npos)
            b.warn_once(fmt::format("note_flag{}", r),
                        fmt::format("第{}圈说明为“{}”，含“扣除”但标志为1（开采范围），请核对标志", r, ring.note));
    };
    return parse_rings(text, "mining_right_string", std::nullopt, point, tail);
}

ParsedInput parse_exploration_right_string(std::string_view text) {
    auto point = [](TokenStream& ts, InputBuilder& b, long long, const PointLabels& at) {
        Value lon = read_value(ts, at.zh + "经度" + at.declared_zh, at.en + " longitude" + at.declared_en);
        Value lat = read_value(ts, at.zh + "纬度" + at.declared_zh, at.en + " latitude" + at.declared_en);
        for (const Value* v : {&lon, &lat})
            if (std::fabs(v->value) >= 1000)
                fail(v->where, fmt::format("探矿权坐标串应为经纬度（度分秒DDD.MMSS），实际为{}", quote(v->text)),
                     fmt::format("exploration strings hold packed DMS degrees, got {}", quote(v->text)));
        return b.point(lon, lat);
    };
    auto tail = [](TokenStream& ts, InputBuilder&, Ring& ring, long long r) {
        ring.hole = read_flag(ts, r, 0, "0或1（主范围）或-1（扣除范围）", "0 or 1 (main area) or -1 (cut-out)") == -1;
        // The two items after the flag are kept as written; their meaning varies between sources.
        const std::string_view extra1 = ts.next_text_or_empty(), extra2 = ts.next_text_or_empty();
        if (!extra1.empty() || !extra2.empty()) ring.note = fmt::format("{},{}", extra1, extra2);
    };
    return parse_rings(text, "exploration_right_string", CoordKind::GeographicDms, point, tail);
}

}  // namespace minplan::formats
