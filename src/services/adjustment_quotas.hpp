// The adjustment rules about quotas (issue 12 §2): after a change set the planned number of rights per zone
// (专栏12 拟设探矿权数量, 专栏13 拟设采矿数量) and the extraction caps (开采总量控制) still hold. Both are plan
// data: rules.json settings.adjustment names the review rules whose parameters and clauses they reuse
// ("zone_quotas": [{"rule": "R14", "block_layer": "exploration_blocks"}, …], "extraction_caps": {"rule": "R23"}), or carries them itself with its own "citation".
// Only what the set touches is judged, so a quota already exceeded in the plan never blocks an unrelated set.
#pragma once

#include <nlohmann/json.hpp>

#include "services/changesets.hpp"

namespace minplan::services::detail {

// `at`: the plan on the set's effective date; `rules`: the plan's rules.json.
std::vector<AdjustmentFinding> zone_quota_findings(const store::PlanStore& at, const nlohmann::json& rules,
                                                   const store::ChangeSet& cs);
std::vector<AdjustmentFinding> extraction_cap_findings(const store::PlanStore& at, const nlohmann::json& rules,
                                                       const store::ChangeSet& cs);

// "section：“quote”", or a note that the package gives no clause.
std::string citation_text(const nlohmann::json& c);
// "第 2 项 KC-009（新增）［changes.xlsx 第 3 行］"
std::string item_label(const store::ChangeItem& item);

}  // namespace minplan::services::detail
