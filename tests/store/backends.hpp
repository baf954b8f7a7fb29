// The plan-database backends the store tests run on (value-parameterised: "gpkg", "pg"). Each test gets its
// own copy of the built Datong plan: a GeoPackage file in a temp dir, or a schema in the throwaway
// PostgreSQL cluster of the CTest fixture pg_cluster (tests/pg/cluster.sh; MINPLAN_TEST_PG_STATE names the
// directory holding its conninfo). A "pg" test without the cluster fails: it never skips.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "../plan/plan_fixture.hpp"
#include "store/copy.hpp"
#include "store/gpkg_database.hpp"
#include "store/pg_conn.hpp"

namespace minplan::testing {

// The conninfo of the fixture's cluster; a failed assertion (not a skip) when there is none.
inline std::string test_pg_conninfo() {
    const char* state = std::getenv("MINPLAN_TEST_PG_STATE");
    if (!state) {
        ADD_FAILURE() << "MINPLAN_TEST_PG_STATE is not set: run the PostGIS tests through ctest (fixture pg_cluster)";
        return "host=/nonexistent dbname=none";
    }
    std::ifstream in(std::string(state) + "/conninfo");
    std::string line;
    if (!std::getline(in, line)) ADD_FAILURE() << "no conninfo in " << state << ": the pg_cluster fixture did not start";
    return line;
}

// A plan database holding a copy of the built plan, removed afterwards.
class BackendPlan {
public:
    explicit BackendPlan(const std::string& backend) : backend_(backend) {
        const auto source = store::open_store(built_plan().string());
        if (backend == "gpkg") {
            location_ = (dir_ / "plan.gpkg").string();
            std::filesystem::copy_file(built_plan(), location_);
        } else {
            static std::atomic<int> n{0};
            plan_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
            conninfo_ = test_pg_conninfo();
            location_ = "PG:" + conninfo_ + " active_schema=" + plan_;
            store::copy_plan(*source, location_, true);
        }
    }
    ~BackendPlan() {
        if (plan_.empty()) return;
        try {
            store::pg::Conn(conninfo_).exec("DROP SCHEMA IF EXISTS " + store::pg::ident(plan_) + " CASCADE");
        } catch (...) {
        }
    }
    const std::string& location() const { return location_; }
    const std::string& backend() const { return backend_; }
    const std::string& conninfo() const { return conninfo_; }
    const std::string& plan() const { return plan_; }

private:
    std::string backend_;
    TempDir dir_;
    std::string location_, conninfo_, plan_;
};

// A square [x, x+size] × [y, y+size] as WKB (little-endian polygon, one ring of 5 points): built by hand.
inline std::vector<unsigned char> square_wkb(double x, double y, double size) {
    std::vector<unsigned char> out;
    auto put = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        out.insert(out.end(), b, b + n);
    };
    out.push_back(1);
    const std::uint32_t type = 3, rings = 1, points = 5;
    put(&type, 4);
    put(&rings, 4);
    put(&points, 4);
    const double xy[10] = {x, y, x + size, y, x + size, y + size, x, y + size, x, y};
    put(xy, sizeof xy);
    return out;
}

// Test names end in /gpkg or /pg: CMake registers the /pg ones with the cluster fixture.
struct BackendName {
    std::string operator()(const ::testing::TestParamInfo<std::string>& info) const { return info.param; }
};

}  // namespace minplan::testing
