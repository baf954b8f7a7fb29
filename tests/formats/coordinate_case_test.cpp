// Data-driven cases for the coordinate parsers: tests/data/formats/bad_cases.txt (input must throw
// InputError whose message contains a fragment) and good_cases.txt (input parses; its summary and
// warnings contain every fragment). Line syntax, shared by both files:
//   # comment
//   = NAME | value                      defines ${NAME} for later lines
//   parser | input | fragment [&& fragment ...]
// Inputs and values take escapes \n \r \t \\ \xHH. Parsers: mining, exploration, land, registration,
// auto, dms (a number for dms_packed_to_degrees), utf8 (to_utf8).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"

namespace minplan::formats {
namespace {

struct Case {
    int line;
    std::string parser, input;
    std::vector<std::string> fragments;
};

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'n') out += '\n';
        else if (c == 'r') out += '\r';
        else if (c == 't') out += '\t';
        else if (c == 'x' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else out += c;
    }
    return out;
}

std::string expand(std::string s, const std::map<std::string, std::string>& macros) {
    for (const auto& [name, value] : macros) {
        const std::string key = "${" + name + "}";
        for (auto p = s.find(key); p != std::string::npos; p = s.find(key, p + value.size())) s.replace(p, key.size(), value);
    }
    return s;
}

std::string strip(const std::string& s) {
    auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<Case> load(const std::string& name) {
    std::ifstream in(std::string(MINPLAN_TEST_DATA) + "/formats/" + name);
    EXPECT_TRUE(in) << name;
    std::vector<Case> cases;
    std::map<std::string, std::string> macros;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        if (strip(text).empty() || text[0] == '#') continue;
        const auto first = text.find(" | "), last = text.rfind(" | ");
        if (first == std::string::npos) {
            ADD_FAILURE() << name << ":" << line << ": no ' | '";
            continue;
        }
        if (text[0] == '=') {
            macros[strip(text.substr(1, first - 1))] = expand(unescape(text.substr(first + 3)), macros);
            continue;
        }
        if (last == first) {
            ADD_FAILURE() << name << ":" << line << ": need 'parser | input | fragment'";
            continue;
        }
        Case c{line, strip(text.substr(0, first)), expand(unescape(text.substr(first + 3, last - first - 3)), macros), {}};
        std::string frags = text.substr(last + 3);
        for (std::size_t p = 0;;) {
            auto q = frags.find(" && ", p);
            c.fragments.push_back(strip(frags.substr(p, q == std::string::npos ? q : q - p)));
            if (q == std::string::npos) break;
            p = q + 4;
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

std::string kind_name(CoordKind k) {
    switch (k) {
        case CoordKind::PlaneGaussKruger: return "plane";
        case CoordKind::GeographicDms: return "dms";
        case CoordKind::GeographicDegrees: return "degrees";
    }
    return "?";
}

// e.g. "format=mining_right_string kind=plane zone=38 width=3 rings=6,5h" plus the warnings.
std::string summarize(const ParsedInput& in) {
    std::string rings;
    for (const auto& p : in.parcels)
        for (const auto& r : p.rings) rings += fmt::format("{}{}{}", rings.empty() ? "" : ",", r.points.size(), r.hole ? "h" : "");
    std::string s = fmt::format("format={} kind={} zone={} width={} parcels={} rings={}", in.format, kind_name(in.kind),
                                in.gk_zone ? std::to_string(*in.gk_zone) : "-",
                                in.zone_width ? std::to_string(*in.zone_width) : "-", in.parcels.size(), rings);
    s += fmt::format(" warnings={}", in.warnings.size());
    for (const auto& w : in.warnings) s += " | " + w;
    return s;
}

// Runs one parser; returns a summary of the result.
std::string run(const Case& c) {
    if (c.parser == "mining") return summarize(parse_mining_right_string(c.input));
    if (c.parser == "exploration") return summarize(parse_exploration_right_string(c.input));
    if (c.parser == "land") return summarize(parse_land_parcel_txt(c.input));
    if (c.parser == "registration") return summarize(parse_registration_txt(c.input));
    if (c.parser == "auto") return summarize(parse_auto(c.input, ""));
    if (c.parser == "dms") return fmt::format("{:.9f}", dms_packed_to_degrees(std::stod(c.input)));
    if (c.parser == "utf8") return to_utf8(c.input);
    ADD_FAILURE() << "unknown parser " << c.parser;
    return {};
}

TEST(CoordinateCases, BadInputsThrowNamingTheProblem) {
    auto cases = load("bad_cases.txt");
    EXPECT_GE(cases.size(), 40u);
    for (const auto& c : cases) {
        SCOPED_TRACE(fmt::format("bad_cases.txt:{} [{}]", c.line, c.parser));
        try {
            std::string got = run(c);
            ADD_FAILURE() << "no error; parsed as: " << got;
        } catch (const InputError& e) {
            const std::string msg = e.what();
            for (const auto& f : c.fragments) EXPECT_NE(msg.find(f), std::string::npos) << "want '" << f << "' in: " << msg;
            // Chinese first, English after " / ".
            EXPECT_GT(static_cast<unsigned char>(msg.at(0)), 0x7Fu) << msg;
            EXPECT_NE(msg.find(" / "), std::string::npos) << msg;
        }
    }
}

TEST(CoordinateCases, GoodInputsParse) {
    auto cases = load("good_cases.txt");
    EXPECT_GE(cases.size(), 15u);
    for (const auto& c : cases) {
        SCOPED_TRACE(fmt::format("good_cases.txt:{} [{}]", c.line, c.parser));
        try {
            const std::string got = run(c);
            for (const auto& f : c.fragments) EXPECT_NE(got.find(f), std::string::npos) << "want '" << f << "' in: " << got;
        } catch (const InputError& e) {
            ADD_FAILURE() << "unexpected error: " << e.what();
        }
    }
}

}  // namespace
}  // namespace minplan::formats
