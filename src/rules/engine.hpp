// The review engine: runs every rule of a rule set that applies to the application's kind and action
// against the plan index and returns a report with findings and the verdict. Rules that do not apply give
// 不适用 findings, so a report always lists the whole rule set.
#pragma once

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "rules/application.hpp"
#include "rules/model.hpp"
#include "rules/plan_index.hpp"
#include "rules/plane_cache.hpp"
#include "rules/rule_set.hpp"
#include "standards/mineral_names.hpp"
#include "standards/size_classes.hpp"

namespace minplan::rules {

class FeatureCache;

// Overlaps computed beforehand for one application (the batch audit, audit_batch.hpp): per layer, the
// features whose overlap reaches the rule set's min_overlap_m2, in feature-id order, with the overlap in
// m² (ellipsoidal). The features must outlive the check. Layers not listed are read as usual.
struct PrecomputedOverlaps {
    std::map<std::string, std::vector<std::pair<const IndexedFeature*, double>>> layers;
    // false: the report gets no map features (the batch audit writes findings only, the server's JSON report
    // has no map; copying the geometry of every overlapping feature for a map nobody draws cost 4 % of an
    // audit and of a server check). `layers` may then be empty: every layer is read as usual.
    bool draw = true;
};

class Engine {
public:
    Engine(const PlanIndex& index, const RuleSet& rules, const standards::MineralNames& minerals,
           const standards::SizeClassTable& sizes, std::size_t plane_cache_vertices = PlaneCache::kDefaultMaxVertices);
    // Reads through the index's own store (single-threaded use: the CLI).
    Report check(const Application& app) const;
    // Reads through `reader`, the calling thread's own view of the same plan version; with `cache`, that
    // reader's FeatureCache (feature_cache.hpp), window features are taken from it where kept.
    Report check(const Application& app, const store::PlanStore& reader, const PrecomputedOverlaps* precomputed = nullptr,
                 FeatureCache* cache = nullptr) const;
    const PlanIndex& index() const { return index_; }
    const standards::SizeClassTable& sizes() const { return sizes_; }
    // Polygon options (default zone, province bounds, city) from the rule set's settings and the index.
    // `city`: the plan's city boundary prepared by the caller (the server keeps one per reader); nullptr:
    // this thread's own (PlanIndex::city_prepared).
    PolygonOptions polygon_options(const geo::PreparedGeometry* city = nullptr) const;
    const RuleSet& rule_set() const { return rules_; }
    const standards::MineralNames& minerals() const { return minerals_; }
    // What checks in a registered plane derive from plan features alone (plane_cache.hpp), kept for the
    // engine's life: one plan version.
    PlaneCache& plane_cache() const { return *plane_cache_; }

private:
    const PlanIndex& index_;
    const RuleSet& rules_;
    const standards::MineralNames& minerals_;
    const standards::SizeClassTable& sizes_;
    std::unique_ptr<PlaneCache> plane_cache_;
    std::unique_ptr<SharedAreaMemo> shared_areas_;
};

// Everything a check needs, from the plan database: its index, rule set and reference tables. A rules
// file given explicitly (check --rules) replaces the stored rule set.
struct ReviewSetup {
    std::unique_ptr<PlanIndex> index;
    RuleSet rules;
    standards::MineralNames minerals;
    standards::SizeClassTable sizes;
    std::unique_ptr<Engine> engine;

    static std::unique_ptr<ReviewSetup> load(const store::PlanStore& store, const std::filesystem::path& rules_file = {});
};

}  // namespace minplan::rules
