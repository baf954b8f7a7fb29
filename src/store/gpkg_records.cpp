#include "store/gpkg_records.hpp"
#include "store/gpkg_history.hpp"

namespace minplan::store::detail {
namespace {

constexpr const char* kUsersTable = "minplan_users";
constexpr const char* kReviewsTable = "minplan_reviews";
constexpr const char* kNumbersTable = "minplan_review_numbers";

// Accounts made before an admin could disable one have no `disabled` column: they are all enabled.
bool has_disabled_column(SqliteDb& db) {
    return db.scalar(std::string("SELECT count(*) FROM pragma_table_info('") + kUsersTable + "') WHERE name = 'disabled'") > 0;
}

void ensure_users(SqliteDb& db) {
    db.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kUsersTable +
            " (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL,"
            " disabled INTEGER NOT NULL DEFAULT 0)");
    if (!has_disabled_column(db))
        db.exec(std::string("ALTER TABLE ") + kUsersTable + " ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0");
}

std::vector<AccountRecord> accounts_where(SqliteDb& db, const std::string* name) {
    std::vector<AccountRecord> out;
    if (!db.table_exists(kUsersTable)) return out;
    const std::string disabled = has_disabled_column(db) ? "disabled" : "0";
    auto st = db.prepare("SELECT name, role, password_hash, created_at, " + disabled + " FROM " + kUsersTable +
                         (name ? " WHERE name = ?" : " ORDER BY name"));
    if (name) st.bind(1, *name);
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.integer(4) != 0});
    return out;
}

void ensure_reviews(SqliteDb& db) {
    db.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kReviewsTable +
            " (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, username TEXT NOT NULL, role TEXT NOT NULL,"
            " input_format TEXT NOT NULL, input TEXT NOT NULL, attributes_json TEXT NOT NULL, verdict TEXT NOT NULL,"
            " report_json TEXT NOT NULL, opinion_html TEXT NOT NULL)");
}

}  // namespace

bool add_account(SqliteDb& db, const AccountRecord& a) {
    ensure_users(db);
    auto st = db.prepare(std::string("INSERT OR IGNORE INTO ") + kUsersTable +
                         " (name, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, a.name).bind(2, a.role).bind(3, a.password_hash).bind(4, a.created_at).bind(5, std::int64_t{a.disabled ? 1 : 0});
    st.step();
    return db.scalar("SELECT changes()") > 0;
}

bool remove_account(SqliteDb& db, const std::string& name) {
    if (!db.table_exists(kUsersTable)) return false;
    auto st = db.prepare(std::string("DELETE FROM ") + kUsersTable + " WHERE name = ?");
    st.bind(1, name);
    st.step();
    return db.scalar("SELECT changes()") > 0;
}

bool update_account(SqliteDb& db, const std::string& name, AccountField field, const std::string& value) {
    if (!db.table_exists(kUsersTable)) return false;
    ensure_users(db);
    const char* column = field == AccountField::Role ? "role" : field == AccountField::PasswordHash ? "password_hash" : "disabled";
    auto st = db.prepare(std::string("UPDATE ") + kUsersTable + " SET " + column + " = ? WHERE name = ?");
    if (field == AccountField::Disabled) st.bind(1, std::int64_t{value == "1" ? 1 : 0});
    else st.bind(1, value);
    st.bind(2, name);
    st.step();
    return db.scalar("SELECT changes()") > 0;
}

std::optional<AccountRecord> select_account(SqliteDb& db, const std::string& name) {
    auto found = accounts_where(db, &name);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<AccountRecord> select_accounts(SqliteDb& db) { return accounts_where(db, nullptr); }

std::int64_t next_review_number(SqliteDb& db, int year) {
    db.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kNumbersTable + " (year INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL)");
    auto up = db.prepare(std::string("INSERT INTO ") + kNumbersTable +
                         " (year, last_seq) VALUES (?, 1) ON CONFLICT(year) DO UPDATE SET last_seq = last_seq + 1");
    up.bind(1, static_cast<std::int64_t>(year));
    up.step();
    auto st = db.prepare(std::string("SELECT last_seq FROM ") + kNumbersTable + " WHERE year = ?");
    st.bind(1, static_cast<std::int64_t>(year));
    st.step();
    return st.integer(0);
}

std::int64_t insert_review(SqliteDb& db, const ReviewRecord& r) {
    ensure_reviews(db);
    auto st = db.prepare(std::string("INSERT INTO ") + kReviewsTable +
                         " (created_at, username, role, input_format, input, attributes_json, verdict, report_json, opinion_html)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, r.created_at).bind(2, r.username).bind(3, r.role).bind(4, r.input_format).bind(5, r.input);
    st.bind(6, r.attributes_json).bind(7, r.verdict).bind(8, r.report_json).bind(9, r.opinion_html);
    st.step();
    return db.last_insert_id();
}

std::optional<ReviewRecord> select_review(SqliteDb& db, std::int64_t id) {
    if (!db.table_exists(kReviewsTable)) return std::nullopt;
    auto st = db.prepare(std::string("SELECT id, created_at, username, role, input_format, input, attributes_json, verdict,"
                                     " report_json, opinion_html FROM ") + kReviewsTable + " WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return ReviewRecord{st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4),
                        st.text(5),    st.text(6), st.text(7), st.text(8), st.text(9)};
}

ReviewPage select_reviews(SqliteDb& db, std::size_t limit, std::size_t offset) {
    ReviewPage page;
    if (!db.table_exists(kReviewsTable)) return page;
    // One read transaction: the total and the rows agree.
    db.exec("BEGIN");
    try {
        page.total = db.scalar(std::string("SELECT count(*) FROM ") + kReviewsTable);
        auto st = db.prepare(std::string("SELECT id, created_at, username, role, verdict, json_extract(report_json, '$.application.name'),"
                                         " json_extract(report_json, '$.application.kind'), json_extract(report_json, '$.application.action'),"
                                         " json_extract(report_json, '$.application.area_km2'), json_extract(report_json, '$.opinion.number') FROM ") +
                             kReviewsTable + " ORDER BY id DESC LIMIT ? OFFSET ?");
        st.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
        while (st.step()) {
            ReviewSummary s{st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4),
                            st.is_null(9) ? std::string() : st.text(9), st.text(5), st.text(6), st.text(7), std::nullopt};
            if (!st.is_null(8)) s.area_km2 = std::stod(st.text(8));
            page.rows.push_back(std::move(s));
        }
    } catch (...) {
        db.exec("COMMIT");
        throw;
    }
    db.exec("COMMIT");
    return page;
}

GpkgRecordTransaction::GpkgRecordTransaction(const std::filesystem::path& path) : db_(path, SqliteDb::Mode::ReadWrite) {
    db_.exec("BEGIN IMMEDIATE");
    active_ = true;
}

GpkgRecordTransaction::~GpkgRecordTransaction() {
    if (!active_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {  // closing the connection rolls back as well
    }
}

void GpkgRecordTransaction::audit(const AuditEntry& entry) { insert_audit(db_, entry); }

void GpkgRecordTransaction::commit() {
    db_.exec("COMMIT");
    active_ = false;
    db_.checkpoint_after_commit();
}

}  // namespace minplan::store::detail
