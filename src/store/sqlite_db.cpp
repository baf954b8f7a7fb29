#include "store/sqlite_db.hpp"

#include <sqlite3.h>

#include <cstdlib>

namespace minplan::store {

namespace {

// Every connection of minplan's, its own and GDAL's, waits for locks and never checkpoints or removes the
// WAL when it closes. Why: GDAL opens the database file with plain open()/close() to identify it, and that
// close() drops every POSIX lock the process holds on the file (SQLite's documented hazard, "How To
// Corrupt" 2.2), including the shared lock by which its long-lived connections tell others they are there.
// A process closing its last connection would then take the exclusive lock, believe it is alone, run its
// close-time checkpoint in exclusive mode (which ignores other processes' read marks, so that the next
// writer restarts the WAL under their open snapshots) and delete the WAL and shared-memory files. Seen in
// the torture test as "malformed database schema" in a concurrent reader. Checkpoints run instead after
// each plan commit, passively, with the normal locks (gpkg_database.cpp).
// Waiting for a lock polls every 2 ms (SQLite's own handler backs off to 100 ms): a writer waiting behind a
// staged import gets in during the short gap between two of its batches, instead of only after the import.
int busy_wait(void*, int attempt) {
    constexpr int kPollMs = 2;
    if (static_cast<long long>(attempt) * kPollMs >= busy_timeout_ms()) return 0;  // give up: SQLITE_BUSY
    sqlite3_sleep(kPollMs);
    return 1;
}

void configure(sqlite3* db) {
    sqlite3_busy_handler(db, busy_wait, nullptr);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    int persist = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

}  // namespace

void configure_connection(sqlite3* db) { configure(db); }

int busy_timeout_ms() {
    if (const char* v = std::getenv("MINPLAN_BUSY_TIMEOUT_MS")) {
        char* end = nullptr;
        long ms = std::strtol(v, &end, 10);
        if (end != v && *end == '\0' && ms >= 0 && ms <= 3600000) return static_cast<int>(ms);
    }
    return kBusyTimeoutMs;
}

SqliteDb::SqliteDb(const std::filesystem::path& file, Mode mode) : path_(file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw IoError("规划数据库文件不存在: " + file.string() + "（先用 minplan build --out 生成）/ database not found");
    int flags = mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw IoError("无法打开规划数据库 " + file.string() + ": " + msg);
    }
    configure(db_);
}

SqliteDb::SqliteDb(sqlite3* borrowed, const std::filesystem::path& file) : path_(file), db_(borrowed), owned_(false) {
    if (!db_) throw InternalError("GDAL 未提供 SQLite 连接 / no SQLite handle for " + file.string());
    configure(db_);
}

SqliteDb::~SqliteDb() {
    if (db_ && owned_) sqlite3_close_v2(db_);
}

void SqliteDb::fail(int rc, const std::string& what) const {
    std::string msg = sqlite3_errmsg(db_);
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError("规划数据库 " + path_.string() + " 正被其他程序或其他写入锁定，等待 " +
                            std::to_string(busy_timeout_ms() / 1000) + " 秒后仍未释放，请稍后重试 / database is locked (" +
                            msg + ")");
        case SQLITE_NOTADB:
            throw IoError(path_.string() + " 不是 SQLite/GeoPackage 数据库 / not a GeoPackage (" + msg + ")");
        case SQLITE_CORRUPT:
            throw IoError("规划数据库 " + path_.string() + " 已损坏（" + msg + "），请从备份恢复 / database is corrupt");
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            throw IoError("规划数据库 " + path_.string() + " 不可写（" + msg + "），请确认文件与所在目录可写");
        default:
            throw IoError(what + " (" + path_.string() + "): " + msg);
    }
}

SqliteDb::Statement SqliteDb::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, "数据库语句无效");
    return Statement(this, stmt);
}

void SqliteDb::exec(const std::string& sql) {
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, "写入规划数据库失败");
}

std::int64_t SqliteDb::scalar(const std::string& sql, std::int64_t fallback) {
    auto st = prepare(sql);
    return st.step() ? st.integer(0) : fallback;
}

bool SqliteDb::table_exists(const std::string& name) {
    auto st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    st.bind(1, name);
    return st.step();
}

std::string SqliteDb::primary_key(const std::string& table) {
    auto st = prepare("SELECT name FROM pragma_table_info(?) WHERE pk = 1");
    st.bind(1, table);
    return st.step() ? st.text(0) : std::string("fid");
}

std::vector<std::string> SqliteDb::non_key_columns(const std::string& table) {
    std::vector<std::string> out;
    auto st = prepare("SELECT name, pk FROM pragma_table_info(?)");
    st.bind(1, table);
    while (st.step())
        if (st.integer(1) == 0) out.push_back(st.text(0));
    return out;
}

std::int64_t SqliteDb::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

bool SqliteDb::last_was_constraint() const { return (sqlite3_errcode(db_) & 0xff) == SQLITE_CONSTRAINT; }

void SqliteDb::checkpoint_after_commit(std::uintmax_t keep_bytes) noexcept {
    int frames = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) != SQLITE_OK) return;
    if (frames <= 0 || copied < frames) return;
    std::error_code ec;
    auto size = std::filesystem::file_size(path_.string() + "-wal", ec);
    if (ec || size <= keep_bytes) return;
    // TRUNCATE waits for readers through the busy handler: without one it gives up at once when a reader
    // (the server's open snapshot, say) is still in the WAL.
    sqlite3_busy_handler(db_, nullptr, nullptr);
    sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_handler(db_, busy_wait, nullptr);
}

SqliteDb::Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

SqliteDb::Statement::Statement(Statement&& other) noexcept : owner_(other.owner_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

SqliteDb::Statement& SqliteDb::Statement::bind(int index, const std::string& value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteDb::Statement& SqliteDb::Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

SqliteDb::Statement& SqliteDb::Statement::bind_real(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
}

void SqliteDb::Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool SqliteDb::Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    owner_->fail(rc, "数据库读写失败");
}

std::string SqliteDb::Statement::text(int column) const {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
}

std::int64_t SqliteDb::Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteDb::Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

bool SqliteDb::Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

static_assert(SQLITE_INTEGER == 1 && SQLITE_FLOAT == 2 && SQLITE_TEXT == 3 && SQLITE_BLOB == 4 && SQLITE_NULL == 5);

SqliteDb::Statement::Storage SqliteDb::Statement::storage(int column) const {
    return static_cast<Storage>(sqlite3_column_type(stmt_, column));
}

std::pair<const unsigned char*, std::size_t> SqliteDb::Statement::blob(int column) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
    return {p, p ? static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)) : 0};
}

}  // namespace minplan::store
