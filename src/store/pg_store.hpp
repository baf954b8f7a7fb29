// A read view of a plan in PostgreSQL: one REPEATABLE READ READ ONLY transaction held for the view's life,
// so every read sees the plan at one version whatever writers commit meanwhile.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "store/pg_conn.hpp"
#include "store/physical_columns.hpp"
#include "store/plan_store.hpp"

namespace minplan::store {

class PgStore final : public PlanStore {
public:
    // `as_of` is validated by the caller. A layer with no change effective after it is read from its live
    // table; others from the live rows valid then UNION ALL the history rows valid then (docs/database.md).
    PgStore(std::unique_ptr<pg::Conn> conn, std::string location, std::string as_of);
    ~PgStore() override;

    std::int64_t version() const override { return version_; }
    std::vector<LayerInfo> layers() const override;
    const TableSchema& schema(const std::string& layer) const override;
    std::vector<Feature> read(const std::string& layer, const Query& query = {}) const override;
    // `geom && ST_MakeEnvelope(…)`: the GiST index answers it.
    std::vector<Feature> features_in(const std::string& layer, const BBox& box) const override;
    // `geom && world` with just those columns in the select list.
    std::vector<Feature> attributes_of(const std::string& layer, const std::vector<std::string>& fields) const override;
    std::vector<std::string> distinct_texts(const std::string& layer, const std::string& field) const override;
    // `geom && box` through the GiST index, returning fids and boxes only; then the rows by `fid = ANY(…)`.
    std::optional<std::vector<IndexBox>> index_boxes(const std::string& layer, const BBox& box) const override;
    std::vector<Feature> features_with_fids(const std::string& layer, const BBox& box,
                                            const std::vector<std::int64_t>& fids) const override;
    bool has_features(const std::string& layer, const std::string& field = {},
                      const std::vector<std::string>& values = {}) const override;
    std::optional<std::string> metadata(const std::string& key) const override;
    std::vector<std::string> metadata_keys() const override;
    // From public.layer_styles (what QGIS reads; minplan copy and build write the plan's styles there).
    std::optional<LayerStyleText> default_style(const std::string& layer) const override;
    std::optional<std::string> package_file(const std::string& name) const override;
    std::vector<std::string> package_names() const override;
    std::string location() const override { return location_; }
    // information_schema.columns of the layer's table in the plan's schema (store/physical_columns.hpp).
    std::vector<PhysicalColumn> physical_columns(const std::string& layer) const;

private:
    // What a read of `s` selects from: the live table, or the rows valid on as_of_ (caller holds mutex_).
    std::string source(const TableSchema& s) const;
    mutable std::map<std::string, bool> needs_history_;  // per layer code, under mutex_
    mutable std::mutex mutex_;  // one statement at a time on the connection
    std::unique_ptr<pg::Conn> conn_;
    std::string location_, as_of_;
    std::string plan_;  // the plan's schema, for messages (the location may hold a password)
    std::int64_t version_ = 0;
    std::vector<TableSchema> schemas_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace minplan::store
