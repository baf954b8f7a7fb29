// The storage interface of a plan database. The GeoPackage store is the embedded one; a PostGIS store can
// implement the same interface later. Layers are addressed by schema id, database code or Chinese name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"

namespace minplan::store {

struct BBox {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;  // lon/lat, EPSG:4490
};

// "minLon,minLat,maxLon,maxLat" (EPSG:4490) as `query --bbox` and `?bbox=` take it; InputError saying what
// was expected.
BBox parse_bbox(const std::string& text);

struct AttributeFilter {
    std::string field;  // internal name, code or alias
    std::string op;     // "=", "!=", "<", "<=", ">", ">=", "like"
    std::string value;
};

struct Query {
    std::optional<BBox> bbox;
    std::vector<AttributeFilter> filters;  // all must hold
    std::size_t offset = 0;
    std::size_t limit = 0;  // 0 = all
};

struct LayerInfo {
    std::string id;
    std::string code;
    std::string name_zh;
    bool spatial = false;
    std::int64_t feature_count = 0;
    int epsg = 0;  // 0 for attribute tables
};

// A layer's default style as QGIS reads it (GeoPackage table layer_styles).
struct LayerStyleText {
    std::string name, qml, sld;
};

// What the store computed of a feature's geometry when the feature was written (full double precision):
// the ellipsoidal CGCS2000 area of the lon/lat polygon as geo::ellipsoidal_area_km2 gives it (m²), whether
// GEOS finds the polygon valid, and the vertex count and envelope by which a reader tells that the entry
// is of the geometry it read (store/geodesy.hpp).
struct StoredGeodesy {
    double area_m2 = 0;
    bool valid = false;
    std::int64_t vertices = 0;
    BBox envelope;
};

// An entry of a layer's spatial index: a feature's id and the box the index keeps for it, which contains the
// feature's envelope (the GeoPackage R*Tree keeps floats rounded outward).
struct IndexBox {
    std::int64_t fid = 0;
    BBox box;
};

// A consistent read view of a plan database at one version (PlanDatabase::snapshot()).
class PlanStore {
public:
    virtual ~PlanStore() = default;
    // The version this view reads (0 for a database without a version counter).
    virtual std::int64_t version() const = 0;
    virtual std::vector<LayerInfo> layers() const = 0;
    virtual const TableSchema& schema(const std::string& layer) const = 0;
    virtual std::vector<Feature> read(const std::string& layer, const Query& query = {}) const = 0;
    // The features of a spatial layer whose envelope meets `box`, through the layer's spatial index (the
    // GeoPackage R*Tree; a PostGIS store: `geom && ST_MakeEnvelope`): what a check reads near an
    // application, never the whole layer. May return a few more (the index is by envelope); only
    // features with a geometry.
    virtual std::vector<Feature> features_in(const std::string& layer, const BBox& box) const;
    // The attributes `fields` (internal names, codes or aliases; InputError for one the layer does not have) of
    // every feature of a spatial layer that has a geometry, in fid order, without the geometry or any other
    // attribute: what a digest of a layer of thousands reads (the existing rights' kind, mineral and scale for
    // a capacity sum), cheaply enough for one CLI check. The default takes features_in over the whole world.
    virtual std::vector<Feature> attributes_of(const std::string& layer, const std::vector<std::string>& fields) const;
    // The distinct non-empty texts of one String attribute (internal name, code or alias) over every row of the
    // layer, in the order of the first row holding each: what an import accepts besides the code tables (the
    // counties and minerals the plan itself names). The default reads the layer a page at a time; a store
    // with SQL asks it for the values alone.
    virtual std::vector<std::string> distinct_texts(const std::string& layer, const std::string& field) const;
    // The index boxes meeting `box`, from the spatial index alone (no row read): a reader with many small
    // targets in one window (the batch audit: a tile of rights) then reads only the rows near one of them
    // (features_with_fids). nullopt when the store has no such cheap answer (the reader takes features_in).
    virtual std::optional<std::vector<IndexBox>> index_boxes(const std::string& /*layer*/, const BBox& /*box*/) const {
        return std::nullopt;
    }
    // The features of `fids` (ids index_boxes gave for `box`), in fid order; a store without its own way
    // reads features_in(box) and keeps those.
    virtual std::vector<Feature> features_with_fids(const std::string& layer, const BBox& box,
                                                    const std::vector<std::int64_t>& fids) const;
    // Whether the layer has a feature with a geometry (and, given a field, one of `values` in it): one
    // probe that stops at the first row, never a read of the layer.
    virtual bool has_features(const std::string& layer, const std::string& field = {},
                              const std::vector<std::string>& values = {}) const;
    virtual std::optional<std::string> metadata(const std::string& key) const = 0;
    // The stored geodesy of those of `fids` of a spatial layer that have an entry; a reader computes the rest.
    // The default (a store that keeps none) has none.
    virtual std::map<std::int64_t, StoredGeodesy> geodesy(const std::string& /*layer*/, const std::vector<std::int64_t>& /*fids*/) const {
        return {};
    }
    // Every metadata key and every stored package file, by name: what a copy to another store carries.
    virtual std::vector<std::string> metadata_keys() const { return {}; }
    virtual std::vector<std::string> package_names() const { return {}; }
    // The layer's default map style (QML and SLD), when the database keeps one; exports carry it.
    virtual std::optional<LayerStyleText> default_style(const std::string& /*layer*/) const { return std::nullopt; }
    // A file of the plan package stored in the database when it was built (rules.json, indicators.json,
    // standards CSVs …), by its path relative to the plan folder; nullopt when the database has none.
    virtual std::optional<std::string> package_file(const std::string& name) const = 0;
    virtual std::string location() const = 0;

protected:
    // The internal names of `fields` of the layer (attributes_of's argument); InputError naming an unknown one.
    std::vector<std::string> field_names(const std::string& layer, const std::vector<std::string>& fields) const;
    // Each row reduced to `names` (internal names) and its fid: no geometry, no other attribute.
    static void keep_only(std::vector<Feature>& rows, const std::vector<std::string>& names);
};

// A read view of the plan database at `location` (open_database(location)->snapshot()).
std::unique_ptr<PlanStore> open_store(const std::string& location);

}  // namespace minplan::store
