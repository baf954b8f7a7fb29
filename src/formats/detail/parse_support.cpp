#include "formats/detail/parse_support.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minplan::formats::detail {

Where at_line(int line) { return {fmt::format("第{}行", line), fmt::format("line {}", line)}; }

Where at_field(std::size_t index, int line, bool show_line, std::string_view what_zh, std::string_view what_en) {
    Where w;
    if (show_line) {
        w.zh = fmt::format("第{}行第{}个字段", line, index);
        w.en = fmt::format("line {} field {}", line, index);
    } else {
        w.zh = fmt::format("第{}个字段", index);
        w.en = fmt::format("field {}", index);
    }
    if (!what_zh.empty()) w.zh += fmt::format("（{}）", what_zh);
    if (!what_en.empty()) w.en += fmt::format(" ({})", what_en);
    return w;
}

void fail(const Where& where, std::string_view zh, std::string_view en) {
    throw InputError(fmt::format("{}：{} / {}: {}", where.zh, zh, where.en, en));
}

void fail(std::string_view zh, std::string_view en) { throw InputError(fmt::format("{} / {}", zh, en)); }

std::string quote(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out = "“";
    std::size_t n = text.size();
    bool cut = false;
    if (n > kMax) {
        n = kMax;
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0u) == 0x80u) --n;  // UTF-8 boundary
        cut = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
    }
    if (cut) out += "…";
    out += "”";
    return out;
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n\v\f";
    auto b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(kSpace);
    s = s.substr(b, e - b + 1);
    // Ideographic space U+3000 (E3 80 80) also appears in pasted text.
    while (s.size() >= 3 && s.substr(0, 3) == "\xE3\x80\x80") s = trim(s.substr(3));
    while (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") s = trim(s.substr(0, s.size() - 3));
    return s;
}

std::string normalize_punctuation(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.substr(i, 3) == "\xEF\xBC\x8C") {  // ，
            out += ',';
            i += 2;
        } else if (s.substr(i, 3) == "\xEF\xBC\x9D") {  // ＝
            out += '=';
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto p = s.find(sep, start);
        if (p == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

std::vector<std::pair<int, std::string_view>> split_lines(std::string_view s) {
    std::vector<std::pair<int, std::string_view>> lines;
    int number = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || s[i] == '\r') {
            lines.emplace_back(number++, s.substr(start, i - start));
            if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            start = i + 1;
        }
    }
    if (start < s.size()) lines.emplace_back(number, s.substr(start));
    return lines;
}

std::optional<double> parse_number(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.')) return std::nullopt;
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long long> parse_integer(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

int fraction_digits(std::string_view s) {
    auto dot = s.find('.');
    if (dot == std::string_view::npos) return 0;
    int n = 0;
    for (std::size_t i = dot + 1; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++n;
    return n;
}

DmsParts decode_dms(double packed) {
    DmsParts r;
    if (!std::isfinite(packed) || std::fabs(packed) > 360.0) return r;
    const double a = std::fabs(packed);
    double deg = std::floor(a);
    // DDD.MMSSssssss: 10 fraction digits keep 0.000001″, far below the 0.001″ the rules ask for.
    long long scaled = std::llround((a - deg) * 1e10);
    r.minutes = scaled / 100000000;
    r.seconds = static_cast<double>(scaled % 100000000) / 1e6;
    if (r.minutes >= 60 || r.seconds >= 60.0) return r;
    r.ok = true;
    r.degrees = std::copysign(deg + static_cast<double>(r.minutes) / 60.0 + r.seconds / 3600.0, packed);
    return r;
}

TokenStream::TokenStream(std::string_view utf8) : text_(normalize_punctuation(utf8)) {
    const std::string_view all(text_);
    std::vector<std::size_t> line_starts{0};
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i] == '\r' && i + 1 < all.size() && all[i + 1] == '\n') continue;
        if (all[i] == '\n' || all[i] == '\r') line_starts.push_back(i + 1);
    }
    auto line_of = [&](const char* p) {
        auto offset = static_cast<std::size_t>(p - all.data());
        return static_cast<int>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
    };
    auto push = [&](std::string_view t, const char* at) {
        tokens_.push_back({t, tokens_.size() + 1, line_of(at)});
        // Refuse absurd inputs before they cost memory: 3 fields per point plus ring overhead.
        if (tokens_.size() > kMaxPoints * 5)
            fail(fmt::format("字段过多（超过{}个），坐标点数超过上限{}", kMaxPoints * 5, kMaxPoints),
                 fmt::format("too many fields (over {}); more than {} points", kMaxPoints * 5, kMaxPoints));
    };
    for (std::string_view piece : split(all, ',')) {
        // A line break also separates two values where no comma does.
        bool any = false;
        for (std::string_view part : split(piece, '\n')) {
            for (std::string_view sub : split(part, '\r')) {
                std::string_view t = trim(sub);
                if (t.empty()) continue;
                push(t, t.data());
                any = true;
            }
        }
        if (!any) push({}, piece.data());
    }
    while (!tokens_.empty() && tokens_.back().text.empty()) tokens_.pop_back();
    multiline_ = !tokens_.empty() && tokens_.back().line > 1;
}

Where TokenStream::where(std::size_t i, std::string_view what_zh, std::string_view what_en) const {
    const Token& t = tokens_[i];
    return at_field(t.index, t.line, multiline_, what_zh, what_en);
}

Where TokenStream::here(std::string_view what_zh, std::string_view what_en) const {
    if (!at_end()) return where(pos_, what_zh, what_en);
    int line = tokens_.empty() ? 1 : tokens_.back().line;
    return at_field(tokens_.size() + 1, line, multiline_, what_zh, what_en);
}

const Token& TokenStream::next(std::string_view what_zh, std::string_view what_en) {
    if (at_end()) fail(here(what_zh, what_en), "缺失，输入提前结束（坐标个数不足或点数/圈数有误）",
                       "missing: input ends early (too few values, or a wrong point/ring count)");
    return tokens_[pos_++];
}

long long TokenStream::next_integer(std::string_view what_zh, std::string_view what_en, long long min, long long max) {
    const Token& t = next(what_zh, what_en);
    auto v = parse_integer(t.text);
    if (!v)
        fail(where(t.index - 1, what_zh, what_en), fmt::format("应为整数，实际为{}", quote(t.text)),
             fmt::format("expected an integer, got {}", quote(t.text)));
    if (*v < min || *v > max)
        fail(where(t.index - 1, what_zh, what_en), fmt::format("应在{}到{}之间，实际为{}", min, max, *v),
             fmt::format("expected {} to {}, got {}", min, max, *v));
    return *v;
}

double TokenStream::next_number(std::string_view what_zh, std::string_view what_en) {
    const Token& t = next(what_zh, what_en);
    auto v = parse_number(t.text);
    if (!v)
        fail(where(t.index - 1, what_zh, what_en), fmt::format("应为数字，实际为{}", quote(t.text)),
             fmt::format("expected a number, got {}", quote(t.text)));
    return *v;
}

std::optional<double> TokenStream::next_optional_number(std::string_view what_zh, std::string_view what_en) {
    const Token& t = next(what_zh, what_en);
    if (t.text.empty()) return std::nullopt;
    auto v = parse_number(t.text);
    if (!v)
        fail(where(t.index - 1, what_zh, what_en), fmt::format("应为数字或留空，实际为{}", quote(t.text)),
             fmt::format("expected a number or nothing, got {}", quote(t.text)));
    return v;
}

std::string_view TokenStream::next_text_or_empty() { return at_end() ? std::string_view{} : tokens_[pos_++].text; }

}  // namespace minplan::formats::detail
