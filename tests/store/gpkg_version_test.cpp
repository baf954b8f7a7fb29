// GpkgDatabase::version() keeps its prepared read between calls (the server's reader pool reads it twice a
// check): the value must still be read afresh every time, and the kept statement must not hold the database.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "../plan/plan_fixture.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

TEST(GpkgVersion, WritesByThisAndAnotherProcessAreSeenAndNoReadIsLeftOpen) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    auto reader = store::open_database(db.string());
    const std::int64_t v0 = reader->version();
    EXPECT_EQ(reader->version(), v0);  // the second read uses the kept statement

    // Another process writes through its own store: `minplan import` of one mining block.
    std::ofstream(dir / "one.geojson")
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"block_id":"NEW-1","kind":"mining",)"
           R"("mineral":"煤炭","source":"test"},"geometry":{"type":"Polygon","coordinates":[[[113.0,40.0],[113.01,40.0],)"
           R"([113.01,40.01],[113.0,40.01],[113.0,40.0]]]}}]})";
    const std::string cmd = std::string(MINPLAN_BINARY) + " --db " + db.string() + " import mining_blocks " +
                            (dir / "one.geojson").string() + " --force > " + (dir / "import.log").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    ASSERT_EQ(WEXITSTATUS(rc), 0) << read_bytes(dir / "import.log");
    EXPECT_EQ(reader->version(), v0 + 1);

    // This process writes through another store object on the same file.
    {
        auto writer = store::open_database(db.string());
        ASSERT_EQ(store::import_layer(*writer, "mining_blocks", dir / "one.geojson", {}), 1u);
    }
    EXPECT_EQ(reader->version(), v0 + 2);

    // No read transaction is left open by the kept statement: a full checkpoint that truncates the
    // write-ahead log succeeds (it reports busy = 1 while any reader holds a snapshot).
    store::SqliteDb other(db, store::SqliteDb::Mode::ReadWrite);
    EXPECT_EQ(other.scalar("PRAGMA wal_checkpoint(TRUNCATE)", -1), 0);
    EXPECT_EQ(reader->version(), v0 + 2);
}

}  // namespace
}  // namespace minplan::testing
