// 国土 land-parcel TXT (references.md, format 3): [属性描述] key=value lines, then [地块坐标] with one
// "点数,面积,编号,名称,面,...,@" line per parcel followed by its "点号,圈号,X,Y" lines.
#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "formats/detail/parse_support.hpp"

namespace minplan::formats {
namespace {

using detail::at_line;
using detail::fail;
using detail::quote;
using detail::trim;

enum class Section { None, Attributes, Coordinates, Other };

struct OpenParcel {
    ParsedParcel parcel;
    int line = 0;
    long long declared_points = 0;
    long long seen_points = 0;
    long long ring_number = 0;
    Ring ring;
};

class LandParcelReader {
public:
    explicit LandParcelReader(ParsedInput& out) : out_(out), builder_(out) { builder_.set_latitude_first(true); }

    void line(int number, std::string_view text) {
        if (text.empty()) return;
        if (text.front() == '[' && text.back() == ']') return section(number, trim(text.substr(1, text.size() - 2)));
        switch (section_) {
            case Section::None:
                fail(at_line(number), fmt::format("在[属性描述]之前出现内容{}，文件应以[属性描述]开头", quote(text)),
                     fmt::format("content {} before [属性描述]; the file must start with [属性描述]", quote(text)));
            case Section::Attributes: return attribute(number, text);
            case Section::Coordinates: return coordinate(number, text);
            case Section::Other: return;
        }
    }

    void finish(int last_line) {
        if (!seen_attributes_)
            fail(at_line(last_line), "缺少[属性描述]节", "missing section [属性描述]");
        if (!seen_coordinates_)
            fail(at_line(last_line), "缺少[地块坐标]节", "missing section [地块坐标]");
        close_parcel();
        if (out_.parcels.empty())
            fail(at_line(coordinates_line_), "[地块坐标]节中没有地块（应有以“,@”结尾的地块属性行）",
                 "section [地块坐标] holds no parcel (expected a line ending in \",@\")");
        builder_.finish();
    }

private:
    void section(int number, std::string_view name) {
        if (name == "属性描述") {
            section_ = Section::Attributes;
            seen_attributes_ = true;
        } else if (name == "地块坐标") {
            if (!seen_attributes_)
                fail(at_line(number), "[地块坐标]之前缺少[属性描述]节", "section [属性描述] missing before [地块坐标]");
            section_ = Section::Coordinates;
            seen_coordinates_ = true;
            coordinates_line_ = number;
        } else {
            section_ = Section::Other;
            builder_.warn_once("section_" + std::string(name), fmt::format("第{}行：忽略未知的节[{}]", number, name));
        }
    }

    void attribute(int number, std::string_view text) {
        auto eq = text.find('=');
        if (eq == std::string_view::npos)
            fail(at_line(number), fmt::format("[属性描述]中应为“键=值”，实际为{}", quote(text)),
                 fmt::format("expected key=value in [属性描述], got {}", quote(text)));
        auto key = trim(text.substr(0, eq)), value = trim(text.substr(eq + 1));
        out_.attributes[std::string(key)] = std::string(value);
        builder_.apply_header(key, value, at_line(number));
    }

    void coordinate(int number, std::string_view text) {
        auto fields = detail::split(text, ',');
        for (auto& f : fields) f = trim(f);
        if (fields.back() == "@") return parcel_header(number, fields);
        if (!open_)
            fail(at_line(number), fmt::format("坐标行{}之前缺少地块属性行（以“,@”结尾）", quote(text)),
                 fmt::format("coordinate line {} comes before any parcel line ending in \",@\"", quote(text)));
        while (fields.size() > 4 && fields.back().empty()) fields.pop_back();
        if (fields.size() != 4)
            fail(at_line(number), fmt::format("坐标行应为“点号,圈号,X,Y”4个字段，实际{}个：{}", fields.size(), quote(text)),
                 fmt::format("expected 4 fields 点号,圈号,X,Y, got {}: {}", fields.size(), quote(text)));
        auto ring_no = detail::parse_integer(fields[1]);
        if (!ring_no || *ring_no < 1 || *ring_no > static_cast<long long>(kMaxPoints))
            fail(at_line(number), fmt::format("第2个字段（圈号）应为正整数，实际为{}", quote(fields[1])),
                 fmt::format("field 2 (ring number) must be a positive integer, got {}", quote(fields[1])));
        OpenParcel& p = *open_;
        if (*ring_no != p.ring_number) {
            if (p.ring_number != 0) close_ring();
            const long long expected = p.ring_number + 1;
            if (*ring_no != expected)
                fail(at_line(number), fmt::format("圈号应为{}，实际为{}（圈号须从1开始连续编号，每圈的点连续给出）", expected, *ring_no),
                     fmt::format("ring number should be {}, got {} (rings are numbered from 1, points of a ring together)",
                                 expected, *ring_no));
            p.ring_number = *ring_no;
            p.ring = Ring{};
            p.ring.hole = *ring_no > 1;
            p.ring.source_line = number;
        }
        detail::Value values[2];
        for (int k = 0; k < 2; ++k) {
            auto f = fields[static_cast<std::size_t>(k) + 2];
            auto v = detail::parse_number(f);
            auto where = at_line(number);
            where.zh += k == 0 ? "第3个字段（X坐标）" : "第4个字段（Y坐标）";
            where.en += k == 0 ? " field 3 (X)" : " field 4 (Y)";
            if (!v) fail(where, fmt::format("应为数字，实际为{}", quote(f)), fmt::format("expected a number, got {}", quote(f)));
            values[k] = {*v, f, where};
        }
        p.ring.points.push_back(builder_.point(values[0], values[1]));
        ++p.seen_points;
    }

    void parcel_header(int number, const std::vector<std::string_view>& fields) {
        close_parcel();
        auto count = detail::parse_integer(fields[0]);
        if (!count || *count < 3 || *count > static_cast<long long>(kMaxPoints))
            fail(at_line(number), fmt::format("第1个字段（界址点数）应为3到{}的整数，实际为{}", kMaxPoints, quote(fields[0])),
                 fmt::format("field 1 (point count) must be an integer 3-{}, got {}", kMaxPoints, quote(fields[0])));
        OpenParcel p;
        p.line = number;
        p.declared_points = *count;
        if (fields.size() > 2 && !fields[1].empty()) {
            auto area = detail::parse_number(fields[1]);
            if (!area)
                fail(at_line(number), fmt::format("第2个字段（地块面积）应为数字，实际为{}", quote(fields[1])),
                     fmt::format("field 2 (area) must be a number, got {}", quote(fields[1])));
            p.parcel.declared_area = area;
        }
        if (fields.size() > 3) p.parcel.code = std::string(fields[2]);
        p.parcel.name = std::string(fields.size() > 4 && !fields[3].empty() ? fields[3] : p.parcel.code);
        if (fields.size() > 5 && !fields[4].empty() && fields[4] != "面")
            fail(at_line(number), fmt::format("第5个字段（图形属性）应为“面”，实际为{}", quote(fields[4])),
                 fmt::format("field 5 (geometry type) must be 面 (polygon), got {}", quote(fields[4])));
        open_ = std::move(p);
    }

    void close_ring() {
        OpenParcel& p = *open_;
        auto where = at_line(p.ring.source_line);
        where.zh += fmt::format("（地块{}第{}圈）", p.parcel.name, p.ring_number);
        where.en += fmt::format(" (parcel {} ring {})", p.parcel.name, p.ring_number);
        builder_.finish_ring(p.ring, where);
        p.parcel.rings.push_back(std::move(p.ring));
    }

    void close_parcel() {
        if (!open_) return;
        OpenParcel& p = *open_;
        if (p.seen_points != p.declared_points)
            fail(at_line(p.line), fmt::format("地块{}声明{}个界址点，实际给出{}个坐标行", p.parcel.name, p.declared_points, p.seen_points),
                 fmt::format("parcel {} declares {} points but {} coordinate lines follow", p.parcel.name,
                             p.declared_points, p.seen_points));
        close_ring();
        out_.parcels.push_back(std::move(p.parcel));
        open_.reset();
    }

    ParsedInput& out_;
    detail::InputBuilder builder_;
    Section section_ = Section::None;
    bool seen_attributes_ = false, seen_coordinates_ = false;
    int coordinates_line_ = 0;
    std::optional<OpenParcel> open_;
};

}  // namespace

ParsedInput parse_land_parcel_txt(std::string_view bytes) {
    const std::string text = detail::normalize_punctuation(to_utf8(bytes));
    ParsedInput out;
    out.format = "land_parcel_txt";
    auto lines = detail::split_lines(text);
    if (trim(text).empty()) fail("输入为空：没有国土TXT内容", "empty input: no land-parcel TXT");
    LandParcelReader reader(out);
    for (auto [number, raw] : lines) reader.line(number, trim(raw));
    reader.finish(lines.empty() ? 1 : lines.back().first);
    return out;
}

}  // namespace minplan::formats
