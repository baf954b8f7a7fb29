#include "services/release.hpp"
#include "services/release_quota.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "formats/sheet_reader.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "rules/rule_set.hpp"
#include "standards/loader.hpp"
#include "standards/units.hpp"
#include "store/history.hpp"

namespace minplan::services {
namespace {

constexpr double kMinOverlapKm2 = 1e-6;  // 1 m²: below, two polygons only touch (numerical noise)

const std::map<std::string, std::vector<std::string>> kColumns = {
    {"block_id", {"区块编号", "规划区块编号", "block_id"}}, {"kind", {"区块类型", "类型", "kind"}},
    {"mineral", {"矿种", "主矿种", "mineral"}},            {"method", {"出让方式", "method"}},
    {"protocol_reason", {"协议出让理由", "protocol_reason"}}, {"planned_date", {"计划出让时间", "计划时间", "planned_date"}},
    {"capacity", {"拟设生产规模", "生产规模", "capacity"}}, {"capacity_unit", {"规模单位", "生产规模单位", "capacity_unit"}},
};

// YYYY-MM or YYYY-MM-DD, a calendar date (store::parse_date) in `year`.
bool valid_date(const std::string& d, int year) {
    try {
        store::parse_date(d.size() == 7 ? d + "-01" : d, "计划出让时间");
    } catch (const InputError&) {
        return false;
    }
    return std::stoi(d.substr(0, 4)) == year;
}

// The plan's clauses and allowed protocol reasons (rules.json settings.release).
struct ReleaseSettings {
    std::map<std::string, std::string> clauses;  // by rule id
    std::map<std::string, std::string> protocol_reasons;  // reason → clause that allows it
    static ReleaseSettings from(const nlohmann::json& settings) {
        ReleaseSettings r;
        if (!settings.is_object() || !settings.contains("release")) return r;
        const auto& s = settings["release"];
        if (!s.is_object()) throw InputError("规则文件 settings.release 应为对象 / must be an object");
        if (s.contains("clauses"))
            for (auto& [id, text] : s["clauses"].items()) {
                if (!text.is_string()) throw InputError("规则文件 settings.release.clauses." + id + " 应为文本");
                r.clauses[id] = text.get<std::string>();
            }
        if (s.contains("protocol_reasons"))
            for (const auto& p : s["protocol_reasons"]) {
                if (!p.is_object() || !p.contains("reason_zh") || !p["reason_zh"].is_string())
                    throw InputError("规则文件 settings.release.protocol_reasons 的每项应有 reason_zh 文本");
                r.protocol_reasons[p["reason_zh"].get<std::string>()] = p.value("clause_zh", "");
            }
        return r;
    }
    std::string clause(const std::string& id) const {
        auto it = clauses.find(id);
        return it == clauses.end() ? std::string() : it->second;
    }
};

class Checker {
public:
    Checker(const store::PlanStore& store, const ReleasePlan& plan, ReleaseReport& report)
        : store_(store), plan_(plan), report_(report) {
        settings_ = ReleaseSettings::from(rules::RuleSet::from_store(store).settings);
        try {
            names_ = standards::Standards::from_store(store).minerals;
        } catch (const Error&) {
        }
    }

    void run() {
        std::map<std::string, int> exploration_rows;  // block → first row releasing it
        for (const ReleaseEntry& e : plan_.entries) {
            const char* layer = e.kind == ReleaseKind::Exploration ? "exploration_blocks" : "mining_blocks";
            store::Query q;
            q.filters.push_back({"block_id", "=", e.block_id});
            auto blocks = store_.read(layer, q);
            if (blocks.empty()) {
                add(e, "RP1", ReleaseVerdict::Fail,
                    fmt::format("规划中没有{}“{}”：只能投放规划划定的区块", e.kind == ReleaseKind::Exploration ? "勘查规划区块" : "开采规划区块", e.block_id),
                    "RP1");
                continue;
            }
            const Feature& block = blocks.front();
            add(e, "RP1", ReleaseVerdict::Pass, "区块在现行规划中", "RP1");
            check_mineral(e, block);
            check_method(e);
            if (e.kind == ReleaseKind::Exploration) {
                auto [it, first] = exploration_rows.emplace(e.block_id, e.row);
                if (!first)
                    add(e, "RP4", ReleaseVerdict::Fail, fmt::format("同一勘查规划区块在第{}行已列入投放计划：一个勘查规划区块原则上只设一个勘查主体", it->second), "RP4");
                else
                    check_existing_exploration(e, block);
                check_key_zone(e, block);
            }
        }
        add_manual_quotas();
        std::stable_sort(report_.findings.begin(), report_.findings.end(),
                         [](const ReleaseFinding& a, const ReleaseFinding& b) { return a.row < b.row; });
        report_.overall = ReleaseVerdict::Pass;
        for (const auto& f : report_.findings)
            if (f.verdict == ReleaseVerdict::Fail) report_.overall = ReleaseVerdict::Fail;
            else if (f.verdict == ReleaseVerdict::Manual && report_.overall == ReleaseVerdict::Pass) report_.overall = ReleaseVerdict::Manual;
    }

private:
    void add(const ReleaseEntry& e, const std::string& rule, ReleaseVerdict v, std::string message, const std::string& clause_id) {
        std::string clause = settings_.clause(clause_id);
        if (clause.empty() && v != ReleaseVerdict::Pass) {
            if (v == ReleaseVerdict::Fail) v = ReleaseVerdict::Manual;  // no clause in the plan's data: not a veto
            message += "（规划数据未给出该项依据条款，需人工核查）";
        }
        report_.findings.push_back({e.row, e.block_id, rule, v, std::move(message), std::move(clause)});
    }

    void check_mineral(const ReleaseEntry& e, const Feature& block) {
        const auto planned = names_.names_in(block.text("mineral"));
        const auto released = names_.names_in(e.mineral);
        const bool same = !released.empty() && std::all_of(released.begin(), released.end(), [&](const auto& m) { return planned.count(m); });
        if (same)
            add(e, "RP2", ReleaseVerdict::Pass, "矿种与区块规划矿种一致", "RP2");
        else
            add(e, "RP2", ReleaseVerdict::Fail, fmt::format("投放矿种“{}”与区块规划矿种“{}”不一致：不得变更规划区块的主矿种", e.mineral, block.text("mineral")), "RP2");
    }

    void check_method(const ReleaseEntry& e) {
        if (e.method != "协议") {
            add(e, "RP3", ReleaseVerdict::Pass, "以" + e.method + "方式公开竞争出让", "RP3");
            return;
        }
        auto it = settings_.protocol_reasons.find(e.protocol_reason);
        if (e.protocol_reason.empty())
            add(e, "RP3", ReleaseVerdict::Fail, "协议出让未写明理由：规划要求采取招标、拍卖、挂牌方式，严格控制（限制）协议出让", "RP3");
        else if (it == settings_.protocol_reasons.end())
            add(e, "RP3", ReleaseVerdict::Fail, "协议出让理由“" + e.protocol_reason + "”不在规划允许的情形之内：规划要求采取招标、拍卖、挂牌方式", "RP3");
        else
            report_.findings.push_back({e.row, e.block_id, "RP3", ReleaseVerdict::Pass, "协议出让属规划允许的情形：" + e.protocol_reason, it->second});
    }

    std::optional<geo::Geometry> geometry(const Feature& f) {
        if (f.wkb.empty()) return std::nullopt;
        auto g = geo::Geometry::from_wkb(f.wkb);
        if (g.is_empty()) return std::nullopt;
        return g;
    }

    void check_existing_exploration(const ReleaseEntry& e, const Feature& block) {
        auto g = geometry(block);
        if (!g) {
            add(e, "RP4", ReleaseVerdict::Manual, "区块没有几何，无法核对是否已设探矿权", "RP4");
            return;
        }
        const auto env = g->envelope();
        std::vector<std::string> held;
        for (const Feature& r : store_.features_in("mineral_rights", {env.min_x, env.min_y, env.max_x, env.max_y})) {
            if (r.text("kind") != "exploration") continue;
            auto rg = geometry(r);
            if (!rg || !g->intersects(*rg)) continue;
            if (geo::ellipsoidal_area_km2(g->intersection(*rg)) > kMinOverlapKm2) held.push_back(r.text("right_id") + " " + r.text("holder"));
        }
        const bool schematic = block.text(kGeometrySourceField) == kSchematic;
        if (held.empty())
            add(e, "RP4", schematic ? ReleaseVerdict::Manual : ReleaseVerdict::Pass,
                schematic ? "示意几何，不能据此判定区块内是否已设探矿权" : "区块内没有已设探矿权", "RP4");
        else {
            std::string list;
            for (const auto& h : held) list += (list.empty() ? "" : "、") + h;
            add(e, "RP4", schematic ? ReleaseVerdict::Manual : ReleaseVerdict::Fail,
                (schematic ? "示意几何，不能据此判定：" : "") + std::string("区块内已有探矿权 ") + list + "：一个勘查规划区块原则上只设一个勘查主体", "RP4");
        }
    }

    void check_key_zone(const ReleaseEntry& e, const Feature& block) {
        auto g = geometry(block);
        if (!g) return;
        if (!key_zones_) {
            key_zones_.emplace();
            for (const Feature& z : store_.read("key_exploration_zones"))
                if (auto zg = geometry(z)) key_zones_->push_back({z.text("name"), std::move(*zg), z.text(kGeometrySourceField) == kSchematic});
        }
        if (key_zones_->empty()) return;  // the plan has no key exploration zones
        bool schematic = block.text(kGeometrySourceField) == kSchematic;
        std::string inside;
        for (const auto& z : *key_zones_)
            if (g->intersects(z.geometry) && geo::ellipsoidal_area_km2(g->intersection(z.geometry)) > kMinOverlapKm2) {
                inside = z.name;
                schematic = schematic || z.schematic;
            }
        if (schematic)
            add(e, "RP5", ReleaseVerdict::Manual, "示意几何，不能据此判定区块是否位于重点勘查区", "RP5");
        else if (!inside.empty())
            add(e, "RP5", ReleaseVerdict::Pass, "区块位于重点勘查区“" + inside + "”", "RP5");
        else
            add(e, "RP5", ReleaseVerdict::Advice, "区块不在重点勘查区内：探矿权优先投放重点勘查区，请说明安排理由", "RP5");
    }

    void add_manual_quotas() {
        const auto stored = load_release_plans(store_);
        QuotaInputs in{store_, plan_, stored, names_, 0, 9999, "", "mineral_rights"};
        if (auto p = store_.metadata("period_start")) in.first_year = std::stoi(*p);
        if (auto p = store_.metadata("period_end")) in.last_year = std::stoi(*p);
        in.clause_zh = settings_.clause("RP6");
        for (auto& f : check_release_quotas(in)) report_.findings.push_back(std::move(f));
    }

    struct KeyZone {
        std::string name;
        geo::Geometry geometry;
        bool schematic;
    };
    const store::PlanStore& store_;
    const ReleasePlan& plan_;
    ReleaseReport& report_;
    ReleaseSettings settings_;
    standards::MineralNames names_;  // empty: names compared as written
    std::optional<std::vector<KeyZone>> key_zones_;
};

}  // namespace

ReleasePlan read_release_plan(const std::filesystem::path& file, int year) {
    const formats::TextSheet sheet = formats::read_table_file(file);
    const std::string where = file.filename().string();
    if (sheet.rows.empty()) throw InputError(where + "：文件为空，应有表头行（区块编号、区块类型、矿种、出让方式…）/ empty file");
    const auto& header = sheet.rows.front();
    const formats::HeaderColumns columns(header, kColumns);
    std::vector<std::string> problems;
    for (const char* required : {"block_id", "kind", "mineral", "method"})
        if (!columns.has(required))
            problems.push_back(fmt::format("{} 第{}行：缺少“{}”列 / missing column {}", where, header.number, kColumns.at(required).front(), required));
    if (!problems.empty()) throw ProblemsError(where + "：投放计划表头不完整 / incomplete header", problems);

    ReleasePlan plan;
    plan.year = year;
    plan.source = file.string();
    for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& row = sheet.rows[r];
        auto cell = [&](const char* field) { return columns.cell(row, field); };
        auto problem = [&](const char* field, const std::string& what) {
            problems.push_back(fmt::format("{} 第{}行“{}”列：{}", where, row.number, kColumns.at(field).front(), what));
        };
        ReleaseEntry e;
        e.row = row.number;
        e.block_id = cell("block_id");
        if (e.block_id.empty()) problem("block_id", "不能为空 / required");
        const std::string kind = cell("kind");
        if (kind == "勘查" || kind == "探矿权" || kind == "exploration") e.kind = ReleaseKind::Exploration;
        else if (kind == "开采" || kind == "采矿权" || kind == "mining") e.kind = ReleaseKind::Mining;
        else problem("kind", "应为“勘查”或“开采”，实际为“" + kind + "”");
        e.mineral = cell("mineral");
        if (e.mineral.empty()) problem("mineral", "不能为空 / required");
        e.method = cell("method");
        for (const char* suffix : {"出让"})
            if (e.method.size() > 6 && e.method.compare(e.method.size() - 6, 6, suffix) == 0) e.method.resize(e.method.size() - 6);
        if (e.method != "招标" && e.method != "拍卖" && e.method != "挂牌" && e.method != "协议")
            problem("method", "应为 招标、拍卖、挂牌 或 协议，实际为“" + cell("method") + "”");
        e.protocol_reason = cell("protocol_reason");
        e.planned_date = cell("planned_date");
        if (!e.planned_date.empty() && !valid_date(e.planned_date, year))
            problem("planned_date", fmt::format("应为{}年内的日期（YYYY-MM 或 YYYY-MM-DD），实际为“{}”", year, e.planned_date));
        if (const auto c = cell("capacity"); !c.empty()) {
            double v = 0;
            auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
            if (ec != std::errc() || p != c.data() + c.size() || !std::isfinite(v) || v <= 0)
                problem("capacity", "应为正数（拟设生产规模），实际为“" + c + "”");
            else
                e.capacity = v;
            e.capacity_unit = cell("capacity_unit");
            if (e.capacity && !standards::find_unit(e.capacity_unit))
                problem("capacity_unit", "填写了拟设生产规模，应给出规模单位（如 万吨/年、万立方米/年），实际为“" + e.capacity_unit + "”");
        }
        plan.entries.push_back(std::move(e));
    }
    if (!problems.empty()) throw ProblemsError(where + "：投放计划有误，未作审查 / the release plan has errors", problems);
    if (plan.entries.empty()) throw InputError(where + "：投放计划没有数据行 / no rows");
    return plan;
}

ReleaseReport check_release_plan(const store::PlanStore& store, const ReleasePlan& plan) {
    ReleaseReport report;
    report.plan = plan;
    Checker(store, plan, report).run();
    return report;
}

const char* release_verdict_zh(ReleaseVerdict v) {
    switch (v) {
        case ReleaseVerdict::Pass: return "符合";
        case ReleaseVerdict::Fail: return "不符合";
        case ReleaseVerdict::Manual: return "需人工核查";
        case ReleaseVerdict::Advice: return "提示";
    }
    return "";
}

const char* release_verdict_key(ReleaseVerdict v) {
    switch (v) {
        case ReleaseVerdict::Pass: return "pass";
        case ReleaseVerdict::Fail: return "fail";
        case ReleaseVerdict::Manual: return "manual";
        case ReleaseVerdict::Advice: return "advice";
    }
    return "";
}

nlohmann::json release_report_json(const ReleaseReport& report) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : report.findings)
        findings.push_back({{"row", f.row}, {"block_id", f.block_id}, {"rule_id", f.rule_id}, {"verdict", release_verdict_key(f.verdict)},
                            {"verdict_zh", release_verdict_zh(f.verdict)}, {"message_zh", f.message_zh}, {"clause_zh", f.clause_zh}});
    return {{"year", report.plan.year}, {"source", report.plan.source}, {"entries", report.plan.entries.size()},
            {"overall", release_verdict_key(report.overall)}, {"overall_zh", release_verdict_zh(report.overall)}, {"findings", findings}};
}

TableView release_report_table(const ReleaseReport& report) {
    TableView t;
    t.sheet_name = "投放计划审查";
    t.title = fmt::format("{}年度矿业权投放计划规划符合性审查（结论：{}）", report.plan.year, release_verdict_zh(report.overall));
    t.headers = {"行", "区块编号", "审查项", "结论", "说明", "规划依据"};
    for (const auto& f : report.findings)
        t.rows.push_back({f.row ? Cell::num(f.row, 0) : Cell::of("全表"), Cell::of(f.block_id), Cell::of(f.rule_id),
                          Cell{release_verdict_zh(f.verdict), std::nullopt, 0, release_verdict_key(f.verdict)}, Cell::of(f.message_zh),
                          Cell::of(f.clause_zh)});
    t.notes.push_back("审查项：RP1 区块在现行规划中；RP2 不变更主矿种；RP3 出让方式；RP4 一个勘查区块一个勘查主体；RP5 探矿权优先投放重点勘查区；RP6 重点勘查区、重点开采区拟设矿业权数，开采总量与矿山数上限（现有 + 拟设生产规模）。");
    t.notes.push_back("来源：" + report.plan.source);
    return t;
}

}  // namespace minplan::services
