// Bad input, as data: tests/data/store/bad_cases.txt lists each case (arguments, exit code, message
// fragments). Every case runs through cli::run against a private copy of the plan database, which must be
// byte-identical afterwards and have no leftovers beside it (an import is all-or-nothing). Both backends
// (value-parameterised): on PostGIS "unchanged" is written_state() (backends.hpp) and ${DB} is the plan's id.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/value.hpp"
#include "store/gpkg_store.hpp"
#include "../plan/plan_fixture.hpp"
#include "backends.hpp"

namespace minplan::testing {
namespace {

struct BadCase {
    int line = 0;
    std::string name;
    std::vector<std::string> args;
    int exit_code = 0;
    std::vector<std::string> fragments;
};

std::string strip(const std::string& s) {
    auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    for (std::size_t b = 0;;) {
        auto e = s.find(sep, b);
        out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
        if (e == std::string::npos) return out;
        b = e + sep.size();
    }
}

std::string expand(std::string s, const std::map<std::string, std::string>& vars) {
    for (const auto& [key, value] : vars)
        for (auto p = s.find(key); p != std::string::npos; p = s.find(key, p + value.size()))
            s.replace(p, key.size(), value);
    return s;
}

std::vector<BadCase> load_cases(const fs::path& file, const std::map<std::string, std::string>& vars) {
    std::ifstream in(file);
    std::vector<BadCase> out;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        if (strip(text).empty() || strip(text)[0] == '#') continue;
        auto cols = split(text, "|");
        if (cols.size() != 4)
            throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": expected 4 columns");
        BadCase c;
        c.line = line;
        c.name = strip(cols[0]);
        std::istringstream args(expand(strip(cols[1]), vars));
        for (std::string a; args >> a;) c.args.push_back(a);
        c.exit_code = std::stoi(strip(cols[2]));
        for (const auto& f : split(cols[3], "&&"))
            if (!strip(f).empty()) c.fragments.push_back(expand(strip(f), vars));
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        // The database's own WAL and shared-memory files (persistent WAL: store/sqlite_db.cpp) are not leftovers.
        if (name.ends_with(".gpkg-wal") || name.ends_with(".gpkg-shm")) continue;
        out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

class BadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(BadInput, EveryCaseFailsWithItsExitCodeAndMessageAndWritesNothing) {
    const fs::path data = test_data_dir() / "store";
    BackendPlan plan(GetParam());
    const bool gpkg = GetParam() == "gpkg";
    const fs::path dir = fs::path(plan.location()).parent_path();
    auto cases = load_cases(data / "bad_cases.txt", {{"${DATA}", data.string()}, {"${DB}", gpkg ? plan.location() : plan.plan()}});
    ASSERT_GE(cases.size(), 20u);
    for (const auto& c : cases) {
        SCOPED_TRACE("bad_cases.txt:" + std::to_string(c.line) + " " + c.name);
        if (gpkg) fs::copy_file(built_plan(), plan.location(), fs::copy_options::overwrite_existing);
        const std::string before = written_state(plan);
        std::vector<std::string> args = {"--db", plan.location()};
        args.insert(args.end(), c.args.begin(), c.args.end());
        CliResult r = run_cli(args);
        EXPECT_EQ(r.code, c.exit_code) << r.err;
        for (const auto& f : c.fragments) {
            if (f[0] == '!') {
                EXPECT_EQ(r.err.find(f.substr(1)), std::string::npos) << "must not say " << f.substr(1) << ":\n" << r.err;
            } else {
                EXPECT_NE(r.err.find(f), std::string::npos) << "missing \"" << f << "\" in:\n" << r.err;
            }
        }
        EXPECT_TRUE(r.out.empty()) << r.out;
        EXPECT_TRUE(written_state(plan) == before) << "the database changed";
        if (gpkg) { EXPECT_EQ(files_in(dir), std::vector<std::string>{"plan.gpkg"}) << "leftovers beside the database"; }
        EXPECT_EQ(stage_tables(plan), 0u) << "a stage left behind";
    }
}

// The fixtures fail for the stated reason only: the same files import once the defect is addressed.
TEST_P(BadInput, TheFixturesImportWhenTheMissingPieceIsGiven) {
    const fs::path data = test_data_dir() / "store";
    BackendPlan plan(GetParam());
    const std::string db = plan.location();
    struct Good {
        std::vector<std::string> args;
        std::string expected_name;
    };
    const std::string d = data.string() + "/";
    for (const Good& g : {Good{{d + "valid.geojson"}, "测试勘查区二"},
                          Good{{d + "gbk_nocpg.shp", "--encoding", "GBK"}, "测试勘查区二"},
                          Good{{d + "nocrs.shp", "--srs", "4490"}, "测试勘查区二"}}) {
        // --force: the fixtures' stated areas are not their drawn squares' (a qc 错误, tested in tests/services).
        std::vector<std::string> args = {"--db", db, "import", "key_exploration_zones", "--force"};
        args.insert(args.end(), g.args.begin(), g.args.end());
        CliResult r = run_cli(args);
        ASSERT_EQ(r.code, 0) << g.args[0] << ": " << r.err;
        auto store = store::open_store(db);
        auto zones = store->read("key_exploration_zones");
        ASSERT_EQ(zones.size(), 2u) << g.args[0];
        EXPECT_EQ(zones[1].text("name"), g.expected_name) << g.args[0];
        EXPECT_EQ(zones[1].text("county"), "灵丘县;浑源县") << g.args[0];
        EXPECT_EQ(zones[1].text("geometry_source"), "imported") << g.args[0];
        EXPECT_DOUBLE_EQ(as_number(zones[1].get("stated_area_km2")).value_or(0), 2.0) << g.args[0];
    }
    if (GetParam() == "gpkg") { EXPECT_EQ(files_in(fs::path(db).parent_path()), std::vector<std::string>{"plan.gpkg"}); }
    EXPECT_EQ(stage_tables(plan), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInput, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
