#include "store/pg_database.hpp"

#include <unistd.h>

#include <atomic>

#include "store/pg_store.hpp"

namespace minplan::store {
namespace {

using pg::ident;
using pg::Param;

std::string utc_now() {
    return "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

void insert_audit(pg::Conn& conn, AuditEntry e) {
    if (e.at.empty()) e.at = now_shanghai();
    if (e.actor.empty()) e.actor = os_actor();
    conn.exec("INSERT INTO minplan_audit (at, actor, client, action, object, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {e.at, e.actor, e.client, e.action, e.object, e.before, e.after});
}

// Rolls back unless committed; the connection is the transaction's own.
class PgTx {
public:
    explicit PgTx(std::unique_ptr<pg::Conn> conn, const char* begin = "BEGIN") : conn_(std::move(conn)) {
        conn_->exec(begin);
        active_ = true;
    }
    ~PgTx() {
        if (!active_) return;
        try {
            conn_->exec("ROLLBACK");
        } catch (...) {  // closing the connection rolls back as well
        }
    }
    pg::Conn& conn() { return *conn_; }
    void commit() {
        conn_->exec("COMMIT");
        active_ = false;
    }

private:
    std::unique_ptr<pg::Conn> conn_;
    bool active_ = false;
};

class PgPlanTransaction final : public PlanTransaction {
public:
    explicit PgPlanTransaction(std::unique_ptr<pg::Conn> conn) : tx_(std::move(conn)) {
        // The row lock serialises plan writers; readers never wait for it.
        base_ = tx_.conn().scalar("SELECT version FROM minplan_version WHERE id = 1 FOR UPDATE");
    }
    void swap_in(StagedLayer& staged, SwapMode mode) override {
        const TableSchema& s = staged.target();
        auto& c = tx_.conn();
        if (mode == SwapMode::Replace) c.exec("DELETE FROM " + ident(s.code));
        const std::string cols = pg::column_list(s);
        c.exec("INSERT INTO " + ident(s.code) + " (" + cols + ") SELECT " + cols + " FROM " + ident(staged.stage_table()) + " ORDER BY fid");
        c.exec("DROP TABLE " + ident(staged.stage_table()));
        staged.mark_consumed();
        summary_.push_back(s.code + "（" + s.name_zh + "）：" + (mode == SwapMode::Replace ? "替换为 " : "追加 ") +
                           std::to_string(staged.rows()) + " 条");
    }
    void set_metadata(const std::string& key, const std::string& value) override {
        tx_.conn().exec("INSERT INTO minplan_metadata (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        {key, value});
        summary_.push_back("元数据 " + key);
    }
    std::int64_t base_version() const override { return base_; }
    void set_actor(const std::string& actor) override { actor_ = actor; }
    void set_effect(const std::string& /*effective_date*/, std::int64_t /*change_set*/) override {}
    void retire(const TableSchema& layer, const std::vector<std::int64_t>& fids) override {
        std::string list;
        for (auto fid : fids) list += (list.empty() ? "" : ",") + std::to_string(fid);
        tx_.conn().exec("DELETE FROM " + ident(layer.code) + " WHERE fid = ANY ($1::bigint[])", {"{" + list + "}"});
        summary_.push_back(layer.code + "（" + layer.name_zh + "）：注销 " + std::to_string(fids.size()) + " 条");
    }
    void approve_change_set(std::int64_t /*id*/, const std::string& /*actor*/) override {
        throw InputError("PostGIS 规划数据库暂不支持调整批次（请在 GeoPackage 上审批后用 minplan copy 复制）/ change sets are not yet stored in PostGIS");
    }
    void audit(const AuditEntry& entry) override {
        insert_audit(tx_.conn(), entry);
        audited_ = true;
    }
    std::int64_t commit() override {
        auto& c = tx_.conn();
        std::string summary;
        for (const auto& s : summary_) summary += (summary.empty() ? "" : "；") + s;
        const std::int64_t version = c.scalar("UPDATE minplan_version SET version = version + 1, changed_at = " + utc_now() +
                                              " WHERE id = 1 RETURNING version");
        c.exec("INSERT INTO minplan_changes (version, committed_at, actor, summary) VALUES ($1, " + utc_now() + ", $2, $3)",
               {std::to_string(version), actor_.empty() ? os_actor() : actor_, summary});
        if (!audited_) insert_audit(c, {0, "", actor_, "", "plan.write", summary, "", "版本 " + std::to_string(version)});
        // Other servers on this database move to the new version without polling for it.
        c.exec("NOTIFY minplan_plan");
        tx_.commit();
        return version;
    }

private:
    PgTx tx_;
    std::int64_t base_ = 0;
    std::string actor_;
    std::vector<std::string> summary_;
    bool audited_ = false;
};

class PgRecordTransaction final : public RecordTransaction {
public:
    explicit PgRecordTransaction(std::unique_ptr<pg::Conn> conn) : tx_(std::move(conn)) {}
    bool add_account(const AccountRecord& a) override {
        return tx_.conn()
                   .exec("INSERT INTO minplan_users (name, role, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, $5)"
                         " ON CONFLICT (name) DO NOTHING",
                         {a.name, a.role, a.password_hash, a.created_at, a.disabled ? "true" : "false"})
                   .affected() > 0;
    }
    bool remove_account(const std::string& name) override {
        return tx_.conn().exec("DELETE FROM minplan_users WHERE name = $1", {name}).affected() > 0;
    }
    bool update_account(const std::string& name, AccountField field, const std::string& value) override {
        const char* set = field == AccountField::Role ? "role = $1" : field == AccountField::PasswordHash ? "password_hash = $1"
                                                                                                         : "disabled = ($1 = '1')";
        return tx_.conn().exec(std::string("UPDATE minplan_users SET ") + set + " WHERE name = $2", {value, name}).affected() > 0;
    }
    std::int64_t next_review_number(int year) override {
        return tx_.conn().scalar("INSERT INTO minplan_review_numbers (year, last_seq) VALUES ($1, 1) ON CONFLICT (year)"
                                 " DO UPDATE SET last_seq = minplan_review_numbers.last_seq + 1 RETURNING last_seq",
                                 {std::to_string(year)});
    }
    std::int64_t insert_review(const ReviewRecord& r) override {
        return tx_.conn().scalar("INSERT INTO minplan_reviews (created_at, username, role, input_format, input, attributes_json, verdict,"
                                 " report_json, opinion_html) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                                 {r.created_at, r.username, r.role, r.input_format, r.input, r.attributes_json, r.verdict,
                                  r.report_json, r.opinion_html});
    }
    void audit(const AuditEntry& entry) override { insert_audit(tx_.conn(), entry); }
    void commit() override {
        tx_.conn().exec("NOTIFY minplan_records");
        tx_.commit();
    }

private:
    PgTx tx_;
};

std::atomic<int> stage_counter{0};

}  // namespace

PgDatabase::PgDatabase(const std::string& location) : location_(location), where_(pg::parse_location(location)) {
    control_ = pg::connect(where_);
    auto plans = pg::plan_schemas(*control_);
    if (where_.plan.empty()) {
        if (plans.size() != 1) {
            std::string names;
            for (const auto& p : plans) names += (names.empty() ? "" : "、") + p;
            throw InputError(plans.empty() ? "PostgreSQL 数据库中还没有规划（" + control_->shown() +
                                                 "）：先用 minplan copy --from plan.gpkg --to PG:… --plan 编号 写入 / no plan in the database"
                                           : "PostgreSQL 数据库中有多个规划（" + names + "）：请用 --plan 编号 选择 / several plans, choose one with --plan");
        }
        where_.plan = plans.front();
        control_->exec("SET search_path TO " + ident(where_.plan) + ", public");
    } else if (std::find(plans.begin(), plans.end(), where_.plan) == plans.end()) {
        throw NotFoundError("PostgreSQL 数据库中没有规划 \"" + where_.plan + "\"（" + control_->shown() + "）" +
                            (plans.empty() ? std::string() : "；已有：" + [&] {
                                std::string names;
                                for (const auto& p : plans) names += (names.empty() ? "" : "、") + p;
                                return names;
                            }()) + " / no such plan");
    }
    const int v = pg::schema_version(*control_, where_.plan);
    if (v < pg::kSchemaVersion)
        throw InputError("规划 " + where_.plan + " 的数据库结构来自较早版本的 minplan（结构版本 " + std::to_string(v) + "，当前 " +
                         std::to_string(pg::kSchemaVersion) + "）：请运行 minplan migrate --db PG:… / run minplan migrate");
    if (v > pg::kSchemaVersion)
        throw InputError("规划 " + where_.plan + " 的数据库结构版本 " + std::to_string(v) + " 比本程序新：请升级 minplan / newer schema");
    control_->exec("LISTEN minplan_plan");
}

PgDatabase::~PgDatabase() = default;

std::unique_ptr<pg::Conn> PgDatabase::connect() const {
    auto conn = std::make_unique<pg::Conn>(where_.conninfo);
    conn->exec("SET search_path TO " + ident(where_.plan) + ", public");
    return conn;
}

std::int64_t PgDatabase::version() const {
    std::lock_guard lock(control_mutex_);
    return control_->scalar("SELECT version FROM minplan_version WHERE id = 1");
}

std::unique_ptr<PlanStore> PgDatabase::snapshot_at(const std::string& as_of) const {
    const std::string date = parse_date(as_of, "查询日期 / as-of date");
    // Without history tables a past date would read today's rows: refuse rather than answer wrongly.
    if (date < today())
        throw InputError("PostGIS 规划数据库尚未保存历史，不能读取 " + date + " 的规划（--as-of）；请在 GeoPackage 上按日期查询"
                         " / as-of reads are not yet supported on PostGIS");
    return std::make_unique<PgStore>(connect(), location_, date);
}

std::unique_ptr<StagedLayer> PgDatabase::stage(const TableSchema& target, const std::vector<Feature>& rows, const ProgressFn& progress) {
    auto conn = connect();
    if (conn->scalar("SELECT count(*) FROM minplan_schema WHERE layer_code = $1", {target.code}) == 0)
        throw NotFoundError("规划数据库中没有图层 " + target.code + "（" + target.name_zh + "）/ no such layer");
    const std::string name = "minplan_stage_" + std::to_string(::getpid()) + "_" + std::to_string(++stage_counter);
    // An unlogged copy of the target's columns; rows go in in short transactions, the live table untouched.
    conn->exec("CREATE UNLOGGED TABLE " + ident(name) + " (LIKE " + ident(target.code) + " INCLUDING DEFAULTS)");
    auto staged = std::make_unique<StagedLayer>(*this, target, name, rows.size());
    const std::string insert = "INSERT INTO " + ident(name) + " (" + pg::column_list(target) + ") VALUES (" + pg::placeholders(target, 1) + ")";
    constexpr std::size_t kBatch = 5000;
    std::vector<Param> params;
    for (std::size_t i = 0; i < rows.size(); i += kBatch) {
        conn->exec("BEGIN");
        for (std::size_t j = i; j < std::min(rows.size(), i + kBatch); ++j) {
            params.clear();
            pg::append_params(target, rows[j], params);
            conn->exec(insert, params);
        }
        conn->exec("COMMIT");
        if (progress) progress(std::min(rows.size(), i + kBatch));
    }
    return staged;
}

std::unique_ptr<PlanTransaction> PgDatabase::begin_plan() { return std::make_unique<PgPlanTransaction>(connect()); }

std::unique_ptr<RecordTransaction> PgDatabase::begin_records() { return std::make_unique<PgRecordTransaction>(connect()); }

void PgDatabase::drop_stage(const std::string& stage_table) noexcept {
    try {
        connect()->exec("DROP TABLE IF EXISTS " + ident(stage_table));
    } catch (...) {
    }
}

std::optional<AccountRecord> PgDatabase::account(const std::string& name) const {
    std::lock_guard lock(control_mutex_);
    auto r = control_->exec("SELECT name, role, password_hash, created_at, disabled FROM minplan_users WHERE name = $1", {name});
    if (r.rows() == 0) return std::nullopt;
    return AccountRecord{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4) == "t"};
}

std::vector<AccountRecord> PgDatabase::accounts() const {
    std::lock_guard lock(control_mutex_);
    auto r = control_->exec("SELECT name, role, password_hash, created_at, disabled FROM minplan_users ORDER BY name COLLATE \"C\"");
    std::vector<AccountRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4) == "t"});
    return out;
}

std::optional<ReviewRecord> PgDatabase::review(std::int64_t id) const {
    std::lock_guard lock(control_mutex_);
    auto r = control_->exec("SELECT id, created_at, username, role, input_format, input, attributes_json, verdict, report_json,"
                            " opinion_html FROM minplan_reviews WHERE id = $1", {std::to_string(id)});
    if (r.rows() == 0) return std::nullopt;
    return ReviewRecord{r.integer(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4),
                        r.text(0, 5),    r.text(0, 6), r.text(0, 7), r.text(0, 8), r.text(0, 9)};
}

ReviewPage PgDatabase::reviews(std::size_t limit, std::size_t offset) const {
    std::lock_guard lock(control_mutex_);
    // One statement: the total and the rows agree.
    auto r = control_->exec("SELECT id, created_at, username, role, verdict, j #>> '{application,name}', j #>> '{application,kind}',"
                            " j #>> '{application,action}', j #>> '{application,area_km2}', j #>> '{opinion,number}',"
                            " count(*) OVER () FROM (SELECT *, report_json::jsonb AS j FROM minplan_reviews) r"
                            " ORDER BY id DESC LIMIT $1 OFFSET $2", {std::to_string(limit), std::to_string(offset)});
    ReviewPage page;
    for (int i = 0; i < r.rows(); ++i) {
        ReviewSummary s{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                        r.text(i, 9),    r.text(i, 5), r.text(i, 6), r.text(i, 7), std::nullopt};
        if (!r.is_null(i, 8)) s.area_km2 = std::stod(r.text(i, 8));
        page.total = r.integer(i, 10);
        page.rows.push_back(std::move(s));
    }
    if (page.rows.empty()) page.total = control_->scalar("SELECT count(*) FROM minplan_reviews");
    return page;
}

std::vector<ChangeRecord> PgDatabase::changes(std::size_t limit) const {
    std::lock_guard lock(control_mutex_);
    auto r = control_->exec("SELECT version, committed_at, actor, summary FROM minplan_changes ORDER BY version DESC LIMIT $1",
                            {std::to_string(limit)});
    std::vector<ChangeRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
    return out;
}

std::int64_t PgDatabase::save_change_set(const ChangeSet&, const AuditEntry&) {
    throw InputError("PostGIS 规划数据库暂不支持调整批次（请在 GeoPackage 上编辑后用 minplan copy 复制）/ change sets are not yet stored in PostGIS");
}

void PgDatabase::set_change_set_state(std::int64_t, const std::string&, const std::string&, const std::string&, const AuditEntry&) {
    throw InputError("PostGIS 规划数据库暂不支持调整批次 / change sets are not yet stored in PostGIS");
}

std::vector<ChangeSet> PgDatabase::change_sets() const { return {}; }
std::optional<ChangeSet> PgDatabase::change_set(std::int64_t) const { return std::nullopt; }
bool PgDatabase::changed_between(const std::string&, const std::string&, const std::string&) const { return false; }

std::vector<AuditEntry> PgDatabase::audit_log(const AuditFilter& f) const {
    std::lock_guard lock(control_mutex_);
    // substr(at, 1, 10) is the Shanghai date of the entry.
    auto r = control_->exec("SELECT id, at, actor, client, action, object, before, after FROM minplan_audit"
                            " WHERE ($1 = '' OR substr(at, 1, 10) >= $1) AND ($2 = '' OR substr(at, 1, 10) <= $2)"
                            " AND ($3 = '' OR actor = $3) AND ($4 = '' OR action = $4 OR action LIKE $4 || '.%')"
                            " AND ($5 = '' OR strpos(object, $5) > 0) ORDER BY id DESC LIMIT $6",
                            {f.from, f.to, f.actor, f.action, f.object, std::to_string(f.limit ? f.limit : 1000000)});
    std::vector<AuditEntry> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7)});
    return out;
}

void PgDatabase::append_audit(const AuditEntry& entry) {
    auto conn = connect();
    insert_audit(*conn, entry);
}

// ---------------------------------------------------------------- plans, migrations, copies

std::vector<PlanEntry> list_plans(const std::string& location) {
    pg::Location where = pg::parse_location(location);
    where.plan.clear();
    auto conn = pg::connect(where);
    std::vector<PlanEntry> out;
    for (const auto& schema : pg::plan_schemas(*conn)) {
        // Another session may drop a plan between the catalog read and the reads below: a plan that is gone by
        // then is not listed; any other failure is reported.
        try {
            PlanEntry e{schema, 0, pg::schema_version(*conn, schema), ""};
            e.version = conn->scalar("SELECT version FROM " + ident(schema) + ".minplan_version WHERE id = 1");
            if (conn->scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'minplan_metadata'", {schema}) > 0) {
                auto r = conn->exec("SELECT value FROM " + ident(schema) + ".minplan_metadata WHERE key = 'name_zh'");
                if (r.rows() > 0) e.title = r.text(0, 0);
            }
            out.push_back(e);
        } catch (const pg::MissingRelation&) {
        }
    }
    return out;
}

std::vector<std::string> migrate_plans(const std::string& location) {
    pg::Location where = pg::parse_location(location);
    const std::string only = where.plan;
    where.plan.clear();
    auto conn = pg::connect(where);
    std::vector<std::string> plans = only.empty() ? pg::plan_schemas(*conn) : std::vector<std::string>{only};
    if (!only.empty() && pg::schema_version(*conn, only) == 0)
        throw NotFoundError("PostgreSQL 数据库中没有规划 \"" + only + "\" / no such plan");
    std::vector<std::string> out;
    for (const auto& plan : plans) {
        conn->exec("BEGIN");
        try {
            // The lock keeps another session from dropping the plan while it is migrated; a plan dropped since
            // the catalog read fails the lock and is skipped, never recreated.
            conn->exec("LOCK TABLE " + ident(plan) + ".minplan_version IN SHARE ROW EXCLUSIVE MODE");
        } catch (const pg::MissingRelation&) {
            conn->exec("ROLLBACK");
            continue;
        }
        try {
            auto applied = pg::migrate(*conn, plan);
            conn->exec("COMMIT");
            std::string list;
            for (int v : applied) list += (list.empty() ? "" : ", ") + std::to_string(v);
            out.push_back(plan + ": " + (applied.empty() ? "已是最新（结构版本 " + std::to_string(pg::kSchemaVersion) + "）/ up to date"
                                                         : "已应用迁移 " + list + " / migrated"));
        } catch (...) {
            conn->exec("ROLLBACK");
            throw;
        }
    }
    return out;
}

void copy_into_pg(const PlanStore& from, const std::string& to, bool replace) {
    pg::Location where = pg::parse_location(to);
    if (where.plan.empty()) {
        auto id = from.metadata("id");
        if (!id) throw InputError("请用 --plan 编号 指定写入 PostgreSQL 的规划（模式名）/ name the plan with --plan");
        where.plan = *id;
        pg::check_plan_id(where.plan);
    }
    auto conn = pg::connect(where);
    // One transaction: a failure (or a lost connection) leaves the database as it was.
    conn->exec("BEGIN");
    if (pg::schema_version(*conn, where.plan) > 0 ||
        conn->scalar("SELECT count(*) FROM pg_namespace WHERE nspname = $1", {where.plan}) > 0) {
        if (!replace)
            throw InputError("PostgreSQL 数据库中已有规划 \"" + where.plan + "\"：加 --replace 整体替换 / the plan exists, add --replace");
        conn->exec("DROP SCHEMA " + ident(where.plan) + " CASCADE");
    }
    pg::migrate(*conn, where.plan);
    for (const auto& info : from.layers()) {
        const TableSchema& s = from.schema(info.id);
        pg::create_layer(*conn, s);
        const std::string insert = "INSERT INTO " + ident(s.code) + " (" + pg::column_list(s) + ") VALUES (" + pg::placeholders(s, 1) + ")";
        std::vector<Param> params;
        for (const auto& f : from.read(info.id)) {
            params.clear();
            pg::append_params(s, f, params);
            conn->exec(insert, params);
        }
    }
    for (const auto& key : from.metadata_keys())
        conn->exec("INSERT INTO minplan_metadata (key, value) VALUES ($1, $2)", {key, *from.metadata(key)});
    for (const auto& name : from.package_names()) {
        std::string hex;
        static const char* digits = "0123456789abcdef";
        const std::string content = from.package_file(name).value_or("");
        for (unsigned char b : content) {
            hex += digits[b >> 4];
            hex += digits[b & 15];
        }
        conn->exec("INSERT INTO minplan_package (name, content) VALUES ($1, decode($2, 'hex'))", {name, hex});
    }
    conn->exec("INSERT INTO minplan_changes (version, committed_at, actor, summary) VALUES (1, " + utc_now() + ", $1, $2)",
               {os_actor(), "从 " + from.location() + " 复制 / copied"});
    insert_audit(*conn, {0, "", "", "", "plan.copy", "规划 " + where.plan, "", "从 " + from.location() + " 复制"});
    conn->exec("COMMIT");
}

}  // namespace minplan::store
