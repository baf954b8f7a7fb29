#include "monitor/reserves.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/error.hpp"
#include "monitor/annual.hpp"
#include "standards/loader.hpp"
#include "standards/units.hpp"

namespace minplan::monitor {
namespace {

constexpr const char* kOpeningTable = "zl01_resources_by_mineral";  // 专栏1
constexpr const char* kSeedTextTable = "ch1_resources_text";        // chapter 1's figures in the text
// Printed figures are rounded (专栏1 to one decimal where the text gives three): two figures closer than
// this share of the larger agree.
constexpr double kRoundingShare = 1e-4;

bool has_layer(const store::PlanStore& store, const std::string& id) {
    for (const auto& l : store.layers())
        if (l.id == id) return true;
    return false;
}

bool agree(double a, double b) { return std::fabs(a - b) <= kRoundingShare * std::max(std::fabs(a), std::fabs(b)); }

std::string fmt_num(double v) { return format_number(v, 3); }

struct Flow {
    int year;
    std::string mineral, unit, basis, what;  // `what` names the intake row for messages
    double discovered, consumed;
    double adjusted = 0;  // 核减 (−) / 重算 (+)
};

class Roller {
public:
    explicit Roller(const store::PlanStore& store) : store_(store) {
        try {
            names_ = standards::Standards::from_store(store).minerals;
        } catch (const Error&) {
        }
    }

    std::string canonical(const std::string& m) const { return names_.canonical(m).value_or(m); }

    // 专栏1: the opening balances.
    std::vector<LedgerLine> opening(std::vector<LedgerDiscrepancy>& out) {
        std::vector<LedgerLine> lines;
        if (!has_layer(store_, kOpeningTable)) return lines;
        for (const Feature& f : store_.read(kOpeningTable)) {
            LedgerLine l;
            l.mineral = f.text("mineral");
            l.measure = f.text("measure");
            l.unit = f.text("unit");
            l.opening = as_number(f.get("reserves"));
            if (!l.opening)
                out.push_back({"seed", 0, l.mineral, fmt::format("专栏1“{}”{}未给出保有资源储量，台账中该矿种期初未知", l.mineral, l.measure)});
            l.closing = l.opening;
            lines.push_back(std::move(l));
        }
        return lines;
    }

    // The seed against itself: chapter 1's text figures (全部 = the sum of its parts; 专栏1 = one of them).
    void seed_checks(const std::vector<LedgerLine>& lines, std::vector<LedgerDiscrepancy>& out) {
        if (!has_layer(store_, kSeedTextTable)) return;
        struct Figure {
            std::string scope, unit;
            double value;
        };
        std::map<std::string, std::vector<Figure>> by_mineral;
        std::map<std::string, std::string> printed;
        for (const Feature& f : store_.read(kSeedTextTable)) {
            if (f.text("figure") != "保有资源量") continue;
            auto v = as_number(f.get("value"));
            if (!v) continue;
            const std::string key = canonical(f.text("mineral"));
            by_mineral[key].push_back({f.text("scope"), f.text("unit"), *v});
            printed.emplace(key, f.text("mineral"));
        }
        for (const auto& [key, figures] : by_mineral) {
            const Figure* whole = nullptr;
            double parts = 0;
            int n_parts = 0;
            for (const auto& fig : figures)
                if (fig.scope == "全部") whole = &fig;
                else parts += fig.value, ++n_parts;
            if (whole && n_parts >= 2 && !agree(whole->value, parts))
                out.push_back({"seed", 0, printed[key],
                               fmt::format("第一章文字：“{}”保有资源量全部 {} {} ≠ 各部分之和 {} {}", printed[key], fmt_num(whole->value), whole->unit,
                                           fmt_num(parts), whole->unit)});
            const LedgerLine* line = nullptr;
            int matches = 0;
            for (const auto& l : lines)
                if (canonical(l.mineral) == key) line = &l, ++matches;
            if (matches != 1 || !line->opening) continue;
            bool found = false;
            std::string listed;
            for (const auto& fig : figures) {
                try {
                    found = found || agree(*line->opening, standards::convert(fig.value, fig.unit, "", line->unit, "", "保有资源量"));
                } catch (const InputError&) {
                }
                listed += (listed.empty() ? "" : "；") + fig.scope + " " + fmt_num(fig.value) + " " + fig.unit;
            }
            if (!found)
                out.push_back({"seed", 0, line->mineral,
                               fmt::format("专栏1“{}”保有资源储量 {} {} 与第一章文字不符（{}）", line->mineral, fmt_num(*line->opening), line->unit, listed)});
        }
    }

    std::vector<Flow> flows(const AnnualData& data) {
        std::vector<Flow> out;
        for (const auto& e : data.exploration)
            out.push_back({e.year, e.mineral, e.unit, e.basis, fmt::format("勘查成果 {} {}年", e.project_id, e.year), e.new_resources, 0});
        for (const auto& y : data.years)
            if (y.reserves_new || y.reserves_consumed || y.reserves_adjusted)
                out.push_back({y.year, y.mineral, y.reserves_unit, "", fmt::format("矿山年报 {} {}年", y.mine_id, y.year), y.reserves_new.value_or(0),
                               y.reserves_consumed.value_or(0), y.reserves_adjusted.value_or(0)});
        return out;
    }

    // Adds one intake figure to the year's line of its mineral; what does not fit is listed instead.
    void apply(const Flow& f, std::vector<LedgerLine>& lines, std::vector<LedgerDiscrepancy>& out) {
        const std::string key = canonical(f.mineral);
        std::vector<LedgerLine*> candidates;
        for (auto& l : lines)
            if (canonical(l.mineral) == key) candidates.push_back(&l);
        if (candidates.size() > 1) {
            std::vector<LedgerLine*> same_basis;
            for (auto* l : candidates)
                if (!f.basis.empty() && l->measure == f.basis) same_basis.push_back(l);
            if (same_basis.size() != 1) {
                out.push_back({"unit", f.year, f.mineral, fmt::format("{}：专栏1“{}”有多个口径，无法判定计入哪一项（未计入）", f.what, f.mineral)});
                return;
            }
            candidates = same_basis;
        }
        LedgerLine* line = candidates.empty() ? nullptr : candidates.front();
        if (!line) {
            out.push_back({"unknown_mineral", f.year, f.mineral,
                           fmt::format("{}：专栏1未列“{}”的保有资源储量，无期初余额，只记当年变动", f.what, f.mineral)});
            lines.push_back({f.mineral, "", f.unit, std::nullopt, std::nullopt, 0, 0, 0});
            line = &lines.back();
        }
        try {
            const double k = standards::convert(1.0, f.unit, f.basis, line->unit, line->measure, f.what);
            line->discovered += f.discovered * k;
            line->consumed += f.consumed * k;
            line->adjusted += f.adjusted * k;
        } catch (const InputError& e) {
            out.push_back({"unit", f.year, f.mineral, fmt::format("{}：单位“{}”无法换算为专栏1的“{}”（未计入）：{}", f.what, f.unit, line->unit, e.what())});
        }
    }

private:
    const store::PlanStore& store_;
    standards::MineralNames names_;
};

}  // namespace

const LedgerYear* ReservesLedger::year(int y) const {
    for (const auto& ly : years)
        if (ly.year == y) return &ly;
    return nullptr;
}

ReservesLedger reserves_ledger(const store::PlanStore& store, std::optional<int> until) {
    return reserves_ledger(store, load_annual(store), until);
}

ReservesLedger reserves_ledger(const store::PlanStore& store, const AnnualData& data, std::optional<int> until) {
    ReservesLedger ledger;
    ledger.base_year = std::stoi(store.metadata("base_year").value_or("2020"));
    Roller roller(store);
    std::vector<LedgerLine> lines = roller.opening(ledger.discrepancies);
    roller.seed_checks(lines, ledger.discrepancies);
    const auto flows = roller.flows(data);
    int last = ledger.base_year + 1;
    for (const auto& f : flows) last = std::max(last, f.year);
    if (until) {
        if (*until <= ledger.base_year)
            throw InputError(fmt::format("年度 {} 应晚于规划基期 {} 年（专栏1为{}年末保有量）", *until, ledger.base_year, ledger.base_year));
        last = *until;
    }
    for (int y = ledger.base_year + 1; y <= last; ++y) {
        for (auto& l : lines) {
            l.opening = l.closing;  // last year's closing
            l.discovered = l.consumed = l.adjusted = 0;
        }
        for (const auto& f : flows)
            if (f.year == y) roller.apply(f, lines, ledger.discrepancies);
        for (auto& l : lines) {
            l.closing = l.opening ? std::optional<double>(*l.opening + l.discovered - l.consumed + l.adjusted) : std::nullopt;
            if (l.closing && *l.closing < 0)
                ledger.discrepancies.push_back({"negative", y, l.mineral,
                                                fmt::format("{}年“{}”期末保有量为负：{} + {} − {}{} = {} {}", y, l.mineral, fmt_num(*l.opening), fmt_num(l.discovered),
                                                            fmt_num(l.consumed),
                                                            l.adjusted == 0 ? std::string() : (l.adjusted < 0 ? " − " : " + ") + fmt_num(std::fabs(l.adjusted)),
                                                            fmt_num(*l.closing), l.unit)});
        }
        ledger.years.push_back({y, lines});
    }
    return ledger;
}

std::vector<std::string> new_negative_balances(const store::PlanStore& store, const AnnualData& before, const AnnualData& after) {
    auto negatives = [](const ReservesLedger& l) {
        std::map<std::string, const LedgerDiscrepancy*> first;  // mineral → the first year it goes below zero
        for (const auto& d : l.discrepancies)
            if (d.kind == "negative") first.emplace(d.mineral, &d);
        return first;
    };
    int last = 0;
    for (const auto& y : after.years) last = std::max(last, y.year);
    for (const auto& e : after.exploration) last = std::max(last, e.year);
    const int base = std::stoi(store.metadata("base_year").value_or("0"));
    if (last <= base) return {};
    const auto was = reserves_ledger(store, before, last), now = reserves_ledger(store, after, last);
    const auto old_negatives = negatives(was);
    std::vector<std::string> problems;
    Roller names(store);
    for (const auto& [mineral, d] : negatives(now)) {
        if (old_negatives.count(mineral)) continue;  // already below zero before this intake: listed by the ledger
        std::string rows;
        for (const auto& y : after.years)
            if (y.year == d->year && names.canonical(y.mineral) == names.canonical(mineral)) {
                if (y.reserves_consumed)
                    rows += (rows.empty() ? "" : "、") + fmt::format("矿山年报 {} {}年 动用 {} {}", y.mine_id, y.year, fmt_num(*y.reserves_consumed), y.reserves_unit);
                if (y.reserves_adjusted && *y.reserves_adjusted < 0)
                    rows += (rows.empty() ? "" : "、") + fmt::format("矿山年报 {} {}年 核减 {} {}", y.mine_id, y.year, fmt_num(-*y.reserves_adjusted), y.reserves_unit);
            }
        problems.push_back(fmt::format("{}（{}）：动用与核减超过专栏1（{}年末保有资源储量）滚动后的余额，请核对动用、核减资源储量或先报送新增查明 / "
                                       "a balance would go below zero",
                                       d->message_zh, rows.empty() ? "当年动用" : rows, was.base_year));
    }
    return problems;
}

namespace {

nlohmann::json opt_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json reserves_json(const ReservesLedger& ledger, std::optional<int> year) {
    nlohmann::json years = nlohmann::json::array();
    for (const auto& y : ledger.years) {
        if (year && y.year != *year) continue;
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& l : y.lines)
            lines.push_back({{"mineral", l.mineral}, {"measure", l.measure}, {"unit", l.unit}, {"opening", opt_json(l.opening)},
                             {"discovered", l.discovered}, {"consumed", l.consumed}, {"adjusted", l.adjusted}, {"closing", opt_json(l.closing)}});
        years.push_back({{"year", y.year}, {"lines", lines}});
    }
    nlohmann::json discrepancies = nlohmann::json::array();
    for (const auto& d : ledger.discrepancies)
        discrepancies.push_back({{"kind", d.kind}, {"year", d.year}, {"mineral", d.mineral}, {"message_zh", d.message_zh}});
    return {{"base_year", ledger.base_year}, {"years", years}, {"discrepancies", discrepancies},
            {"note_zh", "期末 = 期初 + 新增查明 − 动用 ± 核减/重算（矿山年报“核减重算资源储量”，核减为负）"}};
}

TableView reserves_table(const ReservesLedger& ledger, int year) {
    const LedgerYear* y = ledger.year(year);
    if (!y) throw NotFoundError(fmt::format("台账中没有{}年（{}–{}）/ year not in the ledger", year, ledger.base_year + 1,
                                            ledger.years.empty() ? ledger.base_year : ledger.years.back().year));
    TableView t;
    t.sheet_name = fmt::format("保有资源储量{}", year);
    t.title = fmt::format("专栏1 主要矿产保有资源储量（{}年末，由{}年专栏1滚动）", year, ledger.base_year);
    t.headers = {"矿种", "口径", "单位", "年初保有", "新增查明", "动用", "年末保有", "核减/重算"};
    for (const auto& l : y->lines)
        t.rows.push_back({Cell::of(l.mineral), Cell::of(l.measure), Cell::of(l.unit), Cell::opt(l.opening, 3, "未知"), Cell::num(l.discovered, 3),
                          Cell::num(l.consumed, 3), Cell::opt(l.closing, 3, "未知"), Cell::num(l.adjusted, 3)});
    t.notes.push_back("期末 = 期初 + 新增查明 − 动用 ± 核减/重算（勘查成果、矿山年报；核减为负数）。");
    int shown = 0;
    for (const auto& d : ledger.discrepancies)
        if (d.year == 0 || d.year <= year) ++shown;
    if (shown) t.notes.push_back(fmt::format("不一致之处 {} 项，见“台账差异”。", shown));
    return t;
}

TableView reserves_discrepancies_table(const ReservesLedger& ledger) {
    TableView t;
    t.sheet_name = "台账差异";
    t.title = "保有资源储量台账差异（未计入余额，需核实）";
    t.headers = {"年度", "矿种", "类别", "说明"};
    static const std::map<std::string, std::string> kinds = {
        {"seed", "规划文本不一致"}, {"unknown_mineral", "专栏1未列矿种"}, {"unit", "单位或口径不符"}, {"negative", "余额为负"}};
    for (const auto& d : ledger.discrepancies)
        t.rows.push_back({d.year ? Cell::num(d.year, 0) : Cell::of("基期"), Cell::of(d.mineral), Cell::of(kinds.at(d.kind)), Cell::of(d.message_zh)});
    return t;
}

}  // namespace minplan::monitor
