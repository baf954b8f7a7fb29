// The embedded plan database: a GeoPackage file in SQLite WAL mode (plan_database.hpp for the contract).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "store/plan_database.hpp"

namespace minplan::store {

class SqliteDb;

class GpkgDatabase final : public PlanDatabase {
public:
    explicit GpkgDatabase(const std::filesystem::path& path);
    ~GpkgDatabase() override;

    std::string location() const override { return path_.string(); }
    std::int64_t version() const override;
    std::unique_ptr<PlanStore> snapshot_at(const std::string& as_of) const override;
    std::unique_ptr<StagedLayer> stage(const TableSchema& target, const std::vector<Feature>& rows,
                                       const ProgressFn& progress = {}) override;
    std::unique_ptr<StagedLayer> stage_stream(const TableSchema& target, FeatureSource& source,
                                              const ProgressFn& progress = {}, SwapMode mode = SwapMode::Replace) override;
    std::unique_ptr<PlanTransaction> begin_plan() override;
    std::unique_ptr<RecordTransaction> begin_records() override;
    std::optional<AccountRecord> account(const std::string& name) const override;
    std::vector<AccountRecord> accounts() const override;
    std::optional<ReviewRecord> review(std::int64_t id) const override;
    ReviewPage reviews(std::size_t limit, std::size_t offset) const override;

    // GeoPackage-only: a read-only connection to the file, and SQL run in one write transaction (QGIS
    // projects and styles, which only a GeoPackage keeps).
    std::unique_ptr<SqliteDb> read_records() const;
    void write_sql(const std::function<void(SqliteDb&)>& write);
    std::vector<ChangeRecord> changes(std::size_t limit) const override;
    std::int64_t save_change_set(const ChangeSet& cs, const AuditEntry& audit) override;
    void set_change_set_state(std::int64_t id, const std::string& expected, const std::string& state, const std::string& note,
                              const AuditEntry& audit) override;
    std::vector<ChangeSet> change_sets() const override;
    std::optional<ChangeSet> change_set(std::int64_t id) const override;
    bool changed_between(const std::string& layer, const std::string& from, const std::string& to) const override;
    std::vector<AuditEntry> audit_log(const AuditFilter& filter) const override;
    void append_audit(const AuditEntry& entry) override;

protected:
    void drop_stage(const std::string& stage_table) noexcept override;

private:
    void require_writable() const;
    void remove_leftovers();
    void add_history_layers();  // for databases built before the history

    void open_control() const;

    std::filesystem::path path_;
    mutable bool writable_ = false;
    mutable std::mutex control_mutex_;
    mutable std::unique_ptr<SqliteDb> control_;  // version reads; one statement at a time
    mutable std::uint64_t control_inode_ = 0;    // a database rebuilt at the same path is a new file
    // The version read, prepared once per control connection after the version table was seen: the table is
    // never dropped, so it stays while the file (inode) is the same (declared after control_: finalized first).
    struct VersionRead;
    mutable std::unique_ptr<VersionRead> version_read_;
};

// Removes the work files that writers of `db` left beside it when they were killed (only those of
// processes that no longer run).
void remove_dead_writers_files(const std::filesystem::path& db);

}  // namespace minplan::store
