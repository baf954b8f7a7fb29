// The GeoPackage store's lean window reads (GpkgStore::features_in / features_with_fids): SQLite statements
// prepared once per read view and layer, the geometry blob's WKB taken past its GeoPackage header, and the
// attribute cells converted as GDAL converts them — without an OGRFeature per row or an SQL statement
// compiled per call (the batch audit makes 10⁵ such reads). A row the lean path cannot read exactly as GDAL
// would (a blob that is not plain little-endian 2D polygons, a cell of an unexpected storage type) is read
// through GDAL; a layer whose columns it does not know (types other than those minplan writes) is read
// through GDAL entirely (LeanReader::make gives nullptr). Internal to src/store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"
#include "store/plan_store.hpp"
#include "store/sqlite_db.hpp"

class OGRLayer;

namespace minplan::store::detail {

// The WKB inside a GeoPackage geometry blob (GeoPackage 1.3, §2.1.3 "GeoPackageBinary"): magic "GP",
// version, flags (bit 0 byte order of the header, bits 1–3 the envelope kind 0–4, bit 4 empty, bit 5 an
// extended type), srs_id, then an envelope of 0, 32, 48, 48 or 64 bytes. nullopt for anything else
// (not a GeoPackage blob, an extended one, a bad envelope kind, too short).
struct WkbSlice {
    const unsigned char* data = nullptr;
    std::size_t size = 0;
};
std::optional<WkbSlice> gpkg_blob_wkb(const unsigned char* blob, std::size_t size);

// Whether `wkb` is a little-endian 2D Polygon or MultiPolygon (ISO codes 3 and 6; every part little-endian)
// that spans exactly `size` bytes: then it is, byte for byte, what GDAL exports for it (OGRGeometry::exportToWkb
// with wkbNDR, wkbVariantIso), and the store passes it on as it is.
bool plain_ndr_polygonal(const unsigned char* wkb, std::size_t size);

// by_fids reads a run of fids at most this far apart with one range scan (LeanReader::by_fids).
inline constexpr std::int64_t kFidRunGap = 4;

class LeanReader {
public:
    // nullptr when a field of the schema is stored in a column type this reader does not convert exactly
    // as detail::to_feature does (the caller then reads through GDAL). `rtree` is the layer's R*Tree table.
    // Given `only` (internal names), the reader selects just those attributes and no geometry (a row read
    // through GDAL still comes whole: the caller trims it).
    static std::unique_ptr<LeanReader> make(SqliteDb& db, const TableSchema& schema, OGRLayer& layer, const std::string& rtree,
                                            const std::vector<std::string>* only = nullptr);

    // The rows of `fids` (any order, duplicates allowed), in fid order; rows that do not exist are absent.
    std::vector<Feature> by_fids(const std::vector<std::int64_t>& fids);
    // The rows whose R*Tree box meets `box`, in fid order (as GpkgStore::features_in: only rows with a geometry).
    std::vector<Feature> in_box(const BBox& box);

private:
    struct Column {
        std::string field;  // the schema's internal name
        int index = -1;     // result column, -1 when the table has no such column (the attribute is unset)
        enum class As { Integer, Integer32, Real, Boolean, Text, Date } as = As::Text;
    };
    LeanReader(const TableSchema& schema, OGRLayer& layer) : schema_(schema), layer_(layer) {}
    // Appends the statement's current row (column 0 the fid, 1 the geometry) to `out`; through GDAL when
    // a cell or the blob is not one the lean path reads exactly.
    void take(SqliteDb::Statement& st, std::vector<Feature>& out);
    void through_gdal(std::int64_t fid, std::vector<Feature>& out);
    const TableSchema& schema_;
    OGRLayer& layer_;
    std::vector<Column> columns_;
    std::optional<SqliteDb::Statement> by_fid_, by_range_, in_box_;
};

}  // namespace minplan::store::detail
