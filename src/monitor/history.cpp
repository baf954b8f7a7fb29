#include "monitor/history.hpp"

#include <cmath>

#include "monitor/indicators.hpp"
#include "standards/loader.hpp"

namespace minplan::monitor {

namespace {

// Decimals needed to show `v` as printed (up to 4), e.g. 9343.274 → 3.
int decimals_of(double v) {
    for (int d = 0; d < 4; ++d)
        if (std::fabs(v * std::pow(10.0, d) - std::round(v * std::pow(10.0, d))) < 1e-6) return d;
    return 4;
}

}  // namespace

TableView regenerate_zl03(const store::PlanStore& store) {
    TableView t;
    t.sheet_name = "专栏3 十三五开采量";
    t.title = "专栏3　" + store.metadata("jurisdiction_zh").value_or("") + "十三五期间开采资源量统计表";
    t.headers = {"序号", "矿种", "类型", "统计对象", "单位", "2016年度", "2017年度", "2018年度", "2019年度", "2020年度", "累计", "备注"};
    t.units = {"", "", "", "", "", "", "", "", "", "", "", ""};
    const char* years[] = {"y2016", "y2017", "y2018", "y2019", "y2020"};
    for (const auto& f : store.read("zl03_extraction_by_year")) {
        std::vector<Cell> row = {Cell::opt(as_number(f.get("seq")), 0), Cell::of(f.text("mineral")), Cell::of(f.text("variety")),
                                 Cell::of(f.text("measure")), Cell::of(f.text("unit"))};
        double sum = 0;
        int dec = 2;
        for (const char* y : years) {
            auto v = as_number(f.get(y));
            sum += v.value_or(0);
            row.push_back(v ? Cell::num(*v, std::max(2, decimals_of(*v))) : Cell::of(""));
            if (v) dec = std::max(dec, decimals_of(*v));
        }
        // 累计 is recomputed; the seed prints it to 2 decimals.
        row.push_back(Cell::num(std::round(sum * 100) / 100, 2));
        row.push_back(Cell::of(f.text("remark")));
        if (auto seed = as_number(f.get("seed_cumulative")); seed && std::fabs(*seed - std::round(sum * 100) / 100) > 0.005)
            t.notes.push_back(f.text("mineral") + f.text("variety") + f.text("measure") + "：累计按年度数重算为 " +
                              format_number(sum, 4) + "，专栏3印 " + format_number(*seed, 2));
        t.rows.push_back(std::move(row));
    }
    t.notes.push_back("数据来源：规划数据库 ZL03_KCZYL（由专栏3载入）；累计列由各年度数重新计算。");
    return t;
}

TableView regenerate_zl04(const store::PlanStore& store) {
    TableView t;
    t.sheet_name = "专栏4 2020年指标";
    t.title = "专栏4　规划基期矿产资源开发与综合利用主要指标完成情况";
    t.headers = {"指标类别", "指标", "细项", "单位", "上轮规划目标", "完成情况", "属性", "达标情况"};
    t.units = {"", "", "", "", "", "", "", ""};
    // 专栏3's 2020 column for the same mineral, to cross-check 专栏4 (notes/part1-chapter1.md items 15–20).
    // Both sides are matched by the plan's mineral names (煤 and 煤炭（原煤） are both 煤炭; 石灰岩 + 水泥用 is
    // 水泥用灰岩), so that no mineral name is written here.
    const auto minerals = standards::Standards::from_store(store).minerals;
    auto canonical = [&](const std::string& name) { return minerals.canonical(name).value_or(""); };
    std::vector<std::pair<std::string, double>> zl03_2020;  // canonical mineral → 2020 amount
    for (const auto& f : store.read("zl03_extraction_by_year")) {
        auto v = as_number(f.get("y2020"));
        if (!v || f.text("unit") != "万吨") continue;
        const std::string mineral = f.text("mineral"), variety = f.text("variety");
        std::string name = variety.empty() ? canonical(mineral) : canonical(variety + mineral);
        if (name.empty()) name = canonical(mineral + variety);
        if (!name.empty()) zl03_2020.emplace_back(name, *v);
    }
    for (const auto& f : store.read("zl04_indicators_2020")) {
        auto target = as_number(f.get("target_value"));
        auto actual = as_number(f.get("actual_value"));
        auto lo = as_number(f.get("actual_min"));
        std::string verdict;
        const std::string op = f.text("target_operator");
        if (target && actual) verdict = (op == "≤" ? *actual <= *target : *actual >= *target) ? "达到" : "未达到";
        else if (target && lo && op.empty()) verdict = *lo >= *target ? "达到" : "部分矿山未达到（最低 " + format_number(*lo) + "）";
        else if (f.text("actual_printed") == "停采") verdict = "停采";
        std::vector<Cell> row = {Cell::of(f.text("indicator_group")), Cell::of(f.text("indicator")), Cell::of(f.text("sub_item")),
                                 Cell::of(f.text("unit")), Cell::of(f.text("target_printed")),
                                 actual ? Cell::num(*actual, decimals_of(*actual), f.text("actual_printed")) : Cell::of(f.text("actual_printed")),
                                 Cell::of(f.text("attribute")), Cell::of(verdict)};
        row.back().style = verdict == "达到" ? "met" : verdict.empty() || verdict == "停采" ? "" : "breached";
        t.rows.push_back(std::move(row));
        const std::string ind = f.text("indicator");
        const std::string ind_mineral = f.text("unit") == "万吨" ? canonical(ind) : std::string();
        for (const auto& [name, v] : zl03_2020) {
            if (!ind_mineral.empty() && name == ind_mineral && actual && std::fabs(*actual - v) > 0.5)
                t.notes.push_back(ind + "：专栏4 完成 " + f.text("actual_printed") + "，专栏3 2020年度为 " + format_number(v) +
                                  "（规划原文不一致，保留原值）");
        }
    }
    t.notes.push_back("数据来源：规划数据库 ZL04（由专栏4载入）；“达标情况”由 minplan 按上轮目标计算，非规划原文。");
    return t;
}

TableView regenerate_zl05_exploration(const store::PlanStore& store) {
    TableView t;
    t.sheet_name = "专栏5 十三五勘查";
    t.title = "专栏5　十三五期间矿产资源勘查主要指标完成情况";
    t.headers = {"指标", "矿种", "单位", "目标", "完成", "完成率", "属性"};
    t.units = {"", "", "", "", "", "%", ""};
    for (const auto& f : store.read("zl05_exploration_indicators")) {
        auto target = as_number(f.get("target_value"));
        auto actual = as_number(f.get("actual_value"));
        std::optional<double> pct;
        if (target && actual && *target > 0) pct = 100.0 * *actual / *target;
        t.rows.push_back({Cell::of(f.text("indicator_group")), Cell::of(f.text("indicator")), Cell::of(f.text("unit")),
                          Cell::opt(target, 0), Cell::opt(actual, 2), Cell::opt(pct, 1), Cell::of(f.text("attribute"))});
    }
    t.notes.push_back("数据来源：规划数据库（由第二个专栏5载入）；完成率由 minplan 计算。");
    return t;
}

}  // namespace minplan::monitor
