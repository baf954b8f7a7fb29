#include "core/schema.hpp"
#include "formats/xlsx_writer.hpp"
#include "monitor/intake.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

void write_template_xlsx(const store::PlanStore& store, const std::filesystem::path& file) {
    std::vector<TableView> sheets;
    TableView notes;
    notes.sheet_name = "说明";
    notes.headers = {"序号", "说明"};
    const std::string plan = store.metadata("name_zh").value_or("规划");
    const std::string first = store.metadata("period_start").value_or("?"), last = store.metadata("period_end").value_or("?");
    const std::string lines[] = {
        plan + " 规划实施监测 年度数据报送模板；填写说明见 docs/monitoring.md。",
        "工作表“矿山名录”：监测矿山的基本信息，每座矿山一行，矿山编号唯一。",
        "工作表“矿山年报”：每座矿山每年一行：产量及单位、三率（%，0–100）、资源储量、治理恢复与复垦面积（平方公里或公顷）、绿色矿山（国家级/省级/市级/在建/否）。",
        "工作表“勘查成果”：每个勘查项目每年每矿种一行：新增查明资源量、单位、计量基础（矿石量/金属量/矿物量）。",
        "带 * 的列为必填；年度须在" + first + "–" + last + "之间；任何一行有错误则整个文件不导入，并列出全部错误（文件、工作表、行、列）。",
        "导入：minplan intake 本文件.xlsx --db 规划数据库.gpkg"};
    int i = 0;
    for (const auto& l : lines) notes.rows.push_back({Cell::num(++i, 0), Cell::of(l)});
    sheets.push_back(notes);
    const std::pair<const char*, const char*> tables[] = {{kMinesTable, "矿山名录"}, {kMineYearsTable, "矿山年报"}, {kExplorationTable, "勘查成果"}};
    for (const auto& [id, name] : tables) {
        const TableSchema& s = store.schema(id);
        TableView t;
        t.sheet_name = name;
        for (const auto& f : s.fields) {
            t.headers.push_back(f.alias_zh + (f.required ? "*" : ""));
            t.units.push_back(f.unit);
        }
        // The unit goes inside the header before the '*': "开采回采率（%）".
        for (std::size_t c = 0; c < t.headers.size(); ++c)
            if (!t.units[c].empty()) {
                t.headers[c] = s.fields[c].alias_zh + "（" + t.units[c] + "）" + (s.fields[c].required ? "*" : "");
                t.units[c].clear();
            }
        sheets.push_back(std::move(t));
    }
    formats::write_xlsx(file, sheets);
}

}  // namespace minplan::monitor
