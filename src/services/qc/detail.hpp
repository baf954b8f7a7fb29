// Internal to the qc service: the layers as the checks read them (a snapshot, with the rows of a pending
// import in place of or after a layer's own) and the findings being collected.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "core/code_table.hpp"
#include "core/table_view.hpp"  // format_number
#include "geo/geometry.hpp"
#include "services/qc/qc.hpp"

namespace minplan::services::qc::detail {

class LayerReader {
public:
    LayerReader(const store::PlanStore& store, const std::optional<PendingLayer>& pending);
    bool has(const std::string& layer) const;
    const TableSchema& schema(const std::string& layer) const;
    // Every feature of the layer, a page at a time (never the whole of a 10⁶-feature layer in memory).
    void each(const std::string& layer, const std::function<void(const Feature&)>& f) const;
    // Features whose envelope meets `box` (the store's spatial index; pending rows by an in-memory index).
    std::vector<Feature> window(const std::string& layer, const geo::Envelope& box) const;
    std::vector<Feature> all(const std::string& layer) const;  // small tables only (code tables, 专栏)
    const store::PlanStore& store() const { return store_; }
    // Whether `f` (as handed out by each()) is a pending row whose validity the reader already tested.
    bool validated(const Feature& f) const {
        return pending_ && pending_->validated && rows_ && !rows_->empty() && &f >= rows_->data() &&
               &f < rows_->data() + rows_->size();
    }

private:
    const geo::EnvelopeIndex& pending_index() const;

    const store::PlanStore& store_;
    std::set<std::string> layers_;
    const std::optional<PendingLayer>& pending_;
    std::vector<Feature> numbered_;           // copies of the pending rows with fids of their own
    const std::vector<Feature>* rows_ = nullptr;  // the pending rows as handed out: the caller's or numbered_
    // Built at the first window() on the pending layer (only topology rules ask): an import's batch checked
    // row by row never decodes its geometries for it.
    mutable std::unique_ptr<geo::EnvelopeIndex> pending_index_;
};

// A feature's identity for findings.
struct FeatureRef {
    const TableSchema* schema = nullptr;
    const Feature* feature = nullptr;
    std::string id, name;
    bool schematic = false;
};

class Collector {
public:
    Collector(const QcConfig& config, std::vector<Finding>& out) : config_(config), out_(out) {}
    bool enabled(const char* check) const { return config_.enabled(check); }
    const QcConfig& config() const { return config_; }
    // Adds a finding of `check` about `ref` (or about a layer/table when ref.feature is null).
    Finding& add(const char* check, const FeatureRef& ref, std::string message, nlohmann::json values = nlohmann::json::object());
    Finding& add_layer(const char* check, const TableSchema& s, std::string message, nlohmann::json values = nlohmann::json::object());

private:
    const QcConfig& config_;
    std::vector<Finding>& out_;
};

void set_location(Finding& f, const geo::Geometry& g);
void set_location(Finding& f, geo::Coord point, const geo::Envelope& extent);

// Per-layer checks; each returns nothing and adds findings.
void check_structure(const LayerReader& reader, Collector& out);
struct FeatureContext {
    const LayerRules* rules = nullptr;
    std::map<std::string, CodeTable> codes;  // field name -> its code table
    std::set<std::string> seen_ids;
};
void check_attributes(const FeatureRef& ref, FeatureContext& ctx, Collector& out);
// Returns whether the geometry is valid: the area and topology checks need a valid one.
// `known_valid`: the geometry was already found valid (PendingLayer::validated): not tested again.
bool check_geometry(const FeatureRef& ref, const geo::Geometry& g, const LayerRules* rules, Collector& out,
                    bool known_valid = false);
void check_areas(const FeatureRef& ref, const geo::Geometry& g, const LayerRules& rules, Collector& out);
void check_corners(const FeatureRef& ref, const geo::Geometry& g, const LayerRules& rules, Collector& out);
class TopologyChecker {
public:
    TopologyChecker(const LayerReader& reader, const LayerRules& rules, Collector& out);
    void check(const FeatureRef& ref, const geo::Geometry& g);

private:
    const LayerReader& reader_;
    const LayerRules& rules_;
    Collector& out_;
    std::map<std::string, std::vector<Feature>> zones_;  // zone key -> its features
    // Containers (admin areas, few and large) parsed and prepared once, not once per feature they hold.
    struct Container {
        std::string key;
        geo::Geometry geometry;
        std::unique_ptr<geo::PreparedGeometry> prepared;
    };
    const Container* container(const std::string& layer, const Feature& f, const std::string& key_field);
    std::map<std::pair<std::string, std::int64_t>, std::unique_ptr<Container>> containers_;
};
void check_columns(const LayerReader& reader, Collector& out);
void check_totals(const LayerReader& reader, Collector& out);

inline bool matches(const Feature& f, const RowFilter& filter) {
    for (const auto& [field, values] : filter)
        if (std::find(values.begin(), values.end(), f.text(field)) == values.end()) return false;
    return true;
}

double plane_area_km2(const geo::Geometry& lonlat);
geo::Geometry to_plane(const geo::Geometry& lonlat);  // the 3° Gauss–Krüger zone of its centre, metres

}  // namespace minplan::services::qc::detail
