// What every plan database shares, whatever the backend: opening by location (a GeoPackage path or
// "PG:<conninfo>"), staged layers, the default streaming stage, and write_tables, the common plan write.
#include "store/plan_database.hpp"

#include <iterator>

#include "store/gpkg_database.hpp"
#include "store/pg_database.hpp"

namespace minplan::store {

StagedLayer::StagedLayer(PlanDatabase& db, TableSchema target, std::string stage_table, std::size_t rows)
    : db_(db), target_(std::move(target)), stage_table_(std::move(stage_table)), rows_(rows) {}

StagedLayer::~StagedLayer() {
    if (!consumed_) db_.drop_stage(stage_table_);
}

std::unique_ptr<PlanStore> open_store_at(const std::string& location, const std::string& as_of) {
    auto db = open_database(location);
    return as_of.empty() ? db->snapshot() : db->snapshot_at(as_of);
}

std::shared_ptr<PlanDatabase> open_database(const std::string& location) {
    if (location.rfind("PG:", 0) == 0) return std::make_shared<PgDatabase>(location);
    return std::make_shared<GpkgDatabase>(location);
}

std::unique_ptr<StagedLayer> PlanDatabase::stage_stream(const TableSchema& target, FeatureSource& source,
                                                        const ProgressFn& progress, SwapMode /*mode*/) {
    std::vector<Feature> rows, batch;
    while (source.next(batch)) std::move(batch.begin(), batch.end(), std::back_inserter(rows));
    return stage(target, rows, progress);
}

std::int64_t write_tables(PlanDatabase& db, const TableWrites& tables, SwapMode mode, const ProgressFn& progress,
                          std::optional<std::int64_t> read_version, const std::string& actor, const std::string& action,
                          const std::vector<std::pair<std::string, std::string>>& metadata) {
    std::vector<std::unique_ptr<StagedLayer>> staged;
    std::size_t done_before = 0;
    for (const auto& [schema, rows] : tables) {
        ProgressFn p;
        if (progress) p = [&, before = done_before](std::size_t n) { progress(before + n); };
        staged.push_back(db.stage(schema, rows, p));
        done_before += rows.size();
    }
    auto tx = db.begin_plan();
    if (!actor.empty()) tx->set_actor(actor);
    if (read_version && tx->base_version() != *read_version)
        throw ConflictError("规划数据库在读取后已被其他写入更新（版本 " + std::to_string(*read_version) + " → " +
                            std::to_string(tx->base_version()) + "），请重试 / concurrent write");
    std::string object;
    for (auto& s : staged) {
        tx->swap_in(*s, mode);
        object += (object.empty() ? "" : "、") + s->target().code + "（" + s->target().name_zh + "）";
    }
    for (const auto& [key, value] : metadata) tx->set_metadata(key, value);
    tx->audit({0, "", actor, "", action, object, "", (mode == SwapMode::Replace ? "替换为 " : "追加 ") + std::to_string(done_before) + " 条"});
    return tx->commit();
}

}  // namespace minplan::store
