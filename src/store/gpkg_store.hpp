// The embedded plan database: an OGC GeoPackage that GDAL and QGIS open as-is. Layer names are the
// schema codes; field names are the field codes with the Chinese aliases as alternative names; the
// table `minplan_schema` keeps the full schema so that the store is self-describing.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <mutex>

#include "store/plan_store.hpp"
#include "store/sqlite_db.hpp"

class GDALDataset;
class OGRLayer;

namespace minplan::store {
class SqliteDb;
namespace detail {
class LeanReader;
}
}

namespace minplan::store {

class GpkgStore final : public PlanStore {
public:
    // Opens a read view pinned to one version: an SQLite read transaction stays open on GDAL's connection
    // for the store's lifetime, so that every read sees the same committed state.
    // `as_of` (YYYY-MM-DD, validated by the caller) is the date whose plan it reads.
    static std::unique_ptr<GpkgStore> open(const std::filesystem::path& path, const std::string& as_of = {});
    ~GpkgStore() override;

    std::int64_t version() const override { return version_; }
    std::vector<LayerInfo> layers() const override;
    const TableSchema& schema(const std::string& layer) const override;
    std::vector<Feature> read(const std::string& layer, const Query& query = {}) const override;
    // From the layer's R*Tree by SQL, not through GDAL's spatial filter: that one re-tests every candidate's
    // exact geometry with GEOS, which costs a conversion of a red line of a million vertices for each window
    // that touches it; the review tests exactly itself. Read by the lean path (gpkg_lean_read.hpp): a
    // statement prepared once per view and layer, the blob's WKB as it is, no OGRFeature.
    std::vector<Feature> features_in(const std::string& layer, const BBox& box) const override;
    // The lean path's statement with just those columns and no geometry (prepared for this one read).
    std::vector<Feature> attributes_of(const std::string& layer, const std::vector<std::string>& fields) const override;
    std::vector<std::string> distinct_texts(const std::string& layer, const std::string& field) const override;
    // The R*Tree's own rows (id and float box) by SQL; nullopt without an R*Tree or for an as-of read.
    std::optional<std::vector<IndexBox>> index_boxes(const std::string& layer, const BBox& box) const override;
    // Rowid lookups, or a range scan for a run of nearby fids, on statements prepared once per view and layer
    // (the lean path, as features_in).
    std::vector<Feature> features_with_fids(const std::string& layer, const BBox& box,
                                            const std::vector<std::int64_t>& fids) const override;
    std::optional<std::string> metadata(const std::string& key) const override;
    std::map<std::int64_t, StoredGeodesy> geodesy(const std::string& layer, const std::vector<std::int64_t>& fids) const override;
    std::optional<std::string> package_file(const std::string& name) const override;
    std::vector<std::string> metadata_keys() const override {
        std::vector<std::string> out;
        for (const auto& [k, v] : metadata_) out.push_back(k);
        return out;
    }
    std::vector<std::string> package_names() const override {
        std::vector<std::string> out;
        for (const auto& [k, v] : package_) out.push_back(k);
        return out;
    }
    std::optional<LayerStyleText> default_style(const std::string& layer) const override;
    std::string location() const override { return path_.string(); }
    std::string as_of() const { return as_of_; }  // the date it reads (empty: the live tables)

private:
    GpkgStore() = default;
    // Whether the layer changed after as_of (a row valid from later, or retired later): then a read
    // combines the live rows valid at as_of with its history; otherwise the live table is the answer.
    bool needs_history(const TableSchema& s) const;
    std::vector<Feature> read_as_of(const TableSchema& s, OGRLayer& live, const Query& query, const std::string& where) const;
    std::string as_of_;
    mutable std::mutex history_mutex_;
    mutable std::map<std::string, bool> needs_history_;
    mutable std::map<std::string, bool> has_rtree_;  // per table, as this read view sees it (guarded like needs_history_)
    bool has_rtree(const std::string& rtree) const;
    // The layer's lean reader (made on first use; nullptr when its columns need GDAL's conversions). The
    // caller holds lean_mutex_ while it reads: the statements are this view's, one read at a time.
    detail::LeanReader* lean(const TableSchema& s, OGRLayer& layer, const std::string& rtree) const;
    mutable std::mutex lean_mutex_;
    mutable std::map<std::string, std::unique_ptr<detail::LeanReader>> lean_;  // nullptr: read through GDAL
    mutable std::map<std::string, std::unique_ptr<SqliteDb::Statement>> index_boxes_;  // per R*Tree, under lean_mutex_
    std::filesystem::path path_;
    GDALDataset* ds_ = nullptr;
    std::unique_ptr<SqliteDb> pin_;  // GDAL's connection, inside the read transaction
    std::int64_t version_ = 0;
    std::vector<TableSchema> schemas_;
    std::map<std::string, std::string> metadata_;
    std::map<std::string, std::string> package_;
};

// What QGIS and catalogue software read from a GeoPackage besides the layers (docs/qgis.md), prepared by
// the builder (plan/qgis_assets.hpp) and written with the database in GpkgWriter::commit.
struct QgisLayerExtras {
    std::string code;  // table name
    bool spatial = false;
    std::string title_zh, description_zh;  // gpkg_contents.identifier / description
    std::string style_name, qml, sld;      // layer_styles (the default style)
    std::string qmd;                       // QGIS layer metadata (gpkg_metadata, referenced by the table)
    std::vector<std::pair<std::string, std::string>> aliases;  // column → Chinese title (gpkg_data_columns)
};
struct QgisExtras {
    std::vector<QgisLayerExtras> layers;
    std::string dataset_iso_xml;  // ISO 19115 (gpkg_metadata, scope geopackage)
    std::string project_name;     // qgis_projects.name
    std::string project_qgs;      // the project XML; stored zipped as QGIS does (.qgz, hex)
};

// A QGIS project as a .qgz file (a zip holding NAME.qgs), the form QGIS stores in qgis_projects.
std::string qgz_bytes(const std::string& qgs_name, const std::string& qgs_xml);
// What a check of the finished database (before it replaces the target) asks to record: metadata keys
// and a note appended to the change log's first line.
struct PublishNote {
    std::map<std::string, std::string> metadata;
    std::string change_note;
};
// Reads the finished database; throwing leaves the target untouched (build's quality check).
using PublishCheck = std::function<PublishNote(const PlanStore&)>;

// Writes a new GeoPackage all-or-nothing: everything goes to a temporary file next to the target,
// which replaces the target only in commit(). A writer destroyed without commit() leaves no trace.
class GpkgWriter {
public:
    explicit GpkgWriter(const std::filesystem::path& target);
    ~GpkgWriter();
    GpkgWriter(const GpkgWriter&) = delete;
    GpkgWriter& operator=(const GpkgWriter&) = delete;

    void set_metadata(const std::string& key, const std::string& value);
    // Stores a file of the plan package (see PlanStore::package_file).
    void set_package_file(const std::string& name, const std::string& content);
    // Features carry attributes by internal name and EPSG:4490 WKB. Spatial layers must carry the
    // geometry_source field.
    void write_layer(const TableSchema& schema, const std::vector<Feature>& features);
    // Styles, project and metadata for QGIS, written by commit().
    void set_qgis(QgisExtras extras) { qgis_ = std::move(extras); }
    void commit(const PublishCheck& check = {});

private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    GDALDataset* ds_ = nullptr;
    std::map<std::string, std::string> metadata_;
    std::map<std::string, std::string> package_;
    std::vector<TableSchema> schemas_;
    QgisExtras qgis_;
    bool committed_ = false;
};

// Schema as JSON (the same shape as data/schema/tables/*.json) and back.
std::string schema_to_json(const TableSchema& s);
TableSchema schema_from_json(const std::string& json, const std::string& context);

}  // namespace minplan::store
