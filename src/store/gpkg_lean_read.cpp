#include "store/gpkg_lean_read.hpp"

#include <algorithm>
#include <cstring>

#include <ogrsf_frmts.h>

#include "store/gdal_handles.hpp"
#include "store/ogr_convert.hpp"

namespace minplan::store::detail {
namespace {

std::string quoted(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::uint32_t u32_le(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 | static_cast<std::uint32_t>(p[2]) << 16 |
           static_cast<std::uint32_t>(p[3]) << 24;
}

// Walks a little-endian WKB Polygon body (ring count, then per ring a point count and 2D points) from `at`;
// false when it runs past `end`.
bool skip_polygon_body(const unsigned char*& at, const unsigned char* end) {
    if (end - at < 4) return false;
    const std::uint32_t rings = u32_le(at);
    at += 4;
    for (std::uint32_t r = 0; r < rings; ++r) {
        if (end - at < 4) return false;
        const std::uint64_t points = u32_le(at);
        at += 4;
        if (static_cast<std::uint64_t>(end - at) < points * 16) return false;
        at += points * 16;
    }
    return true;
}

// A DATE cell as GDAL reads it (OGRParseDate) and detail::to_feature prints it back (%04d-%02d-%02d) is the
// same text when it is YYYY-MM-DD with a month and day in range; anything else is left to GDAL.
bool plain_date(const std::string& t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (t[i] < '0' || t[i] > '9') return false;
    const int month = (t[5] - '0') * 10 + (t[6] - '0'), day = (t[8] - '0') * 10 + (t[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::optional<WkbSlice> gpkg_blob_wkb(const unsigned char* blob, std::size_t size) {
    if (!blob || size < 8 || blob[0] != 'G' || blob[1] != 'P') return std::nullopt;
    const unsigned char flags = blob[3];
    if (flags & 0x20) return std::nullopt;  // ExtendedGeoPackageBinary: a type only its extension knows
    static constexpr std::size_t kEnvelopeBytes[] = {0, 32, 48, 48, 64};
    const unsigned kind = (flags >> 1) & 0x07;
    if (kind > 4) return std::nullopt;
    const std::size_t header = 8 + kEnvelopeBytes[kind];
    if (size <= header) return std::nullopt;
    return WkbSlice{blob + header, size - header};
}

bool plain_ndr_polygonal(const unsigned char* wkb, std::size_t size) {
    const unsigned char* at = wkb;
    const unsigned char* end = wkb + size;
    if (size < 9 || at[0] != 1) return false;
    const std::uint32_t type = u32_le(at + 1);
    at += 5;
    if (type == 3) return skip_polygon_body(at, end) && at == end;
    if (type != 6) return false;
    if (end - at < 4) return false;
    const std::uint32_t parts = u32_le(at);
    at += 4;
    for (std::uint32_t i = 0; i < parts; ++i) {
        if (end - at < 5 || at[0] != 1 || u32_le(at + 1) != 3) return false;
        at += 5;
        if (!skip_polygon_body(at, end)) return false;
    }
    return at == end;
}

std::unique_ptr<LeanReader> LeanReader::make(SqliteDb& db, const TableSchema& schema, OGRLayer& layer, const std::string& rtree,
                                             const std::vector<std::string>* only) {
    std::unique_ptr<LeanReader> r(new LeanReader(schema, layer));
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    const char* fid = layer.GetFIDColumn();
    const char* geom = layer.GetGeometryColumn();
    if (!geom || !*geom) return nullptr;
    std::string select = "SELECT " + quoted(fid && *fid ? fid : "fid") + ", " + (only ? std::string("NULL") : quoted(geom));
    int next = 2;
    for (const auto& fd : schema.fields) {
        if (only && std::find(only->begin(), only->end(), fd.name) == only->end()) continue;
        Column c;
        c.field = fd.name;
        const int idx = defn->GetFieldIndex(fd.code.c_str());
        if (idx >= 0) {
            const OGRFieldDefn* f = defn->GetFieldDefn(idx);
            const OGRFieldType t = f->GetType();
            // Only the pairs detail::to_feature converts in a way the cell's own value gives directly.
            switch (fd.type) {
                case FieldType::Integer:
                    if (t == OFTInteger64) c.as = Column::As::Integer;
                    else if (t == OFTInteger && f->GetSubType() == OFSTNone) c.as = Column::As::Integer32;
                    else return nullptr;
                    break;
                case FieldType::Real:
                    if (t != OFTReal) return nullptr;
                    c.as = Column::As::Real;
                    break;
                case FieldType::Boolean:
                    if (t != OFTInteger) return nullptr;
                    c.as = Column::As::Boolean;
                    break;
                case FieldType::Date:
                    if (t == OFTString) c.as = Column::As::Text;
                    else if (t == OFTDate) c.as = Column::As::Date;
                    else return nullptr;
                    break;
                case FieldType::String:
                    if (t != OFTString) return nullptr;
                    c.as = Column::As::Text;
                    break;
            }
            c.index = next++;
            select += ", " + quoted(f->GetNameRef());
        }
        r->columns_.push_back(std::move(c));
    }
    select += " FROM " + quoted(schema.code);
    const std::string fid_column = quoted(fid && *fid ? fid : "fid");
    r->by_fid_.emplace(db.prepare(select + " WHERE " + fid_column + " = ?"));
    r->by_range_.emplace(db.prepare(select + " WHERE " + fid_column + " >= ?1 AND " + fid_column + " <= ?2 ORDER BY " + fid_column));
    r->in_box_.emplace(db.prepare(select + " WHERE " + fid_column + " IN (SELECT id FROM " + quoted(rtree) +
                                  " WHERE minx <= ?1 AND maxx >= ?2 AND miny <= ?3 AND maxy >= ?4)"));
    return r;
}

void LeanReader::through_gdal(std::int64_t fid, std::vector<Feature>& out) {
    if (FeaturePtr f{layer_.GetFeature(static_cast<GIntBig>(fid))}) out.push_back(to_feature(schema_, *f));
}

void LeanReader::take(SqliteDb::Statement& st, std::vector<Feature>& out) {
    using Storage = SqliteDb::Statement::Storage;
    Feature f;
    f.fid = st.integer(0);
    if (st.storage(1) != Storage::Null) {
        const auto [blob, size] = st.blob(1);
        const auto wkb = gpkg_blob_wkb(blob, size);
        if (!wkb || !plain_ndr_polygonal(wkb->data, wkb->size)) return through_gdal(f.fid, out);
        f.wkb.assign(wkb->data, wkb->data + wkb->size);
    }
    for (const Column& c : columns_) {
        Value v;
        if (c.index >= 0) {
            const Storage s = st.storage(c.index);
            if (s != Storage::Null) {
                // GDAL reads INTEGER and REAL fields with sqlite3_column_int / _int64 / _double and text fields
                // with sqlite3_column_text; a cell stored otherwise (dynamic typing) is left to GDAL's rules.
                switch (c.as) {
                    case Column::As::Integer:
                        if (s != Storage::Integer) return through_gdal(f.fid, out);
                        v = st.integer(c.index);
                        break;
                    case Column::As::Integer32:
                        if (s != Storage::Integer) return through_gdal(f.fid, out);
                        v = static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(st.integer(c.index))));
                        break;
                    case Column::As::Real:
                        if (s != Storage::Real && s != Storage::Integer) return through_gdal(f.fid, out);
                        v = st.real(c.index);
                        break;
                    case Column::As::Boolean:
                        if (s != Storage::Integer) return through_gdal(f.fid, out);
                        v = static_cast<std::int32_t>(static_cast<std::uint32_t>(st.integer(c.index))) != 0;
                        break;
                    case Column::As::Text:
                        if (s != Storage::Text) return through_gdal(f.fid, out);
                        v = st.text(c.index);
                        break;
                    case Column::As::Date: {
                        if (s != Storage::Text) return through_gdal(f.fid, out);
                        std::string t = st.text(c.index);
                        if (!plain_date(t)) return through_gdal(f.fid, out);
                        v = std::move(t);
                        break;
                    }
                }
            }
        }
        f.attributes[c.field] = std::move(v);
    }
    out.push_back(std::move(f));
}

std::vector<Feature> LeanReader::by_fids(const std::vector<std::int64_t>& fids) {
    std::vector<std::int64_t> sorted = fids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::vector<Feature> out;
    out.reserve(sorted.size());
    SqliteDb::Statement& st = *by_fid_;
    SqliteDb::Statement& range = *by_range_;
    // One rowid lookup per fid on a statement compiled once: what `fid IN (…)` makes SQLite do, without
    // compiling the list into a new statement for every call. A run of fids at most kFidRunGap apart is read
    // with one range scan instead (one B-tree descent, then the next rows of the same leaf pages); the rows
    // in it that were not asked for are passed over.
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i + 1;
        while (j < sorted.size() && sorted[j] - sorted[j - 1] <= kFidRunGap) ++j;
        if (j - i == 1) {
            st.reset();
            st.bind(1, sorted[i]);
            if (st.step()) take(st, out);
        } else {
            range.reset();
            range.bind(1, sorted[i]).bind(2, sorted[j - 1]);
            std::size_t k = i;
            while (range.step()) {
                const std::int64_t fid = range.integer(0);
                while (k < j && sorted[k] < fid) ++k;
                if (k < j && sorted[k] == fid) take(range, out);
            }
        }
        i = j;
    }
    st.reset();
    range.reset();
    return out;
}

std::vector<Feature> LeanReader::in_box(const BBox& b) {
    std::vector<Feature> out;
    SqliteDb::Statement& st = *in_box_;
    st.reset();
    st.bind_real(1, b.max_x).bind_real(2, b.min_x).bind_real(3, b.max_y).bind_real(4, b.min_y);
    while (st.step()) take(st, out);
    st.reset();
    std::sort(out.begin(), out.end(), [](const Feature& x, const Feature& y) { return x.fid < y.fid; });
    return out;
}

}  // namespace minplan::store::detail
