// PgStore::physical_columns (store/physical_columns.hpp): the column types of a layer's table in the plan's schema, from
// information_schema (the search path names the plan's schema first), for the quality check of field types.
#include "store/pg_conn.hpp"
#include "store/pg_store.hpp"

namespace minplan::store {

namespace {

std::optional<FieldType> pg_type(const std::string& t) {
    if (t == "text" || t == "character varying" || t == "character") return FieldType::String;
    if (t == "bigint" || t == "integer" || t == "smallint") return FieldType::Integer;
    if (t == "double precision" || t == "real" || t == "numeric") return FieldType::Real;
    if (t == "date" || t.rfind("timestamp", 0) == 0) return FieldType::Date;
    if (t == "boolean") return FieldType::Boolean;
    return std::nullopt;
}

}  // namespace

std::vector<PhysicalColumn> PgStore::physical_columns(const std::string& layer) const {
    const TableSchema& s = schema(layer);
    std::lock_guard lock(mutex_);
    auto r = conn_->exec(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
        " AND column_name NOT IN ('fid', 'geom') ORDER BY ordinal_position",
        {s.code});
    std::vector<PhysicalColumn> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), pg_type(r.text(i, 1))});
    return out;
}

}  // namespace minplan::store
