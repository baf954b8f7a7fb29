// store::physical_columns: the declared column types of a layer's table, as the GeoPackage holds them
// (GeoPackage 1.3 §1.1.1.1.3: TEXT, INTEGER/MEDIUMINT/SMALLINT/TINYINT, REAL/FLOAT/DOUBLE, DATE, DATETIME,
// BOOLEAN), or as PostGIS does (PgStore::physical_columns, pg_columns.cpp).
#include <algorithm>
#include <cctype>

#include "store/gpkg_store.hpp"
#include "store/pg_store.hpp"
#include "store/physical_columns.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

namespace {

std::optional<FieldType> gpkg_type(std::string t) {
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (auto p = t.find('('); p != std::string::npos) t.resize(p);  // TEXT(254)
    if (t == "TEXT") return FieldType::String;
    if (t == "INTEGER" || t == "MEDIUMINT" || t == "SMALLINT" || t == "TINYINT" || t == "INT") return FieldType::Integer;
    if (t == "REAL" || t == "FLOAT" || t == "DOUBLE") return FieldType::Real;
    if (t == "DATE" || t == "DATETIME") return FieldType::Date;
    if (t == "BOOLEAN") return FieldType::Boolean;
    return std::nullopt;
}

// A read-only connection of its own: a table's declaration does not change within a plan version.
std::vector<PhysicalColumn> gpkg_columns(const GpkgStore& store, const TableSchema& s) {
    SqliteDb sql(store.location(), SqliteDb::Mode::ReadOnly);
    std::string geometry;
    if (sql.table_exists("gpkg_geometry_columns")) {
        auto g = sql.prepare("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?");
        g.bind(1, s.code);
        if (g.step()) geometry = g.text(0);
    }
    std::vector<PhysicalColumn> out;
    auto st = sql.prepare("SELECT name, type, pk FROM pragma_table_info(?)");
    st.bind(1, s.code);
    while (st.step()) {
        if (st.integer(2) != 0 || st.text(0) == geometry) continue;  // the feature id, the geometry
        out.push_back({st.text(0), st.text(1), gpkg_type(st.text(1))});
    }
    return out;
}

}  // namespace

std::optional<std::vector<PhysicalColumn>> physical_columns(const PlanStore& store, const std::string& layer) {
    if (auto g = dynamic_cast<const GpkgStore*>(&store)) return gpkg_columns(*g, store.schema(layer));
    if (auto p = dynamic_cast<const PgStore*>(&store)) return p->physical_columns(layer);
    return std::nullopt;
}

}  // namespace minplan::store
