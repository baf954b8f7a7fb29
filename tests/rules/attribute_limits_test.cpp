// Hostile and careless attribute sidecars (issue 11): each must end in an InputError that names the
// field or the limit, never a crash, an internal error or a silently accepted absurd value.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "rules/model.hpp"

namespace minplan::rules {
namespace {

std::string input_error_of(const std::string& json_text) {
    try {
        Attributes::from_json_text(json_text, "a.json");
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(AttributeLimits, DeepNestingIsRefusedNamingTheLimit) {
    // 100,000 levels crashed `check` (stack overflow while dumping the value into the message).
    const std::string deep = R"({"scale": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const std::string msg = input_error_of(deep);
    EXPECT_NE(msg.find("嵌套"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::to_string(kMaxJsonDepth)), std::string::npos) << msg;
}

TEST(AttributeLimits, ModestNestingStillReachesTheTypeCheck) {
    const std::string msg = input_error_of(R"({"associated_minerals": [["银"]]})");
    EXPECT_NE(msg.find("associated_minerals"), std::string::npos) << msg;
}

TEST(AttributeLimits, OverflowingNumberIsAnInputError) {
    // 1e400 overflows a double: nlohmann throws out_of_range, which used to escape as exit 10.
    const std::string msg = input_error_of(R"({"scale": 1e400})");
    EXPECT_NE(msg.find("1e400"), std::string::npos) << msg;  // the parser's reason names the number
}

TEST(AttributeLimits, NumbersOutsideTheirDomainAreRefused) {
    struct Case {
        const char* json;
        const char* field;
        const char* domain;  // part of the expected-domain text
    };
    for (const Case& c : {Case{R"({"scale": -5})", "scale", "> 0"},
                          Case{R"({"scale": 0})", "scale", "> 0"},
                          Case{R"({"mechanisation_pct": 250})", "mechanisation_pct", "0–100"},
                          Case{R"({"mechanisation_pct": -1})", "mechanisation_pct", "0–100"},
                          Case{R"({"reserves": -0.5})", "reserves", "≥ 0"},
                          Case{R"({"service_life": 5000})", "service_life", "200"},
                          Case{R"({"coal_existing_scale": -300})", "coal_existing_scale", "≥ 0"}}) {
        const std::string msg = input_error_of(c.json);
        EXPECT_NE(msg.find(c.field), std::string::npos) << c.json << " → " << msg;
        EXPECT_NE(msg.find(c.domain), std::string::npos) << c.json << " → " << msg;
    }
}

TEST(AttributeLimits, DomainsApplyToTomlAndCommandLineToo) {
    EXPECT_THROW(Attributes::from_toml_text("mechanisation_pct = 250\n", "a.toml"), InputError);
    EXPECT_THROW(Attributes::from_toml_text("scale = inf\n", "a.toml"), InputError);
    Attributes a;
    EXPECT_THROW(a.set_from_text("scale", "-5"), InputError);
    EXPECT_THROW(a.set_from_text("scale", "nan"), InputError);
}

TEST(AttributeLimits, ACommandLineListSplitsOnFullAndHalfWidthSeparators) {
    // `--attr associated_minerals=…` as typed on a Chinese keyboard: full-width comma and semicolon, ASCII ones,
    // spaces and empty parts; other multi-byte text (the minerals' names) must come through byte for byte.
    Attributes a;
    a.set_from_text("associated_minerals", "银，铅；锌, 金;;，");
    EXPECT_EQ(a.list("associated_minerals"), (std::vector<std::string>{"银", "铅", "锌", "金"}));
    a.set_from_text("associated_minerals", "硫铁矿");
    EXPECT_EQ(a.list("associated_minerals"), std::vector<std::string>{"硫铁矿"});
}

TEST(AttributeLimits, ValuesAtTheEdgesOfTheirDomainAreAccepted) {
    auto a = Attributes::from_json_text(R"({"scale": 0.01, "mechanisation_pct": 100, "reserves": 0, "service_life": 1})", "a");
    EXPECT_EQ(a.number("mechanisation_pct"), 100.0);
    EXPECT_EQ(a.number("reserves"), 0.0);
}

}  // namespace
}  // namespace minplan::rules
