#include "monitor/county_split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "store/plan_store.hpp"

namespace minplan::monitor {
namespace {

// Header names accepted for each column, Chinese first (the template's).
const std::vector<std::pair<std::string, std::vector<std::string>>> kColumns = {
    {"indicator_id", {"指标编号", "indicator_id"}},
    {"county", {"县区", "县（区）", "行政区", "county"}},
    {"target", {"分解目标", "目标", "target"}},
    {"base", {"基期值", "base"}},
    {"source", {"来源", "依据", "source"}},
};

const std::string& column_zh(const std::string& field) {
    for (const auto& [f, names] : kColumns)
        if (f == field) return names.front();
    return field;
}

std::optional<double> parse_number(const std::string& t) {
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string row_name(const CountyTarget& t) { return t.row ? fmt::format("第{}行", t.row) : std::string("一行"); }

bool counted_here(const IndicatorDef& d, const std::string& mineral) {
    return std::find(d.minerals.begin(), d.minerals.end(), mineral) != d.minerals.end();
}

}  // namespace

const CountyTarget* CountySplit::find(const std::string& indicator_id, const std::string& county) const {
    for (const auto& r : rows)
        if (r.indicator_id == indicator_id && r.county == county) return &r;
    return nullptr;
}

bool is_intensive_measure(const std::string& measure) {
    return measure == "large_medium_share" || measure == "sanlv_rate" || measure == "green_new_mines" ||
           measure == "average_capacity" || measure == "waste_utilisation";
}

void validate_split(const CountySplit& split, const IndicatorSet& set, const std::vector<std::string>& counties,
                    const std::string& where) {
    std::vector<std::string> problems;
    std::set<std::pair<std::string, std::string>> seen;
    std::map<std::string, std::pair<double, std::vector<int>>> sums;  // additive indicator → Σ targets, rows
    for (const auto& t : split.rows) {
        const IndicatorDef* d = nullptr;
        for (const auto& i : set.indicators())
            if (i.id == t.indicator_id) d = &i;
        if (!d) {
            problems.push_back(fmt::format("{} {}“{}”列：规划没有指标“{}”（应为 indicators.json 中的编号，如 {}）", where, row_name(t),
                                           column_zh("indicator_id"), t.indicator_id,
                                           set.indicators().empty() ? std::string("E01") : set.indicators().front().id));
            continue;
        }
        if (!counties.empty() && std::find(counties.begin(), counties.end(), t.county) == counties.end()) {
            std::string known;
            for (const auto& c : counties) known += (known.empty() ? "" : "、") + c;
            problems.push_back(fmt::format("{} {}“{}”列：“{}”不是本规划的县区（应为 {}）", where, row_name(t), column_zh("county"), t.county, known));
        }
        if (!seen.insert({t.indicator_id, t.county}).second)
            problems.push_back(fmt::format("{} {}：指标 {} 在“{}”已有分解目标，同一指标与县区只能一行", where, row_name(t), t.indicator_id, t.county));
        if (t.target < 0 || (t.base && *t.base < 0))
            problems.push_back(fmt::format("{} {}：分解目标与基期值应为非负数", where, row_name(t)));
        if (d->unit == "%" && t.target > 100)
            problems.push_back(fmt::format("{} {}“{}”列：{} 是百分比，应在 0–100 之间，实际为 {}", where, row_name(t), column_zh("target"),
                                           t.indicator_id, format_number(t.target, 4)));
        if (!is_intensive_measure(d->measure)) {
            auto& s = sums[d->id];
            s.first += t.target;
            s.second.push_back(t.row);
        }
    }
    // 县区分解之和不得超过全市目标 (chapter 7 一: the counties' shares are parts of the city's target).
    for (const auto& d : set.indicators()) {
        auto it = sums.find(d.id);
        if (it == sums.end() || it->second.first <= d.target_2025 * (1 + 1e-9)) continue;
        std::string rows;
        for (int r : it->second.second) rows += (rows.empty() ? "第" : "、第") + std::to_string(r) + "行";
        problems.push_back(fmt::format("{} {}：指标 {}（{}）各县区分解目标合计 {} {} 超过全市目标 {} {}（{}）", where, rows, d.id, d.name_zh,
                                       format_number(it->second.first, 4), d.unit, format_number(d.target_2025, 4), d.unit, d.source));
    }
    if (!problems.empty())
        throw ProblemsError(where + "：指标分解表有误，未写入 / the county allocation has errors, nothing written", problems);
}

CountySplit read_split_file(const std::filesystem::path& file, const IndicatorSet& set, const std::vector<std::string>& counties) {
    const formats::TextSheet sheet = formats::read_table_file(file);
    const std::string where = file.filename().string();
    if (sheet.rows.empty()) throw InputError(where + "：文件为空，应有表头行（指标编号、县区、分解目标、基期值、来源）/ empty file");
    const auto& header = sheet.rows.front();
    const formats::HeaderColumns columns(header, kColumns);
    std::vector<std::string> problems;
    for (const char* required : {"indicator_id", "county", "target"})
        if (!columns.has(required))
            problems.push_back(fmt::format("{} 第{}行：缺少“{}”列 / missing column {}", where, header.number, column_zh(required), required));
    if (!problems.empty()) throw ProblemsError(where + "：指标分解表表头不完整 / incomplete header", problems);

    CountySplit split;
    for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& row = sheet.rows[r];
        auto cell = [&](const char* field) { return columns.cell(row, field); };
        auto problem = [&](const char* field, const std::string& what) {
            problems.push_back(fmt::format("{} 第{}行“{}”列：{}", where, row.number, column_zh(field), what));
        };
        CountyTarget t;
        t.row = row.number;
        t.indicator_id = cell("indicator_id");
        if (t.indicator_id.empty()) problem("indicator_id", "不能为空 / required");
        t.county = cell("county");
        if (t.county.empty()) problem("county", "不能为空 / required");
        if (auto v = parse_number(cell("target"))) t.target = *v;
        else problem("target", "应为数值，实际为“" + cell("target") + "”");
        if (const auto b = cell("base"); !b.empty()) {
            if (auto v = parse_number(b)) t.base = *v;
            else problem("base", "应为数值或留空，实际为“" + b + "”");
        }
        t.source = cell("source");
        split.rows.push_back(std::move(t));
    }
    if (!problems.empty()) throw ProblemsError(where + "：指标分解表有误，未写入 / the county allocation has errors", problems);
    validate_split(split, set, counties, where);
    return split;
}

CountySplit load_split(const store::PlanStore& store) {
    CountySplit split;
    bool present = false;
    for (const auto& l : store.layers()) present |= l.id == kCountyAllocationTable;
    if (!present) return split;
    for (const Feature& f : store.read(kCountyAllocationTable)) {
        CountyTarget t;
        t.row = static_cast<int>(as_number(f.get("row")).value_or(0));
        t.indicator_id = f.text("indicator_id");
        t.county = f.text("county");
        t.target = as_number(f.get("target")).value_or(0);
        t.base = as_number(f.get("base"));
        t.source = f.text("source");
        split.rows.push_back(std::move(t));
    }
    return split;
}

std::vector<Feature> to_features(const CountySplit& split) {
    std::vector<Feature> out;
    for (const auto& t : split.rows) {
        Feature f;
        f.attributes = {{"indicator_id", t.indicator_id}, {"county", t.county}, {"target", t.target},
                        {"base", t.base ? Value{*t.base} : Value{}}, {"source", t.source.empty() ? Value{} : Value{t.source}},
                        {"row", std::int64_t{t.row}}};
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::string> plan_counties(const store::PlanStore& store) {
    std::vector<std::string> out;
    bool present = false;
    for (const auto& l : store.layers()) present |= l.id == "admin_counties";
    if (!present) return out;
    for (const Feature& f : store.read("admin_counties"))
        if (auto n = f.text("name_zh"); !n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
}

AnnualData county_data(const AnnualData& all, const std::string& county) {
    AnnualData out;
    std::set<std::string> ids;
    for (const auto& m : all.mines)
        if (m.county == county) {
            out.mines.push_back(m);
            ids.insert(m.mine_id);
        }
    for (const auto& y : all.years)
        if (ids.count(y.mine_id)) out.years.push_back(y);
    return out;
}

std::vector<std::string> monitored_counties(const AnnualData& data, const CountySplit& split,
                                            const std::vector<std::string>& plan_counties) {
    std::set<std::string> named;
    for (const auto& m : data.mines)
        if (!m.county.empty()) named.insert(m.county);
    for (const auto& r : split.rows) named.insert(r.county);
    std::vector<std::string> out;
    for (const auto& c : plan_counties)
        if (named.erase(c)) out.push_back(c);
    out.insert(out.end(), named.begin(), named.end());
    return out;
}

CountyEvaluation evaluate_county(const IndicatorSet& set, const Standards& st, const AnnualData& all, int year,
                                 const std::string& county, const CountySplit& split, const ExternalMeasure& external) {
    CountyEvaluation out;
    std::vector<IndicatorDef> defs;
    std::set<std::string>& unallocated = out.unallocated;
    for (const auto& d : set.indicators()) {
        IndicatorDef c = d;
        if (const auto* t = split.find(d.id, county)) {
            c.target_2025 = t->target;
            c.base_2020 = t->base;
            c.base_source = t->source;
        } else if (!is_intensive_measure(d.measure)) {
            unallocated.insert(d.id);
            c.base_2020.reset();  // the city's base is not the county's
            c.base_source.clear();
        }
        defs.push_back(std::move(c));
    }
    out.county = county;
    auto cs = std::make_shared<const IndicatorSet>(set.with_definitions(std::move(defs)));
    out.set = cs;
    out.ev = evaluate_year(*cs, st, county_data(all, county), year, external);
    for (auto& r : out.ev.results) {
        const IndicatorDef& d = *r.def;
        const bool countyless_data =
            d.measure == "new_resources" &&
            std::any_of(all.exploration.begin(), all.exploration.end(), [&](const ExplorationResult& e) {
                return e.year <= year && counted_here(d, e.mineral);
            });
        if (countyless_data) {
            r.status = Status::Manual;
            r.rule = "需人工核查：勘查成果（勘查项目）不带行政区，无法分县统计；县级值只含本县矿山报送的新增查明资源量";
        } else if (unallocated.count(d.id) && r.status != Status::NoData && r.status != Status::Manual) {
            r.status = Status::Manual;
            r.rule = "需人工核查：该指标未分解到" + county + "（指标分解表无此行），县级实际值仅供参考";
        } else if (unallocated.count(d.id) && r.status == Status::NoData) {
            r.rule = "未分解到" + county + "，且本年度没有本县数据";
        }
        if (const auto* t = split.find(d.id, county))
            r.notes.push_back("县级分解目标 " + format_number(t->target, 4) + " " + d.unit + (t->source.empty() ? "" : "（" + t->source + "）"));
        else if (is_intensive_measure(d.measure))
            r.notes.push_back("比例/平均指标：全市目标适用于各县区");
    }
    return out;
}

TableView split_table(const CountySplit& split, const IndicatorSet& set) {
    TableView t;
    t.sheet_name = "指标分解";
    t.title = fmt::format("规划指标分解到县区（{}行）", split.rows.size());
    t.headers = {"指标编号", "指标", "县区", "分解目标", "单位", "基期值", "全市目标", "来源"};
    for (const auto& r : split.rows) {
        const IndicatorDef* d = nullptr;
        for (const auto& i : set.indicators())
            if (i.id == r.indicator_id) d = &i;
        t.rows.push_back({Cell::of(r.indicator_id), Cell::of(d ? d->name_zh : ""), Cell::of(r.county), Cell::num(r.target, 4),
                          Cell::of(d ? d->unit : ""), Cell::opt(r.base, 4), d ? Cell::num(d->target_2025, 4) : Cell::of(""),
                          Cell::of(r.source)});
    }
    t.notes.push_back("第七章一：分解规划确定的主要指标并纳入年度计划指标体系。比例/平均指标未分解时以全市目标为准；"
                      "总量/个数指标未分解的县区需人工核查。");
    if (split.rows.empty()) t.notes.push_back("指标分解表为空：规划文本未给出县区分解数值，请由规划编制单位填写后用 minplan allocation import 导入。");
    return t;
}

TableView county_table(const std::vector<CountyEvaluation>& counties) {
    TableView t;
    t.sheet_name = "分县监测";
    t.title = counties.empty() ? "分县指标监测" : fmt::format("{}年度分县指标监测", counties.front().ev.year);
    t.headers = {"县区", "编号", "指标", "单位", "县级目标", "实际", "状态", "判定依据"};
    for (const auto& c : counties)
        for (const auto& r : c.ev.results) {
            const IndicatorDef& d = *r.def;
            const bool allocated = !c.unallocated.count(d.id);
            Cell status = Cell::of(to_zh(r.status));
            status.style = to_key(r.status);
            t.rows.push_back({Cell::of(c.county), Cell::of(d.id), Cell::of(d.name_zh), Cell::of(d.unit),
                              allocated ? Cell::num(d.target_2025, 4) : Cell::of("未分解"), Cell::opt(r.actual, 4, "—"), status,
                              Cell::of(r.rule)});
        }
    t.notes.push_back("县级数据：矿山按矿山名录“所在行政区”归县；勘查成果与遥感监测范围不带行政区，分县需人工核查。");
    return t;
}

}  // namespace minplan::monitor
