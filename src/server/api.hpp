// The portal's read API over a plan database, as JSON values: no HTTP here, so that every answer can be
// tested without a socket. Layers and features are served from an immutable in-memory snapshot
// (feature_snapshot.hpp) without a lock, reloaded when the plan version moves; the rest (search,
// tables, summary) goes to the store, which is not thread-safe: those calls are serialised with a mutex.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <mutex>
#include <string>

#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::server {

using Params = std::multimap<std::string, std::string>;

// Feature requests are paged: without `limit` at most kDefaultLimit features, never more than kMaxLimit.
inline constexpr std::size_t kDefaultLimit = 5000;
inline constexpr std::size_t kMaxLimit = 50000;
// A layer of at most this many features is held in memory whole (a few thousand in a city plan); a larger one
// is paged from the store per request (bbox windows through the spatial index; feature_snapshot.hpp).
inline constexpr std::int64_t kDefaultHeldMaxFeatures = 20000;

class Snapshot;

class PlanApi {
public:
    // Lists the layers into the snapshot (no feature is read until a layer is asked for).
    // Layers above `held_max_features` features are paged from the store (feature_snapshot.hpp).
    explicit PlanApi(std::shared_ptr<store::PlanDatabase> db, std::int64_t held_max_features = kDefaultHeldMaxFeatures);
    ~PlanApi();

    nlohmann::json layers() const;
    // GeoJSON FeatureCollection (EPSG:4490). Params: bbox, limit, offset, zoom or resolution (simplification,
    // server/simplify.hpp); any other key is an equality filter on a field (internal name, code or Chinese alias).
    nlohmann::json features(const std::string& layer, const Params& params) const;
    // The same answer as text, as served (no parse/dump round trip).
    std::string features_text(const std::string& layer, const Params& params) const;
    nlohmann::json feature(const std::string& layer, std::int64_t fid) const;
    // Names, codes and licence numbers across the spatial layers and the mine register.
    // `skip`: layers left out of the search (for anonymous requests, geoenv_unsearchable()).
    nlohmann::json search(const std::string& q, std::size_t limit, const std::set<std::string>& skip = {}) const;
    nlohmann::json tables() const;                       // the 专栏 list
    nlohmann::json table(const std::string& key) const;  // "2" or "zl02_mines_by_county"
    nlohmann::json summary() const;
    // Corner and gap resources as GeoJSON (`minplan gaps --json`). Params: within, rights, bbox,
    // min-area-km2, max-width-m, adjacency-m (the caller's figures replace the plan's, source 请求参数).
    nlohmann::json gaps(const Params& params) const;
    // The release plans stored in the database (`minplan release list --json`); one year's with `year`
    // (HttpError 404 when none is stored).
    nlohmann::json release_plans(std::optional<int> year) const;
    // The reserves ledger (`minplan reserves --json`); `year` keeps one year's lines (all discrepancies).
    nlohmann::json reserves(std::optional<int> year) const;
    // Geo-environment supervision and the green-mine register (`minplan geoenv VIEW --json`). Params: view
    // (sites/open/overdue/change/register), by, date, year, from, to, min-growth-ha.
    // `staff` false (an anonymous request): only what the plan publishes (settings.geoenv.public) — a view
    // not public is HttpError 403, withheld fields are left out.
    nlohmann::json geoenv(const Params& params, bool staff = true) const;
    // Publicity of the geo-environment layers for an anonymous request: HttpError 403 for a withheld layer;
    // the fields to leave out of the others (empty for every other layer).
    std::set<std::string> geoenv_layer_gate(const std::string& layer) const;
    // The geo-environment layers an anonymous request may not read (left out of its layer list and styles).
    std::set<std::string> geoenv_withheld_layers() const;
    // The geo-environment layers an anonymous search must not look into: the withheld ones, and all of
    // them when any field is withheld (a hit names the matched field's value).
    std::set<std::string> geoenv_unsearchable() const;
    // The plan's map style (package styles.json, core/map_style.hpp): the colours the web map draws with.
    nlohmann::json styles() const;
    // The last quality check recorded by build/import (metadata qc_last, docs/qc.md), {"available": false} when none.
    nlohmann::json last_qc() const;
    // The whole quality check (services/qc, the JSON of `minplan --json qc`; with `geojson` the finding
    // locations as a FeatureCollection) of the plan the portal reads, run once per plan version.
    nlohmann::json qc_report(bool geojson) const;

private:
    // The snapshot of the current plan version; rebuilt first when a write moved the version (every
    // service of the server follows the same version: plan_database.hpp).
    std::shared_ptr<const Snapshot> current() const;

    std::shared_ptr<store::PlanDatabase> db_;
    std::int64_t held_max_features_;
    mutable std::mutex mutex_;         // the store
    mutable std::mutex reload_mutex_;  // one rebuild at a time
    mutable std::unique_ptr<store::PlanStore> store_;
    mutable std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
    mutable std::mutex qc_mutex_;  // one quality check at a time; its result per version
    mutable std::int64_t qc_version_ = -1;
    mutable nlohmann::json qc_json_, qc_geojson_;
};

// "minLon,minLat,maxLon,maxLat" in EPSG:4490; throws HttpError 400 with what was expected.
store::BBox parse_bbox_param(const std::string& text);
// A field as /api/layers lists it.
nlohmann::json field_to_json(const FieldDef& f);
// [minx, miny, maxx, maxy] of a GeoJSON geometry, or null.
nlohmann::json geometry_extent(const nlohmann::json& geometry);

}  // namespace minplan::server
