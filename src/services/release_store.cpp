// The yearly release plans kept in the plan database (table release_plans): `minplan release import/list/show`
// and GET /api/release. A year's plan is stored only after its check has no 不符合 row: all or nothing.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "services/release.hpp"
#include "store/plan_database.hpp"

namespace minplan::services {
namespace {

Value txt(const std::string& s) { return s.empty() ? Value{} : Value{s}; }

const char* kind_key(ReleaseKind k) { return k == ReleaseKind::Exploration ? "exploration" : "mining"; }
const char* kind_zh(ReleaseKind k) { return k == ReleaseKind::Exploration ? "勘查" : "开采"; }

bool has_table(const store::PlanStore& store) {
    for (const auto& l : store.layers())
        if (l.id == kReleasePlansTable) return true;
    return false;
}

Feature to_feature(int year, const std::string& source, const ReleaseEntry& e) {
    Feature f;
    f.attributes = {{"year", std::int64_t{year}}, {"row", std::int64_t{e.row}}, {"block_id", e.block_id}, {"kind", std::string(kind_key(e.kind))},
                    {"mineral", e.mineral}, {"method", e.method}, {"protocol_reason", txt(e.protocol_reason)},
                    {"planned_date", txt(e.planned_date)}, {"source", txt(source)},
                    {"capacity", e.capacity ? Value{*e.capacity} : Value{}}, {"capacity_unit", txt(e.capacity_unit)}};
    return f;
}

}  // namespace

std::vector<ReleasePlan> load_release_plans(const store::PlanStore& store) {
    if (!has_table(store)) return {};
    std::map<int, ReleasePlan> by_year;
    for (const Feature& f : store.read(kReleasePlansTable)) {
        const int year = static_cast<int>(as_number(f.get("year")).value_or(0));
        ReleasePlan& p = by_year[year];
        p.year = year;
        if (p.source.empty()) p.source = f.text("source");
        ReleaseEntry e;
        e.row = static_cast<int>(as_number(f.get("row")).value_or(0));
        e.block_id = f.text("block_id");
        e.kind = f.text("kind") == "mining" ? ReleaseKind::Mining : ReleaseKind::Exploration;
        e.mineral = f.text("mineral");
        e.method = f.text("method");
        e.protocol_reason = f.text("protocol_reason");
        e.planned_date = f.text("planned_date");
        e.capacity = as_number(f.get("capacity"));
        e.capacity_unit = f.text("capacity_unit");
        p.entries.push_back(std::move(e));
    }
    std::vector<ReleasePlan> out;
    for (auto& [year, p] : by_year) {
        std::sort(p.entries.begin(), p.entries.end(), [](const ReleaseEntry& a, const ReleaseEntry& b) { return a.row < b.row; });
        out.push_back(std::move(p));
    }
    return out;
}

ReleaseImport import_release_plan(store::PlanDatabase& db, const ReleasePlan& plan, const std::string& actor) {
    for (int attempt = 0;; ++attempt) {
        auto snapshot = db.snapshot();
        if (!has_table(*snapshot))
            throw NotFoundError(db.location() + " 缺少投放计划表 " + kReleasePlansTable +
                                "（数据库生成于该功能之前），请先用 minplan build 重新生成 / rebuild the database");
        ReleaseImport result{check_release_plan(*snapshot, plan), 0};
        std::vector<std::string> problems;
        for (const auto& f : result.report.findings)
            if (f.verdict == ReleaseVerdict::Fail)
                problems.push_back(fmt::format("{}{} {}：{}（{}）", f.row ? fmt::format("第{}行", f.row) : std::string("全表"),
                                               f.block_id.empty() ? "" : " " + f.block_id, f.rule_id, f.message_zh, f.clause_zh));
        if (!problems.empty())
            throw ProblemsError(fmt::format("{}年度投放计划审查有不符合项，未入库 / the release plan breaks the plan, nothing stored", plan.year),
                                std::move(problems));
        // The year's rows are replaced; the other years are written back as they were read.
        std::vector<Feature> rows;
        for (const auto& p : load_release_plans(*snapshot))
            if (p.year != plan.year)
                for (const auto& e : p.entries) rows.push_back(to_feature(p.year, p.source, e));
        for (const auto& e : plan.entries) rows.push_back(to_feature(plan.year, plan.source, e));
        try {
            result.version = store::write_tables(db, {{snapshot->schema(kReleasePlansTable), std::move(rows)}}, store::SwapMode::Replace, {},
                                                 snapshot->version(), actor, "release.import");
            return result;
        } catch (const store::ConflictError&) {
            if (attempt >= 3) throw;  // another writer came first: read and check again
        }
    }
}

nlohmann::json release_plans_json(const std::vector<ReleasePlan>& plans) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : plans) {
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& e : p.entries)
            entries.push_back({{"row", e.row}, {"block_id", e.block_id}, {"kind", kind_key(e.kind)}, {"kind_zh", kind_zh(e.kind)},
                               {"mineral", e.mineral}, {"method", e.method}, {"protocol_reason", e.protocol_reason},
                               {"planned_date", e.planned_date}, {"capacity", e.capacity ? nlohmann::json(*e.capacity) : nlohmann::json(nullptr)},
                               {"capacity_unit", e.capacity_unit}});
        out.push_back({{"year", p.year}, {"source", p.source}, {"count", p.entries.size()}, {"entries", entries}});
    }
    return out;
}

TableView release_plan_table(const ReleasePlan& plan) {
    TableView t;
    t.sheet_name = "投放计划";
    t.title = fmt::format("{}年度矿业权投放计划（{}个区块）", plan.year, plan.entries.size());
    t.headers = {"行", "区块编号", "区块类型", "矿种", "出让方式", "协议出让理由", "计划出让时间", "拟设生产规模", "规模单位"};
    for (const auto& e : plan.entries)
        t.rows.push_back({Cell::num(e.row, 0), Cell::of(e.block_id), Cell::of(kind_zh(e.kind)), Cell::of(e.mineral), Cell::of(e.method),
                          Cell::of(e.protocol_reason), Cell::of(e.planned_date), Cell::opt(e.capacity, 4), Cell::of(e.capacity_unit)});
    if (!plan.source.empty()) t.notes.push_back("来源：" + plan.source);
    return t;
}

}  // namespace minplan::services
