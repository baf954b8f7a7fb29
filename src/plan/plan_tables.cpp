#include "plan/plan_tables.hpp"

#include "core/error.hpp"

namespace minplan::plan {

CountPivot read_count_pivot(const store::PlanStore& store, const std::string& table) {
    const TableSchema& s = store.schema(table);
    CountPivot p;
    p.title = s.name_zh;
    std::vector<const FieldDef*> cols;
    const FieldDef* label = nullptr;
    for (const auto& f : s.fields) {
        if (f.type == FieldType::Integer && f.name != "seed_total" && f.name != "seq") cols.push_back(&f);
        else if (!label && f.type == FieldType::String && f.name != "row_kind" && f.name != "source") label = &f;
    }
    if (!label || cols.empty()) throw InputError("表 " + s.id + " 不是计数交叉表 / not a count table");
    p.label_header = label->alias_zh.empty() ? label->name : label->alias_zh;
    for (const auto* c : cols) p.columns.push_back(c->alias_zh.empty() ? c->name : c->alias_zh);
    p.column_totals.assign(cols.size(), 0);
    p.seed_column_totals.assign(cols.size(), std::nullopt);
    for (const auto& f : store.read(s.id)) {
        bool is_total = f.text("row_kind") == "total";
        if (is_total) {
            for (std::size_t i = 0; i < cols.size(); ++i)
                if (auto v = as_number(f.get(cols[i]->name))) p.seed_column_totals[i] = static_cast<std::int64_t>(*v);
            if (auto v = as_number(f.get("seed_total"))) p.seed_grand_total = static_cast<std::int64_t>(*v);
            continue;
        }
        CountPivot::Row row;
        row.label = f.text(label->name);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            std::optional<std::int64_t> cell;
            if (auto v = as_number(f.get(cols[i]->name))) cell = static_cast<std::int64_t>(*v);
            row.cells.push_back(cell);
            row.total += cell.value_or(0);
            p.column_totals[i] += cell.value_or(0);
        }
        if (auto v = as_number(f.get("seed_total"))) row.seed_total = static_cast<std::int64_t>(*v);
        p.grand_total += row.total;
        p.rows.push_back(std::move(row));
    }
    return p;
}

std::vector<std::string> tables_for_column_number(const store::PlanStore& store, const std::string& number) {
    std::string n = number;
    if (n.rfind("专栏", 0) == 0) n = n.substr(std::string("专栏").size());
    for (char c : n)
        if (c < '0' || c > '9') return {};
    if (n.empty()) return {};
    std::string prefix = "zl" + std::string(n.size() < 2 ? "0" : "") + n + "_";
    std::vector<std::string> out;
    for (const auto& l : store.layers())
        if (l.id.rfind(prefix, 0) == 0) out.push_back(l.id);
    return out;
}

}  // namespace minplan::plan
