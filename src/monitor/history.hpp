// The 2016–2020 history (十三五) as loaded into the plan database from the seed: 专栏3 (extraction by
// year), 专栏4 (2020 indicators) and the exploration 专栏5. It is the baseline of the monitoring: the
// regenerated 专栏3 and 专栏4 are tested cell by cell against the seed.
#pragma once

#include "monitor/table_view.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

// 专栏3 <jurisdiction>十三五期间开采资源量统计表: one row per mineral/variety/measure, 2016–2020 and the 累计
// column recomputed from the yearly cells (the seed's own 累计 is compared in the notes).
TableView regenerate_zl03(const store::PlanStore& store);

// 专栏4 规划基期矿产资源开发与综合利用主要指标完成情况 (2020): 指标, 单位, 上轮规划目标, 完成情况, 属性, with
// merged cells read downwards. Notes list where 专栏4's 2020 figure differs from 专栏3's 2020 column.
TableView regenerate_zl04(const store::PlanStore& store);

// The exploration 专栏5 (十三五期间矿产资源勘查主要指标完成情况): target, actual, completion %.
TableView regenerate_zl05_exploration(const store::PlanStore& store);

}  // namespace minplan::monitor
