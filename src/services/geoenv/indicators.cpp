#include "services/geoenv/indicators.hpp"

#include <map>

#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "services/geoenv/register.hpp"

namespace minplan::services::geoenv {
namespace {

using monitor::MeasureValue;

// Hectares in the indicator's unit; nullopt for a unit that is not an area.
std::optional<double> from_ha(double ha, const std::string& unit) {
    if (unit == "公顷") return ha;
    if (unit == "平方公里") return ha / 100.0;
    if (unit == "平方米") return ha * 10000.0;
    return std::nullopt;
}

MeasureValue manual(std::string why) {
    MeasureValue v;
    v.manual = true;
    v.manual_why = std::move(why);
    return v;
}

std::string year_end(int year) { return std::to_string(year) + "-12-31"; }

MeasureValue legacy_restored(const Data& d, const monitor::IndicatorDef& def, int year) {
    if (d.sites.empty())
        return manual("需人工核查：未导入矿山地质环境问题图斑（" + std::string(kSites) +
                      "），无法区分历史遗留问题与生产矿山，矿山年报的治理恢复面积不计入本指标");
    const std::string from = std::to_string(d.first_year) + "-01-01", to = year_end(year);
    double ha = 0;
    int n = 0, unresolved = 0;
    for (const auto& s : d.sites) {
        if (s.restored.empty() || s.restored < from || s.restored > to) continue;
        if (s.party.empty()) {
            ++unresolved;
            continue;
        }
        if (s.party != d.settings.legacy_party) continue;
        ha += s.area_ha;
        ++n;
    }
    MeasureValue v;
    v.actual = from_ha(ha, def.unit);
    v.notes.push_back("历史遗留（治理责任主体为" + d.settings.legacy_party + "）且治理完成日期在 " + from + "–" + to + " 的图斑 " +
                      std::to_string(n) + " 个，" + format_number(ha, 2) + " 公顷；" + d.settings.legacy_clause_zh);
    if (unresolved > 0) {
        v.manual = true;
        v.manual_why = "需人工核查：" + std::to_string(unresolved) + " 个已治理图斑的治理责任主体无法按治理责任划分确定";
    }
    return v;
}

MeasureValue key_restoration(const Data& d, const monitor::IndicatorDef& def, int year) {
    const std::string& cat = d.settings.key_restoration_category;
    double ha = 0;
    int n = 0;
    for (const auto& p : d.projects) {
        if (p.category != cat) continue;
        ++n;
        for (const auto& y : p.years)
            if (y.year >= d.first_year && y.year <= year) ha += y.completed_ha.value_or(0);
    }
    if (n == 0) return manual("需人工核查：治理工程表中没有类别为“" + cat + "”的工程");
    MeasureValue v;
    const double base = def.base_2020.value_or(0);
    v.actual = from_ha(base + ha, def.unit);
    v.notes.push_back("规划编制时已完成 " + format_number(base, 2) + " 公顷 + " + std::to_string(d.first_year) + "–" +
                      std::to_string(year) + " 年 " + std::to_string(n) + " 处“" + cat + "”工程完成 " + format_number(ha, 2) + " 公顷");
    return v;
}

MeasureValue key_projects(const Data& d, int year) {
    const std::string& cat = d.settings.key_projects_category;
    int n = 0, done = 0;
    for (const auto& p : d.projects) {
        if (p.category != cat) continue;
        ++n;
        if (auto y = p.completion_year(d.settings); y && *y <= year) ++done;
    }
    if (n == 0) return manual("需人工核查：治理工程表中没有类别为“" + cat + "”的工程");
    MeasureValue v;
    v.actual = done;
    v.notes.push_back("已登记“" + cat + "”工程 " + std::to_string(n) + " 处，至 " + std::to_string(year) + " 年底完成 " +
                      std::to_string(done) + " 处（状态为完工/验收，按最后一年完成面积的年度计）");
    return v;
}

MeasureValue coverage(const Data& d, int year) {
    std::vector<geo::Geometry> gs;
    std::vector<std::string> ids;
    for (const auto& c : d.campaigns)
        if (c.year == year && !c.wkb.empty()) {
            gs.push_back(geo::Geometry::from_wkb(c.wkb));
            ids.push_back(c.id);
        }
    if (gs.empty()) return manual("需人工核查：" + std::to_string(year) + " 年没有遥感监测覆盖范围（" + std::string(kCampaigns) + "）");
    std::vector<const geo::Geometry*> ptrs;
    for (const auto& g : gs) ptrs.push_back(&g);
    MeasureValue v;
    v.actual = geo::ellipsoidal_area_km2(geo::Geometry::union_of(ptrs));
    std::string list;
    for (const auto& i : ids) list += (list.empty() ? "" : "、") + i;
    v.notes.push_back(std::to_string(year) + " 年监测批次 " + list + " 覆盖范围合并后的 CGCS2000 椭球面积");
    return v;
}

std::optional<MeasureValue> green_new_mines(const Data& d, int year, const monitor::AnnualData& annual) {
    if (d.register_events.empty()) return std::nullopt;  // the annual reports decide, as before
    const auto states = register_as_of(d, year_end(year));
    int n = 0, green = 0;
    MeasureValue v;
    for (const auto& m : annual.mines) {
        if (!m.new_mine) continue;
        const monitor::MineYear* latest = nullptr;
        for (const auto& y : annual.years)
            if (y.mine_id == m.mine_id && y.year <= year && (!latest || y.year > latest->year)) latest = &y;
        if (!latest) continue;
        ++n;
        const RegisterState* st = nullptr;
        for (const auto& s : states)
            if ((!s.mine_id.empty() && s.mine_id == m.mine_id) || s.mine_name == m.name) st = &s;
        if (st) {
            if (st->listed) ++green;
            else v.notes.push_back("新建矿山 " + m.mine_id + " 名录状态：" + st->state + "（" + st->since + "）");
        } else {
            const bool g = monitor::is_green(latest->green_mine);
            green += g;
            v.notes.push_back("新建矿山 " + m.mine_id + " 不在绿色矿山名录中，按年报填报：" +
                              (latest->green_mine.empty() ? "未填" : latest->green_mine));
        }
    }
    if (n) v.actual = 100.0 * green / n;
    v.notes.push_back("名录状态取 " + year_end(year) + "（" + d.settings.register_clause_zh + "）");
    return v;
}

}  // namespace

std::optional<MeasureValue> measure(const Data& d, const monitor::IndicatorDef& def, int year, const monitor::AnnualData& annual) {
    if (!d.settings.configured) return std::nullopt;
    if (def.measure == "restoration_area") return legacy_restored(d, def, year);
    if (def.measure == "geoenv_key_restoration") return key_restoration(d, def, year);
    if (def.measure == "geoenv_key_projects") return key_projects(d, year);
    if (def.measure == "geoenv_coverage") return coverage(d, year);
    if (def.measure == "green_new_mines") return green_new_mines(d, year, annual);
    return std::nullopt;
}

monitor::ExternalMeasure external_measures(std::shared_ptr<const Data> d) {
    return [d](const monitor::IndicatorDef& def, int year, const monitor::AnnualData& annual) { return measure(*d, def, year, annual); };
}

TableView zone_progress_table(const Data& d, int year) {
    TableView t;
    t.sheet_name = "治理分区进度";
    t.title = "矿山地质环境治理分区（专栏15）治理进度（至" + std::to_string(year) + "年底）";
    t.headers = {"分区编号", "分区名称", "类别", "工程数", "计划治理面积", "完成治理面积", "完成比例"};
    t.units = {"", "", "", "处", "公顷", "公顷", "%"};
    for (const auto& z : d.zones) {
        int n = 0;
        double planned = 0, done = 0;
        for (const auto& p : d.projects) {
            if (p.zone_id != z.id) continue;
            ++n;
            planned += p.planned_total();
            done += p.completed_until(year);
        }
        t.rows.push_back({Cell::of(z.code.empty() ? z.id : z.code), Cell::of(z.name), Cell::of(z.zone_class), Cell::num(n, 0),
                          Cell::num(planned, 2), Cell::num(done, 2),
                          planned > 0 ? Cell::num(100.0 * done / planned, 1) : Cell::of("—")});
    }
    t.notes.push_back("计划面积为工程各年度计划治理面积之和，完成面积为至该年底各年度完成面积之和（治理工程年度进度表）。");
    if (d.projects.empty()) t.notes.push_back("未导入治理工程（geoenv_projects）：各分区进度需人工核查。");
    return t;
}

TableView coverage_table(const Data& d, int year, const monitor::IndicatorSet& set) {
    TableView t;
    t.sheet_name = "遥感监测覆盖";
    t.title = "矿山地质环境遥感监测覆盖面积";
    t.headers = {"年度", "监测批次", "覆盖面积", "目标面积", "状态", "判定依据"};
    t.units = {"", "", "平方公里", "平方公里", "", ""};
    const monitor::IndicatorDef* def = nullptr;
    for (const auto& i : set.indicators())
        if (i.measure == "geoenv_coverage") def = &i;
    if (!def) return t;
    for (int y = d.first_year; y <= year; ++y) {
        auto v = coverage(d, y);
        std::string ids;
        for (const auto& c : d.campaigns)
            if (c.year == y) ids += (ids.empty() ? "" : "、") + c.id;
        auto decision = v.actual ? set.evaluate(*def, y, *v.actual) : monitor::StatusDecision{monitor::Status::Manual, v.manual_why};
        Cell status = Cell::of(monitor::to_zh(decision.status));
        status.style = monitor::to_key(decision.status);
        t.rows.push_back({Cell::num(y, 0), Cell::of(ids.empty() ? "—" : ids), Cell::opt(v.actual, 2, "—"),
                          Cell::num(def->target_2025, 2), status, Cell::of(decision.rule)});
    }
    t.notes.push_back(def->source);
    return t;
}

TableView register_table(const Data& d, const std::string& date) {
    TableView t;
    t.sheet_name = "绿色矿山名录";
    t.title = "绿色矿山名录（" + date + "）";
    t.headers = {"矿山名称", "矿山编号", "状态", "级别", "自", "第三方评估结论", "在名录"};
    for (const auto& s : register_as_of(d, date))
        t.rows.push_back({Cell::of(s.mine_name), Cell::of(s.mine_id), Cell::of(s.state), Cell::of(s.level), Cell::of(s.since),
                          Cell::of(s.assessment), Cell::of(s.listed ? "是" : "否")});
    auto c = register_counts(d, date);
    std::string by;
    for (const auto& [level, n] : c.by_level) by += (by.empty() ? "" : "，") + level + " " + std::to_string(n) + " 座";
    t.notes.push_back("在名录 " + std::to_string(c.listed) + " 座" + (by.empty() ? "" : "（" + by + "）") + "。" + d.settings.register_clause_zh);
    return t;
}

}  // namespace minplan::services::geoenv
