#include "plan/summary.hpp"

#include <algorithm>
#include <map>

#include "core/labels.hpp"
#include "core/schema.hpp"
#include "plan/plan_tables.hpp"

namespace minplan::plan {

namespace {

bool has(const store::PlanStore& s, const std::string& id) {
    for (const auto& l : s.layers())
        if (l.id == id) return true;
    return false;
}

// Tables of the plan text (专栏2, chapter 1): a plan that does not have them leaves them empty.
bool has_rows(const store::PlanStore& s, const std::string& id) {
    for (const auto& l : s.layers())
        if (l.id == id) return l.feature_count > 0;
    return false;
}

// "a 3，b 2" from the values of one field.
std::string breakdown(const std::vector<Feature>& rows, const std::string& field) {
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& r : rows) {
        std::string v = r.text(field);
        if (v.empty()) v = "未注明";
        v = label_zh(v);
        auto it = std::find_if(counts.begin(), counts.end(), [&](auto& p) { return p.first == v; });
        if (it == counts.end()) counts.emplace_back(v, 1);
        else ++it->second;
    }
    std::string out;
    for (const auto& [k, n] : counts) out += (out.empty() ? "" : "，") + k + " " + std::to_string(n);
    return out;
}

void add_layer(PlanSummary& sum, const store::PlanStore& s, const std::string& group, const std::string& id,
               const std::string& label, const std::string& by_field = {}) {
    if (!has(s, id)) return;
    auto rows = s.read(id);
    sum.lines.push_back({group, label, static_cast<std::int64_t>(rows.size()),
                         by_field.empty() ? "" : breakdown(rows, by_field)});
}

std::string items_text(const store::PlanStore& s, const std::string& id, const std::string& label_field,
                       const std::string& count_field) {
    std::string out;
    for (const auto& r : s.read(id))
        if (r.text("row_kind") == "item") out += (out.empty() ? "" : "，") + r.text(label_field) + " " + r.text(count_field);
    return out;
}

}  // namespace

PlanSummary summarize(const store::PlanStore& s) {
    PlanSummary sum;
    sum.name = s.metadata("name_zh").value_or("");
    sum.period = s.metadata("period").value_or("");
    sum.base_year = s.metadata("base_year").value_or("");
    sum.outlook_year = s.metadata("outlook_year").value_or("");

    add_layer(sum, s, "规划分区", "key_exploration_zones", "重点勘查区（专栏12）", "plan_level");
    add_layer(sum, s, "规划分区", "key_mining_zones", "重点矿区与集中开采区（专栏13）", "category");
    add_layer(sum, s, "规划分区", "national_planning_areas", "国家规划矿区");
    add_layer(sum, s, "规划分区", "energy_bases", "能源资源基地及其他基地");
    add_layer(sum, s, "规划分区", "strategic_reserve_zones", "战略性矿产资源保护区/储备区");
    add_layer(sum, s, "规划分区", "restoration_zones", "矿山地质环境治理分区（专栏15）", "zone_class");
    add_layer(sum, s, "规划区块", "exploration_blocks", "勘查规划区块", "issuing_level");
    add_layer(sum, s, "规划区块", "mining_blocks", "开采规划区块", "plan_level");
    add_layer(sum, s, "矿业权", "mineral_rights", "矿业权（导入）", "kind");
    add_layer(sum, s, "管控范围", "control_areas", "规划点名的管控区域", "type");
    add_layer(sum, s, "管控范围", "control_lines", "三条控制线等（导入）", "control_type");

    if (has_rows(s, "zl02_mines_by_county")) {
        CountPivot p = read_count_pivot(s, "zl02_mines_by_county");
        std::string by_county;
        for (std::size_t i = 0; i < p.columns.size(); ++i)
            by_county += (by_county.empty() ? "" : "，") + p.columns[i] + " " + std::to_string(p.column_totals[i]);
        sum.lines.push_back({"矿山", "2020年底矿山企业（专栏2，重新合计）", p.grand_total, by_county});
    }
    if (has_rows(s, "ch1_mines_by_state"))
        sum.lines.push_back({"矿山", "按开发利用状态（第一章第二节，仅总量）", 0, items_text(s, "ch1_mines_by_state", "state", "mine_count")});
    if (has_rows(s, "ch1_mines_by_size")) {
        std::string t;
        for (const auto& r : s.read("ch1_mines_by_size"))
            if (r.text("scope") == "全市" && r.text("row_kind") == "item")
                t += (t.empty() ? "" : "，") + r.text("size_class") + " " + r.text("mine_count");
        sum.lines.push_back({"矿山", "按规模（第一章第二节，仅总量）", 0, t});
    }
    add_layer(sum, s, "矿山", "mine_register", "矿山名录（规划点名：绿色矿山、示范工程）");
    add_layer(sum, s, "规划指标", "zl08_main_indicators", "主要规划指标（专栏8）", "attribute_merged_reading");
    add_layer(sum, s, "规划指标", "ch4_extraction_caps", "开采总量调控（第四章第二节）");
    add_layer(sum, s, "规划指标", "ch4_structure_targets", "矿山数量与结构目标（第四章第三节）");

    std::int64_t schematic = 0, spatial = 0;
    for (const auto& l : s.layers()) {
        if (!l.spatial) continue;
        for (const auto& f : s.read(l.id)) {
            ++spatial;
            if (f.text(kGeometrySourceField) == kSchematic) ++schematic;
        }
    }
    sum.lines.push_back({"几何", "示意几何（schematic，规划文本无坐标）", schematic,
                         "空间要素共 " + std::to_string(spatial) + " 个；导入正式规划数据库后替换"});
    return sum;
}

}  // namespace minplan::plan
