// The tables of one plan in a PostgreSQL schema (docs/database.md "PostGIS"): versioned migrations, layer
// DDL (PostGIS geometry in EPSG:4490 with a GiST index, Chinese names as COMMENT ON), and features to and
// from statement parameters. Used by pg_database.cpp and pg_store.cpp only.
#pragma once

#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/pg_conn.hpp"

namespace minplan::store::pg {

// The schema version this minplan writes and reads; older plan schemas are brought up by `minplan migrate`.
inline constexpr int kSchemaVersion = 3;

// "PG:<conninfo>" split into the libpq conninfo and the plan (schema) named by active_schema=… (GDAL's
// spelling; `--plan ID` adds it). `plan` is empty when none was given.
struct Location {
    std::string conninfo;
    std::string plan;
};
Location parse_location(const std::string& location);
// InputError unless `plan` can name a schema (letters, digits, _ and -, not starting with pg_).
void check_plan_id(const std::string& plan);

// Connects, checks that PostGIS is installed in the database, and sets search_path to the plan's schema.
std::unique_ptr<Conn> connect(const Location& where);
// The schemas that hold a minplan plan, by name.
std::vector<std::string> plan_schemas(Conn& conn);
// Whether `schema` holds a plan (its minplan_version table) now.
bool plan_exists(Conn& conn, const std::string& schema);
// The schema version of the plan in `schema` (0 when it has none).
int schema_version(Conn& conn, const std::string& schema);
// Applies the migrations after the plan's version up to `target`, inside the caller's transaction (creating
// the schema when new); returns the versions applied.
std::vector<int> migrate(Conn& conn, const std::string& schema, int target = kSchemaVersion);

// The layer's table with its GiST index and comments, and its line in minplan_schema (caller's transaction).
void create_layer(Conn& conn, const TableSchema& s);
// The layer's history table (docs/database.md "History"): minplan_hist_<code> with hid, minplan_fid, the
// layer's columns, minplan_valid_from/_to and minplan_set_from/_to, a GiST index and indexes on the dates.
std::string history_table(const std::string& layer_code);
void create_history(Conn& conn, const TableSchema& s);
// Column list of a layer (without fid): the field codes, then geom for a spatial layer.
std::string column_list(const TableSchema& s);
// Placeholders $first… for one feature in column_list order, and the parameters.
std::string placeholders(const TableSchema& s, int first);
void append_params(const TableSchema& s, const Feature& f, std::vector<Param>& params);
// SELECT list (fid, fields, hex WKB) and the feature of one result row.
std::string select_list(const TableSchema& s);
Feature feature_of(const TableSchema& s, const Result& r, int row);

}  // namespace minplan::store::pg
