// The records kept beside the plan in a GeoPackage (records.hpp): SQL on the plan file's connection, inside
// the caller's transaction. Tables are created on first write; a database without them reads as empty.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/plan_database.hpp"
#include "store/records.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store::detail {

bool add_account(SqliteDb& db, const AccountRecord& a);
bool remove_account(SqliteDb& db, const std::string& name);
bool update_account(SqliteDb& db, const std::string& name, AccountField field, const std::string& value);
std::optional<AccountRecord> select_account(SqliteDb& db, const std::string& name);
std::vector<AccountRecord> select_accounts(SqliteDb& db);

std::int64_t next_review_number(SqliteDb& db, int year);
std::int64_t insert_review(SqliteDb& db, const ReviewRecord& r);
std::optional<ReviewRecord> select_review(SqliteDb& db, std::int64_t id);
ReviewPage select_reviews(SqliteDb& db, std::size_t limit, std::size_t offset);

// A write of records (accounts, reviews, audit entries) on its own connection to the plan file: BEGIN
// IMMEDIATE takes the write lock at once; rolled back unless committed.
class GpkgRecordTransaction final : public RecordTransaction {
public:
    explicit GpkgRecordTransaction(const std::filesystem::path& path);
    ~GpkgRecordTransaction() override;
    SqliteDb& sql() { return db_; }
    bool add_account(const AccountRecord& a) override { return detail::add_account(db_, a); }
    bool remove_account(const std::string& name) override { return detail::remove_account(db_, name); }
    bool update_account(const std::string& name, AccountField field, const std::string& value) override {
        return detail::update_account(db_, name, field, value);
    }
    std::int64_t next_review_number(int year) override { return detail::next_review_number(db_, year); }
    std::int64_t insert_review(const ReviewRecord& r) override { return detail::insert_review(db_, r); }
    void audit(const AuditEntry& entry) override;
    void commit() override;

private:
    SqliteDb db_;
    bool active_ = false;
};

}  // namespace minplan::store::detail
