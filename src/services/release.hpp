// The yearly rights release plan (探矿权/采矿权年度投放计划) checked against the plan: `minplan release check`.
// The plan's words (Datong ch. 3 §3 二(三) and §4 三): exploration blocks are released by a yearly plan,
// by tender, auction or listing (招拍挂), protocol grants strictly controlled, one exploration entity per
// block, the main mineral unchanged, key exploration zones first; mining blocks likewise, within the block
// and its main mineral. The clauses and the protocol-grant reasons a plan allows are data (rules.json
// settings.release); without them a finding is 需人工核查, never a silent pass.
//
// RP6 (release_quota.hpp) counts the zone quotas (专栏12/13 拟设矿业权数) against this plan, the plans stored
// for other years of the period (release_plans table) and the rights granted since; the extraction caps with
// the capacity a release would add (column 拟设生产规模 + 规模单位) are checked by release_caps.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/table_view.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::services {

enum class ReleaseKind { Exploration, Mining };

struct ReleaseEntry {
    int row = 0;  // the row a spreadsheet program shows
    std::string block_id;
    ReleaseKind kind = ReleaseKind::Exploration;
    std::string mineral;
    std::string method;           // 招标 / 拍卖 / 挂牌 / 协议
    std::string protocol_reason;  // why a protocol grant (协议出让) is allowed
    std::string planned_date;     // YYYY-MM or YYYY-MM-DD
    std::optional<double> capacity;  // 拟设生产规模 of a mining block (RP6: the caps with what it would add)
    std::string capacity_unit;       // e.g. 万吨/年
};

struct ReleasePlan {
    int year = 0;
    std::string source;  // the file it was read from
    std::vector<ReleaseEntry> entries;
};

// Reads a release plan from CSV or XLSX (first worksheet): a header row naming the columns in Chinese or
// English — 区块编号|block_id, 区块类型|kind (勘查/开采), 矿种|mineral, 出让方式|method, 协议出让理由|protocol_reason,
// 计划出让时间|planned_date — and one row per block. All-or-nothing: a ProblemsError listing every bad cell by
// row and column (unknown kind or method, missing block id, malformed date).
ReleasePlan read_release_plan(const std::filesystem::path& file, int year);

enum class ReleaseVerdict { Pass, Fail, Manual, Advice };

struct ReleaseFinding {
    int row = 0;  // 0: about the whole plan
    std::string block_id;
    std::string rule_id;  // RP1 …
    ReleaseVerdict verdict = ReleaseVerdict::Manual;
    std::string message_zh;
    std::string clause_zh;
};

struct ReleaseReport {
    ReleasePlan plan;
    std::vector<ReleaseFinding> findings;  // by row, then rule
    ReleaseVerdict overall = ReleaseVerdict::Pass;
};

ReleaseReport check_release_plan(const store::PlanStore& store, const ReleasePlan& plan);

const char* release_verdict_zh(ReleaseVerdict v);
const char* release_verdict_key(ReleaseVerdict v);
nlohmann::json release_report_json(const ReleaseReport& report);
TableView release_report_table(const ReleaseReport& report);

// Stored release plans (release_store.cpp): table release_plans, one row per entry, a year replaced as a whole.
inline constexpr const char* kReleasePlansTable = "release_plans";
std::vector<ReleasePlan> load_release_plans(const store::PlanStore& store);  // by year; empty without the table

struct ReleaseImport {
    ReleaseReport report;
    std::int64_t version = 0;  // the plan version the import committed
};
// Checks `plan` against the database and stores it in place of that year's plan, in one transaction. A plan
// with any 不符合 finding is refused (ProblemsError naming each row, rule and clause), nothing written.
ReleaseImport import_release_plan(store::PlanDatabase& db, const ReleasePlan& plan, const std::string& actor = {});
nlohmann::json release_plans_json(const std::vector<ReleasePlan>& plans);
TableView release_plan_table(const ReleasePlan& plan);

}  // namespace minplan::services
