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
#include "store/geodesy.hpp"
#include "store/gpkg_history.hpp"
#include "store/history_rules.hpp"
#include "store/gpkg_records.hpp"
#include "store/gpkg_store.hpp"
#include "store/gpkg_swap.hpp"
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

void drop_layer(GDALDataset& ds, const std::string& name) {
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        if (name == ds.GetLayer(i)->GetName()) {
            if (ds.DeleteLayer(i) != OGRERR_NONE) throw IoError("无法删除暂存表 " + name + ": " + detail::last_gdal_error());
            return;
        }
}

// A stage and what goes with it: its GDAL layer (registrations, R*Tree) and the plain table of the reader's
// geometry facts; a plain table of that prefix left by a killed process is dropped as well.
void drop_stage_tables(GDALDataset& ds, SqliteDb& sql, const std::string& stage) {
    drop_layer(ds, stage);
    sql.exec("DROP TABLE IF EXISTS " + sql_name(detail::stage_facts_table(stage)));
    if (sql.table_exists(stage)) sql.exec("DROP TABLE " + sql_name(stage));  // not a GDAL layer
}

// The stage's creation: fids after the live table's sequence, and an R*Tree when the live table has one
// (built by GDAL while staging, outside the write lock), so that a replace can rename it into place. The
// stage of an append is copied into the live table, whose triggers index the rows: no R*Tree for it.
void prepare_stage_options(GDALDataset& ds, const std::filesystem::path& path, const TableSchema& target,
                           detail::LayerOptions& options, StagedLayer& staged, SwapMode mode = SwapMode::Replace) {
    auto sql = borrow(ds, path);
    const std::int64_t base = detail::fid_sequence(*sql, target.code);
    const bool rtree = mode == SwapMode::Replace && base >= 0 && !detail::rtree_of(*sql, target.code).empty();
    options.creation_options = {rtree ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO"};
    if (base < 0) return;
    staged.set_fid_base(base);
    options.first_fid = base + 1;
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
        detail::ensure_history_schema(sql());
    }

    std::int64_t base_version() const override { return base_; }

    ~GpkgPlanTransaction() override {
        if (active_) ds_->RollbackTransaction();
    }

    void swap_in(StagedLayer& staged, SwapMode mode) override {
        const std::string& target = staged.target().code;
        if (!sql().table_exists(target))
            throw NotFoundError("规划数据库 " + path_.string() + " 中没有表 " + target + "，请先用 minplan build 生成该表");
        // The fid is not copied: the store assigns it (never reused).
        auto target_columns = sql().non_key_columns(target);
        std::string cols;
        for (const auto& c : sql().non_key_columns(staged.stage_table())) {
            if (std::find(target_columns.begin(), target_columns.end(), c) == target_columns.end())
                throw InputError("表 " + target + " 没有字段 " + c + "（数据库生成于该字段加入之前），请用 minplan build 重新生成");
            cols += (cols.empty() ? "" : ", ") + sql_name(c);
        }
        // A replace whose stage continues the live sequence becomes the live table (no second copy of the
        // rows: gpkg_swap.hpp); otherwise (an append, another write in between) the rows are copied.
        const std::string obstacle = mode == SwapMode::Replace
                                         ? detail::rename_obstacle(sql(), staged.stage_table(), target, staged.fid_base(), staged.rows())
                                         : std::string("append");
        const bool rename = obstacle.empty();
        // Nothing is overwritten: a replace retires every live row into the layer's history first.
        if (mode == SwapMode::Replace) retire_rows(staged.target(), "", /*delete_rows=*/!rename);
        const std::string pk = sql().primary_key(target);
        const std::int64_t sequence = detail::fid_sequence(sql(), target);
        const std::int64_t last_before = rename ? staged.fid_base()
                                                : sql().scalar("SELECT coalesce(max(" + sql_name(pk) + "), 0) FROM " + sql_name(target));
        if (rename) {
            detail::rename_stage_into(sql(), staged.stage_table(), target);
        } else {
            sql().exec("INSERT INTO " + sql_name(target) + " (" + cols + ") SELECT " + cols + " FROM " +
                       sql_name(staged.stage_table()) + " ORDER BY fid");
        }
        // The new rows (fids are never reused: AUTOINCREMENT) are valid from the effective date.
        auto valid = sql().prepare(std::string("INSERT INTO ") + detail::kValidityTable + " (layer, fid, valid_from, change_set) SELECT ?, " +
                                   sql_name(pk) + ", ?, ? FROM " + sql_name(target) + " WHERE " + sql_name(pk) + " > ?");
        valid.bind(1, target).bind(2, effective()).bind(3, change_set()).bind(4, last_before).step();
        // The new rows' exact areas (store/geodesy.hpp): the reader's own values when it gave them for every
        // row (a copied row's fid is the live sequence + its place in the stage), else computed from the rows.
        if (staged.has_facts())
            detail::move_stage_facts(sql(), staged.stage_table(), target, rename ? 0 : sequence - staged.fid_base());
        else
            detail::record_geodesy(*ds_, sql(), target, last_before);
        refresh_contents(staged.target());
        if (rename) sql().exec("DROP TABLE IF EXISTS " + sql_name(detail::stage_facts_table(staged.stage_table())));
        else drop_stage_tables(*ds_, sql(), staged.stage_table());
        swapped_.push_back(&staged);
        summary_.push_back(target + "（" + staged.target().name_zh + "）：" + (mode == SwapMode::Replace ? "替换为 " : "追加 ") +
                           std::to_string(staged.rows()) + " 条");
    }

    void set_actor(const std::string& actor) override { actor_ = actor; }

    void set_effect(const std::string& effective_date, std::int64_t change_set) override {
        effective_ = parse_date(effective_date, "生效日期 / effective date");
        change_set_ = change_set;
    }

    void retire(const TableSchema& layer, const std::vector<std::int64_t>& fids) override {
        if (fids.empty()) return;
        std::string list;
        for (auto fid : fids) list += (list.empty() ? "" : ", ") + std::to_string(fid);
        retire_rows(layer, sql_name(sql().primary_key(layer.code)) + " IN (" + list + ")");
        summary_.push_back(layer.code + "（" + layer.name_zh + "）：注销 " + std::to_string(fids.size()) + " 条");
    }

    void approve_change_set(std::int64_t id, const std::string& actor) override {
        auto check = sql().prepare(std::string("SELECT state FROM ") + detail::kChangeSetsTable + " WHERE id = ?");
        check.bind(1, id);
        if (!check.step()) throw NotFoundError("没有调整批次 " + std::to_string(id) + " / no such change set");
        require_approvable(id, check.text(0));
        auto st = sql().prepare(std::string("UPDATE ") + detail::kChangeSetsTable +
                                " SET state = ?, decided_at = ?, decided_by = ?, updated_at = ?, plan_version = (SELECT version FROM " +
                                kVersionTable + " WHERE id = 1) WHERE id = ?");
        const std::string now = now_shanghai();
        st.bind(1, std::string(kApproved)).bind(2, now).bind(3, actor).bind(4, now).bind(5, id).step();
        summary_.push_back("批准调整批次 " + std::to_string(id));
    }

    void audit(const AuditEntry& entry) override {
        AuditEntry e = entry;
        if (e.actor.empty()) e.actor = actor_.empty() ? os_actor() : actor_;
        detail::insert_audit(sql(), e);
        audited_ = true;
    }

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
        std::string summary = joined_summary();
        if (auto_set_) {  // the import's own change set is named after what it did
            auto st = sql().prepare(std::string("UPDATE ") + detail::kChangeSetsTable + " SET name = ?, plan_version = ? WHERE id = ?");
            st.bind(1, summary).bind(2, version).bind(3, change_set_).step();
        }
        // Every plan write leaves an entry in the audit trail; a caller that wrote its own says more.
        if (!audited_) audit({0, "", "", "", "plan.write", summary, "", "版本 " + std::to_string(version)});
        if (ds_->CommitTransaction() != OGRERR_NONE)
            throw IoError("提交写入失败 (" + path_.string() + "): " + detail::last_gdal_error());
        active_ = false;
        // Copies what no reader still needs into the .gpkg itself (connections never checkpoint on close:
        // sqlite_db.cpp), so that the file alone is current once the readers have moved on.
        sql().checkpoint_after_commit();  // a busy checkpoint is retried by the next commit
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
        std::string summary = joined_summary();
        auto st = sql().prepare(std::string("INSERT INTO ") + kChangesTable +
                                " VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)");
        st.bind(1, version).bind(2, actor_.empty() ? default_actor() : actor_).bind(3, summary.empty() ? "（无数据变化）" : summary);
        st.step();
    }

    std::string joined_summary() const {
        std::string summary;
        for (const auto& s : summary_) summary += (summary.empty() ? "" : "；") + s;
        return summary;
    }

    const std::string& effective() {
        change_set();
        return effective_;
    }

    // The change set the rows of this transaction belong to: the caller's (set_effect), else an approved
    // import set of its own, effective today.
    std::int64_t change_set() {
        if (change_set_ != 0) return change_set_;
        ChangeSet cs = import_change_set(actor_.empty() ? default_actor() : actor_, effective_);
        effective_ = cs.effective_date;
        change_set_ = detail::write_change_set(sql(), cs);
        auto_set_ = true;
        return change_set_;
    }

    // Moves live rows of `s` (all, or those matching `filter` on the live table) into its history table with
    // valid_to = the effective date, and drops their validity entries.
    // With `delete_rows` false the rows stay in the live table (a replace about to drop it: gpkg_swap.hpp).
    void retire_rows(const TableSchema& s, const std::string& filter, bool delete_rows = true) {
        const std::string hist = detail::history_table(s.code);
        if (!sql().table_exists(hist))
            throw IoError("规划数据库 " + path_.string() + " 缺少图层 " + s.code + " 的历史表 " + hist +
                          "（以可写方式打开一次即可补建，如 minplan log）/ history table missing");
        const std::string target = sql_name(s.code);
        const std::string pk = sql().primary_key(s.code);
        const std::string where = filter.empty() ? std::string() : " WHERE " + filter;
        const std::int64_t set = change_set();
        // A row cannot end before it began: a set effective earlier than the one that added the row.
        auto early = sql().prepare(std::string("SELECT count(*) FROM ") + detail::kValidityTable + " WHERE layer = ? AND valid_from > ? AND fid IN (SELECT " +
                                   sql_name(pk) + " FROM " + target + where + ")");
        early.bind(1, s.code).bind(2, effective_);
        if (early.step() && early.integer(0) > 0)
            throw InputError(s.code + " 中有 " + std::to_string(early.integer(0)) + " 条要素的生效日期晚于 " + effective_ +
                             "，不能在此日期注销 / rows valid only after the effective date");
        auto hist_columns = sql().non_key_columns(hist);
        std::string cols, from;
        for (const auto& c : sql().non_key_columns(s.code)) {
            if (std::find(hist_columns.begin(), hist_columns.end(), c) == hist_columns.end())
                throw InputError("历史表 " + hist + " 没有字段 " + c + "，请用 minplan build 重新生成 / history table lacks a field");
            cols += sql_name(c) + ", ";
            from += "t." + sql_name(c) + ", ";
        }
        auto st = sql().prepare("INSERT INTO " + sql_name(hist) + " (" + cols +
                                "minplan_fid, minplan_valid_from, minplan_valid_to, minplan_set_from, minplan_set_to) SELECT " + from + "t." +
                                sql_name(pk) + ", coalesce(v.valid_from, ''), ?, coalesce(v.change_set, 0), ? FROM " + target + " t LEFT JOIN " +
                                detail::kValidityTable + " v ON v.layer = ? AND v.fid = t." + sql_name(pk) +
                                (filter.empty() ? std::string() : " WHERE t." + filter));
        st.bind(1, effective_).bind(2, set).bind(3, s.code).step();
        auto valid = sql().prepare(std::string("DELETE FROM ") + detail::kValidityTable + " WHERE layer = ?" +
                                   (filter.empty() ? std::string() : " AND fid IN (SELECT " + sql_name(pk) + " FROM " + target + where + ")"));
        valid.bind(1, s.code).step();
        if (!delete_rows) return;
        sql().exec("DELETE FROM " + target + where);
        refresh_contents(s);
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
    std::string effective_;
    std::int64_t change_set_ = 0;
    bool auto_set_ = false;
    bool audited_ = false;
    std::int64_t base_ = 0;
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

struct GpkgDatabase::VersionRead {
    SqliteDb::Statement statement;
};

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
    add_history_layers();
}

void GpkgDatabase::open_control() const {
    version_read_.reset();  // a statement of the connection being replaced
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
    // Read twice a check by the server's reader pool: the table's existence is looked up only until it is seen
    // and the statement is prepared once (together 8 % of a check when done every time); the value is read
    // afresh every time, so a write by this process or another one shows at once.
    if (!version_read_) {
        if (!control_->table_exists(kVersionTable)) return 0;
        version_read_ = std::make_unique<VersionRead>(
            VersionRead{control_->prepare(std::string("SELECT version FROM ") + kVersionTable + " WHERE id = 1")});
    }
    SqliteDb::Statement& st = version_read_->statement;
    struct Reset {  // no read transaction left open between calls, also when step() throws
        SqliteDb::Statement& st;
        ~Reset() { st.reset(); }
    } reset{st};
    return st.step() ? st.integer(0) : 0;
}

std::unique_ptr<PlanStore> GpkgDatabase::snapshot_at(const std::string& as_of) const {
    return GpkgStore::open(path_, parse_date(as_of, "查询日期 / as-of date"));
}

std::int64_t GpkgDatabase::save_change_set(const ChangeSet& cs, const AuditEntry& audit) {
    require_writable();
    auto tx = std::make_unique<detail::GpkgRecordTransaction>(path_);
    detail::ensure_history_schema(tx->sql());
    if (cs.id != 0) {
        auto found = detail::select_change_sets(tx->sql(), cs.id);
        if (found.empty()) throw NotFoundError("没有调整批次 " + std::to_string(cs.id) + " / no such change set");
        require_editable(found.front());
    }
    std::int64_t id = detail::write_change_set(tx->sql(), cs);
    AuditEntry e = audit;
    if (e.object.empty()) e.object = "调整批次 " + std::to_string(id);
    tx->audit(e);
    tx->commit();
    return id;
}

void GpkgDatabase::set_change_set_state(std::int64_t id, const std::string& expected, const std::string& state,
                                        const std::string& note, const AuditEntry& audit) {
    if (state == kApproved) throw InternalError("批准须在规划事务中进行 / approval is a plan transaction");
    require_writable();
    auto tx = std::make_unique<detail::GpkgRecordTransaction>(path_);
    detail::ensure_history_schema(tx->sql());
    auto found = detail::select_change_sets(tx->sql(), id);
    if (found.empty()) throw NotFoundError("没有调整批次 " + std::to_string(id) + " / no such change set");
    require_state(found.front(), expected);
    auto st = tx->sql().prepare(std::string("UPDATE ") + detail::kChangeSetsTable +
                                " SET state = ?, note = ?, updated_at = ?, decided_at = CASE WHEN ? = 'rejected' THEN ? ELSE decided_at END,"
                                " decided_by = CASE WHEN ? = 'rejected' THEN ? ELSE decided_by END WHERE id = ?");
    const std::string now = now_shanghai();
    st.bind(1, state).bind(2, note).bind(3, now).bind(4, state).bind(5, now).bind(6, state).bind(7, audit.actor).bind(8, id).step();
    tx->audit(audit);
    tx->commit();
}

std::vector<ChangeSet> GpkgDatabase::change_sets() const {
    auto db = read_records();
    return detail::select_change_sets(*db, 0);
}

std::optional<ChangeSet> GpkgDatabase::change_set(std::int64_t id) const {
    if (id <= 0) return std::nullopt;
    auto db = read_records();
    auto found = detail::select_change_sets(*db, id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

bool GpkgDatabase::changed_between(const std::string& code, const std::string& from, const std::string& to) const {
    auto db = read_records();
    if (db->table_exists(detail::kValidityTable)) {
        auto st = db->prepare(std::string("SELECT 1 FROM ") + detail::kValidityTable + " WHERE layer = ? AND valid_from > ? AND valid_from <= ? LIMIT 1");
        st.bind(1, code).bind(2, from).bind(3, to);
        if (st.step()) return true;
    }
    const std::string hist = detail::history_table(code);
    if (!db->table_exists(hist)) return false;
    auto st = db->prepare("SELECT 1 FROM " + detail::quoted(hist) +
                          " WHERE (minplan_valid_to > ?1 AND minplan_valid_to <= ?2) OR (minplan_valid_from > ?1 AND minplan_valid_from <= ?2) LIMIT 1");
    st.bind(1, from).bind(2, to);
    return st.step();
}

std::vector<AuditEntry> GpkgDatabase::audit_log(const AuditFilter& filter) const {
    auto db = read_records();
    return detail::select_audit(*db, filter);
}

void GpkgDatabase::append_audit(const AuditEntry& entry) {
    auto tx = begin_records();
    tx->audit(entry);
    tx->commit();
}

void GpkgDatabase::add_history_layers() {
    std::vector<TableSchema> missing;
    if (control_->table_exists("minplan_schema")) {
        auto st = control_->prepare("SELECT layer_code, schema_json FROM minplan_schema");
        while (st.step())
            if (!control_->table_exists(detail::history_table(st.text(0))))
                missing.push_back(schema_from_json(st.text(1), path_.string()));
    }
    if (missing.empty()) return;
    try {
        auto ds = open_for_update(path_);
        detail::ensure_history_layers(*ds, missing);
    } catch (const Error&) {  // another process is adding them; a write that needs one says so
    }
}

std::unique_ptr<StagedLayer> GpkgDatabase::stage(const TableSchema& target, const std::vector<Feature>& rows,
                                                 const ProgressFn& progress) {
    require_writable();
    static std::atomic<int> counter{0};
    std::string name = std::string(kStagePrefix) + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + target.code;
    auto staged = std::make_unique<StagedLayer>(*this, target, name, rows.size());
    auto ds = open_for_update(path_);
    detail::LayerOptions options;
    options.layer_name = name;
    prepare_stage_options(*ds, path_, target, options, *staged);
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

// The stage written batch by batch into one staging table (one dataset open for the whole stream): the
// batch in hand is all that is in memory.
std::unique_ptr<StagedLayer> GpkgDatabase::stage_stream(const TableSchema& target, FeatureSource& source,
                                                        const ProgressFn& progress, SwapMode mode) {
    require_writable();
    static std::atomic<int> counter{0};
    std::string name = std::string(kStagePrefix) + std::to_string(::getpid()) + "_s" + std::to_string(counter++) + "_" + target.code;
    auto staged = std::make_unique<StagedLayer>(*this, target, name, 0);
    auto ds = open_for_update(path_);
    detail::LayerOptions options;
    options.layer_name = name;
    prepare_stage_options(*ds, path_, target, options, *staged, mode);
    options.batch_size = kStageBatch;
    options.progress = [&](std::size_t done) {
        if (progress) progress(done);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // as stage(): let waiting writers in
    };
    OGRLayer* layer = detail::create_ogr_layer(*ds, target, options);
    // The reader's geometry facts go beside the stage, by stage fid (only when the fids are the stage's own).
    bool facts = target.spatial && options.first_fid > 0;
    auto sql = borrow(*ds, path_);
    std::vector<Feature> batch;
    std::size_t written = 0;
    while (source.next(batch)) {
        detail::append_ogr_features(*ds, *layer, target, batch, options, written);
        if (facts) {
            if (ds->StartTransaction() != OGRERR_NONE) throw IoError("写入暂存表失败: " + detail::last_gdal_error());
            if (written == 0) detail::create_stage_facts(*sql, name);
            facts = detail::write_stage_facts(*sql, name, batch, options.first_fid + static_cast<std::int64_t>(written));
            if (ds->CommitTransaction() != OGRERR_NONE) throw IoError("写入暂存表失败: " + detail::last_gdal_error());
        }
        written += batch.size();
        staged->set_rows(written);
    }
    staged->set_has_facts(facts && written > 0);
    if (written == 0) detail::append_ogr_features(*ds, *layer, target, {}, options);  // the table exists when empty
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
    return std::make_unique<detail::GpkgRecordTransaction>(path_);
}

void GpkgDatabase::write_sql(const std::function<void(SqliteDb&)>& write) {
    require_writable();
    detail::GpkgRecordTransaction tx(path_);
    write(tx.sql());
    tx.commit();
}

std::optional<AccountRecord> GpkgDatabase::account(const std::string& name) const {
    return detail::select_account(*read_records(), name);
}

std::vector<AccountRecord> GpkgDatabase::accounts() const { return detail::select_accounts(*read_records()); }

std::optional<ReviewRecord> GpkgDatabase::review(std::int64_t id) const { return detail::select_review(*read_records(), id); }

ReviewPage GpkgDatabase::reviews(std::size_t limit, std::size_t offset) const {
    return detail::select_reviews(*read_records(), limit, offset);
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
        drop_stage_tables(*ds, *sql, stage_table);
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

}  // namespace minplan::store
