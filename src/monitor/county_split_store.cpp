// `minplan allocation import`: the county split checked against the plan in the database it goes into,
// then stored in place of the table county_allocation, all or nothing.
#include "core/error.hpp"
#include "monitor/county_split.hpp"
#include "monitor/indicators.hpp"
#include "store/plan_database.hpp"

namespace minplan::monitor {

std::int64_t import_split(store::PlanDatabase& db, const std::filesystem::path& file, const std::string& actor) {
    for (int attempt = 0;; ++attempt) {
        auto snapshot = db.snapshot();
        bool present = false;
        for (const auto& l : snapshot->layers()) present |= l.id == kCountyAllocationTable;
        if (!present)
            throw NotFoundError(db.location() + " 缺少指标分解表 " + kCountyAllocationTable +
                                "（数据库生成于该功能之前），请先用 minplan build 重新生成 / rebuild the database");
        const auto set = IndicatorSet::from_store(*snapshot);
        const CountySplit split = read_split_file(file, set, plan_counties(*snapshot));  // ProblemsError: nothing written
        try {
            return store::write_tables(db, {{snapshot->schema(kCountyAllocationTable), to_features(split)}}, store::SwapMode::Replace, {},
                                       snapshot->version(), actor, "allocation.import");
        } catch (const store::ConflictError&) {
            if (attempt >= 3) throw;  // another writer came first: read and check again
        }
    }
}

}  // namespace minplan::monitor
