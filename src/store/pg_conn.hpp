// libpq with RAII: one connection (PGconn) and its results (PGresult), and the failures a plan database on
// PostgreSQL reports in Chinese (wrong connection string, server down, lost connection, no PostGIS,
// insufficient privileges). Only src/store/pg_*.cpp include this file; only pg_conn.cpp includes libpq-fe.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace minplan::store::pg {

// A statement named a table or schema that does not exist (SQLSTATE 42P01, 3F000): for readers that walk the
// catalog while another session may drop a plan.
class MissingRelation : public IoError {
public:
    using IoError::IoError;
};

// A statement parameter in text form; nullopt = SQL NULL.
using Param = std::optional<std::string>;

class Result {
public:
    explicit Result(pg_result* r) : r_(r) {}
    ~Result();
    Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const;
    int columns() const;
    bool is_null(int row, int column) const;
    std::string text(int row, int column) const;  // "" for NULL
    std::int64_t integer(int row, int column) const;
    std::int64_t affected() const;  // rows changed by INSERT/UPDATE/DELETE

private:
    pg_result* r_;
};

class Conn {
public:
    // Connects and sets client_encoding UTF8; IoError in Chinese for a wrong connection string, a server that
    // does not answer, or a refused login (`shown` is the conninfo without its password, for messages).
    explicit Conn(const std::string& conninfo);
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    Result exec(const std::string& sql, const std::vector<Param>& params = {});
    std::int64_t scalar(const std::string& sql, const std::vector<Param>& params = {}, std::int64_t fallback = 0);
    // Every NOTIFY on channels this connection LISTENs to since the last call (reads what arrived; never waits).
    std::vector<std::string> notifications();
    const std::string& shown() const { return shown_; }

private:
    [[noreturn]] void fail(pg_result* r, const std::string& sql);
    pg_conn* c_ = nullptr;
    std::string shown_;
};

// A quoted identifier ("name" with quotes doubled) and a quoted literal for DDL that cannot take parameters.
std::string ident(const std::string& name);
std::string literal(const std::string& text);
// The conninfo with any password=… replaced by password=***: what messages show.
std::string redact(const std::string& conninfo);

}  // namespace minplan::store::pg
