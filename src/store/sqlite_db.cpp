#include "store/sqlite_db.hpp"

#include <sqlite3.h>

#include "core/error.hpp"

namespace minplan::store {

SqliteDb::SqliteDb(const std::filesystem::path& file, Mode mode) : path_(file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw IoError("规划数据库文件不存在: " + file.string() + "（先用 minplan build --out 生成）/ database not found");
    int flags = mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw IoError("无法打开规划数据库 " + file.string() + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);  // the GDAL connections of the same process may hold a read lock
}

SqliteDb::~SqliteDb() {
    if (db_) sqlite3_close(db_);
}

SqliteDb::Statement SqliteDb::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
        throw IoError("数据库语句无效 (" + path_.string() + "): " + sqlite3_errmsg(db_));
    return Statement(db_, stmt);
}

void SqliteDb::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw IoError("写入规划数据库失败 (" + path_.string() + "): " + msg + "；请确认文件可写");
    }
}

bool SqliteDb::table_exists(const std::string& name) {
    auto st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    st.bind(1, name);
    return st.step();
}

std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

bool SqliteDb::last_was_constraint() const { return (sqlite3_errcode(db_) & 0xff) == SQLITE_CONSTRAINT; }

SqliteDb::Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

SqliteDb::Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

SqliteDb::Statement& SqliteDb::Statement::bind(int index, const std::string& value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteDb::Statement& SqliteDb::Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

bool SqliteDb::Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw IoError(std::string("数据库读写失败: ") + sqlite3_errmsg(db_));
}

std::string SqliteDb::Statement::text(int column) const {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
}

std::int64_t SqliteDb::Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool SqliteDb::Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

}  // namespace minplan::store
