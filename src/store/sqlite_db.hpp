// Plain SQLite access to a plan GeoPackage, for the portal's own tables (accounts, saved reviews) that are
// not plan layers: they are not registered in gpkg_contents, their names start with `minplan_`, and the
// GeoPackage store never lists them. Only this file's .cpp includes sqlite3.h.
//
// A connection is opened per operation, never kept: `minplan import`/`intake` replace the database file
// atomically, and a long-lived connection would keep writing to the replaced file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace minplan::store {

class SqliteDb {
public:
    enum class Mode { ReadOnly, ReadWrite };
    // Opens an existing database file (never creates one); IoError when it cannot.
    SqliteDb(const std::filesystem::path& file, Mode mode);
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
        bool step();  // true while a row is available; IoError on failure (SQLITE_CONSTRAINT too)
        std::string text(int column) const;
        std::int64_t integer(int column) const;
        bool is_null(int column) const;

    private:
        friend class SqliteDb;
        Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
        sqlite3* db_;
        sqlite3_stmt* stmt_;
    };

    Statement prepare(const std::string& sql);
    void exec(const std::string& sql);
    bool table_exists(const std::string& name);
    std::int64_t last_insert_id() const;
    // SQLITE_CONSTRAINT from the last step(), e.g. a duplicate unique key.
    bool last_was_constraint() const;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
};

}  // namespace minplan::store
