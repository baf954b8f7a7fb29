// The records kept beside the plan in a GeoPackage (records.hpp): SQL on the plan file's connection, inside
// the caller's transaction. Tables are created on first write; a database without them reads as empty.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

}  // namespace minplan::store::detail
