// Plain SQLite access to a plan GeoPackage: the records kept beside the plan (accounts, saved reviews),
// the version counter, and the SQL of the plan database's transactions (gpkg_database.cpp). Those tables
// are not registered in gpkg_contents, their names start with `minplan_`, and the GeoPackage store never
// lists them. Only this file's .cpp includes sqlite3.h.
//
// Every connection waits for locks (busy timeout, kBusyTimeoutMs; MINPLAN_BUSY_TIMEOUT_MS overrides) and
// turns a lock still held after that into BusyError, which names the database and says it is locked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

#include "core/error.hpp"

namespace minplan::store {

// Another connection (this program or another one) kept the database locked longer than the busy timeout.
class BusyError : public IoError {
public:
    using IoError::IoError;
};

inline constexpr int kBusyTimeoutMs = 30000;
// A WAL larger than this is truncated after a commit once it is wholly copied into the database file.
inline constexpr std::uintmax_t kWalKeepBytes = 64u << 20;
int busy_timeout_ms();  // kBusyTimeoutMs unless MINPLAN_BUSY_TIMEOUT_MS says otherwise
// What every connection to a plan database gets (busy timeout, no checkpoint on close: see the .cpp); for
// connections opened by GDAL.
void configure_connection(sqlite3* db);

class SqliteDb {
public:
    enum class Mode { ReadOnly, ReadWrite };
    // Opens an existing database file (never creates one); IoError when it cannot, BusyError when it is
    // locked, InputError when it is not an SQLite database.
    SqliteDb(const std::filesystem::path& file, Mode mode);
    // Borrows a connection opened by someone else (GDAL's, inside a plan transaction); never closes it.
    SqliteDb(sqlite3* borrowed, const std::filesystem::path& file);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    class Statement {
    public:
        ~Statement();
        Statement(Statement&& other) noexcept;
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;
        Statement& bind(int index, const std::string& value);  // 1-based, as SQLite
        Statement& bind(int index, std::int64_t value);
        Statement& bind_real(int index, double value);  // full double precision (REAL is IEEE 754)
        bool step();
        void reset();  // ready to be bound and stepped again  // true while a row is available; IoError on failure (SQLITE_CONSTRAINT too)
        std::string text(int column) const;
        std::int64_t integer(int column) const;
        double real(int column) const;
        bool is_null(int column) const;
        // How a cell is stored (SQLite's own codes: dynamic typing lets any cell hold any of them).
        enum class Storage { Integer = 1, Real = 2, Text = 3, Blob = 4, Null = 5 };
        Storage storage(int column) const;
        // A BLOB (or TEXT) cell's bytes, valid until the next step/reset; {nullptr, 0} for NULL.
        std::pair<const unsigned char*, std::size_t> blob(int column) const;

    private:
        friend class SqliteDb;
        Statement(const SqliteDb* owner, sqlite3_stmt* stmt) : owner_(owner), stmt_(stmt) {}
        const SqliteDb* owner_;
        sqlite3_stmt* stmt_;
    };

    Statement prepare(const std::string& sql);
    void exec(const std::string& sql);
    // The first column of the first row as an integer, or `fallback` when there is no row.
    std::int64_t scalar(const std::string& sql, std::int64_t fallback = 0);
    bool table_exists(const std::string& name);
    // The table's primary-key column ("fid" when it declares none), and its other columns in order.
    std::string primary_key(const std::string& table);
    std::vector<std::string> non_key_columns(const std::string& table);
    std::int64_t last_insert_id() const;
    // SQLITE_CONSTRAINT from the last step(), e.g. a duplicate unique key.
    bool last_was_constraint() const;
    // After a commit: copies into the database file what no reader still needs, never waiting for a reader.
    // When that copied the whole WAL and the file is larger than `keep_bytes` (a large import's commit leaves
    // gigabytes that SQLite would otherwise keep: connections persist their WAL, sqlite_db.cpp), truncates it
    // if no reader is in it at this instant; otherwise a later commit tries again. Never throws: a checkpoint
    // that cannot run now loses nothing.
    void checkpoint_after_commit(std::uintmax_t keep_bytes = kWalKeepBytes) noexcept;
    const std::filesystem::path& path() const { return path_; }

private:
    [[noreturn]] void fail(int rc, const std::string& what) const;

    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    bool owned_ = true;
};

}  // namespace minplan::store
