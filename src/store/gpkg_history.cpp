#include "store/gpkg_history.hpp"
#include "store/history_rules.hpp"

#include "core/error.hpp"
#include "store/gdal_handles.hpp"
#include "store/ogr_convert.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store::detail {

std::string history_table(const std::string& layer_code) { return "minplan_hist_" + layer_code; }

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void ensure_history_schema(SqliteDb& sql) {
    sql.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kValidityTable +
             " (layer TEXT NOT NULL, fid INTEGER NOT NULL, valid_from TEXT NOT NULL, change_set INTEGER NOT NULL,"
             " PRIMARY KEY (layer, fid))");
    sql.exec(std::string("CREATE INDEX IF NOT EXISTS minplan_validity_from ON ") + kValidityTable + " (layer, valid_from)");
    sql.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kChangeSetsTable +
             " (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL,"
             " reason TEXT, doc_no TEXT, doc_date TEXT, author TEXT, effective_date TEXT NOT NULL, state TEXT NOT NULL,"
             " created_at TEXT, updated_at TEXT, decided_at TEXT, decided_by TEXT, note TEXT, plan_version INTEGER)");
    sql.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kChangeItemsTable +
             " (change_set INTEGER NOT NULL, seq INTEGER NOT NULL, action TEXT NOT NULL, layer TEXT NOT NULL,"
             " feature_key TEXT NOT NULL, attributes TEXT, wkb_hex TEXT, source TEXT, PRIMARY KEY (change_set, seq))");
    sql.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kAuditTable +
             " (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, client TEXT,"
             " action TEXT NOT NULL, object TEXT, before TEXT, after TEXT)");
    // Append-only: the database itself refuses to change or remove an entry (GB/T 39972 asks for a trail
    // that cannot be edited after the fact).
    for (const char* op : {"UPDATE", "DELETE"})
        sql.exec(std::string("CREATE TRIGGER IF NOT EXISTS minplan_audit_no_") + op + " BEFORE " + op + " ON " +
                 kAuditTable + " BEGIN SELECT RAISE(ABORT, '审计记录只能追加 / the audit trail is append-only'); END");
}

void ensure_history_layers(GDALDataset& ds, const std::vector<TableSchema>& schemas) {
    for (const auto& s : schemas) {
        const std::string name = history_table(s.code);
        if (ds.GetLayerByName(name.c_str())) continue;
        TableSchema h = s;
        h.name_zh = s.name_zh + "（历史）";
        h.fields.push_back({"minplan_fid", "minplan_fid", "原要素号", FieldType::Integer, "", true});
        h.fields.push_back({"minplan_valid_from", "minplan_valid_from", "生效日期", FieldType::String, "", false});
        h.fields.push_back({"minplan_valid_to", "minplan_valid_to", "失效日期", FieldType::String, "", true});
        h.fields.push_back({"minplan_set_from", "minplan_set_from", "新增批次", FieldType::Integer, "", true});
        h.fields.push_back({"minplan_set_to", "minplan_set_to", "注销批次", FieldType::Integer, "", true});
        LayerOptions options;
        options.layer_name = name;
        write_ogr_layer(ds, h, {}, options);
        if (OGRLayer* layer = ds.GetLayerByName(name.c_str())) layer->SyncToDisk();  // the table exists now
        // A planner browsing the GeoPackage in QGIS sees what the table is, in Chinese, not minplan's code.
        auto literal = [](std::string t) {
            for (std::size_t i = 0; (i = t.find('\'', i)) != std::string::npos; i += 2) t.insert(i, 1, '\'');
            return "'" + t + "'";
        };
        const std::string short_name = s.name_zh.substr(0, s.name_zh.find("（"));  // without the source note
        const std::string title = "UPDATE gpkg_contents SET identifier = " + literal(short_name + "（历史）") + ", description = " +
                                  literal(short_name + "中已注销、被替换或修改前的要素（规划历史，按生效与失效日期查询）") +
                                  " WHERE table_name = " + literal(name);
        ds.ExecuteSQL(title.c_str(), nullptr, nullptr);
        for (const char* col : {"minplan_valid_to", "minplan_valid_from", "minplan_fid"}) {
            std::string sql = "CREATE INDEX IF NOT EXISTS " + quoted(name + "_" + col) + " ON " + quoted(name) + " (" + col + ")";
            ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        }
    }
}

void insert_audit(SqliteDb& sql, AuditEntry e) {
    ensure_history_schema(sql);
    if (e.at.empty()) e.at = now_shanghai();
    if (e.actor.empty()) e.actor = os_actor();
    auto st = sql.prepare(std::string("INSERT INTO ") + kAuditTable +
                          " (at, actor, client, action, object, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, e.at).bind(2, e.actor).bind(3, e.client).bind(4, e.action).bind(5, e.object).bind(6, e.before).bind(7, e.after);
    st.step();
}

std::vector<AuditEntry> select_audit(SqliteDb& sql, const AuditFilter& f) {
    std::vector<AuditEntry> out;
    if (!sql.table_exists(kAuditTable)) return out;
    // substr(at, 1, 10) is the Shanghai date of the entry.
    auto st = sql.prepare(std::string("SELECT id, at, actor, client, action, object, before, after FROM ") + kAuditTable +
                          " WHERE (?1 = '' OR substr(at, 1, 10) >= ?1) AND (?2 = '' OR substr(at, 1, 10) <= ?2)"
                          " AND (?3 = '' OR actor = ?3) AND (?4 = '' OR action = ?4 OR action LIKE ?4 || '.%')"
                          " AND (?5 = '' OR instr(object, ?5) > 0) ORDER BY id DESC LIMIT ?6");
    st.bind(1, f.from).bind(2, f.to).bind(3, f.actor).bind(4, f.action).bind(5, f.object);
    st.bind(6, static_cast<std::int64_t>(f.limit ? f.limit : 1000000));
    while (st.step())
        out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7)});
    return out;
}


std::int64_t write_change_set(SqliteDb& sql, const ChangeSet& cs) {
    ensure_history_schema(sql);
    std::int64_t id = cs.id;
    const std::string now = now_shanghai();
    if (id == 0) {
        auto st = sql.prepare(std::string("INSERT INTO ") + kChangeSetsTable +
                              " (name, year, kind, reason, doc_no, doc_date, author, effective_date, state, created_at, updated_at,"
                              " decided_at, decided_by, note, plan_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, cs.name).bind(2, static_cast<std::int64_t>(cs.year)).bind(3, cs.kind).bind(4, cs.reason).bind(5, cs.doc_no);
        st.bind(6, cs.doc_date).bind(7, cs.author).bind(8, cs.effective_date).bind(9, cs.state).bind(10, now).bind(11, now);
        st.bind(12, cs.decided_at).bind(13, cs.decided_by).bind(14, cs.note).bind(15, cs.plan_version);
        st.step();
        id = sql.last_insert_id();
    } else {
        auto st = sql.prepare(std::string("UPDATE ") + kChangeSetsTable +
                              " SET name = ?, year = ?, kind = ?, reason = ?, doc_no = ?, doc_date = ?, author = ?, effective_date = ?,"
                              " state = ?, updated_at = ? WHERE id = ?");
        st.bind(1, cs.name).bind(2, static_cast<std::int64_t>(cs.year)).bind(3, cs.kind).bind(4, cs.reason).bind(5, cs.doc_no);
        st.bind(6, cs.doc_date).bind(7, cs.author).bind(8, cs.effective_date).bind(9, cs.state).bind(10, now).bind(11, id);
        st.step();
        auto del = sql.prepare(std::string("DELETE FROM ") + kChangeItemsTable + " WHERE change_set = ?");
        del.bind(1, id).step();
    }
    for (const auto& item : cs.items) {
        auto st = sql.prepare(std::string("INSERT INTO ") + kChangeItemsTable +
                              " (change_set, seq, action, layer, feature_key, attributes, wkb_hex, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, id).bind(2, static_cast<std::int64_t>(item.seq)).bind(3, action_code(item.action)).bind(4, item.layer);
        st.bind(5, item.key).bind(6, item_attributes_json(item.feature)).bind(7, wkb_hex(item.feature.wkb)).bind(8, item.source);
        st.step();
    }
    return id;
}

std::vector<ChangeSet> select_change_sets(SqliteDb& sql, std::int64_t id) {
    std::vector<ChangeSet> out;
    if (!sql.table_exists(kChangeSetsTable)) return out;
    auto st = sql.prepare(std::string("SELECT id, name, year, kind, reason, doc_no, doc_date, author, effective_date, state,"
                                      " created_at, updated_at, decided_at, decided_by, note, plan_version FROM ") +
                          kChangeSetsTable + " WHERE ?1 = 0 OR id = ?1 ORDER BY id DESC");
    st.bind(1, id);
    while (st.step()) {
        ChangeSet cs;
        cs.id = st.integer(0);
        cs.name = st.text(1);
        cs.year = static_cast<int>(st.integer(2));
        cs.kind = st.text(3);
        cs.reason = st.text(4);
        cs.doc_no = st.text(5);
        cs.doc_date = st.text(6);
        cs.author = st.text(7);
        cs.effective_date = st.text(8);
        cs.state = st.text(9);
        cs.created_at = st.text(10);
        cs.updated_at = st.text(11);
        cs.decided_at = st.text(12);
        cs.decided_by = st.text(13);
        cs.note = st.text(14);
        cs.plan_version = st.is_null(15) ? 0 : st.integer(15);
        out.push_back(std::move(cs));
    }
    if (id != 0)
        for (auto& cs : out) {
            auto it = sql.prepare(std::string("SELECT seq, action, layer, feature_key, attributes, wkb_hex, source FROM ") +
                                  kChangeItemsTable + " WHERE change_set = ? ORDER BY seq");
            it.bind(1, cs.id);
            while (it.step()) {
                ChangeItem item;
                item.seq = static_cast<int>(it.integer(0));
                item.action = parse_action(it.text(1)).value_or(ChangeAction::Add);
                item.layer = it.text(2);
                item.key = it.text(3);
                item.feature = item_feature(it.text(4), it.text(5));
                item.source = it.text(6);
                cs.items.push_back(std::move(item));
            }
        }
    return out;
}

}  // namespace minplan::store::detail
