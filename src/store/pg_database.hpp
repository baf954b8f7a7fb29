// The plan database on PostgreSQL + PostGIS (plan_database.hpp for the contract; docs/database.md "PostGIS"
// for the mapping): one schema per plan, layers as PostGIS tables in EPSG:4490 with GiST indexes, snapshots
// as REPEATABLE READ transactions, plan writes serialised by a row lock on minplan_version.
#pragma once

#include <memory>
#include <mutex>

#include "store/plan_database.hpp"
#include "store/pg_schema.hpp"

namespace minplan::store {

class PgDatabase final : public PlanDatabase {
public:
    // Opens the plan named by active_schema=… in `location` ("PG:<conninfo>"); without one, the only plan
    // in the database. IoError/InputError in Chinese for every failure to connect or an older schema.
    explicit PgDatabase(const std::string& location);
    ~PgDatabase() override;

    std::string location() const override { return location_; }
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
    std::vector<ChangeRecord> changes(std::size_t limit) const override;
    std::int64_t save_change_set(const ChangeSet& cs, const AuditEntry& audit) override;
    void set_change_set_state(std::int64_t id, const std::string& expected, const std::string& state, const std::string& note,
                              const AuditEntry& audit) override;
    std::vector<ChangeSet> change_sets() const override;
    std::optional<ChangeSet> change_set(std::int64_t id) const override;
    bool changed_between(const std::string& layer, const std::string& from, const std::string& to) const override;
    std::vector<AuditEntry> audit_log(const AuditFilter& filter) const override;
    void append_audit(const AuditEntry& entry) override;

    const std::string& plan() const { return where_.plan; }
    std::unique_ptr<pg::Conn> connect() const;  // a new connection on the plan's schema

protected:
    void drop_stage(const std::string& stage_table) noexcept override;

private:
    std::unique_ptr<StagedLayer> create_stage(pg::Conn& conn, const TableSchema& target);
    void append_stage(pg::Conn& conn, StagedLayer& staged, const std::vector<Feature>& rows, const ProgressFn& progress);
    void drop_orphan_stages();  // stages of killed processes (their backend is gone)
    std::int64_t backend_pid_ = 0;  // of control_: names this object's stages
    std::string location_;
    pg::Location where_;
    mutable std::mutex control_mutex_;
    mutable std::unique_ptr<pg::Conn> control_;  // version and record reads; one statement at a time
};

// The plans (schemas) a PostgreSQL database holds, with their versions: `minplan plans`.
struct PlanEntry {
    std::string id;
    std::int64_t version = 0;
    int schema_version = 0;
    std::string title;  // metadata name_zh (plan.json) when present
};
std::vector<PlanEntry> list_plans(const std::string& location);
// Applies the pending migrations of the plan(s) at `location` (all plans when none is named), each plan in
// one transaction; returns "plan: versions" lines.
std::vector<std::string> migrate_plans(const std::string& location);
// Writes the whole plan read from `from` into the plan (schema) at `to` in one transaction: layers, features,
// metadata and package files. Refuses an existing plan unless `replace`.
void copy_into_pg(const PlanStore& from, const std::string& to, bool replace);

}  // namespace minplan::store
