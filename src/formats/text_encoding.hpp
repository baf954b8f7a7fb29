// Text decoding for reviewer files, which arrive as UTF-8 (with or without BOM) or GBK/GB18030.
#pragma once

#include <string>
#include <string_view>

namespace minplan::formats {

// Returns the text as UTF-8 without BOM. Valid UTF-8 is kept as is; otherwise the bytes are decoded as
// GB18030 (a superset of GBK and GB2312) with iconv. hint_encoding ("GBK", "GB18030", "UTF-8", any case)
// is tried first. Throws InputError naming the byte offset when neither decodes, for UTF-16 input and
// for NUL bytes.
std::string to_utf8(std::string_view bytes, std::string_view hint_encoding = {});

// True when bytes is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace minplan::formats
