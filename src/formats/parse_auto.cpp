// Format sniffing for uploads whose kind the user did not state.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "formats/detail/parse_support.hpp"

namespace minplan::formats {
namespace {

bool contains(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

std::string lower(std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return r;
}

bool has_xy_line(std::string_view text) {
    for (auto [number, raw] : detail::split_lines(text)) {
        auto line = detail::trim(raw);
        if (line.size() > 3 && (line[0] == 'X' || line[0] == 'x') && (line[1] == 'Y' || line[1] == 'y') &&
            std::isdigit(static_cast<unsigned char>(line[2])) && contains(line, "="))
            return true;
    }
    return false;
}

// Both errors carry "zh / en"; keep the languages together.
std::string both(const std::string& mining, const std::string& exploration) {
    auto zh = [](const std::string& m) { return m.substr(0, m.find(" / ")); };
    auto en = [](const std::string& m) {
        auto p = m.find(" / ");
        return p == std::string::npos ? m : m.substr(p + 3);
    };
    return fmt::format("无法识别坐标串格式：按采矿权格式解析失败（{}）；按探矿权格式解析失败（{}） / unrecognised coordinate "
                       "string: as a mining right: {}; as an exploration right: {}",
                       zh(mining), zh(exploration), en(mining), en(exploration));
}

}  // namespace

ParsedInput parse_auto(std::string_view bytes, std::string_view filename_hint) {
    const std::string text = to_utf8(bytes);
    if (detail::trim(text).empty()) detail::fail("输入为空", "empty input");
    if (contains(text, "[地块坐标]") || contains(text, "[属性描述]")) return parse_land_parcel_txt(text);
    if (contains(text, "[登记项目]") || has_xy_line(text)) return parse_registration_txt(text);

    const std::string name = lower(filename_hint);
    const bool says_mining = contains(name, "采矿") || contains(name, "mining") || contains(name, "ckq");
    const bool says_exploration = contains(name, "探矿") || contains(name, "exploration") || contains(name, "tkq");
    if (says_mining && !says_exploration) return parse_mining_right_string(text);
    if (says_exploration && !says_mining) return parse_exploration_right_string(text);

    std::string mining_error;
    try {
        return parse_mining_right_string(text);
    } catch (const InputError& e) {
        mining_error = e.what();
    }
    try {
        return parse_exploration_right_string(text);
    } catch (const InputError& e) {
        throw InputError(both(mining_error, e.what()));
    }
}

}  // namespace minplan::formats
