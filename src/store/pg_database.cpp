#include "store/pg_database.hpp"

#include <unistd.h>

#include <atomic>

#include "store/history_rules.hpp"
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

// The change sets and their items (history.hpp), read in the caller's transaction or snapshot.
std::vector<ChangeSet> select_change_sets(pg::Conn& conn, std::int64_t id) {
    auto r = conn.exec("SELECT id, name, year, kind, reason, doc_no, doc_date, author, effective_date, state, created_at, updated_at,"
                       " decided_at, decided_by, note, plan_version FROM minplan_changesets WHERE $1 = 0 OR id = $1 ORDER BY id DESC",
                       {std::to_string(id)});
    std::vector<ChangeSet> out;
    for (int i = 0; i < r.rows(); ++i) {
        ChangeSet cs;
        cs.id = r.integer(i, 0);
        cs.name = r.text(i, 1);
        cs.year = static_cast<int>(r.integer(i, 2));
        cs.kind = r.text(i, 3);
        cs.reason = r.text(i, 4);
        cs.doc_no = r.text(i, 5);
        cs.doc_date = r.text(i, 6);
        cs.author = r.text(i, 7);
        cs.effective_date = r.text(i, 8);
        cs.state = r.text(i, 9);
        cs.created_at = r.text(i, 10);
        cs.updated_at = r.text(i, 11);
        cs.decided_at = r.text(i, 12);
        cs.decided_by = r.text(i, 13);
        cs.note = r.text(i, 14);
        cs.plan_version = r.integer(i, 15);
        out.push_back(std::move(cs));
    }
    if (id != 0)
        for (auto& cs : out) {
            auto it = conn.exec("SELECT seq, action, layer, feature_key, attributes, wkb_hex, source FROM minplan_changeset_items"
                                " WHERE change_set = $1 ORDER BY seq", {std::to_string(cs.id)});
            for (int i = 0; i < it.rows(); ++i) {
                ChangeItem item;
                item.seq = static_cast<int>(it.integer(i, 0));
                item.action = parse_action(it.text(i, 1)).value_or(ChangeAction::Add);
                item.layer = it.text(i, 2);
                item.key = it.text(i, 3);
                item.feature = item_feature(it.text(i, 4), it.text(i, 5));
                item.source = it.text(i, 6);
                cs.items.push_back(std::move(item));
            }
        }
    return out;
}

// Writes the header and items of a set (id 0: a new one); returns its id.
std::int64_t write_change_set(pg::Conn& conn, const ChangeSet& cs) {
    const std::string now = now_shanghai();
    std::int64_t id = cs.id;
    if (id == 0) {
        id = conn.scalar("INSERT INTO minplan_changesets (name, year, kind, reason, doc_no, doc_date, author, effective_date, state,"
                         " created_at, updated_at, decided_at, decided_by, note, plan_version)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14) RETURNING id",
                         {cs.name, std::to_string(cs.year), cs.kind, cs.reason, cs.doc_no, cs.doc_date, cs.author, cs.effective_date,
                          cs.state, now, cs.decided_at, cs.decided_by, cs.note, std::to_string(cs.plan_version)});
    } else {
        conn.exec("UPDATE minplan_changesets SET name = $1, year = $2, kind = $3, reason = $4, doc_no = $5, doc_date = $6, author = $7,"
                  " effective_date = $8, state = $9, updated_at = $10 WHERE id = $11",
                  {cs.name, std::to_string(cs.year), cs.kind, cs.reason, cs.doc_no, cs.doc_date, cs.author, cs.effective_date, cs.state,
                   now, std::to_string(id)});
        conn.exec("DELETE FROM minplan_changeset_items WHERE change_set = $1", {std::to_string(id)});
    }
    for (const auto& item : cs.items)
        conn.exec("INSERT INTO minplan_changeset_items (change_set, seq, action, layer, feature_key, attributes, wkb_hex, source)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                  {std::to_string(id), std::to_string(item.seq), action_code(item.action), item.layer, item.key,
                   item_attributes_json(item.feature), wkb_hex(item.feature.wkb), item.source});
    return id;
}

// A plan write: history as the GeoPackage keeps it (docs/database.md "History"), in SQL. Rows a Replace or a
// retire() ends move to minplan_hist_<code> with valid_to = the effective date; rows swapped in get a
// minplan_validity entry (valid_from, change set).
class PgPlanTransaction final : public PlanTransaction {
public:
    explicit PgPlanTransaction(std::unique_ptr<pg::Conn> conn) : tx_(std::move(conn)) {
        // The row lock serialises plan writers; readers never wait for it.
        base_ = tx_.conn().scalar("SELECT version FROM minplan_version WHERE id = 1 FOR UPDATE");
    }
    void swap_in(StagedLayer& staged, SwapMode mode) override {
        const TableSchema& s = staged.target();
        auto& c = tx_.conn();
        // Nothing is overwritten: a replace retires every live row into the layer's history first.
        if (mode == SwapMode::Replace) retire_rows(s, std::nullopt);
        const std::string cols = pg::column_list(s);
        const std::int64_t set = change_set();
        // New fids come from the live table's sequence (never reused); each is valid from the effective date.
        c.exec("WITH added AS (INSERT INTO " + ident(s.code) + " (" + cols + ") SELECT " + cols + " FROM " + ident(staged.stage_table()) +
                   " ORDER BY fid RETURNING fid) INSERT INTO minplan_validity (layer, fid, valid_from, change_set) SELECT $1::text, fid, $2::text, $3::bigint FROM added",
               {s.code, effective_, std::to_string(set)});
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
    void set_effect(const std::string& effective_date, std::int64_t change_set) override {
        effective_ = parse_date(effective_date, "生效日期 / effective date");
        change_set_ = change_set;
    }
    void retire(const TableSchema& layer, const std::vector<std::int64_t>& fids) override {
        if (fids.empty()) return;
        retire_rows(layer, fids);
        summary_.push_back(layer.code + "（" + layer.name_zh + "）：注销 " + std::to_string(fids.size()) + " 条");
    }
    void approve_change_set(std::int64_t id, const std::string& actor) override {
        auto& c = tx_.conn();
        auto r = c.exec("SELECT state FROM minplan_changesets WHERE id = $1 FOR UPDATE", {std::to_string(id)});
        if (r.rows() == 0) throw NotFoundError("没有调整批次 " + std::to_string(id) + " / no such change set");
        require_approvable(id, r.text(0, 0));
        // The version this transaction commits: the version row is locked, so it is the base + 1.
        const std::string now = now_shanghai();
        c.exec("UPDATE minplan_changesets SET state = $1, decided_at = $2, decided_by = $3, updated_at = $2, plan_version = $4 WHERE id = $5",
               {kApproved, now, actor, std::to_string(base_ + 1), std::to_string(id)});
        summary_.push_back("批准调整批次 " + std::to_string(id));
    }
    void audit(const AuditEntry& entry) override {
        AuditEntry e = entry;
        if (e.actor.empty()) e.actor = actor_.empty() ? os_actor() : actor_;
        insert_audit(tx_.conn(), e);
        audited_ = true;
    }
    std::int64_t commit() override {
        auto& c = tx_.conn();
        std::string summary;
        for (const auto& s : summary_) summary += (summary.empty() ? "" : "；") + s;
        const std::int64_t version = c.scalar("UPDATE minplan_version SET version = version + 1, changed_at = " + utc_now() +
                                              " WHERE id = 1 RETURNING version");
        c.exec("INSERT INTO minplan_changes (version, committed_at, actor, summary) VALUES ($1, " + utc_now() + ", $2, $3)",
               {std::to_string(version), actor_.empty() ? os_actor() : actor_, summary.empty() ? "（无数据变化）" : summary});
        if (auto_set_)  // the import's own change set is named after what it did
            c.exec("UPDATE minplan_changesets SET name = $1, plan_version = $2 WHERE id = $3",
                   {summary, std::to_string(version), std::to_string(change_set_)});
        if (!audited_) audit({0, "", "", "", "plan.write", summary, "", "版本 " + std::to_string(version)});
        // Other servers on this database move to the new version without polling for it.
        c.exec("NOTIFY minplan_plan");
        tx_.commit();
        return version;
    }

private:
    // The change set the rows of this transaction belong to: the caller's (set_effect), else an approved
    // import set of its own, effective today.
    std::int64_t change_set() {
        if (change_set_ != 0) return change_set_;
        ChangeSet cs = import_change_set(actor_.empty() ? os_actor() : actor_, effective_);
        effective_ = cs.effective_date;
        change_set_ = write_change_set(tx_.conn(), cs);
        auto_set_ = true;
        return change_set_;
    }

    // Moves live rows of `s` (all, or those of `fids`) to its history with valid_to = the effective date, and
    // drops their validity entries: one DELETE … RETURNING feeding the INSERT, so no row is read twice.
    void retire_rows(const TableSchema& s, const std::optional<std::vector<std::int64_t>>& fids) {
        auto& c = tx_.conn();
        const std::int64_t set = change_set();
        std::string list;
        if (fids)
            for (auto fid : *fids) list += (list.empty() ? "" : ",") + std::to_string(fid);
        const std::string array = "{" + list + "}";
        const std::string which = fids ? " AND fid = ANY ($3::bigint[])" : " AND $3::text IS NOT NULL";
        // A row cannot end before it began: a set effective earlier than the one that added the row.
        const std::int64_t early = c.scalar("SELECT count(*) FROM minplan_validity WHERE layer = $1 AND valid_from > $2" + which,
                                            {s.code, effective_, array});
        if (early > 0)
            throw InputError(s.code + " 中有 " + std::to_string(early) + " 条要素的生效日期晚于 " + effective_ +
                             "，不能在此日期注销 / rows valid only after the effective date");
        const std::string cols = pg::column_list(s);
        std::string from;
        for (const auto& f : s.fields) from += "g." + ident(f.code) + ", ";
        if (s.spatial) from += "g.geom, ";
        c.exec("WITH gone AS (DELETE FROM " + ident(s.code) + " t WHERE TRUE" + (fids ? " AND t.fid = ANY ($3::bigint[])" : "") +
                   " RETURNING t.*) INSERT INTO " + ident(pg::history_table(s.code)) + " (minplan_fid, " + cols +
                   ", minplan_valid_from, minplan_valid_to, minplan_set_from, minplan_set_to) SELECT g.fid, " + from +
                   "coalesce(v.valid_from, ''), $2::text, coalesce(v.change_set, 0), $4::bigint FROM gone g LEFT JOIN minplan_validity v"
                   " ON v.layer = $1 AND v.fid = g.fid" + (fids ? "" : " WHERE $3::text IS NOT NULL"),
               {s.code, effective_, array, std::to_string(set)});
        if (fids) c.exec("DELETE FROM minplan_validity WHERE layer = $1 AND fid = ANY ($2::bigint[])", {s.code, array});
        else c.exec("DELETE FROM minplan_validity WHERE layer = $1", {s.code});
    }

    PgTx tx_;
    std::int64_t base_ = 0;
    std::string actor_;
    std::string effective_;
    std::int64_t change_set_ = 0;
    bool auto_set_ = false;
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

// The default style of every spatial layer (the QML and SLD the GeoPackage keeps) into public.layer_styles,
// the table QGIS reads for a PostGIS layer (created as QGIS creates it, QgsPostgresProvider saveStyle), so
// that QGIS opens the plan's layers styled. Rows of this plan's schema are replaced.
void write_layer_styles(pg::Conn& conn, const std::string& schema, const PlanStore& from) {
    std::vector<std::pair<LayerInfo, LayerStyleText>> styles;
    for (const auto& info : from.layers())  // tables too: their QML carries the Chinese field aliases
        if (auto style = from.default_style(info.id)) styles.emplace_back(info, *style);
    if (styles.empty()) return;
    conn.exec("CREATE TABLE IF NOT EXISTS public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar,"
              " f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,"
              " description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP,"
              " type varchar)");
    conn.exec("DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() AND f_table_schema = $1", {schema});
    for (const auto& [info, style] : styles)
        conn.exec("INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml,"
                  " stylesld, useasdefault, description, type) VALUES (current_database(), $1, $2, $3, $4, XMLPARSE(DOCUMENT $5::text),"
                  " XMLPARSE(DOCUMENT $6::text), true, 'minplan', 'vector')",
                  {schema, info.code, info.spatial ? "geom" : "", style.name, style.qml, style.sld.empty() ? Param{} : Param{style.sld}});
}

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
    backend_pid_ = control_->scalar("SELECT pg_backend_pid()");
    drop_orphan_stages();
}

void PgDatabase::drop_orphan_stages() {
    // A stage is named after the backend of the control connection of the database object that made it, which
    // lives as long as that object: a stage whose backend is gone (a killed process) is dropped; one bearing
    // this backend's pid is an earlier session's whose pid the server reused.
    try {
        std::lock_guard lock(control_mutex_);
        auto r = control_->exec("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                " WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname LIKE 'minplan\\_stage\\_%'"
                                " AND (split_part(c.relname, '_', 3) = $2 OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
                                " WHERE a.pid::text = split_part(c.relname, '_', 3)))",
                                {where_.plan, std::to_string(backend_pid_)});
        for (int i = 0; i < r.rows(); ++i) control_->exec("DROP TABLE IF EXISTS " + ident(r.text(i, 0)));
    } catch (const Error&) {  // a read-only role cannot drop them; a writer will
    }
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
    return std::make_unique<PgStore>(connect(), location_, parse_date(as_of, "查询日期 / as-of date"));
}

std::unique_ptr<StagedLayer> PgDatabase::create_stage(pg::Conn& conn, const TableSchema& target) {
    if (conn.scalar("SELECT count(*) FROM minplan_schema WHERE layer_code = $1", {target.code}) == 0)
        throw NotFoundError("规划数据库中没有图层 " + target.code + "（" + target.name_zh + "）/ no such layer");
    const std::string name = "minplan_stage_" + std::to_string(backend_pid_) + "_" + std::to_string(++stage_counter);
    // An unlogged copy of the target's columns; rows go in in short transactions, the live table untouched.
    conn.exec("CREATE UNLOGGED TABLE " + ident(name) + " (LIKE " + ident(target.code) + " INCLUDING DEFAULTS)");
    return std::make_unique<StagedLayer>(*this, target, name, 0);
}

void PgDatabase::append_stage(pg::Conn& conn, StagedLayer& staged, const std::vector<Feature>& rows, const ProgressFn& progress) {
    const TableSchema& target = staged.target();
    const std::string insert = "INSERT INTO " + ident(staged.stage_table()) + " (" + pg::column_list(target) + ") VALUES (" +
                               pg::placeholders(target, 1) + ")";
    constexpr std::size_t kBatch = 5000;
    std::vector<Param> params;
    for (std::size_t i = 0; i < rows.size(); i += kBatch) {
        conn.exec("BEGIN");
        for (std::size_t j = i; j < std::min(rows.size(), i + kBatch); ++j) {
            params.clear();
            pg::append_params(target, rows[j], params);
            conn.exec(insert, params);
        }
        conn.exec("COMMIT");
        staged.set_rows(staged.rows() + std::min(kBatch, rows.size() - i));
        if (progress) progress(staged.rows());
    }
}

std::unique_ptr<StagedLayer> PgDatabase::stage(const TableSchema& target, const std::vector<Feature>& rows, const ProgressFn& progress) {
    auto conn = connect();
    auto staged = create_stage(*conn, target);
    append_stage(*conn, *staged, rows, progress);
    return staged;
}

std::unique_ptr<StagedLayer> PgDatabase::stage_stream(const TableSchema& target, FeatureSource& source, const ProgressFn& progress,
                                                      SwapMode /*mode*/) {
    // One batch in memory at a time: each is written (in its own transactions) before the next is asked for.
    auto conn = connect();
    auto staged = create_stage(*conn, target);
    std::vector<Feature> batch;
    while (source.next(batch)) append_stage(*conn, *staged, batch, progress);
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

std::int64_t PgDatabase::save_change_set(const ChangeSet& cs, const AuditEntry& audit) {
    PgTx tx(connect());
    if (cs.id != 0) {
        // FOR UPDATE: a concurrent submit or approval waits for this edit (or this one for it).
        auto r = tx.conn().exec("SELECT id FROM minplan_changesets WHERE id = $1 FOR UPDATE", {std::to_string(cs.id)});
        auto found = select_change_sets(tx.conn(), cs.id);
        if (r.rows() == 0 || found.empty()) throw NotFoundError("没有调整批次 " + std::to_string(cs.id) + " / no such change set");
        require_editable(found.front());
    }
    const std::int64_t id = write_change_set(tx.conn(), cs);
    AuditEntry e = audit;
    if (e.object.empty()) e.object = "调整批次 " + std::to_string(id);
    insert_audit(tx.conn(), e);
    tx.conn().exec("NOTIFY minplan_records");
    tx.commit();
    return id;
}

void PgDatabase::set_change_set_state(std::int64_t id, const std::string& expected, const std::string& state, const std::string& note,
                                      const AuditEntry& audit) {
    if (state == kApproved) throw InternalError("批准须在规划事务中进行 / approval is a plan transaction");
    PgTx tx(connect());
    auto r = tx.conn().exec("SELECT id FROM minplan_changesets WHERE id = $1 FOR UPDATE", {std::to_string(id)});
    auto found = select_change_sets(tx.conn(), id);
    if (r.rows() == 0 || found.empty()) throw NotFoundError("没有调整批次 " + std::to_string(id) + " / no such change set");
    require_state(found.front(), expected);
    const std::string now = now_shanghai();
    tx.conn().exec("UPDATE minplan_changesets SET state = $1, note = $2, updated_at = $3,"
                   " decided_at = CASE WHEN $1 = 'rejected' THEN $3 ELSE decided_at END,"
                   " decided_by = CASE WHEN $1 = 'rejected' THEN $4 ELSE decided_by END WHERE id = $5",
                   {state, note, now, audit.actor, std::to_string(id)});
    insert_audit(tx.conn(), audit);
    tx.conn().exec("NOTIFY minplan_records");
    tx.commit();
}

std::vector<ChangeSet> PgDatabase::change_sets() const {
    std::lock_guard lock(control_mutex_);
    return select_change_sets(*control_, 0);
}

std::optional<ChangeSet> PgDatabase::change_set(std::int64_t id) const {
    if (id <= 0) return std::nullopt;
    // Header and items in one snapshot.
    PgTx tx(connect(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    auto found = select_change_sets(tx.conn(), id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

bool PgDatabase::changed_between(const std::string& layer, const std::string& from, const std::string& to) const {
    std::lock_guard lock(control_mutex_);
    if (control_->scalar("SELECT count(*) FROM minplan_schema WHERE layer_code = $1", {layer}) == 0) return false;
    // Index probes: minplan_validity (layer, valid_from) and the history's date indexes.
    return control_->exec("SELECT EXISTS (SELECT 1 FROM minplan_validity WHERE layer = $1 AND valid_from > $2 AND valid_from <= $3)"
                          " OR EXISTS (SELECT 1 FROM " + ident(pg::history_table(layer)) +
                          " WHERE (minplan_valid_to > $2 AND minplan_valid_to <= $3) OR (minplan_valid_from > $2 AND minplan_valid_from <= $3))",
                          {layer, from, to})
               .text(0, 0) == "t";
}

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
    write_layer_styles(*conn, where.plan, from);
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
