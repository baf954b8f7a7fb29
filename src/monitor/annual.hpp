// Annual monitoring data (规划实施监测): the mines being monitored, their yearly statistics and the new
// resources of exploration projects. Stored in the plan GeoPackage as the tables monitor_mines
// (JC_KSML), monitor_mine_years (JC_KSNB) and monitor_exploration (JC_KCCG), empty in a new database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/value.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {

struct MineInfo {
    std::string mine_id, name, county, mineral, method, condition;
    bool new_mine = false;  // 规划期新建矿山 (chapter 2 T28: must meet the green-mine standard)
    std::optional<int> opened_year;
    std::string licence_no, source;
    std::optional<int> closed_year;  // 关闭年度 (第四章第三节: 2022年底前关闭非煤矿山20座以上)
};

struct MineYear {
    int year = 0;
    std::string mine_id, mineral;
    std::optional<double> output;
    std::string output_unit, output_basis;
    std::optional<double> capacity;
    std::string capacity_unit;
    std::optional<double> mining_recovery, processing_recovery, utilisation;  // %
    std::optional<double> reserves_consumed, reserves_new;
    std::string reserves_unit;
    std::optional<double> restoration_area, reclamation_area;
    std::string area_unit;
    std::string green_mine;  // 国家级 / 省级 / 市级 / 在建 / 否
    std::string source;
    std::optional<double> reserves_adjusted;         // 核减/重算 (signed, reserves_unit): − 核减, + 重算增加
    std::optional<double> waste_produced, waste_used;  // 可利用废弃物 (第六章三: 平均利用率)
    std::string waste_unit;
};

struct ExplorationResult {
    int year = 0;
    std::string project_id, project_name, mineral;
    double new_resources = 0;
    std::string unit, basis, source;
};

struct AnnualData {
    std::vector<MineInfo> mines;
    std::vector<MineYear> years;
    std::vector<ExplorationResult> exploration;

    const MineInfo* mine(const std::string& id) const;
    bool empty() const { return mines.empty() && years.empty() && exploration.empty(); }
    // Adds `other`; a mine already present is replaced by the newer record.
    void append(const AnnualData& other);
};

bool is_green(const std::string& green_mine_status);  // 国家级/省级/市级 green-mine list

inline constexpr const char* kMinesTable = "monitor_mines";
inline constexpr const char* kMineYearsTable = "monitor_mine_years";
inline constexpr const char* kExplorationTable = "monitor_exploration";

// Reads the three tables; a database built before they existed yields empty data.
AnnualData load_annual(const store::PlanStore& store);

// Record ↔ feature (attributes by the schema's internal field names).
Feature to_feature(const MineInfo& m);
Feature to_feature(const MineYear& y);
Feature to_feature(const ExplorationResult& e);

// Replaces the three tables of the plan database with `all` in one transaction. With `read_version` (the
// version `all` was computed from): store::ConflictError, nothing written, if another writer came first.
void save_annual(store::PlanDatabase& db, const AnnualData& all, std::optional<std::int64_t> read_version = std::nullopt,
                 const std::string& actor = {});

}  // namespace minplan::monitor
