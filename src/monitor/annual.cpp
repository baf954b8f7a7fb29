#include "monitor/annual.hpp"

#include "core/error.hpp"
#include "core/schema.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"

namespace minplan::monitor {

namespace {

Value opt(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }
Value txt(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
std::optional<double> num(const Feature& f, const char* k) { return as_number(f.get(k)); }

}  // namespace

const MineInfo* AnnualData::mine(const std::string& id) const {
    for (const auto& m : mines)
        if (m.mine_id == id) return &m;
    return nullptr;
}

void AnnualData::append(const AnnualData& o) {
    for (const auto& m : o.mines) {
        std::erase_if(mines, [&](const MineInfo& x) { return x.mine_id == m.mine_id; });
        mines.push_back(m);
    }
    years.insert(years.end(), o.years.begin(), o.years.end());
    exploration.insert(exploration.end(), o.exploration.begin(), o.exploration.end());
}

bool is_green(const std::string& s) { return s == "国家级" || s == "省级" || s == "市级"; }

Feature to_feature(const MineInfo& m) {
    Feature f;
    f.attributes = {{"mine_id", m.mine_id}, {"name", m.name}, {"county", txt(m.county)}, {"mineral", m.mineral},
                    {"mining_method", txt(m.method)}, {"condition", txt(m.condition)}, {"new_mine", m.new_mine},
                    {"opened_year", m.opened_year ? Value{std::int64_t{*m.opened_year}} : Value{}},
                    {"licence_no", txt(m.licence_no)}, {"source", txt(m.source)},
                    {"closed_year", m.closed_year ? Value{std::int64_t{*m.closed_year}} : Value{}}};
    return f;
}

Feature to_feature(const MineYear& y) {
    Feature f;
    f.attributes = {{"year", std::int64_t{y.year}}, {"mine_id", y.mine_id}, {"mineral", y.mineral},
                    {"output", opt(y.output)}, {"output_unit", txt(y.output_unit)}, {"output_basis", txt(y.output_basis)},
                    {"capacity", opt(y.capacity)}, {"capacity_unit", txt(y.capacity_unit)},
                    {"mining_recovery_pct", opt(y.mining_recovery)}, {"processing_recovery_pct", opt(y.processing_recovery)},
                    {"utilisation_pct", opt(y.utilisation)}, {"reserves_consumed", opt(y.reserves_consumed)},
                    {"reserves_new", opt(y.reserves_new)}, {"reserves_unit", txt(y.reserves_unit)},
                    {"restoration_area", opt(y.restoration_area)}, {"reclamation_area", opt(y.reclamation_area)},
                    {"area_unit", txt(y.area_unit)}, {"green_mine", txt(y.green_mine)}, {"source", txt(y.source)},
                    {"reserves_adjusted", opt(y.reserves_adjusted)}, {"waste_produced", opt(y.waste_produced)},
                    {"waste_used", opt(y.waste_used)}, {"waste_unit", txt(y.waste_unit)}};
    return f;
}

Feature to_feature(const ExplorationResult& e) {
    Feature f;
    f.attributes = {{"year", std::int64_t{e.year}}, {"project_id", e.project_id}, {"project_name", txt(e.project_name)},
                    {"mineral", e.mineral}, {"new_resources", e.new_resources}, {"unit", e.unit},
                    {"basis", txt(e.basis)}, {"source", txt(e.source)}};
    return f;
}

AnnualData load_annual(const store::PlanStore& store) {
    AnnualData d;
    auto has = [&](const char* id) {
        for (const auto& l : store.layers())
            if (l.id == id) return true;
        return false;
    };
    if (has(kMinesTable))
        for (const auto& f : store.read(kMinesTable)) {
            MineInfo m{f.text("mine_id"), f.text("name"), f.text("county"), f.text("mineral"), f.text("mining_method"),
                       f.text("condition"), false, std::nullopt, f.text("licence_no"), f.text("source"), std::nullopt};
            if (auto* b = std::get_if<bool>(&f.get("new_mine"))) m.new_mine = *b;
            if (auto* i = std::get_if<std::int64_t>(&f.get("new_mine"))) m.new_mine = *i != 0;
            if (auto y = num(f, "opened_year")) m.opened_year = static_cast<int>(*y);
            if (auto y = num(f, "closed_year")) m.closed_year = static_cast<int>(*y);
            d.mines.push_back(std::move(m));
        }
    if (has(kMineYearsTable))
        for (const auto& f : store.read(kMineYearsTable)) {
            MineYear y;
            y.year = static_cast<int>(num(f, "year").value_or(0));
            y.mine_id = f.text("mine_id");
            y.mineral = f.text("mineral");
            y.output = num(f, "output");
            y.output_unit = f.text("output_unit");
            y.output_basis = f.text("output_basis");
            y.capacity = num(f, "capacity");
            y.capacity_unit = f.text("capacity_unit");
            y.mining_recovery = num(f, "mining_recovery_pct");
            y.processing_recovery = num(f, "processing_recovery_pct");
            y.utilisation = num(f, "utilisation_pct");
            y.reserves_consumed = num(f, "reserves_consumed");
            y.reserves_new = num(f, "reserves_new");
            y.reserves_unit = f.text("reserves_unit");
            y.restoration_area = num(f, "restoration_area");
            y.reclamation_area = num(f, "reclamation_area");
            y.area_unit = f.text("area_unit");
            y.green_mine = f.text("green_mine");
            y.source = f.text("source");
            y.reserves_adjusted = num(f, "reserves_adjusted");
            y.waste_produced = num(f, "waste_produced");
            y.waste_used = num(f, "waste_used");
            y.waste_unit = f.text("waste_unit");
            d.years.push_back(std::move(y));
        }
    if (has(kExplorationTable))
        for (const auto& f : store.read(kExplorationTable))
            d.exploration.push_back({static_cast<int>(num(f, "year").value_or(0)), f.text("project_id"),
                                     f.text("project_name"), f.text("mineral"), num(f, "new_resources").value_or(0),
                                     f.text("unit"), f.text("basis"), f.text("source")});
    return d;
}

void save_annual(store::PlanDatabase& db, const AnnualData& all, std::optional<std::int64_t> read_version,
                 const std::string& actor) {
    const char* tables[] = {kMinesTable, kMineYearsTable, kExplorationTable};
    std::vector<std::pair<TableSchema, std::vector<Feature>>> writes;
    {
        auto store = db.snapshot();
        for (const char* t : tables) {
            try {
                writes.push_back({store->schema(t), {}});
            } catch (const NotFoundError&) {
                throw NotFoundError(db.location() + " 缺少监测表 " + t +
                                    "（数据库生成于监测功能之前），请先用 minplan build 重新生成 / rebuild the database");
            }
        }
    }
    for (const auto& m : all.mines) writes[0].second.push_back(to_feature(m));
    for (const auto& y : all.years) writes[1].second.push_back(to_feature(y));
    for (const auto& e : all.exploration) writes[2].second.push_back(to_feature(e));
    store::write_tables(db, writes, store::SwapMode::Replace, {}, read_version, actor, "intake");  // the three tables in one transaction
}

}  // namespace minplan::monitor
