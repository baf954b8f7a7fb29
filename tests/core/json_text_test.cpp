// core/json_text: the server's JSON text. Every document reads back as the value it was written from (nlohmann's
// parser is the oracle), strings are escaped as RFC 8259 requires, invalid UTF-8 becomes U+FFFD and the text is
// always valid UTF-8, and numbers keep their kind (an integral double stays a double).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/json_text.hpp"

namespace minplan {
namespace {

using nlohmann::json;

TEST(JsonText, ReadsBackAsTheValueItWasWrittenFrom) {
    json j = {{"name", "永久基本农田图斑0552973"},
              {"quote", "他说\"好\"\\ 斜杠/"},
              {"controls", std::string("a\x01\x1f\n\r\t\b\f", 9)},
              {"ints", {0, -1, 42, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}},
              {"big", std::numeric_limits<std::uint64_t>::max()},
              {"doubles", {0.1, -0.0, 3039.291176626364, 1e-7, 1e300, 5e-324, 2.0, -17.0, 123456789012345680.0}},
              {"flags", {true, false, nullptr}},
              {"nested", {{"empty_object", json::object()}, {"empty_array", json::array()}, {"emoji", "\xF0\x9F\x98\x80"}}}};
    const std::string text = json_text(j);
    EXPECT_EQ(json::parse(text), j) << text;
    // Compact, like dump(): no spaces outside strings.
    EXPECT_EQ(text.find(": "), std::string::npos);
    EXPECT_NE(text.find(R"("quote":"他说\"好\"\\ 斜杠/")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(a\u0001\u001f\n\r\t\b\f)"), std::string::npos) << text;
}

TEST(JsonText, AnIntegralDoubleStaysADouble) {
    const json parsed = json::parse(json_text(json::array({2.0, -17.0, 0.0})));
    for (const auto& x : parsed) EXPECT_TRUE(x.is_number_float()) << x;
    EXPECT_EQ(json_text(json(2.0)), "2.0");
    EXPECT_EQ(json_text(json(7)), "7");
}

TEST(JsonText, NotANumberAndInfinitiesAreNull) {
    const json j = {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    EXPECT_EQ(json_text(j), "[null,null,null]");
    EXPECT_EQ(json_text(j), j.dump());
}

TEST(JsonText, InvalidUtf8IsReplacedAndTheTextStaysValid) {
    // A lone continuation byte, a truncated sequence at the end, an overlong '/', a surrogate, beyond U+10FFFF.
    const std::vector<std::string> bad = {"a\x80z", "中\xE4\xB8", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"};
    for (const auto& s : bad) {
        const std::string text = json_text(json(s));
        json back;
        ASSERT_NO_THROW(back = json::parse(text)) << text;  // nlohmann's parser rejects invalid UTF-8
        EXPECT_NE(back.get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << text;
    }
    EXPECT_EQ(json::parse(json_text(json("中\xE4\xB8"))).get<std::string>().substr(0, 3), "中");
}

TEST(JsonText, RandomDocumentsReadBack) {
    std::mt19937_64 rng(20261201);
    std::uniform_int_distribution<int> pick(0, 6);
    std::uniform_real_distribution<double> real(-1e6, 1e6);
    const std::vector<std::string> words = {"控制线", "PBF-0552973", "a\"b", "\\", "", "x\ny", "𠀀"};
    for (int doc = 0; doc < 200; ++doc) {
        json j = json::object();
        for (int k = 0; k < 30; ++k) {
            const std::string key = words[static_cast<std::size_t>(k) % words.size()] + std::to_string(k);
            switch (pick(rng)) {
            case 0: j[key] = real(rng); break;
            case 1: j[key] = static_cast<std::int64_t>(rng()); break;
            case 2: j[key] = words[rng() % words.size()]; break;
            case 3: j[key] = json::array({real(rng), words[rng() % words.size()], nullptr}); break;
            case 4: j[key] = {{"inner", real(rng) * 1e-9}}; break;
            case 5: j[key] = (rng() & 1) == 1; break;
            default: j[key] = std::ldexp(real(rng), static_cast<int>(rng() % 200) - 100);
            }
        }
        ASSERT_EQ(json::parse(json_text(j)), j) << json_text(j);
    }
}

}  // namespace
}  // namespace minplan
