#include "store/geodesy.hpp"

#include <algorithm>
#include <future>
#include <thread>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "store/gdal_handles.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store::detail {

void ensure_geodesy_schema(SqliteDb& sql) {
    // area_m2 is a REAL: the IEEE double of the computation, unrounded.
    sql.exec(std::string("CREATE TABLE IF NOT EXISTS ") + kGeodesyTable +
             " (layer TEXT NOT NULL, fid INTEGER NOT NULL, vertices INTEGER NOT NULL, min_x REAL NOT NULL,"
             " min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL, area_m2 REAL NOT NULL, valid INTEGER NOT NULL,"
             " PRIMARY KEY (layer, fid)) WITHOUT ROWID");
}

namespace {

struct Entry {
    std::int64_t fid = 0, vertices = 0;
    std::vector<unsigned char> wkb;
    geo::Envelope envelope;
    double area_m2 = 0;
    bool valid = false, usable = false;
};

constexpr std::size_t kChunkRows = 8192;

void compute(Entry& x) {
    try {
        const geo::Geometry geom = geo::Geometry::from_wkb(x.wkb);
        x.vertices = static_cast<std::int64_t>(geom.vertex_count());
        x.envelope = geom.envelope();
        x.area_m2 = geo::ellipsoidal_area_km2(geom) * 1e6;
        x.valid = !geom.validity_problem();
        x.usable = true;
    } catch (const Error&) {
        x.usable = false;
    }
    x.wkb = {};
}

// Each thread has its own GEOS and PROJ context (geo/geos_context, geo/crs): the entries are independent.
void compute_in_parallel(std::vector<Entry>& chunk) {
    const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(std::thread::hardware_concurrency(), chunk.size() / 64));
    const std::size_t step = (chunk.size() + parts - 1) / parts;
    auto run = [&chunk](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) compute(chunk[i]);
    };
    std::vector<std::future<void>> others;
    for (std::size_t p = 1; p < parts; ++p)
        others.push_back(std::async(std::launch::async, run, std::min(chunk.size(), p * step), std::min(chunk.size(), (p + 1) * step)));
    run(0, std::min(chunk.size(), step));
    for (auto& o : others) o.get();
}

}  // namespace

void record_geodesy(GDALDataset& ds, SqliteDb& sql, const std::string& table, std::int64_t after_fid) {
    OGRLayer* layer = ds.GetLayerByName(table.c_str());
    if (!layer || layer->GetGeomType() == wkbNone) return;
    ensure_geodesy_schema(sql);
    const char* fid_column = layer->GetFIDColumn();
    const std::string where = std::string(fid_column && *fid_column ? fid_column : "fid") + " > " + std::to_string(after_fid);
    // Only the geometry is needed: the attributes are not decoded.
    std::vector<std::string> names;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i) names.push_back(layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    std::vector<const char*> ignored;
    for (const auto& n : names) ignored.push_back(n.c_str());
    ignored.push_back(nullptr);
    layer->SetIgnoredFields(ignored.data());
    layer->SetSpatialFilter(nullptr);
    if (layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE) {
        layer->SetIgnoredFields(nullptr);
        throw IoError("无法读取新写入的要素 / cannot read the rows just written: " + table + " (" + last_gdal_error() + ")");
    }
    auto insert = sql.prepare(std::string("INSERT OR REPLACE INTO ") + kGeodesyTable +
                              " (layer, fid, vertices, min_x, min_y, max_x, max_y, area_m2, valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    // GDAL reads on this thread; the geodesic area and the validity test (most of the cost) run on every core,
    // a chunk of rows at a time, and are written in the order read.
    std::vector<Entry> chunk;
    auto flush = [&] {
        compute_in_parallel(chunk);
        for (const Entry& x : chunk) {
            if (!x.usable) continue;  // a geometry GEOS cannot read gets no entry: the review meets it and says so
            insert.reset();
            insert.bind(1, table).bind(2, x.fid).bind(3, x.vertices);
            insert.bind_real(4, x.envelope.min_x).bind_real(5, x.envelope.min_y).bind_real(6, x.envelope.max_x).bind_real(7, x.envelope.max_y);
            insert.bind_real(8, x.area_m2).bind(9, static_cast<std::int64_t>(x.valid ? 1 : 0));
            insert.step();
        }
        chunk.clear();
    };
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) {
        OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        Entry& x = chunk.emplace_back();
        x.fid = static_cast<std::int64_t>(f->GetFID());
        x.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, x.wkb.data(), wkbVariantIso);
        if (chunk.size() == kChunkRows) flush();
    }
    flush();
    layer->SetAttributeFilter(nullptr);
    layer->SetIgnoredFields(nullptr);
}

std::map<std::int64_t, StoredGeodesy> read_geodesy(SqliteDb& sql, const std::string& table, const std::vector<std::int64_t>& fids) {
    std::map<std::int64_t, StoredGeodesy> out;
    if (fids.empty()) return out;
    // The table is keyed by (layer, fid): a run of wanted fids at most kGeodesyRunGap apart is one range scan
    // (one B-tree descent, then the next entries of the same pages) instead of a lookup each.
    auto st = sql.prepare(std::string("SELECT fid, vertices, min_x, min_y, max_x, max_y, area_m2, valid FROM ") + kGeodesyTable +
                          " WHERE layer = ?1 AND fid >= ?2 AND fid <= ?3 ORDER BY fid");
    std::vector<std::int64_t> sorted = fids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    constexpr std::int64_t kGeodesyRunGap = 4;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i + 1;
        while (j < sorted.size() && sorted[j] - sorted[j - 1] <= kGeodesyRunGap) ++j;
        st.reset();
        st.bind(1, table).bind(2, sorted[i]).bind(3, sorted[j - 1]);
        std::size_t k = i;
        while (st.step()) {
            const std::int64_t fid = st.integer(0);
            while (k < j && sorted[k] < fid) ++k;
            if (k == j || sorted[k] != fid) continue;
            StoredGeodesy g;
            g.vertices = st.integer(1);
            g.envelope = {st.real(2), st.real(3), st.real(4), st.real(5)};
            g.area_m2 = st.real(6);
            g.valid = st.integer(7) != 0;
            out.emplace_hint(out.end(), fid, g);
        }
        i = j;
    }
    return out;
}

}  // namespace minplan::store::detail
