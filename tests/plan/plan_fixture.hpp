// Test support shared by tests/{plan,geo,store,cli}: the Datong plan built from the source tree by
// plan::build_plan, temporary directories, whole-file reads and in-process CLI runs.
//
// ctest runs every test in its own process (gtest_discover_tests), so "build once per suite" means
// once per ctest run: the GeoPackage is built into <build dir>/test-cache/ and rebuilt whenever any file
// under data/ or the test executable itself is newer than it (a fresh build per process would cost ~1.5 s
// in each of ~50 tests). Tests never write to it; they copy it.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../shipped_plan.hpp"
#include "cli/app.hpp"
#include "core/schema.hpp"
#include "plan/builder.hpp"

namespace minplan::testing {

namespace fs = std::filesystem;

inline fs::path plan_source_dir() { return source_dir() / "data" / "plans" / "datong-2021-2025"; }
inline fs::path schema_tables_dir() { return source_dir() / "data" / "schema" / "tables"; }
// The shipped plan's layers: the shared schema folder and the plan's own (plan.json "schema").
inline SchemaRegistry shipped_schemas() { return SchemaRegistry::load({schema_tables_dir(), plan_source_dir() / "schema"}); }
inline fs::path test_data_dir() { return MINPLAN_TEST_DATA; }

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("minplan-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline fs::file_time_type newest_under(const fs::path& root) {
    auto newest = fs::file_time_type::min();
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) newest = std::max(newest, e.last_write_time());
    return newest;
}

// The Datong plan as built by plan::build_plan from data/ (read-only for tests: copy it to modify).
inline const fs::path& built_plan() {
    static const fs::path db = [] {
        fs::path dir = fs::path(MINPLAN_BUILD_DIR) / "test-cache";
        fs::create_directories(dir);
        // One file per source tree (MINPLAN_HOME may point elsewhere), rebuilt when data/ or this binary is newer.
        const auto tree = std::hash<std::string>{}(source_dir().string());
        fs::path out = dir / ("datong-2021-2025-" + std::to_string(tree) + ".gpkg");
        auto newest = std::max({newest_under(source_dir() / "data"), fs::last_write_time("/proc/self/exe")});
        std::error_code ec;
        if (!fs::exists(out, ec) || fs::last_write_time(out) < newest)
            plan::build_plan({plan_source_dir(), {}, out, {}});  // atomic: temp file + rename
        return out;
    }();
    return db;
}

// A private copy of the built plan inside `dir`.
inline fs::path copy_of_plan(const TempDir& dir, const std::string& name = "plan.gpkg") {
    fs::path p = dir / name;
    fs::copy_file(built_plan(), p, fs::copy_options::overwrite_existing);
    return p;
}

inline std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CliResult {
    int code = -1;
    std::string out, err;
};

inline CliResult run_cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliResult r;
    r.code = cli::run(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

// The fictional county plan of tests/data: a second plan the engine must load with no Datong in it.
inline fs::path fictional_plan_dir() { return test_data_dir() / "plans" / "fictional-county-2021-2025"; }

// A plan package built once per test process by `minplan build`, as a user builds it. The outcome is kept, not
// asserted: a fatal failure in SetUpTestSuite would mark every test skipped, and ctest counts skips as passes,
// so fixtures assert ok() in SetUp.
class PlanBuiltOnce {
public:
    PlanBuiltOnce(const fs::path& package, const std::string& file_name)
        : path_(dir_ / file_name), result_(run_cli({"build", "--plan", package.string(), "--out", path_.string()})) {}
    bool ok() const { return result_.code == cli::kOk; }
    std::string output() const { return result_.out + result_.err; }
    const fs::path& path() const { return path_; }

private:
    TempDir dir_;
    fs::path path_;
    CliResult result_;
};

}  // namespace minplan::testing
