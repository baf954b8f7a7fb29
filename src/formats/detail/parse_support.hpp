// Internals shared by the coordinate parsers: message locations, number parsing, the comma tokenizer of
// the database strings, and InputBuilder, which checks points and collects the heuristics' warnings.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/coordinate_input.hpp"

namespace minplan::formats::detail {

// 100,000 points of ~40 bytes each fit well below this; anything larger is not a coordinate file.
inline constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;

// Where a problem is, in both languages: "第3行" / "line 3", "第12个字段（第2圈点数）" / "field 12 (...)".
struct Where {
    std::string zh;
    std::string en;
};

Where at_line(int line);
Where at_field(std::size_t index, int line, bool show_line, std::string_view what_zh, std::string_view what_en);

[[noreturn]] void fail(const Where& where, std::string_view zh, std::string_view en);
[[noreturn]] void fail(std::string_view zh, std::string_view en);

// “text” shortened to 40 bytes on a UTF-8 boundary, control characters shown as '?'. For messages.
std::string quote(std::string_view text);

std::string_view trim(std::string_view s);
// Replaces full-width ，＝ with their ASCII forms.
std::string normalize_punctuation(std::string_view utf8);
std::vector<std::string_view> split(std::string_view s, char sep);
// Lines with 1-based numbers; CRLF, LF and lone CR all end a line. Lines are not trimmed.
std::vector<std::pair<int, std::string_view>> split_lines(std::string_view s);

std::optional<double> parse_number(std::string_view s);
std::optional<long long> parse_integer(std::string_view s);
int fraction_digits(std::string_view number_text);

struct DmsParts {
    bool ok = false;
    double degrees = 0;  // decoded decimal degrees (sign included) when ok
    long long minutes = 0;
    double seconds = 0;
};
DmsParts decode_dms(double packed);

// Comma-separated fields of a database string. Newlines also separate fields when no comma does;
// surrounding whitespace is dropped, as are trailing empty fields.
struct Token {
    std::string_view text;
    std::size_t index;  // 1-based
    int line;           // 1-based
};

class TokenStream {
public:
    explicit TokenStream(std::string_view utf8);
    TokenStream(const TokenStream&) = delete;  // tokens point into text_
    TokenStream& operator=(const TokenStream&) = delete;
    std::size_t size() const { return tokens_.size(); }
    std::size_t position() const { return pos_; }
    bool at_end() const { return pos_ >= tokens_.size(); }
    const Token& token(std::size_t i) const { return tokens_[i]; }
    Where where(std::size_t i, std::string_view what_zh, std::string_view what_en) const;
    // Location of the next field (or of the end of input) for messages.
    Where here(std::string_view what_zh, std::string_view what_en) const;

    const Token& next(std::string_view what_zh, std::string_view what_en);
    long long next_integer(std::string_view what_zh, std::string_view what_en, long long min, long long max);
    double next_number(std::string_view what_zh, std::string_view what_en);
    std::optional<double> next_optional_number(std::string_view what_zh, std::string_view what_en);
    // Text field that may be absent at the very end of the input (trailing empties are dropped).
    std::string_view next_text_or_empty();

private:
    std::string text_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    bool multiline_ = false;
};

// One coordinate value with its source text and location, as handed to InputBuilder::point.
struct Value {
    double value;
    std::string_view text;
    Where where;
};

// Checks each point against the coordinate kind, decodes DMS, applies the zone and swap heuristics and
// keeps warnings unique per input.
class InputBuilder {
public:
    explicit InputBuilder(ParsedInput& out) : out_(out) {}

    // Header keys shared by the TXT formats: 坐标系, 几度分带, 带号, 计量单位, 投影类型.
    void apply_header(std::string_view key, std::string_view value, const Where& where);
    void set_kind(CoordKind kind) { kind_ = kind; }
    // The first value of a pair is the longitude when nothing else tells (strings); TXT files say X,Y.
    void set_latitude_first(bool v) { latitude_first_ = v; }

    Point point(const Value& a, const Value& b);
    // Closes the ring and requires >= 3 distinct points.
    void finish_ring(Ring& ring, const Where& where);
    void warn_once(const std::string& key, const std::string& message);
    // Zone inference and the 缺少带号 warning; call once after all points.
    void finish();

private:
    Point plane_point(const Value& x, const Value& y);
    Point geographic_point(const Value& a, const Value& b);
    double angle(const Value& v);
    void record_prefix_zone(int zone, const Where& where);

    ParsedInput& out_;
    std::optional<CoordKind> kind_;
    bool latitude_first_ = false;
    std::size_t points_ = 0;
    std::optional<int> prefix_zone_;
    bool unprefixed_y_ = false;
    std::set<std::string> warned_;
};

}  // namespace minplan::formats::detail
