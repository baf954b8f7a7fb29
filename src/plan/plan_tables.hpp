// The plan's tables (专栏) regenerated from the database in the seed's layout. Totals are recomputed
// from the stored item cells; the seed's own printed totals are kept beside them so that every
// disagreement stays visible (see data/plans/<plan>/notes/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/plan_store.hpp"

namespace minplan::plan {

// A count table such as 专栏2: one label column, integer cells, a printed total column and row.
struct CountPivot {
    std::string title;
    std::string label_header;
    std::vector<std::string> columns;
    struct Row {
        std::string label;
        std::vector<std::optional<std::int64_t>> cells;
        std::int64_t total = 0;                   // recomputed
        std::optional<std::int64_t> seed_total;   // as printed
    };
    std::vector<Row> rows;
    std::vector<std::int64_t> column_totals;                      // recomputed
    std::vector<std::optional<std::int64_t>> seed_column_totals;  // the printed 合计 row
    std::int64_t grand_total = 0;
    std::optional<std::int64_t> seed_grand_total;
};

// Reads a count table whose integer fields are the pivot columns, `seed_total` the printed row total
// and rows with row_kind = total the printed column totals.
CountPivot read_count_pivot(const store::PlanStore& store, const std::string& table);

// Table ids for a 专栏 number ("2" -> the zl02_* tables), in schema order.
std::vector<std::string> tables_for_column_number(const store::PlanStore& store, const std::string& number);

}  // namespace minplan::plan
