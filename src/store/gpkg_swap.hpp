// Internal: a replace that turns the staging table into the live table instead of copying its rows
// (docs/performance.md, session 8). Inside the plan transaction (the write lock is held only for this):
// the live table and its R*Tree are dropped (their rows already copied to the history), the stage and the
// R*Tree GDAL built for it while staging are renamed to the live names, and the live table's own triggers
// and indexes are created again from the SQL the file held for them (GDAL's R*Tree and feature-count
// triggers, minplan's attribute indexes). Every registration keyed by the layer's name (gpkg_contents,
// gpkg_geometry_columns, gpkg_extensions, gpkg_data_columns, gpkg_metadata_reference, layer_styles) stays
// as it was; the stage's own are deleted. The stage's fids already continue the live sequence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace minplan::store {
class SqliteDb;
}

namespace minplan::store::detail {

// The last fid the table's AUTOINCREMENT handed out (sqlite_sequence, or the largest fid): new rows get
// larger ones, whatever was deleted. -1 when the table does not exist.
std::int64_t fid_sequence(SqliteDb& sql, const std::string& table);

// The R*Tree GDAL keeps for a layer's geometry column ("rtree_<table>_<column>"), empty when it has none.
std::string rtree_of(SqliteDb& sql, const std::string& table);

// Why the stage cannot become the live table (empty: it can): the columns (names, declared types,
// constraints, order) and geometry registration must be the live table's, the live sequence must not
// have moved since the stage was numbered after it, and the stage must have an R*Tree if the live has one.
std::string rename_obstacle(SqliteDb& sql, const std::string& stage, const std::string& live, std::int64_t fid_base,
                            std::size_t rows);

// Drops `live` (and its R*Tree) and renames `stage` (and its R*Tree) to take its place; see the top.
void rename_stage_into(SqliteDb& sql, const std::string& stage, const std::string& live);

// The plain table beside a stage holding the reader's GeometryFacts by stage fid (dropped with the stage).
std::string stage_facts_table(const std::string& stage);
void create_stage_facts(SqliteDb& sql, const std::string& stage);
// Writes the facts of `rows`, whose fids are first_fid, first_fid + 1, …; false when a row with a geometry
// has none (then the store computes the record as for any other write).
bool write_stage_facts(SqliteDb& sql, const std::string& stage, const std::vector<Feature>& rows, std::int64_t first_fid);
// Records the stage's facts in minplan_geodesy for `layer`, each under its stage fid + `offset` (the fid the
// row got in the live table), and drops the facts table.
void move_stage_facts(SqliteDb& sql, const std::string& stage, const std::string& layer, std::int64_t offset);

}  // namespace minplan::store::detail
