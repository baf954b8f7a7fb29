// The embedded plan database: a GeoPackage file in SQLite WAL mode (plan_database.hpp for the contract).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/plan_database.hpp"

namespace minplan::store {

class GpkgDatabase final : public PlanDatabase {
public:
    explicit GpkgDatabase(const std::filesystem::path& path);
    ~GpkgDatabase() override;

    std::string location() const override { return path_.string(); }
    std::int64_t version() const override;
    std::unique_ptr<PlanStore> snapshot() const override;
    std::unique_ptr<StagedLayer> stage(const TableSchema& target, const std::vector<Feature>& rows,
                                       const ProgressFn& progress = {}) override;
    std::unique_ptr<PlanTransaction> begin_plan() override;
    std::unique_ptr<RecordTransaction> begin_records() override;
    std::unique_ptr<SqliteDb> read_records() const override;

protected:
    void drop_stage(const std::string& stage_table) noexcept override;

private:
    void require_writable() const;
    void remove_leftovers();

    std::filesystem::path path_;
    bool writable_ = false;
    mutable std::mutex control_mutex_;
    std::unique_ptr<SqliteDb> control_;  // version reads; one statement at a time
};

}  // namespace minplan::store
