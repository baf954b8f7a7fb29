#include "monitor/intake.hpp"
#include "monitor/reserves.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "monitor/sheet.hpp"
#include "standards/units.hpp"
#include "store/plan_database.hpp"

namespace minplan::monitor {

namespace {

enum class Kind { Mines, MineYears, Exploration, Notes, Unknown };

std::string normalise_header(std::string h) {
    h = trim(h);
    while (!h.empty() && h.back() == '*') h.pop_back();
    for (const char* open : {"（", "("}) {
        auto p = h.find(open);
        if (p != std::string::npos && p > 0) h = h.substr(0, p);
    }
    return trim(h);
}

Kind kind_of(const Sheet& s) {
    if (s.name == "矿山名录") return Kind::Mines;
    if (s.name == "矿山年报") return Kind::MineYears;
    if (s.name == "勘查成果") return Kind::Exploration;
    if (s.name == "说明" || s.name == "填表说明") return Kind::Notes;
    std::set<std::string> h;
    for (const auto& x : s.header) h.insert(normalise_header(x));
    if (h.count("勘查项目编号")) return Kind::Exploration;
    if (h.count("矿山编号") && h.count("年度")) return Kind::MineYears;
    if (h.count("矿山编号") && h.count("矿山名称")) return Kind::Mines;
    return Kind::Unknown;
}

// Every problem is counted; the first kKeptProblems are kept as text (60 MiB of bad rows made 1.9 million
// messages, a third of the intake's 2.3 GB).
class ProblemList {
public:
    static constexpr std::size_t kKeptProblems = 1000;
    void push_back(std::string p) {
        if (++total_ <= kKeptProblems) kept_.push_back(std::move(p));
    }
    bool empty() const { return total_ == 0; }
    std::size_t size() const { return total_; }
    std::vector<std::string> take() { return std::move(kept_); }

private:
    std::vector<std::string> kept_;
    std::size_t total_ = 0;
};

// One row of one sheet, read by the schema's fields; every problem is recorded, none thrown.
class RowReader {
public:
    RowReader(const Sheet& s, const Sheet::Row& r, const TableSchema& schema, const std::map<std::string, std::size_t>& cols,
              ProblemList& problems)
        : s_(s), r_(r), schema_(schema), cols_(cols), problems_(problems) {}

    std::string where(const std::string& field) const {
        auto it = cols_.find(field);
        const FieldDef* f = schema_.field(field);
        std::string col = it == cols_.end() ? "" : column_letter(it->second) + "列";
        return s_.file + "［" + s_.name + "］第" + std::to_string(r_.number) + "行 " + col + "（" + (f ? f->alias_zh : field) + "）";
    }
    void problem(const std::string& field, const std::string& what) { problems_.push_back(where(field) + "：" + what); }
    std::string text(const std::string& field) const {
        auto it = cols_.find(field);
        if (it == cols_.end() || it->second >= r_.cells.size()) return {};
        return trim(r_.cells[it->second]);
    }
    std::string required(const std::string& field) {
        std::string t = text(field);
        if (t.empty()) problem(field, "必填，不能为空 / required");
        return t;
    }
    std::optional<double> number(const std::string& field, double min, double max, const std::string& range_text) {
        std::string t = text(field);
        if (t.empty()) return std::nullopt;
        if (!t.empty() && t.back() == '%') t.pop_back();
        double v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || p != t.data() + t.size()) {
            problem(field, "应为数值，实际为 \"" + t + "\" / expected a number");
            return std::nullopt;
        }
        // from_chars reads "nan", "-nan" and "inf", which no range test catches (NaN compares false):
        // they were stored as NULL, a silently lost value.
        if (!std::isfinite(v)) {
            problem(field, "应为有限数值，实际为 \"" + t + "\"（NaN/无穷大不是数值）/ expected a finite number");
            return std::nullopt;
        }
        if (v < min || v > max) {
            problem(field, "值 " + t + " 不合理，应为" + range_text + " / " + (v < 0 ? "negative value" : "out of range"));
            return std::nullopt;
        }
        return v;
    }
    std::optional<int> year(const std::string& field, int first, int last) {
        std::string t = required(field);
        if (t.empty()) return std::nullopt;
        int y = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), y);
        if (ec != std::errc() || p != t.data() + t.size()) {
            problem(field, "应为四位年份，实际为 \"" + t + "\"");
            return std::nullopt;
        }
        if (y < first || y > last) {
            problem(field, "年度 " + t + " 不在规划期 " + std::to_string(first) + "–" + std::to_string(last) + " 内 / year outside the plan period");
            return std::nullopt;
        }
        return y;
    }

private:
    const Sheet& s_;
    const Sheet::Row& r_;
    const TableSchema& schema_;
    const std::map<std::string, std::size_t>& cols_;
    ProblemList& problems_;
};

constexpr double kHuge = 1e15;

struct Validator {
    const IntakeContext& ctx;
    ProblemList problems;
    AnnualData out;
    std::map<std::string, std::string> first_seen;  // duplicate key → where first seen

    std::optional<std::string> mineral(RowReader& r, const std::string& field) {
        std::string raw = r.required(field);
        if (raw.empty()) return std::nullopt;
        auto c = ctx.standards->minerals.canonical(raw);
        if (!c) r.problem(field, "未知矿种 \"" + raw + "\"（不在 data/schema/minerals.csv 中）/ unknown mineral");
        return c;
    }
    // The unit must exist and be of the mineral's dimension (indicators.json mineral_units).
    void check_unit(RowReader& r, const std::string& field, const std::string& unit, const std::optional<std::string>& m,
                    bool required_now) {
        if (unit.empty()) {
            if (required_now) r.problem(field, "填写了数量但未填单位 / unit missing");
            return;
        }
        auto u = standards::find_unit(unit);
        if (!u) {
            r.problem(field, "未知单位 \"" + unit + "\" / unknown unit");
            return;
        }
        if (!m) return;
        const MineralUnit* mu = ctx.indicators->unit_of(*m);
        if (!mu) return;
        auto expected = standards::find_unit(mu->unit);
        if (expected && expected->dimension != u->dimension)
            r.problem(field, "单位 \"" + unit + "\" 与矿种 " + *m + " 的计量单位 " + mu->unit + "（" + mu->source +
                                 "）不一致，且无定义的换算 / unit does not match the mineral");
    }
    void check_basis(RowReader& r, const std::string& field) {
        std::string b = r.text(field);
        if (!b.empty() && b != "矿石量" && b != "金属量" && b != "矿物量")
            r.problem(field, "计量基础应为 矿石量、金属量 或 矿物量，实际为 \"" + b + "\"");
    }
    void duplicate(RowReader& r, const std::string& field, const std::string& key, const std::string& label) {
        auto [it, fresh] = first_seen.emplace(key, r.where(field));
        if (!fresh) r.problem(field, label + " 重复（首次出现于 " + it->second + "）/ duplicate row");
    }

    void mines_row(RowReader& r) {
        MineInfo m;
        m.mine_id = r.required("mine_id");
        m.name = r.required("name");
        m.county = r.text("county");
        auto c = mineral(r, "mineral");
        m.mineral = c.value_or("");
        m.method = r.text("mining_method");
        if (!m.method.empty() && m.method != "井工" && m.method != "露天" && m.method != "水采")
            r.problem("mining_method", "应为 井工、露天 或 水采，实际为 \"" + m.method + "\"");
        m.condition = r.text("condition");
        std::string nm = r.text("new_mine");
        if (nm == "是" || nm == "true" || nm == "1") m.new_mine = true;
        else if (!nm.empty() && nm != "否" && nm != "false" && nm != "0") r.problem("new_mine", "应为 是 或 否，实际为 \"" + nm + "\"");
        if (auto y = r.number("opened_year", 1900, 2100, "四位年份")) m.opened_year = static_cast<int>(*y);
        if (auto y = r.number("closed_year", 1900, 2100, "四位年份")) m.closed_year = static_cast<int>(*y);
        if (m.closed_year && m.opened_year && *m.closed_year < *m.opened_year)
            r.problem("closed_year", "关闭年度 " + std::to_string(*m.closed_year) + " 早于投产年度 " + std::to_string(*m.opened_year));
        m.licence_no = r.text("licence_no");
        m.source = r.text("source");
        if (!m.mine_id.empty()) duplicate(r, "mine_id", "mine:" + m.mine_id, "矿山编号 " + m.mine_id);
        out.mines.push_back(std::move(m));
    }

    void mine_year_row(RowReader& r, const std::string& origin) {
        MineYear y;
        auto year = r.year("year", ctx.first_year, ctx.last_year);
        y.year = year.value_or(0);
        y.mine_id = r.required("mine_id");
        const MineInfo* info = nullptr;
        if (!y.mine_id.empty()) {
            info = out.mine(y.mine_id);
            if (!info) info = ctx.existing.mine(y.mine_id);
            if (!info && !ctx.known_mines.count(y.mine_id))
                r.problem("mine_id", "未知矿山 \"" + y.mine_id + "\"（不在矿山名录或规划矿山登记表中）/ unknown mine");
        }
        auto m = mineral(r, "mineral");
        y.mineral = m.value_or("");
        if (m && info && !info->mineral.empty() && info->mineral != *m)
            r.problem("mineral", "矿种 " + *m + " 与矿山名录中的 " + info->mineral + " 不一致 / mineral differs from the register");
        const std::string pct = " 0–100（%）";
        y.output = r.number("output", 0, kHuge, "非负数");
        y.output_unit = r.text("output_unit");
        check_unit(r, "output_unit", y.output_unit, m, y.output.has_value());
        y.output_basis = r.text("output_basis");
        check_basis(r, "output_basis");
        y.capacity = r.number("capacity", 0, kHuge, "非负数");
        y.capacity_unit = r.text("capacity_unit");
        check_unit(r, "capacity_unit", y.capacity_unit, m, y.capacity.has_value());
        y.mining_recovery = r.number("mining_recovery_pct", 0, 100, pct);
        y.processing_recovery = r.number("processing_recovery_pct", 0, 100, pct);
        y.utilisation = r.number("utilisation_pct", 0, 100, pct);
        y.reserves_consumed = r.number("reserves_consumed", 0, kHuge, "非负数");
        y.reserves_new = r.number("reserves_new", 0, kHuge, "非负数");
        y.reserves_unit = r.text("reserves_unit");
        // 核减/重算: signed (− 核减, + 重算增加), in the same unit as the other reserves columns.
        y.reserves_adjusted = r.number("reserves_adjusted", -kHuge, kHuge, "数值（核减为负数）");
        check_unit(r, "reserves_unit", y.reserves_unit, m, y.reserves_consumed || y.reserves_new || y.reserves_adjusted);
        y.waste_produced = r.number("waste_produced", 0, kHuge, "非负数");
        y.waste_used = r.number("waste_used", 0, kHuge, "非负数");
        y.waste_unit = r.text("waste_unit");
        if (!y.waste_unit.empty()) {
            auto u = standards::find_unit(y.waste_unit);
            if (!u || u->dimension != standards::Dimension::Mass) r.problem("waste_unit", "废弃物单位应为质量单位（吨、万吨），实际为 \"" + y.waste_unit + "\"");
        } else if (y.waste_produced || y.waste_used) {
            r.problem("waste_unit", "填写了废弃物数量但未填单位 / unit missing");
        }
        if (y.waste_produced && y.waste_used && *y.waste_used > *y.waste_produced)
            r.problem("waste_used", "利用量 " + format_number(*y.waste_used, 4) + " 大于产生量 " + format_number(*y.waste_produced, 4));
        y.restoration_area = r.number("restoration_area", 0, kHuge, "非负数");
        y.reclamation_area = r.number("reclamation_area", 0, kHuge, "非负数");
        y.area_unit = r.text("area_unit");
        if (!y.area_unit.empty()) {
            auto u = standards::find_unit(y.area_unit);
            if (!u || u->dimension != standards::Dimension::Area) r.problem("area_unit", "面积单位应为 平方公里 或 公顷，实际为 \"" + y.area_unit + "\"");
        } else if (y.restoration_area || y.reclamation_area) {
            r.problem("area_unit", "填写了面积但未填单位 / unit missing");
        }
        y.green_mine = r.text("green_mine");
        if (!y.green_mine.empty() && !is_green(y.green_mine) && y.green_mine != "在建" && y.green_mine != "否")
            r.problem("green_mine", "应为 国家级、省级、市级、在建 或 否，实际为 \"" + y.green_mine + "\"");
        y.source = r.text("source").empty() ? origin : r.text("source") + "；" + origin;
        if (!y.mine_id.empty() && year) {
            std::string key = y.mine_id + "@" + std::to_string(y.year);
            duplicate(r, "mine_id", "my:" + key, "矿山 " + y.mine_id + " " + std::to_string(y.year) + "年");
            if (!ctx.replace)
                for (const auto& e : ctx.existing.years)
                    if (e.mine_id == y.mine_id && e.year == y.year)
                        r.problem("mine_id", "矿山 " + y.mine_id + " " + std::to_string(y.year) +
                                                 "年的数据已在数据库中（" + e.source + "）；如需更正请使用 --replace / duplicate of stored row");
        }
        out.years.push_back(std::move(y));
    }

    void exploration_row(RowReader& r, const std::string& origin) {
        ExplorationResult e;
        auto year = r.year("year", ctx.first_year, ctx.last_year);
        e.year = year.value_or(0);
        e.project_id = r.required("project_id");
        e.project_name = r.text("project_name");
        auto m = mineral(r, "mineral");
        e.mineral = m.value_or("");
        if (r.text("new_resources").empty()) r.required("new_resources");
        e.new_resources = r.number("new_resources", 0, kHuge, "非负数").value_or(0);
        e.unit = r.required("unit");
        check_unit(r, "unit", e.unit, m, false);
        e.basis = r.text("basis");
        check_basis(r, "basis");
        e.source = r.text("source").empty() ? origin : r.text("source") + "；" + origin;
        if (!e.project_id.empty() && year && m) {
            std::string key = e.project_id + "@" + std::to_string(e.year) + "@" + *m;
            duplicate(r, "project_id", "ex:" + key, "勘查项目 " + e.project_id + " " + std::to_string(e.year) + "年 " + *m);
            if (!ctx.replace)
                for (const auto& x : ctx.existing.exploration)
                    if (x.project_id == e.project_id && x.year == e.year && x.mineral == *m)
                        r.problem("project_id", "该项目该年度该矿种的成果已在数据库中；如需更正请使用 --replace / duplicate of stored row");
        }
        out.exploration.push_back(std::move(e));
    }

    void sheet(const Sheet& s, Kind kind) {
        const char* id = kind == Kind::Mines ? kMinesTable : kind == Kind::MineYears ? kMineYearsTable : kExplorationTable;
        const TableSchema& schema = ctx.schemas.at(id);
        std::map<std::string, std::size_t> cols;
        const std::string header_at = s.file + "［" + s.name + "］第" + std::to_string(s.header_row) + "行";
        for (std::size_t i = 0; i < s.header.size(); ++i) {
            std::string h = normalise_header(s.header[i]);
            if (h.empty()) continue;
            const FieldDef* f = nullptr;
            for (const auto& fd : schema.fields)
                if (fd.alias_zh == h || fd.name == h || fd.code == h) f = &fd;
            if (!f) problems.push_back(header_at + " " + column_letter(i) + "列：列名 \"" + s.header[i] + "\" 不属于模板“" +
                                       schema.name_zh + "” / unknown column");
            else cols[f->name] = i;
        }
        for (const auto& fd : schema.fields)
            if (fd.required && !cols.count(fd.name))
                problems.push_back(header_at + "：缺少必填列 \"" + fd.alias_zh + "\" / missing column");
        if (!problems.empty() && cols.empty()) return;
        for (const auto& row : s.rows) {
            RowReader r(s, row, schema, cols, problems);
            std::string origin = std::filesystem::path(s.file).filename().string() + "［" + s.name + "］第" + std::to_string(row.number) + "行";
            if (kind == Kind::Mines) mines_row(r);
            else if (kind == Kind::MineYears) mine_year_row(r, origin);
            else exploration_row(r, origin);
        }
    }
};

}  // namespace

AnnualData read_intake(const std::vector<std::filesystem::path>& files, const IntakeContext& ctx) {
    if (!ctx.standards || !ctx.indicators || ctx.schemas.size() != 3)
        throw InternalError("IntakeContext 缺少标准表、指标定义或监测表结构");
    Validator v{ctx, {}, {}, {}};
    std::vector<std::pair<Sheet, Kind>> sheets;
    for (const auto& f : files)
        for (auto& s : read_sheets(f)) {
            Kind k = kind_of(s);
            if (k == Kind::Unknown)
                v.problems.push_back(s.file + "［" + s.name + "］：无法识别的工作表（应为 矿山名录、矿山年报 或 勘查成果，见 docs/monitoring.md）");
            else if (k != Kind::Notes)
                sheets.emplace_back(std::move(s), k);
        }
    // Mine lists first, so that yearly rows may refer to mines registered in the same import.
    for (Kind k : {Kind::Mines, Kind::MineYears, Kind::Exploration})
        for (const auto& [s, kind] : sheets)
            if (kind == k) v.sheet(s, kind);
    if (!v.problems.empty()) {
        // ProblemsError prints the first 50 and counts the rest: 200 MB of bad rows printed 526 MB.
        const std::string summary = "年度数据有 " + std::to_string(v.problems.size()) + " 处错误，未导入任何数据 / nothing imported:";
        const std::size_t total = v.problems.size();
        throw ProblemsError(summary, v.problems.take(), total);
    }
    return v.out;
}

IntakeContext context_from_store(const store::PlanStore& store) {
    IntakeContext ctx;
    ctx.standards = std::make_shared<const standards::Standards>(standards::Standards::from_store(store));
    ctx.indicators = std::make_shared<const IndicatorSet>(IndicatorSet::from_store(store));
    for (const char* id : {kMinesTable, kMineYearsTable, kExplorationTable}) ctx.schemas.emplace(id, store.schema(id));
    for (const auto& l : store.layers())
        if (l.id == "mine_register")
            for (const auto& f : store.read(l.id)) ctx.known_mines.insert(f.text("mine_id"));
    ctx.existing = load_annual(store);
    for (const auto& m : ctx.existing.mines) ctx.known_mines.insert(m.mine_id);
    if (auto p = store.metadata("period_start")) ctx.first_year = std::stoi(*p);
    if (auto p = store.metadata("period_end")) ctx.last_year = std::stoi(*p);
    ctx.county_split = load_split(store);
    ctx.plan_counties = plan_counties(store);
    return ctx;
}

namespace {

// What the database holds after storing `fresh` (replacing rows for the same mine/project and year).
AnnualData merged_with(const AnnualData& existing, const AnnualData& fresh, bool replace) {
    AnnualData merged = existing;
    if (replace) {
        std::erase_if(merged.years, [&](const MineYear& e) {
            for (const auto& y : fresh.years)
                if (y.mine_id == e.mine_id && y.year == e.year) return true;
            return false;
        });
        std::erase_if(merged.exploration, [&](const ExplorationResult& e) {
            for (const auto& x : fresh.exploration)
                if (x.project_id == e.project_id && x.year == e.year && x.mineral == e.mineral) return true;
            return false;
        });
    }
    merged.append(fresh);
    return merged;
}

// A reserves balance (专栏1 rolled forward, monitor/reserves.hpp) that the intake would take below zero.
void refuse_negative_balances(const store::PlanStore& store, const AnnualData& before, const AnnualData& after) {
    auto problems = new_negative_balances(store, before, after);
    if (!problems.empty())
        throw ProblemsError("报送数据使保有资源储量为负，未导入 / the data take a reserves balance below zero, nothing stored", std::move(problems));
}

}  // namespace

IntakeSummary intake_into_db(store::PlanDatabase& db, const std::vector<std::filesystem::path>& files, bool replace,
                             const std::string& actor) {
    // Read, merge, write: if another writer commits in between, read again (never lose its rows).
    for (int attempt = 1;; ++attempt) {
        AnnualData merged, fresh;
        std::int64_t read_version = 0;
        {
            auto store = db.snapshot();
            read_version = store->version();
            IntakeContext ctx = context_from_store(*store);
            ctx.replace = replace;
            fresh = read_intake(files, ctx);
            merged = merged_with(ctx.existing, fresh, replace);
            refuse_negative_balances(*store, ctx.existing, merged);
        }
        try {
            save_annual(db, merged, read_version, actor);
        } catch (const store::ConflictError&) {
            if (attempt >= 20) throw;
            continue;
        }
        return {fresh.mines.size(), fresh.years.size(), fresh.exploration.size()};
    }
}

IntakeSummary intake_into_db(const std::filesystem::path& db, const std::vector<std::filesystem::path>& files, bool replace) {
    return intake_into_db(*store::open_database(db.string()), files, replace);
}

IntakeSummary preview_intake(store::PlanDatabase& db, const std::vector<std::filesystem::path>& files, bool replace) {
    auto store = db.snapshot();
    IntakeContext ctx = context_from_store(*store);
    ctx.replace = replace;
    AnnualData fresh = read_intake(files, ctx);
    refuse_negative_balances(*store, ctx.existing, merged_with(ctx.existing, fresh, replace));
    return {fresh.mines.size(), fresh.years.size(), fresh.exploration.size()};
}

}  // namespace minplan::monitor
