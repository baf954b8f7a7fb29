// The GeoPackage store's lean window reads (store/gpkg_lean_read.hpp) against GDAL's read of the same rows
// (PlanStore::read, which goes through OGRFeature): every kind of geometry blob the GeoPackage standard
// allows (envelopes 0–4, either byte order for the header and for the WKB, the empty flag, NULL, a 3D
// polygon) and cells whose storage type is not their column's (SQLite's dynamic typing), written past the
// store with GDAL's SQL (whose functions keep the R*Tree), as another program would.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gdal/gdal_priv.h>
#include <gdal/ogrsf_frmts.h>

#include "backends.hpp"
#include "core/error.hpp"
#include "store/gpkg_lean_read.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

using store::detail::kFidRunGap;

// A GeoPackage geometry blob (GeoPackage 1.3 §2.1.3) built by hand: header in `header_order`, envelope of
// kind `kind` (the values only have to be there: readers skip them), the WKB of `wkt` in `wkb_order`.
std::string blob_hex(const std::string& wkt, int kind, OGRwkbByteOrder header_order, OGRwkbByteOrder wkb_order, bool empty = false) {
    OGRGeometry* g = nullptr;
    EXPECT_EQ(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g), OGRERR_NONE) << wkt;
    std::vector<unsigned char> out = {'G', 'P', 0, 0};
    out[3] = static_cast<unsigned char>((header_order == wkbNDR ? 1 : 0) | (kind << 1) | (empty ? 0x10 : 0));
    auto put = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        std::vector<unsigned char> bytes(b, b + n);
        if (header_order == wkbXDR) std::reverse(bytes.begin(), bytes.end());  // this machine is little-endian
        out.insert(out.end(), bytes.begin(), bytes.end());
    };
    const std::int32_t srs = 4490;
    put(&srs, 4);
    const int doubles[] = {0, 4, 6, 6, 8};
    OGREnvelope e;
    g->getEnvelope(&e);
    const double values[] = {e.MinX, e.MaxX, e.MinY, e.MaxY, 0, 0, 0, 0};
    for (int i = 0; i < doubles[kind]; ++i) put(&values[i], 8);
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
    g->exportToWkb(wkb_order, wkb.data(), wkbVariantIso);
    out.insert(out.end(), wkb.begin(), wkb.end());
    OGRGeometryFactory::destroyGeometry(g);
    std::string hex;
    for (unsigned char c : out) hex += fmt::format("{:02X}", c);
    return "X'" + hex + "'";
}

// Statements run by GDAL on the GeoPackage (its SQL functions keep the R*Tree triggers working).
void run_past_store(const std::string& gpkg, const std::vector<std::string>& statements) {
    GDALAllRegister();
    auto* ds = static_cast<GDALDataset*>(GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    for (const auto& sql : statements) {
        CPLErrorReset();
        ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        EXPECT_NE(CPLGetLastErrorType(), CE_Failure) << sql << ": " << CPLGetLastErrorMsg();
    }
    GDALClose(ds);
}

Feature block(const std::string& id, double x) { return surveyed_block(id, x, 40.0); }

Feature right(const std::string& id, double x, const std::string& from) {
    Feature f;
    f.attributes["right_id"] = id;
    f.attributes["kind"] = std::string("采矿权");
    f.attributes["valid_from"] = from;
    f.attributes["scale"] = 30.0;
    f.attributes[kGeometrySourceField] = std::string("surveyed");
    f.wkb = square_wkb(x, 40.0, 0.01);
    return f;
}

// Every row of `layer` read by GDAL (read) equals the lean reads of it: by fid all of them, by box those
// with a geometry that is not empty (the R*Tree holds no other).
void expect_lean_equals_gdal(const store::PlanStore& s, const std::string& layer, std::size_t rows) {
    const auto gdal = s.read(layer);
    ASSERT_EQ(gdal.size(), rows);
    std::vector<std::int64_t> fids;
    for (const auto& f : gdal) fids.push_back(f.fid);
    const store::BBox box{112.9, 39.9, 113.2, 40.1};
    const auto by_fid = s.features_with_fids(layer, box, fids);
    ASSERT_EQ(by_fid.size(), gdal.size());
    std::set<std::int64_t> in_box;
    for (const auto& f : s.features_in(layer, box)) {
        in_box.insert(f.fid);
        const auto it = std::find_if(gdal.begin(), gdal.end(), [&](const Feature& g) { return g.fid == f.fid; });
        ASSERT_NE(it, gdal.end());
        EXPECT_EQ(f.wkb, it->wkb) << "features_in fid " << f.fid;
        EXPECT_EQ(f.attributes, it->attributes) << "features_in fid " << f.fid;
    }
    for (std::size_t i = 0; i < gdal.size(); ++i) {
        EXPECT_EQ(by_fid[i].fid, gdal[i].fid);
        EXPECT_EQ(by_fid[i].wkb, gdal[i].wkb) << "fid " << gdal[i].fid;
        EXPECT_EQ(by_fid[i].attributes, gdal[i].attributes) << "fid " << gdal[i].fid;
        bool drawn = false;
        if (!gdal[i].wkb.empty()) {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkb(gdal[i].wkb.data(), nullptr, &g, gdal[i].wkb.size());
            drawn = g && !g->IsEmpty();
            OGRGeometryFactory::destroyGeometry(g);
        }
        EXPECT_EQ(in_box.count(gdal[i].fid) == 1, drawn) << "fid " << gdal[i].fid;
    }
    // attributes_of: the rows the index holds (all of them lie in `box`), in fid order, each with just the
    // fields asked for, as GDAL reads them, and no geometry.
    const auto& schema_fields = s.schema(layer).fields;
    ASSERT_GE(schema_fields.size(), 3u);
    const std::vector<std::string> some{schema_fields.back().name, schema_fields.front().name, schema_fields[1].code};
    const std::vector<std::string> names{schema_fields.back().name, schema_fields.front().name, schema_fields[1].name};
    const auto columns = s.attributes_of(layer, some);
    ASSERT_EQ(columns.size(), in_box.size());
    auto want = in_box.begin();
    for (const auto& row : columns) {
        EXPECT_EQ(row.fid, *want++);
        EXPECT_TRUE(row.wkb.empty());
        const auto it = std::find_if(gdal.begin(), gdal.end(), [&](const Feature& g) { return g.fid == row.fid; });
        ASSERT_NE(it, gdal.end());
        std::map<std::string, Value> expected;
        for (const auto& n : names) expected[n] = it->get(n);
        EXPECT_EQ(row.attributes, expected) << "attributes_of fid " << row.fid;
    }
    EXPECT_THROW(s.attributes_of(layer, {"no_such_field"}), InputError);
}

TEST(GpkgLeanRead, EveryBlobKindAndStorageTypeReadsAsGdalReadsIt) {
    BackendPlan plan("gpkg");
    auto db = store::open_database(plan.location());
    const TableSchema blocks = db->snapshot()->schema("mining_blocks");
    std::vector<Feature> rows;
    for (int i = 0; i < 11; ++i) rows.push_back(block("B" + std::to_string(i), 113.0 + 0.02 * i));
    store::write_tables(*db, {{blocks, rows}}, store::SwapMode::Replace, {}, std::nullopt, "tester");
    std::vector<std::int64_t> fids;
    for (const auto& f : db->snapshot()->read("mining_blocks")) fids.push_back(f.fid);
    ASSERT_EQ(fids.size(), 11u);
    const std::string sq = "POLYGON ((113.1 40,113.11 40,113.11 40.01,113.1 40.01,113.1 40))";
    const std::string two = "MULTIPOLYGON (((113.0 40,113.005 40,113.005 40.005,113.0 40)),((113.006 40,113.009 40,113.009 40.004,113.006 40)))";
    auto set_geom = [&](int row, const std::string& value) {
        return "UPDATE \"" + blocks.code + "\" SET geom = " + value + " WHERE fid = " + std::to_string(fids[row]);
    };
    auto set_cell = [&](int row, const std::string& field, const std::string& value) {
        return "UPDATE \"" + blocks.code + "\" SET \"" + blocks.field(field)->code + "\" = " + value + " WHERE fid = " + std::to_string(fids[row]);
    };
    run_past_store(plan.location(), {
        set_geom(0, blob_hex(sq, 0, wkbNDR, wkbNDR)),             // no envelope, a Polygon (not Multi)
        set_geom(1, blob_hex(two, 1, wkbNDR, wkbNDR)),            // xy envelope, two parts
        set_geom(2, blob_hex(two, 2, wkbNDR, wkbXDR)),            // xyz envelope, big-endian WKB
        set_geom(3, blob_hex(sq, 3, wkbXDR, wkbNDR)),             // xym envelope, big-endian header
        set_geom(4, blob_hex(two, 4, wkbXDR, wkbXDR)),            // xyzm envelope, both big-endian
        set_geom(5, blob_hex("MULTIPOLYGON EMPTY", 0, wkbNDR, wkbNDR, true)),  // the empty flag
        set_geom(6, "NULL"),
        set_geom(7, blob_hex("POLYGON Z ((113.1 40 5,113.11 40 5,113.11 40.01 6,113.1 40 5))", 2, wkbNDR, wkbNDR)),
        set_cell(8, "group_count", "'two'"),                      // text in an INTEGER column
        set_cell(9, "stated_area_km2", "3"),                      // an integer in a REAL column
        set_cell(10, "implements_provincial_plan", "NULL"),
        set_cell(10, "group_count", "NULL"),
    });
    expect_lean_equals_gdal(*db->snapshot(), "mining_blocks", 11);
}

TEST(GpkgLeanRead, DatesReadAsGdalReadsThem) {
    BackendPlan plan("gpkg");
    auto db = store::open_database(plan.location());
    const TableSchema rights = db->snapshot()->schema("mineral_rights");
    store::write_tables(*db, {{rights, {right("R1", 113.0, "2018-01-01"), right("R2", 113.02, "2019-12-31"), right("R3", 113.04, "2020-02-29")}}},
                        store::SwapMode::Replace, {}, std::nullopt, "tester");
    std::vector<std::int64_t> fids;
    for (const auto& f : db->snapshot()->read("mineral_rights")) fids.push_back(f.fid);
    ASSERT_EQ(fids.size(), 3u);
    const std::string column = rights.field("valid_from")->code;
    run_past_store(plan.location(), {
        "UPDATE \"" + rights.code + "\" SET \"" + column + "\" = '2018-01-01T08:30:00' WHERE fid = " + std::to_string(fids[1]),
        "UPDATE \"" + rights.code + "\" SET \"" + column + "\" = '2018/1/1' WHERE fid = " + std::to_string(fids[2]),
    });
    CPLPushErrorHandler(CPLQuietErrorHandler);  // GDAL warns about the date it cannot parse
    expect_lean_equals_gdal(*db->snapshot(), "mineral_rights", 3);
    CPLPopErrorHandler();
}

// features_with_fids reads runs of fids at most kFidRunGap apart with one range scan and passes over the rows
// in between that were not asked for: every subset, with gaps on either side of kFidRunGap, rows deleted
// inside a run, fids that do not exist, duplicates and any order, equals GDAL's read of exactly those rows.
TEST(GpkgLeanRead, RunsOfFidsReadAsGdalReadsEachRow) {
    BackendPlan plan("gpkg");
    auto db = store::open_database(plan.location());
    const TableSchema blocks = db->snapshot()->schema("mining_blocks");
    std::vector<Feature> rows;
    for (int i = 0; i < 40; ++i) rows.push_back(block("B" + std::to_string(i), 112.95 + 0.005 * i));
    store::write_tables(*db, {{blocks, rows}}, store::SwapMode::Replace, {}, std::nullopt, "tester");
    std::vector<std::int64_t> fids;
    for (const auto& f : db->snapshot()->read("mining_blocks")) fids.push_back(f.fid);
    ASSERT_EQ(fids.size(), 40u);
    // Rows 5, 6 and 20 deleted (as another program would): holes inside runs.
    run_past_store(plan.location(), {"DELETE FROM \"" + blocks.code + "\" WHERE fid IN (" + std::to_string(fids[5]) + "," +
                                         std::to_string(fids[6]) + "," + std::to_string(fids[20]) + ")"});
    const auto s = db->snapshot();
    std::map<std::int64_t, Feature> gdal;
    for (auto& f : s->read("mining_blocks")) gdal.emplace(f.fid, std::move(f));
    ASSERT_EQ(gdal.size(), 37u);
    const std::int64_t first = fids.front(), last = fids.back();
    std::vector<std::vector<std::int64_t>> asks = {
        fids,                                                          // every fid, the deleted ones too
        {},                                                            // none
        {first + 39, first, first + 7, first + 3, first + 3},           // any order, a duplicate
        {last + 1, last + 100, first - 1},                             // none exists
    };
    for (std::int64_t step : {std::int64_t{2}, kFidRunGap, kFidRunGap + 1, kFidRunGap + 2}) {  // gaps about the run's limit
        std::vector<std::int64_t> ask;
        for (std::int64_t f = first; f <= last; f += step) ask.push_back(f);
        asks.push_back(ask);
    }
    for (const auto& ask : asks) {
        const auto lean = s->features_with_fids("mining_blocks", {112.9, 39.9, 113.2, 40.1}, ask);
        std::set<std::int64_t> wanted;
        for (std::int64_t f : ask)
            if (gdal.count(f)) wanted.insert(f);
        ASSERT_EQ(lean.size(), wanted.size()) << ask.size() << " asked";
        auto w = wanted.begin();
        for (const auto& f : lean) {
            EXPECT_EQ(f.fid, *w);
            EXPECT_EQ(f.wkb, gdal.at(*w).wkb) << "fid " << f.fid;
            EXPECT_EQ(f.attributes, gdal.at(*w).attributes) << "fid " << f.fid;
            ++w;
        }
    }
}

// The header parser on hand bytes: each envelope kind's length, and what is not a GeoPackage blob.
TEST(GpkgLeanRead, BlobHeadersAreSkippedByTheirEnvelopeKind) {
    for (unsigned kind = 0; kind <= 4; ++kind) {
        const std::size_t envelope = std::vector<std::size_t>{0, 32, 48, 48, 64}[kind];
        std::vector<unsigned char> blob = {'G', 'P', 0, static_cast<unsigned char>(1 | kind << 1), 0xBA, 0x11, 0, 0};
        blob.resize(8 + envelope, 0);
        const auto wkb = square_wkb(113, 40, 0.01);
        blob.insert(blob.end(), wkb.begin(), wkb.end());
        const auto slice = store::detail::gpkg_blob_wkb(blob.data(), blob.size());
        ASSERT_TRUE(slice) << kind;
        EXPECT_EQ(slice->size, wkb.size());
        EXPECT_EQ(std::memcmp(slice->data, wkb.data(), wkb.size()), 0);
        EXPECT_TRUE(store::detail::plain_ndr_polygonal(slice->data, slice->size));
        EXPECT_FALSE(store::detail::plain_ndr_polygonal(slice->data, slice->size - 1));  // truncated
    }
    const std::vector<unsigned char> bad_kind = {'G', 'P', 0, 1 | 5 << 1, 0, 0, 0, 0, 1, 2, 3};
    EXPECT_FALSE(store::detail::gpkg_blob_wkb(bad_kind.data(), bad_kind.size()));
    const std::vector<unsigned char> extended = {'G', 'P', 0, 1 | 0x20, 0, 0, 0, 0, 1, 2, 3};
    EXPECT_FALSE(store::detail::gpkg_blob_wkb(extended.data(), extended.size()));
    const auto plain = square_wkb(113, 40, 0.01);  // WKB without a GeoPackage header
    EXPECT_FALSE(store::detail::gpkg_blob_wkb(plain.data(), plain.size()));
}

}  // namespace
}  // namespace minplan::testing
