#include "monitor/evaluate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "standards/units.hpp"

namespace minplan::monitor {

namespace {

bool counts(const IndicatorDef& d, const std::string& mineral) {
    return std::find(d.minerals.begin(), d.minerals.end(), mineral) != d.minerals.end();
}

std::string default_basis(const IndicatorSet& set, const std::string& mineral, const std::string& given) {
    if (!given.empty()) return given;
    const MineralUnit* u = set.unit_of(mineral);
    return u ? u->basis : "";
}

// Sums quantities converted to the indicator's unit and basis; refused conversions become notes.
struct Sum {
    double total = 0;
    int rows = 0, refused = 0;
    void add(const IndicatorDef& d, const IndicatorSet& set, double v, const std::string& unit, const std::string& mineral,
             const std::string& basis, const std::string& what, std::vector<std::string>* notes) {
        try {
            total += standards::convert(v, unit, default_basis(set, mineral, basis), d.unit, d.basis, what);
            ++rows;
        } catch (const InputError& e) {
            ++refused;
            if (notes) notes->push_back(e.what());
        }
    }
};

void decide(IndicatorResult& r, const IndicatorSet& set, std::optional<double> actual, bool manual,
            const std::string& manual_why) {
    r.actual = actual;
    if (manual) {
        r.status = Status::Manual;
        r.rule = manual_why;
    } else if (!actual) {
        r.status = Status::NoData;
        r.rule = "本年度没有可用于计算该指标的数据";
    } else {
        auto d = set.evaluate(*r.def, r.year, *actual);
        r.status = d.status;
        r.rule = d.rule;
    }
}

}  // namespace

std::optional<double> extraction_total(const IndicatorDef& d, const IndicatorSet& set, const AnnualData& data, int year,
                                       std::vector<std::string>* notes) {
    Sum s;
    for (const auto& y : data.years)
        if (y.year == year && counts(d, y.mineral) && y.output)
            s.add(d, set, *y.output, y.output_unit, y.mineral, y.output_basis,
                  "矿山 " + y.mine_id + " " + std::to_string(year) + "年产量", notes);
    if (s.rows == 0) return std::nullopt;
    return s.total;
}

std::string mine_size_class(const MineYear& y, const MineInfo* info, const Standards& st) {
    if (!y.capacity) return "";
    return st.sizes.classify(y.mineral, info ? info->method : "", *y.capacity, y.capacity_unit).size_class;
}

SanlvMine sanlv_mine(const MineYear& y, const MineInfo* info, const Standards& st) {
    SanlvMine m;
    m.mineral = y.mineral;
    m.method = info ? info->method : "";
    if (info) {
        std::string c = info->condition, item;
        for (std::size_t p = 0; p <= c.size(); ++p) {
            if (p == c.size() || c[p] == ';') {
                if (!item.empty()) m.conditions.insert(item);
                item.clear();
            } else {
                item += c[p];
            }
        }
    }
    if (auto size = mine_size_class(y, info, st); !size.empty()) m.conditions.insert(size);
    if (y.mining_recovery) m.rates["开采回采率"] = y.mining_recovery;
    if (y.processing_recovery) m.rates["选矿回收率"] = y.processing_recovery;
    if (y.utilisation) m.rates["综合利用率"] = y.utilisation;
    return m;
}

YearEvaluation evaluate_year(const IndicatorSet& set, const Standards& st, const AnnualData& data, int year,
                             const ExternalMeasure& external) {
    YearEvaluation ev;
    ev.year = year;
    ev.leader_tier_configured = st.sanlv.leader_tier_configured();
    std::vector<const MineYear*> rows;
    for (const auto& y : data.years)
        if (y.year == year) rows.push_back(&y);
    bool any_exploration = std::any_of(data.exploration.begin(), data.exploration.end(), [&](auto& e) { return e.year <= year; }) ||
                           std::any_of(data.years.begin(), data.years.end(), [&](auto& y) { return y.year <= year && y.reserves_new; });

    // 三率 per mine (第六章三: dynamic 三率 monitoring; thresholds from data/standards/sanlv_thresholds.csv).
    for (const auto* y : rows) {
        const MineInfo* info = data.mine(y->mine_id);
        SanlvMine m = sanlv_mine(*y, info, st);
        ev.sanlv.push_back({y->mine_id, info ? info->name : "", y->mineral, y->mining_recovery, y->processing_recovery,
                            y->utilisation, st.sanlv.check(m, year)});
    }

    for (const auto& d : set.indicators()) {
        IndicatorResult r;
        r.def = &d;
        r.year = year;
        r.path_value = set.path_value(d, year);
        if (auto v = external ? external(d, year, data) : std::nullopt) {
            r.notes = std::move(v->notes);
            decide(r, set, v->actual, v->manual, v->manual_why);
        } else if (d.measure == "extraction") {
            auto t = extraction_total(d, set, data, year, &r.notes);
            decide(r, set, t, !t && !r.notes.empty(), "报送的产量均无法换算为指标口径（" + d.unit + d.basis + "），需人工核查");
            if (t && !r.notes.empty()) {
                r.status = Status::Manual;
                r.rule = "部分矿山产量无法换算，合计不完整（已计入 " + format_number(*t) + "），需人工核查";
            }
        } else if (d.measure == "new_resources") {
            Sum s;
            for (const auto& e : data.exploration)
                if (e.year <= year && counts(d, e.mineral))
                    s.add(d, set, e.new_resources, e.unit, e.mineral, e.basis, "勘查项目 " + e.project_id, &r.notes);
            for (const auto& y : data.years)
                if (y.year <= year && counts(d, y.mineral) && y.reserves_new)
                    s.add(d, set, *y.reserves_new, y.reserves_unit, y.mineral, "", "矿山 " + y.mine_id + " 新增查明", &r.notes);
            std::optional<double> a = any_exploration ? std::optional<double>(s.total) : std::nullopt;
            decide(r, set, a, s.refused > 0, "部分新增资源量无法换算为指标口径（" + d.unit + d.basis + "），需人工核查");
            r.notes.push_back("累计 " + std::to_string(set.base_year() + 1) + "–" + std::to_string(year) + " 年，" +
                              std::to_string(s.rows) + " 条记录");
        } else if (d.measure == "mine_count" || d.measure == "large_medium_share" || d.measure == "average_capacity" ||
                   d.measure == "total_capacity") {
            std::set<std::string> mines;
            int large_medium = 0, unknown = 0, with_capacity = 0;
            Sum cap;
            for (const auto* y : rows) {
                if (!counts(d, y->mineral) || !mines.insert(y->mine_id).second) continue;
                const MineInfo* info = data.mine(y->mine_id);
                if (d.measure == "large_medium_share") {
                    auto sz = y->capacity ? st.sizes.classify(y->mineral, info ? info->method : "", *y->capacity, y->capacity_unit)
                                          : standards::SizeDecision{.size_class = "", .rule = "未报送生产规模"};
                    if (sz.size_class.empty()) {
                        ++unknown;
                        r.notes.push_back("矿山 " + y->mine_id + "：" + sz.rule);
                    } else if (sz.size_class != "小型") {
                        ++large_medium;
                    }
                }
                if ((d.measure == "average_capacity" || d.measure == "total_capacity") && y->capacity) {
                    ++with_capacity;
                    cap.add(d, set, *y->capacity, y->capacity_unit, y->mineral, "", "矿山 " + y->mine_id + " 生产规模", &r.notes);
                }
            }
            const double n = static_cast<double>(mines.size());
            if (d.measure == "mine_count") {
                decide(r, set, rows.empty() ? std::nullopt : std::optional<double>(n), false, "");
                r.notes.push_back("按本年度报送的矿山计数");
            } else if (d.measure == "large_medium_share") {
                decide(r, set, mines.empty() ? std::nullopt : std::optional<double>(100.0 * large_medium / n), unknown > 0,
                       std::to_string(unknown) + " 座矿山的规模类型无法由分类表确定（国土资发〔2004〕208号未配置或未报送规模），需人工核查");
            } else if (d.measure == "total_capacity") {  // 产能: the licensed capacities of the year's mines, summed
                decide(r, set, cap.rows ? std::optional<double>(cap.total) : std::nullopt, cap.refused > 0,
                       "部分矿山生产规模无法换算，需人工核查");
                r.notes.push_back(std::to_string(with_capacity) + " 座矿山报送生产规模（未报送的矿山不计入产能）");
            } else {
                decide(r, set, cap.rows ? std::optional<double>(cap.total / cap.rows) : std::nullopt, cap.refused > 0,
                       "部分矿山生产规模无法换算，需人工核查");
                r.notes.push_back(std::to_string(with_capacity) + " 座矿山报送生产规模");
            }
        } else if (d.measure == "sanlv_rate") {
            int pass = 0, manual = 0;
            for (const auto& m : ev.sanlv) {
                pass += m.check.result == SanlvResult::Pass;
                manual += m.check.result == SanlvResult::Manual;
            }
            const double n = static_cast<double>(ev.sanlv.size());
            std::optional<double> a = ev.sanlv.empty() ? std::nullopt : std::optional<double>(100.0 * pass / n);
            decide(r, set, a, false, "");
            // Mines needing a manual check never count as compliant; if they could change the verdict, say so.
            if (a && manual > 0 && *a < d.target_2025 && 100.0 * (pass + manual) / n >= d.target_2025) {
                r.status = Status::Manual;
                r.rule = "达标率 " + format_number(*a) + "% 低于 " + format_number(d.target_2025) + "%，但有 " +
                         std::to_string(manual) + " 座矿山需人工核查，核查结果可能改变结论";
            }
            r.notes.push_back(std::to_string(pass) + " 座达标，" + std::to_string(manual) + " 座需人工核查（不计为达标），共 " +
                              std::to_string(ev.sanlv.size()) + " 座");
            if (!ev.leader_tier_configured) r.notes.push_back("领跑者档指标未配置（DZ/T 0462.x-2023 数值未取得）");
        } else if (d.measure == "restoration_area" || d.measure == "reclamation_area") {
            Sum s;
            for (const auto& y : data.years) {
                auto area = d.measure == "restoration_area" ? y.restoration_area : y.reclamation_area;
                if (y.year <= year && area) s.add(d, set, *area, y.area_unit, "", "", "矿山 " + y.mine_id + " 面积", &r.notes);
            }
            bool any = std::any_of(data.years.begin(), data.years.end(), [&](auto& y) { return y.year <= year; });
            decide(r, set, any ? std::optional<double>(s.total) : std::nullopt, s.refused > 0, "部分面积无法换算，需人工核查");
        } else if (d.measure == "green_new_mines") {
            int n = 0, green = 0;
            for (const auto& m : data.mines) {
                if (!m.new_mine) continue;
                const MineYear* latest = nullptr;
                for (const auto& y : data.years)
                    if (y.mine_id == m.mine_id && y.year <= year && (!latest || y.year > latest->year)) latest = &y;
                if (!latest) continue;
                ++n;
                if (is_green(latest->green_mine)) ++green;
                else r.notes.push_back("新建矿山 " + m.mine_id + " 绿色矿山状态：" + (latest->green_mine.empty() ? "未填" : latest->green_mine));
            }
            decide(r, set, n ? std::optional<double>(100.0 * green / n) : std::nullopt, false, "");
        } else if (d.measure == "mine_closures") {
            // 第四章第三节: mines closed (矿山名录 关闭年度) from the first plan year up to `year`, of the
            // indicator's minerals (none listed: all) but not of except_minerals (非煤矿山: all but coal).
            int n = 0;
            const bool any = !data.mines.empty();
            for (const auto& m : data.mines) {
                if (!m.closed_year || *m.closed_year <= set.base_year() || *m.closed_year > year) continue;
                if (!d.minerals.empty() && !counts(d, m.mineral)) continue;
                if (std::find(d.except_minerals.begin(), d.except_minerals.end(), m.mineral) != d.except_minerals.end()) continue;
                ++n;
                r.notes.push_back("矿山 " + m.mine_id + "（" + m.mineral + "）" + std::to_string(*m.closed_year) + "年关闭");
            }
            // No mine of the data carries a 关闭年度 at all: the column was not reported, not "no closure".
            const bool reported = std::any_of(data.mines.begin(), data.mines.end(), [](const MineInfo& m) { return m.closed_year.has_value(); });
            decide(r, set, any ? std::optional<double>(n) : std::nullopt, any && !reported,
                   "需人工核查：矿山名录中没有任何矿山填报“关闭年度”，无法判断关闭情况");
            r.notes.push_back("按矿山名录“关闭年度”计数（" + std::to_string(set.base_year() + 1) + "–" + std::to_string(year) +
                              "年）；未填关闭年度的矿山按未关闭计");
        } else if (d.measure == "waste_utilisation") {
            // 第六章三: 矿山可利用废弃物平均利用率 = Σ 利用量 / Σ 产生量 of the year's reporting mines (in 万吨).
            double produced = 0, used = 0;
            int mines = 0, refused = 0;
            for (const auto* y : rows) {
                if (!y->waste_produced) continue;
                try {
                    const double p = standards::convert(*y->waste_produced, y->waste_unit, "", "万吨", "", "矿山 " + y->mine_id + " 废弃物产生量");
                    const double u = y->waste_used ? standards::convert(*y->waste_used, y->waste_unit, "", "万吨", "", "矿山 " + y->mine_id + " 废弃物利用量") : 0.0;
                    produced += p;
                    used += u;
                    ++mines;
                } catch (const InputError& e) {
                    ++refused;
                    r.notes.push_back(e.what());
                }
            }
            decide(r, set, produced > 0 ? std::optional<double>(100.0 * used / produced) : std::nullopt, refused > 0,
                   "部分矿山废弃物数量无法换算，需人工核查");
            r.notes.push_back(std::to_string(mines) + " 座矿山报送可利用废弃物：产生 " + format_number(produced, 4) + " 万吨，利用 " +
                              format_number(used, 4) + " 万吨（按量加权平均）");
        } else if (d.measure.rfind("geoenv_", 0) == 0) {
            r.status = Status::Manual;  // computed from the plan database's geo-environment layers (services/geoenv)
            r.rule = "需人工核查：该指标由规划数据库中的矿山地质环境图斑、治理工程与遥感监测数据计算（年度报送数据中没有）";
        } else {
            r.status = Status::Manual;
            r.rule = "未实现的计算方式 " + d.measure;
        }
        ev.results.push_back(std::move(r));
    }
    return ev;
}

}  // namespace minplan::monitor
