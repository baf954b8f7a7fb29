// 登记报盘 registration TXT (references.md, format 4): key=value lines under [登记项目]; XYnnn=点号,X,Y
// points, each ring ended by XYnnn=标高,上标高,下标高,说明,标志.
#include <cctype>

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

constexpr std::string_view kTotalKey = "矿区范围拐点坐标与标高的总行数";
constexpr std::size_t kRegistrationPointLimit = 1000;  // registrations hold fewer than 1,000 points

bool is_xy_key(std::string_view key) {
    if (key.size() < 3 || (key[0] != 'X' && key[0] != 'x') || (key[1] != 'Y' && key[1] != 'y')) return false;
    for (std::size_t i = 2; i < key.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(key[i]))) return false;
    return true;
}

detail::Where field_at(int line, std::string_view key, int index, std::string_view zh, std::string_view en) {
    return {fmt::format("第{}行{}第{}个值（{}）", line, key, index, zh), fmt::format("line {} {} value {} ({})", line, key, index, en)};
}

}  // namespace

ParsedInput parse_registration_txt(std::string_view bytes) {
    const std::string text = detail::normalize_punctuation(to_utf8(bytes));
    if (trim(text).empty()) fail("输入为空：没有登记报盘内容", "empty input: no registration TXT");
    ParsedInput out;
    out.format = "registration_txt";
    detail::InputBuilder builder(out);
    builder.set_latitude_first(true);

    bool in_project = false, seen_project = false;
    std::string section;
    ParsedParcel parcel;
    Ring ring;
    int ring_no = 1;
    long long xy_lines = 0;
    std::optional<std::pair<int, long long>> declared_total;  // line, value
    int last_line = 1;

    for (auto [number, raw] : detail::split_lines(text)) {
        last_line = number;
        auto line = trim(raw);
        if (line.empty()) continue;
        if (line.front() == '[' && line.back() == ']') {
            section = std::string(trim(line.substr(1, line.size() - 2)));
            in_project = section == "登记项目";
            seen_project = seen_project || in_project;
            if (!in_project) builder.warn_once("section_" + section, fmt::format("第{}行：[{}]节的内容只记入属性", number, section));
            continue;
        }
        if (section.empty())
            fail(at_line(number), fmt::format("在[登记项目]之前出现内容{}", quote(line)),
                 fmt::format("content {} before [登记项目]", quote(line)));
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            fail(at_line(number), fmt::format("应为“键=值”，实际为{}", quote(line)), fmt::format("expected key=value, got {}", quote(line)));
        const auto key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (!in_project) {
            out.attributes[section + "." + std::string(key)] = std::string(value);
            continue;
        }
        if (!is_xy_key(key)) {
            if (out.attributes.count(std::string(key)))
                fail(at_line(number), fmt::format("键{}重复出现", quote(key)), fmt::format("duplicate key {}", quote(key)));
            out.attributes[std::string(key)] = std::string(value);
            builder.apply_header(key, value, at_line(number));
            if (key == kTotalKey) {
                auto n = detail::parse_integer(value);
                if (!n || *n < 4)
                    fail(at_line(number), fmt::format("{}应为不小于4的整数，实际为{}", kTotalKey, quote(value)),
                         fmt::format("the total line count must be an integer >= 4, got {}", quote(value)));
                declared_total = {number, *n};
            }
            continue;
        }
        ++xy_lines;
        auto fields = detail::split(value, ',');
        for (auto& f : fields) f = trim(f);
        if (fields[0] == "标高") {
            while (fields.size() > 5 && fields.back().empty()) fields.pop_back();
            if (fields.size() != 5)
                fail(at_line(number), fmt::format("{}应为“标高,上标高,下标高,说明,标志”5个值，实际{}个", key, fields.size()),
                     fmt::format("{} must be 标高,top,bottom,note,flag (5 values), got {}", key, fields.size()));
            for (int k = 1; k <= 2; ++k) {
                auto f = fields[static_cast<std::size_t>(k)];
                if (f.empty()) continue;
                auto v = detail::parse_number(f);
                if (!v)
                    fail(field_at(number, key, k + 1, k == 1 ? "上标高" : "下标高", k == 1 ? "top elevation" : "bottom elevation"),
                         fmt::format("应为数字或留空，实际为{}", quote(f)), fmt::format("expected a number or nothing, got {}", quote(f)));
                (k == 1 ? ring.top_elevation : ring.bottom_elevation) = v;
            }
            ring.note = std::string(fields[3]);
            auto flag = detail::parse_integer(fields[4]);
            if (!flag || (*flag != 1 && *flag != -1))
                fail(field_at(number, key, 5, "标志", "flag"), fmt::format("应为1（范围）或-1（扣除范围），实际为{}", quote(fields[4])),
                     fmt::format("expected 1 (area) or -1 (deducted area), got {}", quote(fields[4])));
            ring.hole = *flag == -1;
            auto where = at_line(number);
            where.zh += fmt::format("（第{}圈的标高行）", ring_no);
            where.en += fmt::format(" (end of ring {})", ring_no);
            builder.finish_ring(ring, where);
            parcel.rings.push_back(std::move(ring));
            ring = Ring{};
            ++ring_no;
            continue;
        }
        while (fields.size() > 3 && fields.back().empty()) fields.pop_back();
        if (fields.size() != 3)
            fail(at_line(number), fmt::format("{}应为“点号,X,Y”3个值（或以“标高”开头的结束行），实际{}个", key, fields.size()),
                 fmt::format("{} must be 点号,X,Y (3 values) or a 标高 line, got {}", key, fields.size()));
        detail::Value values[2];
        for (int k = 0; k < 2; ++k) {
            auto f = fields[static_cast<std::size_t>(k) + 1];
            auto where = field_at(number, key, k + 2, k == 0 ? "X坐标" : "Y坐标", k == 0 ? "X" : "Y");
            auto v = detail::parse_number(f);
            if (!v) fail(where, fmt::format("应为数字，实际为{}", quote(f)), fmt::format("expected a number, got {}", quote(f)));
            values[k] = {*v, f, where};
        }
        if (ring.points.empty()) ring.source_line = number;
        ring.points.push_back(builder.point(values[0], values[1]));
    }

    if (!seen_project) fail(at_line(last_line), "缺少[登记项目]节", "missing section [登记项目]");
    if (!ring.points.empty())
        fail(at_line(ring.source_line), fmt::format("第{}圈（从此行开始）缺少“标高,上标高,下标高,说明,标志”结束行", ring_no),
             fmt::format("ring {} starting here has no closing 标高 line", ring_no));
    if (parcel.rings.empty())
        fail(at_line(last_line), "[登记项目]中没有拐点坐标（XY001=点号,X,Y）", "no corner coordinates (XY001=...) in [登记项目]");
    if (declared_total && declared_total->second != xy_lines)
        fail(at_line(declared_total->first),
             fmt::format("{}为{}，实际XY行为{}行", kTotalKey, declared_total->second, xy_lines),
             fmt::format("declared {} coordinate/elevation lines, found {}", declared_total->second, xy_lines));
    if (!declared_total) builder.warn_once("no_total", fmt::format("缺少“{}”，无法核对坐标行数", kTotalKey));
    std::size_t points = 0;
    for (const auto& r : parcel.rings) points += r.points.size();
    if (points >= kRegistrationPointLimit)
        builder.warn_once("many_points", fmt::format("拐点共{}个，登记报盘通常少于{}个", points, kRegistrationPointLimit));
    for (const char* k : {"矿山名称", "项目名称", "矿区名称", "采矿权人"}) {
        if (auto it = out.attributes.find(k); it != out.attributes.end() && !it->second.empty()) {
            parcel.name = it->second;
            break;
        }
    }
    out.parcels.push_back(std::move(parcel));
    builder.finish();
    return out;
}

}  // namespace minplan::formats
