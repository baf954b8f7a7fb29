// The store-internal record of each feature's exact ellipsoidal area and validity (table minplan_geodesy),
// written by the store whenever rows enter a layer (PlanTransaction::swap_in: import, append, replace,
// change sets), so that a check or an audit takes a feature inside an application as its own overlap
// without a geodesic computation and skips GEOS's validity test. Not the rounded, user-visible `area_km2`.
// GeoPackage only; other stores and rows written otherwise (build, copy) have no entry: readers compute.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/plan_store.hpp"

class GDALDataset;

namespace minplan::store {
class SqliteDb;
}

namespace minplan::store::detail {

inline constexpr const char* kGeodesyTable = "minplan_geodesy";

void ensure_geodesy_schema(SqliteDb& sql);

// Computes and records the entries of the rows of `table` whose fid is above `after_fid` (the rows just
// added: fids are never reused), reading their geometries through GDAL inside the caller's transaction.
void record_geodesy(GDALDataset& ds, SqliteDb& sql, const std::string& table, std::int64_t after_fid);

// The entries of `fids` of `table` that exist; the caller has made sure the table exists (a database
// written before it has none).
std::map<std::int64_t, StoredGeodesy> read_geodesy(SqliteDb& sql, const std::string& table,
                                                   const std::vector<std::int64_t>& fids);

}  // namespace minplan::store::detail
