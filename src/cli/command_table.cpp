#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "monitor/history.hpp"
#include "plan/plan_tables.hpp"
#include "services/column_tables.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

std::string cell_text(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }

// Recomputed figure, with the seed's printed one beside it when they differ.
std::string checked(std::int64_t computed, const std::optional<std::int64_t>& seed) {
    if (!seed || *seed == computed) return std::to_string(computed);
    return std::to_string(computed) + "（原表" + std::to_string(*seed) + "）";
}

void print_pivot(Context& ctx, const plan::CountPivot& p) {
    ctx.out << p.title << "\n（合计由数据重新计算；与规划原表不一致处括注原表数字）\n";
    std::vector<std::string> header{p.label_header};
    header.insert(header.end(), p.columns.begin(), p.columns.end());
    header.push_back("合计");
    TextTable t(header);
    for (const auto& r : p.rows) {
        std::vector<std::string> row{r.label};
        for (const auto& c : r.cells) row.push_back(cell_text(c));
        row.push_back(checked(r.total, r.seed_total));
        t.add(row);
    }
    t.add_separator();
    std::vector<std::string> totals{"合计"};
    for (std::size_t i = 0; i < p.column_totals.size(); ++i) totals.push_back(checked(p.column_totals[i], p.seed_column_totals[i]));
    totals.push_back(checked(p.grand_total, p.seed_grand_total));
    t.add(totals);
    t.print(ctx.out);
}

void print_rows(Context& ctx, const store::PlanStore& store, const std::string& id) {
    const TableSchema& s = store.schema(id);
    auto rows = store.read(id);
    ctx.out << s.name_zh << "\n";
    std::vector<const FieldDef*> shown;
    for (const auto& f : s.fields)
        if (f.name != "source" && f.name != "row_kind" && f.name.find("_printed") == std::string::npos) shown.push_back(&f);
    std::vector<std::string> header;
    for (const auto* f : shown) header.push_back((f->alias_zh.empty() ? f->name : f->alias_zh) + (f->unit.empty() ? "" : "(" + f->unit + ")"));
    TextTable t(header);
    for (const auto& r : rows) {
        std::vector<std::string> row;
        for (const auto* f : shown) row.push_back(r.text(f->name));
        t.add(row);
    }
    t.print(ctx.out);
}

// 专栏 that the monitoring module regenerates from the loaded history (2016–2020).
bool print_regenerated(Context& ctx, const store::PlanStore& store, const std::string& id) {
    monitor::TableView view;
    if (id == "zl03_extraction_by_year") view = monitor::regenerate_zl03(store);
    else if (id == "zl04_indicators_2020") view = monitor::regenerate_zl04(store);
    else if (id == "zl05_exploration_indicators") view = monitor::regenerate_zl05_exploration(store);
    else return false;
    ctx.out << view.title << "\n";
    std::vector<std::string> header;
    for (std::size_t i = 0; i < view.headers.size(); ++i)
        header.push_back(view.headers[i] + (i < view.units.size() && !view.units[i].empty() ? "(" + view.units[i] + ")" : ""));
    TextTable t(header);
    for (const auto& row : view.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(c.text);
        t.add(cells);
    }
    t.print(ctx.out);
    for (const auto& n : view.notes) ctx.out << "注：" << n << "\n";
    return true;
}

class TableCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("table", table_, "专栏编号（如 2）或表名（如 zl02_mines_by_county）/ 专栏 number or table id")
            ->required();
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        if (ctx.json) {  // exactly what /api/tables/{key} serves
            ctx.out << services::column_tables(*store, table_).dump(2) << "\n";
            return 0;
        }
        auto ids = services::column_table_ids(*store, table_);
        if (ids.empty()) {
            auto answer = services::column_tables(*store, table_);  // NotFoundError for a key that is no 专栏
            for (const auto& t : answer["tables"]) ids.push_back(t["id"].get<std::string>());
        }
        for (const auto& id : ids) {
            if (id == "zl02_mines_by_county") print_pivot(ctx, plan::read_count_pivot(*store, id));
            else if (!print_regenerated(ctx, *store, id)) print_rows(ctx, *store, id);
            ctx.out << "\n";
        }
        return 0;
    }

private:
    std::string table_;
};

}  // namespace

std::unique_ptr<Command> make_table() { return std::make_unique<TableCommand>(); }

}  // namespace minplan::cli
