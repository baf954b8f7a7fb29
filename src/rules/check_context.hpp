// Internal to src/rules: the state of one check (prepared application polygon, memoised overlaps per
// layer, features to draw) and the signatures of the check functions.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>

#include "rules/engine.hpp"

namespace minplan::rules::detail {

struct Overlap {
    const IndexedFeature* feature = nullptr;
    double m2 = 0;
    double pct = 0;  // of the application
};

class CheckContext {
public:
    CheckContext(const Application& app, const PlanIndex& index, const store::PlanStore& reader,
                 const standards::MineralNames& minerals, const standards::SizeClassTable& sizes,
                 const nlohmann::json& settings, const PrecomputedOverlaps* precomputed = nullptr);

    const Application& app;
    const PlanIndex& index;
    const store::PlanStore& reader;  // this check's own read view (one per thread)
    const standards::MineralNames& minerals;
    const standards::SizeClassTable& sizes;
    const nlohmann::json& settings;
    std::vector<MapFeature> map_features;

    // Features of `layer` whose overlap with the application exceeds the tolerance (settings
    // min_overlap_m2, default 1 m²); envelope prefilter, then prepared intersects, then intersection.
    const std::vector<Overlap>& overlaps(const std::string& layer);
    // Same, filtered by an attribute value (field in values); empty values = no filter.
    std::vector<Overlap> overlaps(const std::string& layer, const std::string& field,
                                  const std::vector<std::string>& values);
    // The features of `layer` whose envelope meets `box`, read through the store's spatial index and kept
    // for the rest of the check (the evidence points at them).
    std::vector<const IndexedFeature*> window(const std::string& layer, const geo::Envelope& box);
    geo::Geometry intersection_with(const IndexedFeature& f) const;
    double area_m2(const geo::Geometry& lonlat) const;
    void draw(const std::string& layer, const IndexedFeature& f);
    Evidence evidence(const std::string& layer, const Overlap& o) const;
    // A mineral name as the review compares it: canonical (standards::MineralNames) if the name or the
    // name without a trailing 矿 is listed (石灰岩矿 -> 石灰岩), else the trimmed name as written, so that
    // two spellings of an unlisted mineral still compare equal to themselves.
    std::string canonical(const std::string& name) const;
    std::string main_mineral() const;  // canonical(main_mineral); "" when not given
    bool layer_has_data(const std::string& layer, const std::string& field = {},
                        const std::vector<std::string>& values = {}) const;

private:
    geo::PreparedGeometry prepared_;
    geo::Envelope envelope_;
    double min_overlap_m2_ = 1.0;
    std::map<std::string, std::vector<Overlap>> memo_;
    std::deque<IndexedFeature> read_;  // features this check read; a deque keeps their addresses
};

using CheckFn = std::function<Finding(const RuleDef&, CheckContext&)>;
const std::map<std::string, CheckFn>& spatial_checks();
const std::map<std::string, CheckFn>& attribute_checks();

// A finding pre-filled from the rule (id, title, severity, citation).
Finding start(const RuleDef& rule);
// 需人工核查 for missing attributes: names each attribute with its Chinese label.
Finding needs(Finding f, const std::vector<std::string>& keys, const std::string& why = {});
std::string fmt_m2(double m2);  // "12,345.6 平方米（1.2346 公顷）"
std::vector<std::string> string_list(const nlohmann::json& j, const std::string& key);
std::string join(const std::vector<std::string>& items, const std::string& sep = "、");

}  // namespace minplan::rules::detail
