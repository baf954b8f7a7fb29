// The GeoPackage plan database (plan_database.hpp): SQLite in WAL mode, so that readers never wait for a
// writer and a writer never disturbs a reader's snapshot; every write inside one SQLite transaction that
// takes the write lock first; big writes staged in their own short transactions, then swapped in with SQL.
// No file is ever copied or renamed: a kill -9 at any moment leaves the old or the new content (SQLite's
// WAL recovery), and a staging table left behind is dropped on the next open.
#include "store/gpkg_database.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cerrno>
#include <cstdlib>
#include <regex>

#include "core/error.hpp"
#include "store/gdal_handles.hpp"
#include "store/gpkg_store.hpp"
#include "store/ogr_convert.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

using detail::DatasetPtr;

namespace {

constexpr const char* kVersionTable = "minplan_version";
constexpr const char* kMetadataTable = "minplan_metadata";
constexpr const char* kChangesTable = "minplan_changes";
constexpr const char* kStagePrefix = "minplan_stage_";
constexpr std::size_t kStageBatch = 5000;

std::string default_actor() {
    const char* user = std::getenv("USER");
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(user && *user ? user : "?") + "@" + host + "（进程 " + std::to_string(::getpid()) + "）";
}

bool pid_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

std::string sql_name(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// A GDAL update dataset on the database that waits for locks like our own connections do.
DatasetPtr open_for_update(const std::filesystem::path& path) {
    detail::ensure_gdal_registered();
    std::string pragma = "busy_timeout=" + std::to_string(busy_timeout_ms());
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", pragma.c_str());
    const char* drivers[] = {"GPKG", nullptr};
    DatasetPtr ds{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers)};
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    if (!ds) {
        std::string err = detail::last_gdal_error();
        if (err.find("locked") != std::string::npos)
            throw BusyError("规划数据库 " + path.string() + " 正被其他程序锁定，请稍后重试 / database is locked (" + err + ")");
        throw IoError("无法以写入方式打开规划数据库 " + path.string() + ": " + err);
    }
    if (auto* handle = static_cast<sqlite3*>(ds->GetInternalHandle("SQLITE_HANDLE"))) configure_connection(handle);
    return ds;
}

std::unique_ptr<SqliteDb> borrow(GDALDataset& ds, const std::filesystem::path& path) {
    return std::make_unique<SqliteDb>(static_cast<sqlite3*>(ds.GetInternalHandle("SQLITE_HANDLE")), path);
}

std::vector<std::string> columns_of(SqliteDb& sql, const std::string& table) {
    std::vector<std::string> out;
    auto st = sql.prepare("SELECT name, pk FROM pragma_table_info(?)");
    st.bind(1, table);
    while (st.step())
        if (st.integer(1) == 0) out.push_back(st.text(0));  // the fid is the store's to assign: never reused
    return out;
}

void drop_layer(GDALDataset& ds, const std::string& name) {
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        if (name == ds.GetLayer(i)->GetName()) {
            if (ds.DeleteLayer(i) != OGRERR_NONE) throw IoError("无法删除暂存表 " + name + ": " + detail::last_gdal_error());
            return;
        }
}

class GpkgPlanTransaction final : public PlanTransaction {
public:
    explicit GpkgPlanTransaction(const std::filesystem::path& path) : path_(path), ds_(open_for_update(path)) {
        if (ds_->StartTransaction() != OGRERR_NONE)
            throw IoError("无法开始写入事务 (" + path.string() + "): " + detail::last_gdal_error());
        active_ = true;
        // The first statement writes: the write lock is taken now (waiting for other writers up to the busy
        // timeout), not half way through, and the version moves with whatever this transaction commits.
        sql().exec(std::string("UPDATE ") + kVersionTable +
                   " SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1");
        base_ = sql().scalar(std::string("SELECT version FROM ") + kVersionTable + " WHERE id = 1") - 1;
    }

    std::int64_t base_version() const override { return base_; }

    ~GpkgPlanTransaction() override {
        if (active_) ds_->RollbackTransaction();
    }

    void swap_in(StagedLayer& staged, SwapMode mode) override {
        const std::string& target = staged.target().code;
        if (!sql().table_exists(target))
            throw NotFoundError("规划数据库 " + path_.string() + " 中没有表 " + target + "，请先用 minplan build 生成该表");
        auto target_columns = columns_of(sql(), target);
        std::string cols;
        for (const auto& c : columns_of(sql(), staged.stage_table())) {
            if (std::find(target_columns.begin(), target_columns.end(), c) == target_columns.end())
                throw InputError("表 " + target + " 没有字段 " + c + "（数据库生成于该字段加入之前），请用 minplan build 重新生成");
            cols += (cols.empty() ? "" : ", ") + sql_name(c);
        }
        if (mode == SwapMode::Replace) sql().exec("DELETE FROM " + sql_name(target));
        sql().exec("INSERT INTO " + sql_name(target) + " (" + cols + ") SELECT " + cols + " FROM " +
                   sql_name(staged.stage_table()) + " ORDER BY fid");
        refresh_contents(staged.target());
        drop_layer(*ds_, staged.stage_table());
        swapped_.push_back(&staged);
        summary_.push_back(target + "（" + staged.target().name_zh + "）：" + (mode == SwapMode::Replace ? "替换为 " : "追加 ") +
                           std::to_string(staged.rows()) + " 条");
    }

    void set_actor(const std::string& actor) override { actor_ = actor; }

    void set_metadata(const std::string& key, const std::string& value) override {
        auto del = sql().prepare(std::string("DELETE FROM ") + kMetadataTable + " WHERE key = ?");
        del.bind(1, key).step();
        auto ins = sql().prepare(std::string("INSERT INTO ") + kMetadataTable + " (key, value) VALUES (?, ?)");
        ins.bind(1, key).bind(2, value).step();
        summary_.push_back("元数据 " + key);
    }

    std::int64_t commit() override {
        std::int64_t version = sql().scalar(std::string("SELECT version FROM ") + kVersionTable + " WHERE id = 1");
        log_change(version);
        if (ds_->CommitTransaction() != OGRERR_NONE)
            throw IoError("提交写入失败 (" + path_.string() + "): " + detail::last_gdal_error());
        active_ = false;
        // Copies what no reader still needs into the .gpkg itself (connections never checkpoint on close:
        // sqlite_db.cpp), so that the file alone is current once the readers have moved on.
        try {
            sql().exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const Error&) {  // a busy checkpoint is retried by the next commit
        }
        for (auto* s : swapped_) s->mark_consumed();
        return version;
    }

private:
    SqliteDb& sql() {
        if (!sql_) sql_ = borrow(*ds_, path_);
        return *sql_;
    }

    // The change log is written in the same transaction as the change: one line per committed version.
    void log_change(std::int64_t version) {
        sql().exec(std::string("CREATE TABLE IF NOT EXISTS ") + kChangesTable +
                   " (version INTEGER PRIMARY KEY, committed_at TEXT NOT NULL, actor TEXT NOT NULL, summary TEXT NOT NULL)");
        std::string summary;
        for (const auto& s : summary_) summary += (summary.empty() ? "" : "；") + s;
        auto st = sql().prepare(std::string("INSERT INTO ") + kChangesTable +
                                " VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)");
        st.bind(1, version).bind(2, actor_.empty() ? default_actor() : actor_).bind(3, summary.empty() ? "（无数据变化）" : summary);
        st.step();
    }

    // What GeoPackage readers (QGIS, ogrinfo) take from gpkg_contents and gpkg_ogr_contents without
    // scanning the table: the extent, the time of the change and the feature count.
    void refresh_contents(const TableSchema& s) {
        const std::string t = sql_name(s.code);
        auto name = [&](const std::string& sql_text) {
            auto st = sql().prepare(sql_text);
            st.bind(1, s.code).step();
        };
        if (sql().table_exists("gpkg_ogr_contents"))
            name("UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM " + t +
                 ") WHERE lower(table_name) = lower(?)");
        std::string extent;
        if (s.spatial) {
            std::string rtree = "rtree_" + s.code + "_geom";
            if (sql().table_exists(rtree)) {
                std::string r = sql_name(rtree);
                extent = ", min_x = (SELECT min(minx) FROM " + r + "), min_y = (SELECT min(miny) FROM " + r +
                         "), max_x = (SELECT max(maxx) FROM " + r + "), max_y = (SELECT max(maxy) FROM " + r + ")";
            }
        }
        name("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" + extent +
             " WHERE lower(table_name) = lower(?)");
    }

    std::filesystem::path path_;
    DatasetPtr ds_;
    std::unique_ptr<SqliteDb> sql_;
    std::vector<StagedLayer*> swapped_;
    std::vector<std::string> summary_;
    std::string actor_;
    std::int64_t base_ = 0;
    bool active_ = false;
};

class GpkgRecordTransaction final : public RecordTransaction {
public:
    explicit GpkgRecordTransaction(const std::filesystem::path& path) : db_(path, SqliteDb::Mode::ReadWrite) {
        db_.exec("BEGIN IMMEDIATE");
        active_ = true;
    }
    ~GpkgRecordTransaction() override {
        if (!active_) return;
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // closing the connection rolls back as well
        }
    }
    SqliteDb& sql() override { return db_; }
    void commit() override {
        db_.exec("COMMIT");
        active_ = false;
        try {
            db_.exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const Error&) {
        }
    }

private:
    SqliteDb db_;
    bool active_ = false;
};

}  // namespace

// ---------------------------------------------------------------- the database

namespace {

std::uint64_t inode_of(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

}  // namespace

GpkgDatabase::GpkgDatabase(const std::filesystem::path& path) : path_(path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw IoError("规划数据库文件不存在或不可读: " + path.string() + "（先用 minplan build --out 生成）/ plan database not found");
    open_control();
    if (!writable_) return;
    if (control_->scalar("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 0)
        control_->exec("PRAGMA journal_mode = WAL");
    // Only a database from before the version counter is written to on open: reads never wait for writers.
    if (!control_->table_exists(kVersionTable)) {
        control_->exec(std::string("CREATE TABLE IF NOT EXISTS ") + kVersionTable +
                       " (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, changed_at TEXT)");
        control_->exec(std::string("INSERT OR IGNORE INTO ") + kVersionTable +
                       " VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    }
    remove_leftovers();
}

void GpkgDatabase::open_control() const {
    control_inode_ = inode_of(path_);
    try {
        control_ = std::make_unique<SqliteDb>(path_, SqliteDb::Mode::ReadWrite);
        writable_ = true;
    } catch (const IoError&) {
        control_ = std::make_unique<SqliteDb>(path_, SqliteDb::Mode::ReadOnly);
        writable_ = false;
    }
    // Reading the schema is the first real access: a lock held by another program or a file that is not a
    // database shows here, with a message that says which.
    control_->scalar("SELECT count(*) FROM sqlite_master");
    if (!control_->table_exists("gpkg_contents"))
        throw IoError(path_.string() + " 是 SQLite 数据库但不是 GeoPackage（缺少 gpkg_contents 表）/ not a GeoPackage");
}

GpkgDatabase::~GpkgDatabase() = default;

std::int64_t GpkgDatabase::version() const {
    std::lock_guard lock(control_mutex_);
    if (inode_of(path_) != control_inode_) open_control();  // rebuilt in place (`minplan build --out` this file)
    if (!control_->table_exists(kVersionTable)) return 0;
    return control_->scalar(std::string("SELECT version FROM ") + kVersionTable + " WHERE id = 1");
}

std::unique_ptr<PlanStore> GpkgDatabase::snapshot() const { return GpkgStore::open(path_); }

std::unique_ptr<StagedLayer> GpkgDatabase::stage(const TableSchema& target, const std::vector<Feature>& rows,
                                                 const ProgressFn& progress) {
    require_writable();
    static std::atomic<int> counter{0};
    std::string name = std::string(kStagePrefix) + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + target.code;
    auto staged = std::make_unique<StagedLayer>(*this, target, name, rows.size());
    auto ds = open_for_update(path_);
    detail::LayerOptions options;
    options.layer_name = name;
    options.creation_options = {"SPATIAL_INDEX=NO"};
    options.batch_size = kStageBatch;
    options.progress = [&](std::size_t done) {
        if (progress) progress(done);
        // A gap between two batches, so that writers waiting for the lock (polling every 2 ms) get it.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    };
    detail::write_ogr_layer(*ds, target, rows, options);
    CPLErrorReset();
    ds.reset();
    if (CPLGetLastErrorType() == CE_Failure) throw IoError("写入暂存表失败: " + detail::last_gdal_error());
    return staged;
}

std::unique_ptr<PlanTransaction> GpkgDatabase::begin_plan() {
    require_writable();
    return std::make_unique<GpkgPlanTransaction>(path_);
}

std::unique_ptr<RecordTransaction> GpkgDatabase::begin_records() {
    require_writable();
    return std::make_unique<GpkgRecordTransaction>(path_);
}

std::unique_ptr<SqliteDb> GpkgDatabase::read_records() const {
    return std::make_unique<SqliteDb>(path_, SqliteDb::Mode::ReadOnly);
}

std::vector<ChangeRecord> GpkgDatabase::changes(std::size_t limit) const {
    std::vector<ChangeRecord> out;
    auto db = read_records();
    if (!db->table_exists(kChangesTable)) return out;
    auto st = db->prepare(std::string("SELECT version, committed_at, actor, summary FROM ") + kChangesTable +
                          " ORDER BY version DESC LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    while (st.step()) out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3)});
    return out;
}

void GpkgDatabase::drop_stage(const std::string& stage_table) noexcept {
    try {
        auto ds = open_for_update(path_);
        if (ds->StartTransaction() != OGRERR_NONE) return;
        auto sql = borrow(*ds, path_);
        // Under the write lock, the table is still there (GDAL's layer list was read before the lock).
        sql->exec(std::string("UPDATE ") + kVersionTable + " SET version = version WHERE id = 1");
        if (sql->table_exists(stage_table)) drop_layer(*ds, stage_table);
        ds->CommitTransaction();
    } catch (...) {  // left for the next open's clean-up
    }
}

void GpkgDatabase::require_writable() const {
    if (!writable_) throw IoError("规划数据库 " + path_.string() + " 只读（文件或目录不可写），不能写入");
}

// What writers killed before they finished left behind: staging tables in the database, and the work files
// of earlier versions of minplan beside it (which copied the database). Only those of dead processes.
void GpkgDatabase::remove_leftovers() {
    std::vector<std::string> stale;
    {
        auto st = control_->prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'minplan_stage_%'");
        static const std::regex stage_re("minplan_stage_([0-9]{1,9})_.*");
        while (st.step()) {
            std::string name = st.text(0);
            std::smatch m;
            if (std::regex_match(name, m, stage_re) && !pid_alive(std::stol(m[1]))) stale.push_back(name);
        }
    }
    // Best effort: another process may be dropping the same stage; what is left is dropped next time.
    for (const auto& name : stale) drop_stage(name);
    remove_dead_writers_files(path_);
}

void remove_dead_writers_files(const std::filesystem::path& db) {
    const std::string base = "." + db.filename().string() + ".";
    static const std::regex file_re("(tmp|import|intake|work)-([0-9]{1,9})(\\.gpkg)?(-wal|-shm|-journal)?");
    std::error_code ec;
    auto dir = db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        std::smatch m;
        std::string rest = name.rfind(base, 0) == 0 ? name.substr(base.size()) : std::string();
        if (!rest.empty() && std::regex_match(rest, m, file_re) && !pid_alive(std::stol(m[2])))
            std::filesystem::remove(e.path(), ec);
    }
}

// ---------------------------------------------------------------- staged layers, helpers

StagedLayer::StagedLayer(PlanDatabase& db, TableSchema target, std::string stage_table, std::size_t rows)
    : db_(db), target_(std::move(target)), stage_table_(std::move(stage_table)), rows_(rows) {}

StagedLayer::~StagedLayer() {
    if (!consumed_) db_.drop_stage(stage_table_);
}

std::shared_ptr<PlanDatabase> open_database(const std::string& location) {
    if (location.rfind("PG:", 0) == 0)
        throw InputError("PostGIS 存储尚未实现 / the PostGIS store is not implemented yet: " + location);
    return std::make_shared<GpkgDatabase>(location);
}

std::int64_t write_tables(PlanDatabase& db, const TableWrites& tables, SwapMode mode, const ProgressFn& progress,
                          std::optional<std::int64_t> read_version, const std::string& actor,
                          const std::vector<std::pair<std::string, std::string>>& metadata) {
    std::vector<std::unique_ptr<StagedLayer>> staged;
    std::size_t done_before = 0;
    for (const auto& [schema, rows] : tables) {
        ProgressFn p;
        if (progress) p = [&, before = done_before](std::size_t n) { progress(before + n); };
        staged.push_back(db.stage(schema, rows, p));
        done_before += rows.size();
    }
    auto tx = db.begin_plan();
    if (!actor.empty()) tx->set_actor(actor);
    if (read_version && tx->base_version() != *read_version)
        throw ConflictError("规划数据库在读取后已被其他写入更新（版本 " + std::to_string(*read_version) + " → " +
                            std::to_string(tx->base_version()) + "），请重试 / concurrent write");
    for (auto& s : staged) tx->swap_in(*s, mode);
    for (const auto& [key, value] : metadata) tx->set_metadata(key, value);
    return tx->commit();
}

}  // namespace minplan::store
