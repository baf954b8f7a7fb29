// The plan database as the system of record: one object per database through which every read and every
// write goes.
//
//   snapshot()       a consistent read view (PlanStore) at one version: what it reads does not change
//                    while it lives, whatever other writers commit meanwhile.
//   stage()          writes rows for a plan table into a staging table, in short batches, without touching
//                    the live table: a million-feature import never holds other writers (or readers) out.
//   stage_stream()   the same from a FeatureSource that yields the rows batch by batch: only one batch is in
//                    memory at a time (the default collects them all and calls stage()).
//   begin_plan()     a write transaction on the plan (layer replace/append from staged rows, metadata);
//                    commit() makes it visible at once and bumps the version.
//   begin_records()  a write transaction on the records kept beside the plan (accounts, saved reviews); the
//                    plan version does not move.
//   version()        one counter per database, bumped by every plan commit: every service of the server
//                    compares it and moves to a new snapshot together.
//
// The GeoPackage implementation (gpkg_database.cpp) uses SQLite in WAL mode with a busy timeout and takes
// the write lock at the start of a transaction (BEGIN IMMEDIATE semantics); a PostGIS implementation maps
// the same calls onto REPEATABLE READ snapshots, staging tables and a version row.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/history.hpp"
#include "store/plan_store.hpp"
#include "store/records.hpp"

namespace minplan::store {

class PlanDatabase;

// Rows of one plan table written to a staging table, waiting to be swapped in. Dropped when destroyed
// unless a transaction consumed it; a stage left by a killed process is dropped when the database is
// next opened for writing.
class StagedLayer {
public:
    StagedLayer(PlanDatabase& db, TableSchema target, std::string stage_table, std::size_t rows);
    ~StagedLayer();
    StagedLayer(const StagedLayer&) = delete;
    StagedLayer& operator=(const StagedLayer&) = delete;

    const TableSchema& target() const { return target_; }
    const std::string& stage_table() const { return stage_table_; }
    std::size_t rows() const { return rows_; }
    void set_rows(std::size_t rows) { rows_ = rows; }  // a streamed stage counts its rows as they come
    void mark_consumed() { consumed_ = true; }
    // GeoPackage: the stage's fids continue the live table's sequence as it stood when staging began
    // (fid_base + 1, + 2, …; -1: the stage numbers its rows itself), so that a replace can turn the stage
    // into the live table without copying its rows, when no other write moved the sequence meanwhile.
    std::int64_t fid_base() const { return fid_base_; }
    void set_fid_base(std::int64_t base) { fid_base_ = base; }
    // Whether every row with a geometry came with the reader's GeometryFacts, kept beside the stage for the
    // store's exact-area record (store/geodesy.hpp).
    bool has_facts() const { return has_facts_; }
    void set_has_facts(bool facts) { has_facts_ = facts; }

private:
    PlanDatabase& db_;
    TableSchema target_;
    std::string stage_table_;
    std::size_t rows_ = 0;
    bool consumed_ = false;
    std::int64_t fid_base_ = -1;
    bool has_facts_ = false;
};

enum class SwapMode { Replace, Append };

class PlanTransaction {
public:
    virtual ~PlanTransaction() = default;  // rolls back unless committed
    // Replaces (or extends) the target table of `staged` with its rows; the stage is dropped on commit.
    virtual void swap_in(StagedLayer& staged, SwapMode mode) = 0;
    virtual void set_metadata(const std::string& key, const std::string& value) = 0;
    // The version committed before this transaction: a read-modify-write compares it with the version of
    // the snapshot it read, and starts again when another writer committed in between.
    virtual std::int64_t base_version() const = 0;
    // Who made the change (kept in the change log); default: the operating-system user and process.
    virtual void set_actor(const std::string& actor) = 0;
    // History (history.hpp). Rows this transaction retires or adds take effect on `effective_date` and
    // carry `change_set`; without set_effect, the transaction records itself as an approved import
    // change set effective today (a layer import is one change set: old rows retired, new rows added).
    virtual void set_effect(const std::string& effective_date, std::int64_t change_set) = 0;
    // Moves these rows of `layer` from the live table to its history (valid_to = the effective date).
    // A Replace swap_in retires every live row the same way: nothing is overwritten.
    virtual void retire(const TableSchema& layer, const std::vector<std::int64_t>& fids) = 0;
    // Marks a submitted change set approved (by `actor`) with the version this transaction commits.
    virtual void approve_change_set(std::int64_t id, const std::string& actor) = 0;
    // Appends an entry to the audit trail in this transaction (time and actor filled in when empty).
    virtual void audit(const AuditEntry& entry) = 0;
    // Makes every change visible at once and writes its line of the change log; returns the new version.
    virtual std::int64_t commit() = 0;
};

// One committed plan change: the version it produced, when, by whom, and what it changed.
struct ChangeRecord {
    std::int64_t version = 0;
    std::string committed_at;  // UTC ISO 8601
    std::string actor;
    std::string summary;       // e.g. "KAICQK（开采规划区块）：替换为 3 条"
};

class RecordTransaction {
public:
    virtual ~RecordTransaction() = default;  // rolls back unless committed
    // Accounts (records.hpp): false when the name is taken / there is no such account.
    virtual bool add_account(const AccountRecord& account) = 0;
    virtual bool remove_account(const std::string& name) = 0;
    virtual bool update_account(const std::string& name, AccountField field, const std::string& value) = 0;
    // The next review number of `year` (1, 2, …): taken in this transaction, never handed out twice.
    virtual std::int64_t next_review_number(int year) = 0;
    // Stores a saved review (its id is ignored); returns the id it got.
    virtual std::int64_t insert_review(const ReviewRecord& review) = 0;
    // Appends an entry to the audit trail in this transaction (time and actor filled in when empty).
    virtual void audit(const AuditEntry& entry) = 0;
    virtual void commit() = 0;
};

using ProgressFn = std::function<void(std::size_t rows_done)>;

// Rows handed to stage_stream() a batch at a time (an import reading its source files as it goes).
class FeatureSource {
public:
    virtual ~FeatureSource() = default;
    // Replaces the content of `batch` with the next rows; false (and `batch` empty) once there are none. May
    // throw: the stage written so far is then dropped.
    virtual bool next(std::vector<Feature>& batch) = 0;
};

class PlanDatabase {
public:
    virtual ~PlanDatabase() = default;
    virtual std::string location() const = 0;
    // The version of the plan content as last committed (cheap: one indexed read).
    virtual std::int64_t version() const = 0;
    // The plan in force today (Asia/Shanghai): snapshot_at(today()).
    std::unique_ptr<PlanStore> snapshot() const { return snapshot_at(today()); }
    // The plan as of a date YYYY-MM-DD: the rows valid on that day, at the current version. Reads of a
    // layer with no change effective after `as_of` take the live table's fast path (its R*Tree); others
    // combine the live rows valid then with the layer's history rows.
    virtual std::unique_ptr<PlanStore> snapshot_at(const std::string& as_of) const = 0;
    virtual std::unique_ptr<StagedLayer> stage(const TableSchema& target, const std::vector<Feature>& rows,
                                               const ProgressFn& progress = {}) = 0;
    // Stages the rows `source` yields, batch by batch. The default collects every batch and calls stage();
    // a store that can append to a staging table overrides it so that memory stays one batch. `mode` is the
    // swap-in the stage is for: an append copies the rows into the live table, so its stage needs no
    // spatial index of its own.
    virtual std::unique_ptr<StagedLayer> stage_stream(const TableSchema& target, FeatureSource& source,
                                                      const ProgressFn& progress = {}, SwapMode mode = SwapMode::Replace);
    virtual std::unique_ptr<PlanTransaction> begin_plan() = 0;
    virtual std::unique_ptr<RecordTransaction> begin_records() = 0;
    // The records (records.hpp), each read one consistent read.
    virtual std::optional<AccountRecord> account(const std::string& name) const = 0;
    virtual std::vector<AccountRecord> accounts() const = 0;  // by name
    virtual std::optional<ReviewRecord> review(std::int64_t id) const = 0;
    virtual ReviewPage reviews(std::size_t limit, std::size_t offset) const = 0;
    // The change log, newest first (table minplan_changes; the start of the plan's history).
    virtual std::vector<ChangeRecord> changes(std::size_t limit) const = 0;

    // Change sets (history.hpp), kept beside the plan; the plan version does not move until one is approved
    // (services/changesets applies it in a plan transaction). save_change_set writes a draft or returned
    // set with its items (id 0: a new one; returns the id) and refuses any other state: an approved set is
    // never edited.
    virtual std::int64_t save_change_set(const ChangeSet& cs, const AuditEntry& audit) = 0;
    // Submitted or returned (not approved: that is PlanTransaction::approve_change_set); `expected` is the
    // state it must be in, else InputError saying which it is in.
    virtual void set_change_set_state(std::int64_t id, const std::string& expected, const std::string& state,
                                      const std::string& note, const AuditEntry& audit) = 0;
    virtual std::vector<ChangeSet> change_sets() const = 0;  // without items, newest first
    virtual std::optional<ChangeSet> change_set(std::int64_t id) const = 0;  // with items
    // Whether a row of the layer (its database code) took effect or ended in (from, to]: a diff
    // reads only the layers that changed.
    virtual bool changed_between(const std::string& layer, const std::string& from, const std::string& to) const = 0;
    // The audit trail, newest first; and one entry written on its own (a failed login writes nothing else).
    virtual std::vector<AuditEntry> audit_log(const AuditFilter& filter) const = 0;
    virtual void append_audit(const AuditEntry& entry) = 0;

protected:
    friend class StagedLayer;
    virtual void drop_stage(const std::string& stage_table) noexcept = 0;
};

// Opens a plan database: a GeoPackage path ("PG:<conninfo>" later). Switches the file to WAL, removes what
// killed writers left behind, and refuses with a clear message a file that is locked or not a GeoPackage.
std::shared_ptr<PlanDatabase> open_database(const std::string& location);

// A read view of the plan at `location` as of a date (YYYY-MM-DD; empty = today): what every reading
// command opens (`--as-of`).
std::unique_ptr<PlanStore> open_store_at(const std::string& location, const std::string& as_of);

// Another writer committed after the snapshot a read-modify-write was computed from.
class ConflictError : public IoError {
public:
    using IoError::IoError;
};

using TableWrites = std::vector<std::pair<TableSchema, std::vector<Feature>>>;

// Stages `rows` for each schema and swaps them all in in one plan transaction (an intake's tables, one
// imported layer): the common case of every plan write. With `read_version`, throws ConflictError (and
// writes nothing) unless the database is still at that version when the write lock is taken.
// `metadata` is set in the same transaction (e.g. the import's quality-check result).
std::int64_t write_tables(PlanDatabase& db, const TableWrites& tables, SwapMode mode, const ProgressFn& progress = {},
                          std::optional<std::int64_t> read_version = std::nullopt, const std::string& actor = {},
                          const std::string& action = "plan.write",
                          const std::vector<std::pair<std::string, std::string>>& metadata = {});

}  // namespace minplan::store
