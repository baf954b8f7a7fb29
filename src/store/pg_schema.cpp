#include "store/pg_schema.hpp"

#include <fmt/format.h>

#include <regex>

#include "store/gpkg_store.hpp"
#include "store/history_rules.hpp"

namespace minplan::store::pg {
namespace {

// Migration N brings a plan schema from version N-1 to N. Never edit one that was released: add the next.
const std::vector<std::string>& migrations() {
    static const std::vector<std::string> m = {
        // 1: the plan, its package and the records kept beside it (the GeoPackage's minplan_* tables).
        "CREATE TABLE minplan_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL, changed_at text,"
        "  schema_version integer NOT NULL);"
        "INSERT INTO minplan_version VALUES (1, 1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 0);"
        "CREATE TABLE minplan_schema (layer_code text PRIMARY KEY, layer_id text NOT NULL UNIQUE, schema_json text NOT NULL);"
        "CREATE TABLE minplan_metadata (key text PRIMARY KEY, value text NOT NULL);"
        "CREATE TABLE minplan_package (name text PRIMARY KEY, content bytea NOT NULL);"
        "CREATE TABLE minplan_changes (version bigint PRIMARY KEY, committed_at text NOT NULL, actor text NOT NULL, summary text NOT NULL);"
        "CREATE TABLE minplan_audit (id bigserial PRIMARY KEY, at text NOT NULL, actor text NOT NULL, client text NOT NULL,"
        "  action text NOT NULL, object text NOT NULL, before text NOT NULL, after text NOT NULL);"
        "CREATE TABLE minplan_users (name text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL,"
        "  created_at text NOT NULL, disabled boolean NOT NULL DEFAULT false);"
        "CREATE TABLE minplan_review_numbers (year integer PRIMARY KEY, last_seq bigint NOT NULL);"
        "CREATE TABLE minplan_reviews (id bigserial PRIMARY KEY, created_at text NOT NULL, username text NOT NULL, role text NOT NULL,"
        "  input_format text NOT NULL, input text NOT NULL, attributes_json text NOT NULL, verdict text NOT NULL,"
        "  report_json text NOT NULL, opinion_html text NOT NULL);",
        // 2: the audit trail is append-only: no role may change or remove a line.
        "CREATE FUNCTION minplan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        "  RAISE EXCEPTION '审计记录只能追加，不能修改或删除 / the audit trail is append-only'; END $$;"
        "CREATE TRIGGER minplan_audit_append_only BEFORE UPDATE OR DELETE ON minplan_audit"
        "  FOR EACH ROW EXECUTE FUNCTION minplan_audit_append_only();",
        // 3: history (docs/database.md "History"): validity of live rows added by a change set, the change sets
        // and their items; each layer's minplan_hist_<code> table is created by create_history() (migrate()).
        "CREATE TABLE minplan_validity (layer text NOT NULL, fid bigint NOT NULL, valid_from text NOT NULL,"
        "  change_set bigint NOT NULL, PRIMARY KEY (layer, fid));"
        "CREATE INDEX minplan_validity_from ON minplan_validity (layer, valid_from);"
        "CREATE TABLE minplan_changesets (id bigserial PRIMARY KEY, name text NOT NULL, year integer NOT NULL, kind text NOT NULL,"
        "  reason text NOT NULL DEFAULT '', doc_no text NOT NULL DEFAULT '', doc_date text NOT NULL DEFAULT '',"
        "  author text NOT NULL DEFAULT '', effective_date text NOT NULL, state text NOT NULL, created_at text NOT NULL DEFAULT '',"
        "  updated_at text NOT NULL DEFAULT '', decided_at text NOT NULL DEFAULT '', decided_by text NOT NULL DEFAULT '',"
        "  note text NOT NULL DEFAULT '', plan_version bigint NOT NULL DEFAULT 0);"
        "CREATE TABLE minplan_changeset_items (change_set bigint NOT NULL REFERENCES minplan_changesets (id), seq integer NOT NULL,"
        "  action text NOT NULL, layer text NOT NULL, feature_key text NOT NULL, attributes text NOT NULL, wkb_hex text NOT NULL,"
        "  source text NOT NULL, PRIMARY KEY (change_set, seq));",
    };
    return m;
}

const char* column_type(FieldType t) {
    switch (t) {
        case FieldType::Integer: return "bigint";
        case FieldType::Real: return "double precision";
        case FieldType::Date: return "date";
        case FieldType::Boolean: return "boolean";
        case FieldType::String: break;
    }
    return "text";
}

}  // namespace

Location parse_location(const std::string& location) {
    Location out;
    std::string rest = location.rfind("PG:", 0) == 0 ? location.substr(3) : location;
    static const std::regex schema(R"((^|\s)(active_schema|schemas)\s*=\s*(\S+))");
    std::smatch m;
    if (std::regex_search(rest, m, schema)) {
        out.plan = m[3].str();
        rest = m.prefix().str() + " " + m.suffix().str();
    }
    out.conninfo = rest;
    if (!out.plan.empty()) check_plan_id(out.plan);
    return out;
}

void check_plan_id(const std::string& plan) {
    static const std::regex ok(R"([A-Za-z0-9_][A-Za-z0-9_-]{0,62})");
    if (!std::regex_match(plan, ok) || plan.rfind("pg_", 0) == 0 || plan == "public" || plan == "information_schema")
        throw InputError("规划编号 \"" + plan + "\" 不能用作 PostgreSQL 模式名：应为 1～63 个字母、数字、_ 或 -，且不是 pg_*、public"
                         " / plan id must be a schema name");
}

std::unique_ptr<Conn> connect(const Location& where) {
    auto conn = std::make_unique<Conn>(where.conninfo);
    if (conn->exec("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").rows() == 0)
        throw IoError("数据库未安装 PostGIS 扩展（" + conn->shown() + "）：请由数据库管理员执行 CREATE EXTENSION postgis;"
                      " / the database has no PostGIS extension");
    if (!where.plan.empty()) conn->exec("SET search_path TO " + ident(where.plan) + ", public");
    return conn;
}

std::vector<std::string> plan_schemas(Conn& conn) {
    // From the catalog, not information_schema: a role without privileges still sees the plans (and is then
    // told it lacks privileges, rather than that there is no plan).
    auto r = conn.exec("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE c.relname = 'minplan_version' AND c.relkind = 'r' ORDER BY 1");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
}

bool plan_exists(Conn& conn, const std::string& schema) {
    return conn.scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname = $1 AND c.relname = 'minplan_version' AND c.relkind = 'r'",
                       {schema}) > 0;
}

int schema_version(Conn& conn, const std::string& schema) {
    if (!plan_exists(conn, schema)) return 0;
    return static_cast<int>(conn.scalar("SELECT schema_version FROM " + ident(schema) + ".minplan_version WHERE id = 1"));
}

std::vector<int> migrate(Conn& conn, const std::string& schema, int target) {
    std::vector<int> applied;
    const int from = schema_version(conn, schema);
    if (from > kSchemaVersion)
        throw InputError("规划 " + schema + " 的数据库结构版本为 " + std::to_string(from) + "，比本程序（" + std::to_string(kSchemaVersion) +
                         "）新：请升级 minplan / the plan schema is newer than this minplan");
    conn.exec("CREATE SCHEMA IF NOT EXISTS " + ident(schema));
    conn.exec("SET LOCAL search_path TO " + ident(schema) + ", public");
    for (int v = from + 1; v <= target; ++v) {
        conn.exec(migrations()[static_cast<std::size_t>(v - 1)]);
        if (v == 3) {  // every existing layer gets its history table
            auto r = conn.exec("SELECT schema_json FROM minplan_schema ORDER BY layer_code");
            for (int i = 0; i < r.rows(); ++i) create_history(conn, schema_from_json(r.text(i, 0), schema));
        }
        conn.exec("UPDATE minplan_version SET schema_version = " + std::to_string(v) + " WHERE id = 1");
        applied.push_back(v);
    }
    return applied;
}

void create_layer(Conn& conn, const TableSchema& s) {
    std::string ddl = "CREATE TABLE " + ident(s.code) + " (fid bigserial PRIMARY KEY";
    for (const auto& f : s.fields) ddl += ", " + ident(f.code) + " " + column_type(f.type);
    if (s.spatial) ddl += ", geom geometry(Geometry, 4490)";
    conn.exec(ddl + ")");
    if (s.spatial) conn.exec("CREATE INDEX " + ident(s.code + "_geom_gist") + " ON " + ident(s.code) + " USING gist (geom)");
    conn.exec("COMMENT ON TABLE " + ident(s.code) + " IS " + literal(s.name_zh));
    for (const auto& f : s.fields)
        if (!f.alias_zh.empty()) conn.exec("COMMENT ON COLUMN " + ident(s.code) + "." + ident(f.code) + " IS " + literal(f.alias_zh));
    conn.exec("INSERT INTO minplan_schema (layer_code, layer_id, schema_json) VALUES ($1, $2, $3)", {s.code, s.id, schema_to_json(s)});
    create_history(conn, s);
}

std::string history_table(const std::string& layer_code) { return "minplan_hist_" + layer_code; }

void create_history(Conn& conn, const TableSchema& s) {
    const std::string h = ident(history_table(s.code));
    std::string ddl = "CREATE TABLE " + h + " (hid bigserial PRIMARY KEY, minplan_fid bigint NOT NULL";
    for (const auto& f : s.fields) ddl += ", " + ident(f.code) + " " + column_type(f.type);
    if (s.spatial) ddl += ", geom geometry(Geometry, 4490)";
    conn.exec(ddl + ", minplan_valid_from text NOT NULL, minplan_valid_to text NOT NULL, minplan_set_from bigint NOT NULL,"
                    " minplan_set_to bigint NOT NULL)");
    // As-of reads filter on the dates and windows, like the live table's GiST.
    if (s.spatial) conn.exec("CREATE INDEX ON " + h + " USING gist (geom)");
    conn.exec("CREATE INDEX ON " + h + " (minplan_valid_to)");
    conn.exec("CREATE INDEX ON " + h + " (minplan_valid_from)");
    conn.exec("CREATE INDEX ON " + h + " (minplan_fid)");
    const std::string short_name = s.name_zh.substr(0, s.name_zh.find("（"));
    conn.exec("COMMENT ON TABLE " + h + " IS " + literal(short_name + "（历史）：已注销、被替换或修改前的要素，按生效与失效日期查询"));
}

std::string column_list(const TableSchema& s) {
    std::string out;
    for (const auto& f : s.fields) out += (out.empty() ? "" : ", ") + ident(f.code);
    if (s.spatial) out += (out.empty() ? "" : ", ") + std::string("geom");
    return out;
}

std::string placeholders(const TableSchema& s, int first) {
    std::string out;
    int n = first;
    for (std::size_t i = 0; i < s.fields.size(); ++i) out += (out.empty() ? "$" : ", $") + std::to_string(n++);
    if (s.spatial) out += (out.empty() ? "" : ", ") + fmt::format("ST_GeomFromWKB(decode(${}, 'hex'), 4490)", n);
    return out;
}

void append_params(const TableSchema& s, const Feature& f, std::vector<Param>& params) {
    for (const auto& def : s.fields) {
        auto it = f.attributes.find(def.name);
        if (it == f.attributes.end() || is_null(it->second)) {
            params.emplace_back(std::nullopt);
            continue;
        }
        const Value& v = it->second;
        if (auto* i = std::get_if<std::int64_t>(&v)) params.emplace_back(std::to_string(*i));
        else if (auto* d = std::get_if<double>(&v)) params.emplace_back(fmt::format("{}", *d));  // shortest exact form
        else if (auto* b = std::get_if<bool>(&v)) params.emplace_back(*b ? "true" : "false");
        else params.emplace_back(std::get<std::string>(v));
    }
    if (s.spatial) params.emplace_back(f.wkb.empty() ? Param{} : Param{wkb_hex(f.wkb)});
}

std::string select_list(const TableSchema& s) {
    std::string out = "fid";
    for (const auto& f : s.fields) out += ", " + ident(f.code) + (f.type == FieldType::Real ? "::text" : "");
    if (s.spatial) out += ", encode(ST_AsBinary(geom), 'hex')";
    return out;
}

Feature feature_of(const TableSchema& s, const Result& r, int row) {
    Feature f;
    f.fid = r.integer(row, 0);
    int c = 1;
    for (const auto& def : s.fields) {
        if (r.is_null(row, c)) {
            f.attributes[def.name] = std::monostate{};
        } else {
            std::string t = r.text(row, c);
            switch (def.type) {
                case FieldType::Integer: f.attributes[def.name] = std::int64_t{std::stoll(t)}; break;
                case FieldType::Real: f.attributes[def.name] = std::stod(t); break;
                case FieldType::Boolean: f.attributes[def.name] = t == "t"; break;
                default: f.attributes[def.name] = t;
            }
        }
        ++c;
    }
    if (s.spatial && !r.is_null(row, c)) f.wkb = wkb_from_hex(r.text(row, c));
    return f;
}

}  // namespace minplan::store::pg
