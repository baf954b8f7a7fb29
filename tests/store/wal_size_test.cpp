// A large commit must not leave its WAL behind: minplan's connections persist the WAL (sqlite_db.cpp), so
// without a truncation a 10⁶-feature import left gigabytes of `-wal` beside the plan database.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "../plan/plan_fixture.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

using store::SqliteDb;

std::uintmax_t wal_bytes(const fs::path& db) {
    std::error_code ec;
    auto size = fs::file_size(db.string() + "-wal", ec);
    return ec ? 0 : size;
}

fs::path new_wal_database(const TempDir& dir) {
    const fs::path db = dir / "wal.sqlite";
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw, "PRAGMA journal_mode = WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    return db;
}

// About 2 MB in one transaction: far above the 64 KiB limit the tests pass.
void write_large_commit(SqliteDb& db) {
    db.exec("BEGIN");
    db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
            "INSERT INTO t(payload) SELECT randomblob(4000) FROM n");
    db.exec("COMMIT");
}

constexpr std::uintmax_t kLimit = 64 << 10;

TEST(WalSize, ALargeCommitsWalIsTruncatedOnceCopiedAndTheRowsStay) {
    TempDir dir;
    const fs::path path = new_wal_database(dir);
    SqliteDb db(path, SqliteDb::Mode::ReadWrite);
    write_large_commit(db);
    ASSERT_GT(wal_bytes(path), kLimit);  // persisted WAL: the commit's frames are still in the file

    db.checkpoint_after_commit(kLimit);
    EXPECT_EQ(wal_bytes(path), 0u);
    SqliteDb other(path, SqliteDb::Mode::ReadOnly);
    EXPECT_EQ(other.scalar("SELECT count(*) FROM t"), 500);
}

TEST(WalSize, ASmallWalIsLeftForSQLiteToReuse) {
    TempDir dir;
    const fs::path path = new_wal_database(dir);
    SqliteDb db(path, SqliteDb::Mode::ReadWrite);
    db.exec("INSERT INTO t(payload) VALUES (x'00')");
    const std::uintmax_t before = wal_bytes(path);
    ASSERT_GT(before, 0u);
    db.checkpoint_after_commit(kLimit);
    EXPECT_EQ(wal_bytes(path), before);
}

TEST(WalSize, AReaderInTheWalKeepsItUntilALaterCommitAndReadsOnUndisturbed) {
    TempDir dir;
    const fs::path path = new_wal_database(dir);
    SqliteDb db(path, SqliteDb::Mode::ReadWrite);
    write_large_commit(db);
    const std::uintmax_t large = wal_bytes(path);

    {
        SqliteDb reader(path, SqliteDb::Mode::ReadOnly);
        reader.exec("BEGIN");
        EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 500);  // the read transaction starts: a snapshot in the WAL
        db.checkpoint_after_commit(kLimit);                       // gives up at once instead of waiting for it
        EXPECT_EQ(wal_bytes(path), large);
        EXPECT_EQ(reader.scalar("SELECT sum(length(payload)) FROM t"), 500 * 4000);
        reader.exec("COMMIT");
    }
    db.checkpoint_after_commit(kLimit);  // the next commit's turn
    EXPECT_EQ(wal_bytes(path), 0u);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t"), 500);
}

}  // namespace
}  // namespace minplan::testing
