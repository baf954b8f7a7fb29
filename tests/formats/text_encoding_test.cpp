// UTF-8 well-formedness (RFC 3629 §4): the byte sequences are classified by hand from the table there.
#include <gtest/gtest.h>

#include "formats/text_encoding.hpp"

namespace minplan::formats {
namespace {

TEST(TextEncoding, WellFormedUtf8IsRecognised) {
    EXPECT_TRUE(is_valid_utf8("abc"));
    EXPECT_TRUE(is_valid_utf8("\xC2\xA0"));          // U+00A0, the smallest 2-byte form
    EXPECT_TRUE(is_valid_utf8("\xE7\x85\xA4"));      // 煤 U+7164
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
}

TEST(TextEncoding, OverlongAndOutOfRangeFormsAreNotUtf8) {
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // "/" as an overlong 2-byte form (C0 never appears)
    EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F overlong (C1 never appears)
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte form
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000, above the range
    EXPECT_FALSE(is_valid_utf8("\xE7\x85"));          // cut short
    EXPECT_FALSE(is_valid_utf8("\xC3\xBA\xCC"));      // GBK 煤 is C3 BA; a lone lead byte at the end
}

}  // namespace
}  // namespace minplan::formats
