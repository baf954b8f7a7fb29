#include "formats/text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/detail/parse_support.hpp"

namespace minplan::formats {
namespace {

class IconvHandle {
public:
    IconvHandle(const char* to, const char* from) : handle_(iconv_open(to, from)) {}
    ~IconvHandle() {
        if (ok()) iconv_close(handle_);
    }
    IconvHandle(const IconvHandle&) = delete;
    IconvHandle& operator=(const IconvHandle&) = delete;
    bool ok() const { return handle_ != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const { return handle_; }

private:
    iconv_t handle_;
};

// Decodes with iconv; on failure returns false and sets bad_offset to the first undecodable byte.
bool decode(std::string_view bytes, const char* from, std::string& out, std::size_t& bad_offset) {
    IconvHandle cd("UTF-8", from);
    if (!cd.ok()) throw InternalError(fmt::format("iconv 不支持编码 {} / iconv cannot open {}", from, from));
    out.clear();
    std::string in(bytes);  // iconv wants a mutable char*
    char* in_ptr = in.data();
    std::size_t in_left = in.size();
    std::string buf(4096, '\0');
    while (in_left > 0) {
        char* out_ptr = buf.data();
        std::size_t out_left = buf.size();
        std::size_t rc = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        out.append(buf.data(), buf.size() - out_left);
        if (rc == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG) continue;
            bad_offset = static_cast<std::size_t>(in_ptr - in.data());
            return false;
        }
    }
    // Flush any shift state (none for GB18030, but harmless).
    char* out_ptr = buf.data();
    std::size_t out_left = buf.size();
    iconv(cd.get(), nullptr, nullptr, &out_ptr, &out_left);
    out.append(buf.data(), buf.size() - out_left);
    return true;
}

std::string upper(std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return r;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

std::string to_utf8(std::string_view bytes, std::string_view hint_encoding) {
    if (bytes.size() > detail::kMaxInputBytes)
        throw InputError(fmt::format("输入过大：{} 字节，上限 {} 字节 / input too large: {} bytes, limit {}",
                                     bytes.size(), detail::kMaxInputBytes, bytes.size(), detail::kMaxInputBytes));
    if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
        throw InputError("不支持UTF-16编码，请另存为UTF-8或GBK / UTF-16 is not supported; save as UTF-8 or GBK");
    if (auto nul = bytes.find('\0'); nul != std::string_view::npos)
        throw InputError(fmt::format("第{}字节为NUL，不是文本文件（或为UTF-16） / byte {} is NUL: not a text file",
                                     nul + 1, nul + 1));
    std::string_view body = bytes;
    const bool bom = body.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom) body.remove_prefix(3);

    const std::string hint = upper(hint_encoding);
    const bool hint_gbk = hint == "GBK" || hint == "GB18030" || hint == "GB2312" || hint == "CP936";
    if (!hint_gbk || bom) {
        if (is_valid_utf8(body)) return std::string(body);
        if (bom)
            throw InputError("文件以UTF-8 BOM开头，但内容不是有效的UTF-8 / file starts with a UTF-8 BOM but is not valid UTF-8");
    }
    std::string out;
    std::size_t bad = 0;
    if (decode(body, "GB18030", out, bad)) return out;
    if (hint_gbk && is_valid_utf8(body)) return std::string(body);
    throw InputError(fmt::format(
        "无法识别文字编码：既不是UTF-8也不是GBK/GB18030（第{}字节处无法解码） / unknown encoding: neither UTF-8 nor "
        "GBK/GB18030 (undecodable at byte {})",
        bad + 1, bad + 1));
}

}  // namespace minplan::formats
