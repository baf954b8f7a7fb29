#include "core/json_text.hpp"

#include <cmath>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace minplan {
namespace {

// The length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlong forms, no surrogates, at
// most U+10FFFF), 0 when the bytes there are not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    const auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2)) return 0;
        const unsigned char c1 = byte(i + 1);
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
        const unsigned char c1 = byte(i + 1);
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0;
        return 4;
    }
    return 0;
}

void append_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t copied = 0;  // s[copied, i) is still to be copied as it is
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t n = utf8_sequence(s, i)) {
                i += n;
                continue;
            }
        }
        out.append(s.substr(copied, i - copied));
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
            else out += "\xEF\xBF\xBD";  // a byte that starts no valid UTF-8 sequence: U+FFFD, as dump(replace)
        }
        copied = ++i;
    }
    out.append(s.substr(copied));
    out += '"';
}

void append_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    const std::size_t start = out.size();
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), d);
    // An integral double keeps its ".0" (as dump() writes it), so that it reads back as a double.
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

}  // namespace

void append_json_text(std::string& out, const nlohmann::json& j) {
    using value_t = nlohmann::json::value_t;
    switch (j.type()) {
    case value_t::null:
    case value_t::discarded: out += "null"; break;
    case value_t::boolean: out += j.get<bool>() ? "true" : "false"; break;
    case value_t::number_integer: {
        const fmt::format_int digits(j.get<std::int64_t>());
        out.append(digits.data(), digits.size());
        break;
    }
    case value_t::number_unsigned: {
        const fmt::format_int digits(j.get<std::uint64_t>());
        out.append(digits.data(), digits.size());
        break;
    }
    case value_t::number_float: append_double(out, j.get<double>()); break;
    case value_t::string: append_string(out, j.get_ref<const std::string&>()); break;
    case value_t::binary: out += nlohmann::json(j).dump(); break;  // never in the portal's answers
    case value_t::array: {
        out += '[';
        bool first = true;
        for (const auto& item : j) {
            if (!first) out += ',';
            first = false;
            append_json_text(out, item);
        }
        out += ']';
        break;
    }
    case value_t::object: {
        out += '{';
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!first) out += ',';
            first = false;
            append_string(out, it.key());
            out += ':';
            append_json_text(out, it.value());
        }
        out += '}';
        break;
    }
    }
}

void append_json_string(std::string& out, std::string_view s) { append_string(out, s); }
void append_json_double(std::string& out, double d) { append_double(out, d); }

std::string json_text(const nlohmann::json& value) {
    std::string out;
    out.reserve(4096);
    append_json_text(out, value);
    return out;
}

}  // namespace minplan
