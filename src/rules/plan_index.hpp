// The plan database held in memory for review: every spatial layer with its geometries and one envelope
// index (GEOS STRtree) per layer, plus the attribute tables. Loaded once; checks only read it, so one
// index serves any number of checks (the benchmark measures the check alone).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "core/value.hpp"
#include "geo/geometry.hpp"
#include "store/plan_store.hpp"

namespace minplan::rules {

struct IndexedFeature {
    Feature feature;
    geo::Geometry geometry;  // EPSG:4490
    geo::Envelope envelope;
    std::string id, name;
    bool schematic = false;
};

struct LayerIndex {
    std::string id, name_zh;
    std::vector<IndexedFeature> features;
    geo::EnvelopeIndex index;

    // The distinct values of `field` across the layer, computed on first use and kept: "is there any
    // red-line data?" is asked by every check and must not scan a million features each time.
    const std::set<std::string>& distinct(const std::string& field) const;

private:
    mutable std::mutex distinct_mutex_;
    mutable std::map<std::string, std::set<std::string>> distinct_;
};

class PlanIndex {
public:
    static std::unique_ptr<PlanIndex> load(const store::PlanStore& store);

    const LayerIndex* layer(const std::string& id) const;       // nullptr when the database has no such layer
    const std::vector<Feature>& table(const std::string& id) const;  // empty when absent
    std::string metadata(const std::string& key) const;          // "" when absent
    const geo::Geometry* city() const { return city_.is_null() ? nullptr : &city_; }
    // Prepared once: every application is tested against the city boundary.
    const geo::PreparedGeometry* city_prepared() const { return city_prepared_.get(); }
    std::string layer_name_zh(const std::string& id) const;

private:
    std::map<std::string, std::unique_ptr<LayerIndex>> layers_;
    std::map<std::string, std::vector<Feature>> tables_;
    std::map<std::string, std::string> metadata_;
    geo::Geometry city_;
    std::unique_ptr<geo::PreparedGeometry> city_prepared_;
};

}  // namespace minplan::rules
