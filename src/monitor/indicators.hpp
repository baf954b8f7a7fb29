// Plan indicators as data (indicators.json of the plan folder, stored in the plan database by build): each 专栏8 / chapter-4 target with its kind
// (预期性/约束性), unit, direction (cap ≤ / floor ≥), 2025 value and the yearly path minplan derives from it
// (chapter 7 section 1 asks for yearly targets; the plan itself prints only 2025 values), plus the
// rule that turns an actual value into a status.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "monitor/table_view.hpp"  // format_number

namespace minplan::store {
class PlanStore;
}

namespace minplan::monitor {

enum class Direction { Cap, Floor };
enum class PathMethod { LinearFromBase, EvenCumulative, Flat };
enum class Status { Met, OnTrack, AtRisk, Breached, Manual, NoData };

std::string to_zh(Status s);
std::string to_key(Status s);  // met / on_track / at_risk / breached / manual / no_data

struct IndicatorDef {
    std::string id, name_zh, group, source, also_in, kind, kind_note;
    std::string measure;                // extraction, new_resources, mine_count, large_medium_share, …
    std::vector<std::string> minerals;  // canonical names (minerals.csv) counted for this indicator
    std::string unit, basis;
    Direction direction = Direction::Cap;
    double target_2025 = 0;
    std::optional<double> base_2020;
    std::string base_source;
    PathMethod path = PathMethod::Flat;
    double at_risk_band = 0;  // fraction of the path value; applies before the target year only
    // A target due before the plan's target year (e.g. 2022年底前关闭非煤矿山20座以上): the path reaches
    // target_2025 in this year, and from it on the target is final. Empty: the plan's target year.
    std::optional<int> deadline_year;
    std::vector<std::string> except_minerals;  // counted: every mineral but these (e.g. 非煤矿山)
};

struct MineralUnit {
    std::string mineral, dimension, unit, basis, source;
};

struct StatusDecision {
    Status status = Status::NoData;
    std::string rule;  // the rule that decided, with the numbers
};

class IndicatorSet {
public:
    static IndicatorSet load(const std::filesystem::path& json_file);
    static IndicatorSet parse(const std::string& json_text, const std::string& context);
    // The indicators stored in the plan database; InputError when the database has none.
    static IndicatorSet from_store(const store::PlanStore& store);

    const std::vector<IndicatorDef>& indicators() const { return indicators_; }
    const MineralUnit* unit_of(const std::string& mineral) const;
    int base_year() const { return base_year_; }
    int target_year() const { return target_year_; }
    // The yearly path value of `d` for `year` (base_year < year ≤ target_year).
    double path_value(const IndicatorDef& d, int year) const;
    StatusDecision evaluate(const IndicatorDef& d, int year, double actual) const;
    const std::string& path_description(PathMethod m) const;
    // The same set (period, units, paths) with other definitions: a county's targets (monitor/county_split).
    IndicatorSet with_definitions(std::vector<IndicatorDef> defs) const {
        IndicatorSet s = *this;
        s.indicators_ = std::move(defs);
        return s;
    }

private:
    int base_year_ = 2020, target_year_ = 2025;
    std::vector<IndicatorDef> indicators_;
    std::vector<MineralUnit> units_;
    std::vector<std::pair<PathMethod, std::string>> path_text_;
};

}  // namespace minplan::monitor
