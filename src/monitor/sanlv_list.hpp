// The yearly 三率 publication (第六章: 大中型矿山“三率”达标率 ≥ 95%; 动态监测并公布): every mine reporting in the
// year against the minimum (最低/底线) and the leading tier (领跑者) of its mineral and mining method
// (data/standards/sanlv_thresholds.csv, each value with its source), the share of large and medium mines
// meeting the minimum against the plan's target (the indicator of measure sanlv_rate), and the lists to
// publish: large and medium mines below the minimum and at the leading level, by mineral. A threshold
// that was not retrieved (silver, graphite, limestone; the leading tier) gives 需人工核查 with the reason.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "monitor/evaluate.hpp"
#include <nlohmann/json.hpp>

#include "monitor/table_view.hpp"

namespace minplan::monitor {

struct SanlvListedMine {
    std::string mine_id, name, county, mineral, method;
    std::string size_class;  // 大型 / 中型 / 小型; empty: capacity missing or not classifiable
    std::optional<double> mining_recovery, processing_recovery, utilisation;
    SanlvCheck minimum, leading;
    bool large_or_medium() const { return size_class == "大型" || size_class == "中型"; }
};

struct SanlvPublication {
    int year = 0;
    std::vector<SanlvListedMine> mines;  // by mineral, then mine id
    // Large and medium mines: meeting the minimum, below it, undecided (需人工核查); mines of unknown size.
    int pass = 0, fail = 0, manual = 0, unknown_size = 0;
    std::optional<double> target_pct;  // the plan's (indicator sanlv_rate), nullopt when it gives none
    std::string target_source;
    // pass / (pass + fail + manual) and (pass + manual) / (…): the share now, and if every undecided mine met it.
    std::optional<double> share_low, share_high;
    Status status = Status::NoData;  // the share against the target
    std::string status_rule;
};

SanlvPublication sanlv_publication(const IndicatorSet& set, const Standards& st, const AnnualData& data, int year);

// Tables to publish: the summary by mineral, mines below the minimum, mines at the leading level, and all mines.
std::vector<TableView> sanlv_publication_tables(const SanlvPublication& p);
// A standalone HTML page (no network) and the same tables as XLSX.
std::string sanlv_publication_html(const SanlvPublication& p, const std::string& plan_name);
nlohmann::json sanlv_publication_json(const SanlvPublication& p);
// Writes the XLSX and/or the HTML page (an empty path: not that one): `minplan sanlv --xlsx/--html` and the
// portal's /api/downloads/sanlv.(xlsx|html) write through this one function.
void write_sanlv_publication(const SanlvPublication& p, const std::string& plan_name, const std::filesystem::path& xlsx,
                             const std::filesystem::path& html);

}  // namespace minplan::monitor
