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
#include "store/sqlite_db.hpp"

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
    explicit BackendPlan(const std::string& backend) : BackendPlan(backend, built_plan()) {}
    // A copy of another built plan (a GeoPackage), e.g. the fictional county plan.
    BackendPlan(const std::string& backend, const std::filesystem::path& built) : backend_(backend) {
        const auto source = store::open_store(built.string());
        if (backend == "gpkg") {
            location_ = (dir_ / "plan.gpkg").string();
            std::filesystem::copy_file(built, location_);
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

// The staging tables the plan database holds now (an import leaves none, finished or failed).
inline std::size_t stage_tables(const BackendPlan& plan) {
    if (plan.backend() == "gpkg") {
        store::SqliteDb sql(plan.location(), store::SqliteDb::Mode::ReadOnly);
        return static_cast<std::size_t>(sql.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'minplan_stage_%'"));
    }
    return static_cast<std::size_t>(store::pg::Conn(plan.conninfo())
                                        .scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'minplan\\_stage\\_%'",
                                                {plan.plan()}));
}

// What "writes nothing" compares: the GeoPackage's bytes; on PostGIS the plan version, the number of audit
// entries, change sets and tables of the plan's schema (every write moves one of them), and every layer's
// row count.
inline std::string written_state(const BackendPlan& plan) {
    if (plan.backend() == "gpkg") return read_bytes(plan.location());
    store::pg::Conn c(plan.conninfo());
    const std::string s = store::pg::ident(plan.plan());
    std::string out = std::to_string(c.scalar("SELECT version FROM " + s + ".minplan_version")) + "/" +
                      std::to_string(c.scalar("SELECT count(*) FROM " + s + ".minplan_audit")) + "/" +
                      std::to_string(c.scalar("SELECT count(*) FROM " + s + ".minplan_changesets")) + "/" +
                      std::to_string(c.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1", {plan.plan()}));
    auto layers = c.exec("SELECT layer_code FROM " + s + ".minplan_schema ORDER BY layer_code");
    for (int i = 0; i < layers.rows(); ++i)
        out += "/" + std::to_string(c.scalar("SELECT count(*) FROM " + s + "." + store::pg::ident(layers.text(i, 0))));
    return out;
}

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

// A mining block of the shipped schema with every kind of attribute (text, integer, real, boolean) and a
// surveyed 0.01° square at (x, y).
inline Feature surveyed_block(const std::string& id, double x, double y) {
    Feature f;
    f.attributes["block_id"] = id;
    f.attributes["group_count"] = std::int64_t{2};
    f.attributes["stated_area_km2"] = 1.25;
    f.attributes["implements_provincial_plan"] = true;
    f.attributes[kGeometrySourceField] = std::string("surveyed");
    f.wkb = square_wkb(x, y, 0.01);
    return f;
}

// Test names end in /gpkg or /pg: CMake registers the /pg ones with the cluster fixture.
struct BackendName {
    std::string operator()(const ::testing::TestParamInfo<std::string>& info) const { return info.param; }
};

}  // namespace minplan::testing
