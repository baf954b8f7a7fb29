#include "store/gpkg_swap.hpp"

#include <algorithm>

#include "store/geodesy.hpp"
#include "store/gpkg_history.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store::detail {

namespace {

// The registrations GDAL writes for a layer of its own (GeoPackage 1.3 §1.1.2, §1.1.3, §2.4, §2.5; GDAL's
// gpkg_ogr_contents), keyed by table_name.
constexpr const char* kRegistrations[] = {"gpkg_geometry_columns", "gpkg_extensions", "gpkg_data_columns",
                                          "gpkg_metadata_reference", "gpkg_ogr_contents", "gpkg_contents"};

std::string geometry_column(SqliteDb& sql, const std::string& table) {
    if (!sql.table_exists("gpkg_geometry_columns")) return {};
    auto st = sql.prepare("SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)");
    st.bind(1, table);
    return st.step() ? st.text(0) : std::string();
}

// One line per column, in order, with everything SQLite declares about it.
std::vector<std::string> column_declarations(SqliteDb& sql, const std::string& table) {
    std::vector<std::string> out;
    auto st = sql.prepare("SELECT cid, name, type, \"notnull\", coalesce(dflt_value, '<null>'), pk FROM pragma_table_info(?)");
    st.bind(1, table);
    while (st.step())
        out.push_back(st.text(0) + "|" + st.text(1) + "|" + st.text(2) + "|" + st.text(3) + "|" + st.text(4) + "|" + st.text(5));
    return out;
}

std::string geometry_registration(SqliteDb& sql, const std::string& table) {
    if (!sql.table_exists("gpkg_geometry_columns")) return {};
    auto st = sql.prepare("SELECT column_name || '|' || geometry_type_name || '|' || srs_id || '|' || z || '|' || m"
                          " FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)");
    st.bind(1, table);
    return st.step() ? st.text(0) : std::string();
}

std::vector<std::string> schema_objects(SqliteDb& sql, const std::string& table, const char* what) {
    std::vector<std::string> out;
    auto st = sql.prepare(std::string("SELECT ") + what +
                          " FROM sqlite_master WHERE lower(tbl_name) = lower(?) AND type IN ('index', 'trigger') AND sql IS NOT NULL"
                          " ORDER BY rowid");
    st.bind(1, table);
    while (st.step()) out.push_back(st.text(0));
    return out;
}

}  // namespace

std::int64_t fid_sequence(SqliteDb& sql, const std::string& table) {
    if (!sql.table_exists(table)) return -1;
    std::int64_t seq = 0;
    if (sql.table_exists("sqlite_sequence")) {
        auto st = sql.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
        st.bind(1, table);
        if (st.step()) seq = st.integer(0);
    }
    // The largest rowid: one step down the table's B-tree.
    return std::max(seq, sql.scalar("SELECT coalesce(max(rowid), 0) FROM " + quoted(table)));
}

std::string rtree_of(SqliteDb& sql, const std::string& table) {
    const std::string column = geometry_column(sql, table);
    if (column.empty()) return {};
    const std::string rtree = "rtree_" + table + "_" + column;
    return sql.table_exists(rtree) ? rtree : std::string();
}

std::string rename_obstacle(SqliteDb& sql, const std::string& stage, const std::string& live, std::int64_t fid_base,
                            std::size_t rows) {
    if (rows == 0) return "the stage is empty";  // nothing to copy either; and it carries no sequence
    if (fid_base < 0) return "the stage was not numbered after the live table";
    if (fid_sequence(sql, live) != fid_base) return "another write added rows to the live table while staging";
    if (column_declarations(sql, stage) != column_declarations(sql, live)) return "the stage's columns differ from the live table's";
    if (geometry_registration(sql, stage) != geometry_registration(sql, live)) return "the geometry registrations differ";
    if (!rtree_of(sql, live).empty() && rtree_of(sql, stage).empty()) return "the stage has no R*Tree";
    return {};
}

void rename_stage_into(SqliteDb& sql, const std::string& stage, const std::string& live) {
    // The live table's triggers and indexes as the file declares them, created again on the renamed stage:
    // they name the live table and its R*Tree, which is what they will be called.
    const std::vector<std::string> recreate = schema_objects(sql, live, "sql");
    const std::string live_rtree = rtree_of(sql, live);
    const std::string stage_rtree = rtree_of(sql, stage);
    // The stage's own triggers name the stage (GDAL's R*Tree and count triggers): dropped, not renamed.
    auto st = sql.prepare("SELECT type, name FROM sqlite_master WHERE lower(tbl_name) = lower(?) AND type IN ('index', 'trigger')"
                          " AND sql IS NOT NULL");
    st.bind(1, stage);
    std::vector<std::string> drops;
    while (st.step()) drops.push_back("DROP " + std::string(st.text(0) == "index" ? "INDEX " : "TRIGGER ") + quoted(st.text(1)));
    for (const auto& d : drops) sql.exec(d);
    sql.exec("DROP TABLE " + quoted(live));  // its triggers and indexes go with it
    if (!live_rtree.empty()) sql.exec("DROP TABLE " + quoted(live_rtree));
    if (!stage_rtree.empty())  // SQLite's R*Tree renames its shadow tables with it
        sql.exec(live_rtree.empty() ? "DROP TABLE " + quoted(stage_rtree)
                                    : "ALTER TABLE " + quoted(stage_rtree) + " RENAME TO " + quoted(live_rtree));
    sql.exec("ALTER TABLE " + quoted(stage) + " RENAME TO " + quoted(live));  // its sqlite_sequence row too
    for (const auto& s : recreate) sql.exec(s);
    for (const char* t : kRegistrations) {
        if (!sql.table_exists(t)) continue;
        auto del = sql.prepare(std::string("DELETE FROM ") + t + " WHERE lower(table_name) = lower(?)");
        del.bind(1, stage).step();
    }
}

std::string stage_facts_table(const std::string& stage) { return stage + "_facts"; }

void create_stage_facts(SqliteDb& sql, const std::string& stage) {
    sql.exec("CREATE TABLE IF NOT EXISTS " + quoted(stage_facts_table(stage)) +
             " (fid INTEGER PRIMARY KEY, vertices INTEGER NOT NULL, min_x REAL NOT NULL, min_y REAL NOT NULL,"
             " max_x REAL NOT NULL, max_y REAL NOT NULL, area_m2 REAL NOT NULL, valid INTEGER NOT NULL)");
}

bool write_stage_facts(SqliteDb& sql, const std::string& stage, const std::vector<Feature>& rows, std::int64_t first_fid) {
    auto insert = sql.prepare("INSERT INTO " + quoted(stage_facts_table(stage)) +
                              " (fid, vertices, min_x, min_y, max_x, max_y, area_m2, valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Feature& row = rows[i];
        if (row.wkb.empty()) continue;
        if (!row.facts) return false;
        const GeometryFacts& f = *row.facts;
        if (f.vertices == 0) continue;  // an empty geometry gets no entry (geodesy.cpp does the same)
        insert.reset();
        insert.bind(1, first_fid + static_cast<std::int64_t>(i)).bind(2, f.vertices);
        insert.bind_real(3, f.min_x).bind_real(4, f.min_y).bind_real(5, f.max_x).bind_real(6, f.max_y);
        insert.bind_real(7, f.area_m2).bind(8, static_cast<std::int64_t>(f.valid ? 1 : 0));
        insert.step();
    }
    return true;
}

void move_stage_facts(SqliteDb& sql, const std::string& stage, const std::string& layer, std::int64_t offset) {
    ensure_geodesy_schema(sql);
    const std::string facts = quoted(stage_facts_table(stage));
    auto st = sql.prepare(std::string("INSERT OR REPLACE INTO ") + kGeodesyTable +
                          " (layer, fid, vertices, min_x, min_y, max_x, max_y, area_m2, valid) SELECT ?, fid + ?, vertices, min_x,"
                          " min_y, max_x, max_y, area_m2, valid FROM " + facts + " ORDER BY fid");
    st.bind(1, layer).bind(2, offset).step();
    sql.exec("DROP TABLE " + facts);
}

}  // namespace minplan::store::detail
