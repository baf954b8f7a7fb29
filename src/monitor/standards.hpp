// Reference tables the monitor shares with the conformance review (src/rules): the mineral names of
// data/schema/minerals.csv, the mine size classes of 国土资发〔2004〕208号 (data/standards/mine_size_classes.csv)
// and the 三率 minimums of the Ministry announcements (data/standards/sanlv_thresholds.csv). Every value keeps
// its source; a value that was not retrieved is "not configured" and yields 需人工核查, never a pass.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace minplan::monitor {

class MineralNames {
public:
    static MineralNames load(const std::filesystem::path& minerals_csv);
    // The canonical name (minerals.csv name_zh) of a name or synonym; nullopt if unknown.
    std::optional<std::string> canonical(const std::string& name) const;

private:
    std::map<std::string, std::string> to_canonical_;
};

struct SizeClassRow {
    std::string mineral, method, unit;
    std::optional<double> large_min, medium_min, minimum_scale;
    bool configured = false;
    std::string note, source;
};

struct SizeDecision {
    std::string size_class;  // 大型 / 中型 / 小型; empty = could not be decided
    std::string rule;        // how it was decided, with the source
};

class SizeClassTable {
public:
    static SizeClassTable load(const std::filesystem::path& csv);
    SizeDecision classify(const std::string& mineral, const std::string& method, double capacity,
                          const std::string& capacity_unit) const;
    const std::vector<SizeClassRow>& rows() const { return rows_; }

private:
    std::vector<SizeClassRow> rows_;
};

struct ThresholdRow {
    std::string mineral, method, condition, rate_type, tier;
    std::optional<double> min_pct;
    int valid_from = 0, valid_to = 0;  // 0 = open
    bool configured = false;
    std::string note, source;
};

enum class SanlvResult { Pass, Fail, Manual };
std::string to_zh(SanlvResult r);

struct SanlvMine {
    std::string mineral, method;
    std::set<std::string> conditions;             // 开采条件 items and the mine's size class
    std::map<std::string, std::optional<double>> rates;  // 开采回采率 / 选矿回收率 / 综合利用率
};

struct SanlvCheck {
    SanlvResult result = SanlvResult::Manual;
    std::vector<std::string> details;  // one line per rate: value, minimum, source
};

class SanlvTable {
public:
    static SanlvTable load(const std::filesystem::path& csv);
    // Checks the 最低 (minimum) tier for `year`. 领跑者 tier: reported as not configured.
    SanlvCheck check(const SanlvMine& mine, int year) const;
    bool leader_tier_configured() const;
    const std::vector<ThresholdRow>& rows() const { return rows_; }

private:
    std::vector<ThresholdRow> rows_;
};

// The three tables from the source tree (data/standards, data/schema), loaded once.
struct Standards {
    MineralNames minerals;
    SizeClassTable sizes;
    SanlvTable sanlv;
    static const Standards& builtin();
    static Standards load(const std::filesystem::path& source_root);
};

}  // namespace minplan::monitor
