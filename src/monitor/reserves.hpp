// The reserves ledger (保有资源储量台账): 专栏1's 保有资源储量 per mineral rolled forward year by year —
// opening + 新增查明 − 动用 = closing — from the annual intake (勘查成果 新增查明资源量, 矿山年报 新增查明资源量
// and 动用资源储量), with the plan's base-year table (zl01, 专栏1) as the first opening balance. What does not
// fit (a mineral 专栏1 does not list, a unit that cannot be converted, a balance below zero, the seed's own
// figures disagreeing with each other) is listed as a discrepancy, never absorbed into a balance.
// 核减/重算 (write-downs, re-estimates) come from the 矿山年报 column 核减重算资源储量 (signed):
// closing = opening + 新增查明 − 动用 ± 核减/重算.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/table_view.hpp"
#include "monitor/annual.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

struct LedgerLine {
    std::string mineral;  // canonical name (专栏1's spelling where it lists the mineral)
    std::string measure;  // 专栏1 口径 (金属量, 矿石量 …), empty when none
    std::string unit;     // 专栏1's unit; intake figures are converted to it
    std::optional<double> opening, closing;  // unknown when 专栏1 does not list the mineral
    double discovered = 0;  // 新增查明 of the year
    double consumed = 0;    // 动用 of the year
    double adjusted = 0;    // 核减 (−) / 重算 (+) of the year
};

struct LedgerYear {
    int year = 0;
    std::vector<LedgerLine> lines;  // in 专栏1's order, then minerals it does not list
};

struct LedgerDiscrepancy {
    std::string kind;  // seed / unknown_mineral / unit / negative
    int year = 0;      // 0: the seed
    std::string mineral;
    std::string message_zh;
};

struct ReservesLedger {
    int base_year = 0;
    std::vector<LedgerYear> years;  // base_year+1 … the last year asked for (or with data)
    std::vector<LedgerDiscrepancy> discrepancies;
    const LedgerYear* year(int y) const;
};

// The ledger up to `until` (default: the last year with intake data, at least the base year + 1).
ReservesLedger reserves_ledger(const store::PlanStore& store, std::optional<int> until = std::nullopt);
// The same with the annual data given (an intake checking what it would store).
ReservesLedger reserves_ledger(const store::PlanStore& store, const AnnualData& data, std::optional<int> until = std::nullopt);
// The balances that `after` takes below zero and `before` did not, each naming the mine rows of that year
// and mineral (the intake refuses them, nothing written).
std::vector<std::string> new_negative_balances(const store::PlanStore& store, const AnnualData& before, const AnnualData& after);

nlohmann::json reserves_json(const ReservesLedger& ledger, std::optional<int> year = std::nullopt);
// 专栏1 regenerated for `year`: the closing balances of that year per mineral, with the year's flows.
TableView reserves_table(const ReservesLedger& ledger, int year);
TableView reserves_discrepancies_table(const ReservesLedger& ledger);

}  // namespace minplan::monitor
