// Data-driven review cases: tests/data/rules/cases/*.json, one application each (generated with its
// hand-computed expectations by tests/data/rules/make_cases.py), checked against a small test plan.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../shipped_plan.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "rules/application_loader.hpp"
#include "rules/audit.hpp"
#include "rules/report.hpp"
#include "standards/reference_csv.hpp"
#include "test_plan.hpp"

namespace minplan::rules {
namespace {

using testing::case_files;
using testing::case_options;
using testing::Fixture;
using testing::read_json;
using testing::rules_data;

const Finding* find(const Report& r, const std::string& id) {
    for (const auto& f : r.findings)
        if (f.rule_id == id) return &f;
    return nullptr;
}

TEST(RuleCases, EveryCaseGivesItsExpectedFindings) {
    auto& fx = Fixture::get();
    const auto files = case_files();
    ASSERT_GT(files.size(), 40u);
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        const auto c = read_json(file);
        const auto& expect = c["expect"];
        if (expect.contains("error")) {
            try {
                (void)load_application(rules_data() / c["application"].get<std::string>(), case_options(c),
                                       fx.setup->engine->polygon_options());
                ADD_FAILURE() << "expected an InputError containing " << expect["error"];
            } catch (const InputError& e) {
                EXPECT_NE(std::string(e.what()).find(expect["error"].get<std::string>()), std::string::npos) << e.what();
            }
            continue;
        }
        const auto app = load_application(rules_data() / c["application"].get<std::string>(), case_options(c),
                                          fx.setup->engine->polygon_options());
        // A case may replace a rule's parameters (a threshold the plan leaves to be set).
        RuleSet rules = fx.setup->rules;
        const nlohmann::json overrides = c.value("parameters", nlohmann::json::object());
        for (const auto& [id, params] : overrides.items())
            for (auto& rule : rules.rules)
                if (rule.id == id) rule.params = params;
        const Engine engine(*fx.setup->index, rules, fx.setup->minerals, fx.setup->sizes);
        const Report r = engine.check(app);
        if (expect.contains("verdict")) {
            EXPECT_EQ(to_zh(r.verdict), expect["verdict"].get<std::string>());
        }
        for (const auto& [rule, result] : expect["findings"].items()) {
            const Finding* f = find(r, rule);
            ASSERT_NE(f, nullptr) << rule;
            EXPECT_EQ(to_zh(f->result), result.get<std::string>()) << rule << ": " << f->message;
            if (f->relies_on_schematic() && f->result != Result::NotApplicable) {
                EXPECT_NE(f->message.find("示意几何"), std::string::npos) << rule;
            }
            if (f->result == Result::Review && f->message.find("缺少申请属性") != std::string::npos) {
                EXPECT_FALSE(f->missing.empty()) << rule;
            }
        }
        for (const auto& ev : expect.value("evidence", nlohmann::json::array())) {
            const Finding* f = find(r, ev["rule"].get<std::string>());
            ASSERT_NE(f, nullptr);
            bool seen = false;
            for (const auto& e : f->evidence) {
                if (e.feature_id != ev["feature_id"].get<std::string>()) continue;
                seen = true;
                EXPECT_EQ(e.layer, ev["layer"].get<std::string>());
                const double m2 = ev["overlap_m2"].get<double>(), pct = ev["overlap_pct"].get<double>();
                if (ev.contains("rel_tol")) {
                    // Ellipsoidal areas from PROJ's equal-area projection (far from the central meridian):
                    // tight enough that Gauss–Krüger plane areas (~6e-4 larger there) fail.
                    const double tol = ev["rel_tol"].get<double>();
                    EXPECT_NEAR(e.overlap_m2, m2, m2 * tol) << f->rule_id;
                    EXPECT_NEAR(e.overlap_pct, pct, pct * tol) << f->rule_id;
                    if (ev.contains("overlap_plane_m2")) { EXPECT_NEAR(e.overlap_plane_m2, ev["overlap_plane_m2"].get<double>(), m2 * tol); }
                    if (ev.contains("overlap_ellipsoid_m2")) {
                        EXPECT_NEAR(e.overlap_ellipsoid_m2, ev["overlap_ellipsoid_m2"].get<double>(), m2 * tol) << f->rule_id;
                    }
                } else {
                    // Hand-computed plane rectangles; registered (plane) input decides by plane areas, so the
                    // rectangle arithmetic holds to rounding, and both bases are reported.
                    EXPECT_NEAR(e.overlap_m2, m2, m2 * 1e-6) << f->rule_id;
                    EXPECT_NEAR(e.overlap_plane_m2, m2, m2 * 1e-6) << f->rule_id;
                    EXPECT_NEAR(e.overlap_ellipsoid_m2, m2, m2 * 1e-4) << f->rule_id;
                    EXPECT_NEAR(e.overlap_pct, pct, 1e-6) << f->rule_id;
                }
            }
            EXPECT_TRUE(seen) << ev.dump();
        }
        // Values a finding records (e.g. R04's share of a block), worked out independently by make_cases.py.
        for (const auto& d : expect.value("data", nlohmann::json::array())) {
            const Finding* f = find(r, d["rule"].get<std::string>());
            ASSERT_NE(f, nullptr) << d.dump();
            const nlohmann::json::json_pointer ptr(d["pointer"].get<std::string>());
            ASSERT_TRUE(f->data.contains(ptr)) << d.dump() << " in " << f->data.dump();
            const double want = d["value"].get<double>();
            EXPECT_NEAR(f->data[ptr].get<double>(), want, want * d["rel_tol"].get<double>()) << d.dump();
        }
    }
}

// Every rule of the shipped rule set (except the coordinate note) has a passing and a failing case.
TEST(RuleCases, EveryRuleHasAPassingAndAFailingCase) {
    std::map<std::string, std::set<std::string>> seen;
    for (const auto& file : case_files()) {
        const nlohmann::json findings = read_json(file)["expect"].value("findings", nlohmann::json::object());
        for (const auto& [rule, result] : findings.items()) seen[rule].insert(result.get<std::string>());
    }
    for (const auto& rule : RuleSet::load(::minplan::shipped_rules()).rules) {
        if (rule.check == "coordinates") continue;
        EXPECT_TRUE(seen[rule.id].count("通过")) << rule.id << " has no passing case";
        EXPECT_TRUE(seen[rule.id].count("不通过")) << rule.id << " has no failing case";
    }
}

TEST(RuleCases, SameApplicationInEveryFormatGivesTheSameVerdict) {
    auto& fx = Fixture::get();
    const auto dir = rules_data() / "formats";
    std::optional<Report> reference;
    int i = 0;
    for (const char* name : {"app.mining.txt", "app.exploration.txt", "app.land.txt", "app.registration.txt", "app.geojson", "app.shp",
                             "app.gpkg"}) {
        SCOPED_TRACE(name);
        LoadOptions o;
        o.kind = "mining";
        o.attrs_file = dir / (i++ % 2 ? "attrs.toml" : "attrs.json");
        const auto app = load_application(dir / name, o, fx.setup->engine->polygon_options());
        EXPECT_TRUE(app.input_notes.empty() || std::string(name).find("exploration") != std::string::npos);
        Report r = fx.setup->engine->check(app);
        EXPECT_NEAR(app.area_m2, 1e6, 1e6 * 0.002);  // 1000 m × 1000 m in the plane
        if (!reference) {
            reference = std::move(r);
            EXPECT_EQ(to_zh(reference->verdict), "不符合");  // inside the (test) nature reserve
            continue;
        }
        EXPECT_EQ(r.verdict, reference->verdict);
        ASSERT_EQ(r.findings.size(), reference->findings.size());
        for (std::size_t k = 0; k < r.findings.size(); ++k)
            EXPECT_EQ(r.findings[k].result, reference->findings[k].result) << r.findings[k].rule_id << ": " << r.findings[k].message;
    }
}

TEST(RuleSetFile, CitedClausesQuoteTheClauseTable) {
    const auto clauses =
        standards::read_csv(source_dir() / "data" / "plans" / "datong-2021-2025" / "tables" / "ch4_access_rules.csv").records;
    for (const auto& rule : RuleSet::load(::minplan::shipped_rules()).rules) {
        if (rule.citation.clause_id.empty()) continue;
        bool found = false;
        for (const auto& c : clauses) {
            if (c.at("clause_id") != rule.citation.clause_id) continue;
            found = true;
            const std::string& q = c.at("quote");
            EXPECT_TRUE(rule.citation.quote.find(q) != std::string::npos || q.find(rule.citation.quote) != std::string::npos)
                << rule.id << " quotes “" << rule.citation.quote << "” but " << rule.citation.clause_id << " says “" << q << "”";
        }
        EXPECT_TRUE(found) << rule.id << ": no clause " << rule.citation.clause_id;
    }
}

TEST(RuleSetFile, BadRuleFilesAreInputErrors) {
    EXPECT_THROW(RuleSet::parse("{", "x"), InputError);
    EXPECT_THROW(RuleSet::parse(R"({"rules":[{"id":"X","check":"nope","title_zh":"t","severity":"否决",
        "applies_to":{"kinds":["mining"],"actions":["new"]},"citation":{"section":"s","quote":"q"}}]})", "x"),
                 InputError);
    EXPECT_THROW(RuleSet::parse(R"({"rules":[{"id":"X","check":"min_scale"}]})", "x"), InputError);
}

TEST(Attributes, UnknownKeysAndWrongTypesAreNamed) {
    try {
        Attributes::from_json_text(R"({"scael": 3})", "a.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("scael"), std::string::npos);
    }
    try {
        Attributes::from_toml_text("scale = \"many\"\n", "a.toml");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("第1行"), std::string::npos);
    }
    auto a = Attributes::from_toml_text("[application]\nscale = 12.5 # 万吨\nfor_profit = true\nassociated_minerals = [\"银\", \"铅\"]\n", "t");
    EXPECT_EQ(a.number("scale"), 12.5);
    EXPECT_EQ(a.flag("for_profit"), true);
    EXPECT_EQ(a.list("associated_minerals").size(), 2u);
}

// The schematic note on the embedded plan's data: schematic_review_test.cpp.
TEST(Reports, HtmlAndJsonCarryTheVerdictAndMap) {
    auto& fx = Fixture::get();
    LoadOptions o;
    o.kind = "mining";
    o.attrs = {{"main_mineral", "煤"}};
    const auto app = load_application(rules_data() / "apps" / "r09_fail.txt", o, fx.setup->engine->polygon_options());
    const Report r = fx.setup->engine->check(app);
    const std::string html = report_to_html(r);
    // Findings are named by their titles (不在自然保护区内 is R09), not by rule ids.
    for (const char* s : {"矿业权规划符合性审查意见", "<svg", "不符合", "测试自然保护区", "不在自然保护区内"})
        EXPECT_NE(html.find(s), std::string::npos) << s;
    const auto j = report_to_json(r);
    EXPECT_EQ(j["verdict"], "不符合");
    EXPECT_FALSE(j["relies_on_schematic"].get<bool>());  // the test plan's features are real
    EXPECT_EQ(j["application"]["geometry"]["type"], "Polygon");
}

// The server's anonymous check writes the report's text straight from the report (report_json_text): for
// every case, it is the tree report_to_json builds, written out, with the extra members merged in key order
// (one before all, one replacing the report's verdict, one between, one after all).
TEST(Reports, JsonTextIsTheTreeWrittenOutWithTheExtraMembers) {
    auto& fx = Fixture::get();
    const nlohmann::json extra = {{"aaa", 1},
                                  {"plan_version", {{"version", 7}, {"as_of", "2026-12-02"}}},
                                  {"review", {{"saved", false}, {"message", "未登录"}}},
                                  {"verdict", "替换"},
                                  {"zzz", {1.5, "x", nullptr}}};
    std::size_t checked = 0;
    for (const auto& file : case_files()) {
        SCOPED_TRACE(file.filename().string());
        const auto c = read_json(file);
        if (c["expect"].contains("error")) continue;
        const auto app = load_application(rules_data() / c["application"].get<std::string>(), case_options(c),
                                          fx.setup->engine->polygon_options());
        const Report r = fx.setup->engine->check(app);
        nlohmann::json tree = report_to_json(r);
        EXPECT_EQ(report_json_text(r), json_text(tree));
        for (const auto& [k, v] : extra.items()) tree[k] = v;
        EXPECT_EQ(report_json_text(r, extra), json_text(tree));
        ++checked;
    }
    EXPECT_GT(checked, 30u);
}

TEST(Audit, EveryExistingRightIsRechecked) {
    auto& fx = Fixture::get();
    const auto entries = audit_rights(*fx.setup->engine, *fx.setup->index);
    ASSERT_EQ(entries.size(), 6u);  // R-1 … R-6 of tests/data/rules/plan.json
    for (const auto& e : entries) {
        const Finding* overlap = find(e.report, "R05");
        ASSERT_NE(overlap, nullptr);
        EXPECT_EQ(overlap->result, Result::Pass) << e.right_id << ": " << overlap->message;  // not its own overlap
    }
    const std::string csv = audit_to_csv(entries);
    for (const char* id : {"R-1", "R-2", "R-3", "R-4", "R-5", "R-6"}) EXPECT_NE(csv.find(id), std::string::npos) << id;
    EXPECT_EQ(audit_to_json(entries).size(), 6u);
}

}  // namespace
}  // namespace minplan::rules
