// The 三率 minimums (开采回采率 / 选矿回收率 / 综合利用率) of the Ministry announcements
// (data/standards/sanlv_thresholds.csv), each with its validity years and source. A value that was not
// retrieved is "not configured" and yields 需人工核查, never a pass.
//
// Columns: mineral,mining_method,condition,rate_type,tier,min_pct,valid_from_year,valid_to_year,status,note,source.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace minplan::standards {

struct CsvTable;

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
    static SanlvTable from_table(const CsvTable& table);
    // Checks one tier (最低 = the minimum, 领跑者 = the leading level) for `year`: Pass when every rate with a
    // configured threshold reaches it. A row of mineral "*" applies to every mineral of its tier.
    SanlvCheck check(const SanlvMine& mine, int year, const std::string& tier = "最低") const;
    bool leader_tier_configured() const;
    const std::vector<ThresholdRow>& rows() const { return rows_; }

private:
    std::vector<ThresholdRow> rows_;
};

}  // namespace minplan::standards
