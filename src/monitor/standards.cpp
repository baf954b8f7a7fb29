#include "monitor/standards.hpp"

#include <charconv>
#include <sstream>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "formats/sheet_reader.hpp"
#include "monitor/sheet.hpp"
#include "monitor/units.hpp"

namespace minplan::monitor {

namespace {

// A reference CSV with a header, accessed by column name.
class CsvTable {
public:
    static CsvTable load(const std::filesystem::path& file) {
        CsvTable t;
        t.file_ = file.string();
        auto sheet = formats::read_csv_sheet(file);
        if (sheet.rows.empty()) throw InputError(t.file_ + ": 文件为空 / empty file");
        for (const auto& h : sheet.rows.front().cells) t.header_.push_back(trim(h));
        t.rows_.assign(std::make_move_iterator(sheet.rows.begin() + 1), std::make_move_iterator(sheet.rows.end()));
        return t;
    }
    const std::vector<formats::TextRow>& rows() const { return rows_; }
    // Cell of `row` in column `name` ("" if the row is short); throws if the column does not exist.
    const std::string& cell(const formats::TextRow& row, const std::string& name) const {
        static const std::string empty;
        for (std::size_t i = 0; i < header_.size(); ++i)
            if (header_[i] == name) return i < row.cells.size() ? row.cells[i] : empty;
        throw InputError(file_ + ": 缺少列 \"" + name + "\" / missing column");
    }
    std::string where(const formats::TextRow& row) const { return file_ + ":" + std::to_string(row.number); }

private:
    std::string file_;
    std::vector<std::string> header_;
    std::vector<formats::TextRow> rows_;
};

std::optional<double> number(const std::string& raw, const std::string& where) {
    std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) throw InputError(where + ": 应为数值，实际为 \"" + s + "\"");
    return v;
}

int year_or_zero(const std::string& raw, const std::string& where) {
    auto v = number(raw, where);
    return v ? static_cast<int>(*v) : 0;
}

std::string fmt_num(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

}  // namespace

MineralNames MineralNames::load(const std::filesystem::path& file) {
    MineralNames m;
    CsvTable t = CsvTable::load(file);
    for (const auto& r : t.rows()) {
        std::string name = trim(t.cell(r, "name_zh"));
        if (name.empty()) continue;
        m.to_canonical_[name] = name;
        std::stringstream syn(t.cell(r, "synonyms"));
        std::string s;
        while (std::getline(syn, s, ';'))
            if (!trim(s).empty()) m.to_canonical_.emplace(trim(s), name);
    }
    return m;
}

std::optional<std::string> MineralNames::canonical(const std::string& name) const {
    auto it = to_canonical_.find(trim(name));
    if (it == to_canonical_.end()) return std::nullopt;
    return it->second;
}

SizeClassTable SizeClassTable::load(const std::filesystem::path& file) {
    SizeClassTable s;
    CsvTable t = CsvTable::load(file);
    for (const auto& r : t.rows()) {
        const std::string where = t.where(r);
        SizeClassRow row{trim(t.cell(r, "mineral")), trim(t.cell(r, "mining_method")), trim(t.cell(r, "unit")),
                         number(t.cell(r, "large_min"), where), number(t.cell(r, "medium_min"), where),
                         number(t.cell(r, "minimum_scale"), where), trim(t.cell(r, "status")) == "configured",
                         t.cell(r, "note"), t.cell(r, "source")};
        s.rows_.push_back(std::move(row));
    }
    return s;
}

SizeDecision SizeClassTable::classify(const std::string& mineral, const std::string& method, double capacity,
                                      const std::string& unit) const {
    const SizeClassRow* best = nullptr;
    for (const auto& r : rows_) {
        if (r.mineral != mineral) continue;
        if (!r.method.empty() && r.method != method) continue;
        if (!best || (best->method.empty() && !r.method.empty())) best = &r;
    }
    if (!best) return {"", mineral + " 不在矿山规模分类表中（国土资发〔2004〕208号），需人工核查"};
    if (!best->configured || !best->large_min || !best->medium_min)
        return {"", mineral + " 的规模分界未取得（" + best->source + "），需人工核查"};
    double c = 0;
    try {
        c = convert(capacity, unit, "", best->unit, "", mineral + " 生产规模");
    } catch (const InputError& e) {
        return {"", e.what()};
    }
    std::string cls = c >= *best->large_min ? "大型" : (c >= *best->medium_min ? "中型" : "小型");
    return {cls, "生产规模 " + fmt_num(c) + " " + best->unit + "：大型≥" + fmt_num(*best->large_min) + "，中型≥" +
                     fmt_num(*best->medium_min) + "（" + best->source + "）"};
}

std::string to_zh(SanlvResult r) {
    switch (r) {
        case SanlvResult::Pass: return "达标";
        case SanlvResult::Fail: return "未达标";
        case SanlvResult::Manual: return "需人工核查";
    }
    return "";
}

SanlvTable SanlvTable::load(const std::filesystem::path& file) {
    SanlvTable s;
    CsvTable t = CsvTable::load(file);
    for (const auto& r : t.rows()) {
        const std::string where = t.where(r);
        ThresholdRow row{trim(t.cell(r, "mineral")), trim(t.cell(r, "mining_method")), trim(t.cell(r, "condition")),
                         trim(t.cell(r, "rate_type")), trim(t.cell(r, "tier")), number(t.cell(r, "min_pct"), where),
                         year_or_zero(t.cell(r, "valid_from_year"), where), year_or_zero(t.cell(r, "valid_to_year"), where),
                         trim(t.cell(r, "status")) == "configured", t.cell(r, "note"), t.cell(r, "source")};
        s.rows_.push_back(std::move(row));
    }
    return s;
}

bool SanlvTable::leader_tier_configured() const {
    for (const auto& r : rows_)
        if (r.tier == "领跑者" && r.configured && r.min_pct) return true;
    return false;
}

SanlvCheck SanlvTable::check(const SanlvMine& m, int year) const {
    SanlvCheck out;
    bool fail = false, manual = false, any_rule = false;
    std::map<std::string, std::vector<const ThresholdRow*>> by_rate;
    bool known_mineral = false;
    for (const auto& r : rows_) {
        if (r.mineral != m.mineral || r.tier != "最低") continue;
        known_mineral = true;
        if (!r.configured || !r.min_pct) {
            out.details.push_back(r.note + "（" + r.source + "）");
            manual = true;
            continue;
        }
        by_rate[r.rate_type].push_back(&r);
    }
    if (!known_mineral) {
        out.details.push_back(m.mineral + " 的“三率”最低指标未配置（data/standards/sanlv_thresholds.csv），需人工核查");
        return out;
    }
    for (const auto& [rate, rows] : by_rate) {
        std::vector<const ThresholdRow*> in_year, match;
        for (const auto* r : rows)
            if ((!r->valid_from || year >= r->valid_from) && (!r->valid_to || year <= r->valid_to)) in_year.push_back(r);
        if (in_year.empty()) {
            out.details.push_back(rate + "：" + std::to_string(year) +
                                  "年适用的指标未取得（2024-04-01起由DZ/T 0462.x-2023替代），需人工核查");
            manual = true;
            continue;
        }
        for (const auto* r : in_year)
            if ((r->method.empty() || r->method == m.method) && (r->condition.empty() || m.conditions.count(r->condition)))
                match.push_back(r);
        // Prefer the most specific rows (method and condition given).
        auto spec = [](const ThresholdRow* r) { return (r->method.empty() ? 0 : 1) + (r->condition.empty() ? 0 : 1); };
        int best = -1;
        for (const auto* r : match) best = std::max(best, spec(r));
        std::erase_if(match, [&](const ThresholdRow* r) { return spec(r) != best; });
        if (match.size() != 1) {
            out.details.push_back(rate + "：开采方式“" + m.method + "”/开采条件未能唯一确定适用的最低指标（" +
                                  std::to_string(match.size()) + " 条匹配），需人工核查");
            manual = true;
            continue;
        }
        const ThresholdRow& r = *match.front();
        any_rule = true;
        auto it = m.rates.find(rate);
        if (it == m.rates.end() || !it->second) {
            out.details.push_back(rate + "：未报送（最低 " + fmt_num(*r.min_pct) + "%），需人工核查");
            manual = true;
        } else if (*it->second + 1e-9 < *r.min_pct) {
            out.details.push_back(rate + " " + fmt_num(*it->second) + "% < 最低 " + fmt_num(*r.min_pct) + "%（" + r.source + "）");
            fail = true;
        } else {
            out.details.push_back(rate + " " + fmt_num(*it->second) + "% ≥ 最低 " + fmt_num(*r.min_pct) + "%（" + r.source + "）");
        }
    }
    out.result = fail ? SanlvResult::Fail : (manual || !any_rule) ? SanlvResult::Manual : SanlvResult::Pass;
    return out;
}

Standards Standards::load(const std::filesystem::path& root) {
    return {MineralNames::load(root / "data" / "schema" / "minerals.csv"),
            SizeClassTable::load(root / "data" / "standards" / "mine_size_classes.csv"),
            SanlvTable::load(root / "data" / "standards" / "sanlv_thresholds.csv")};
}

const Standards& Standards::builtin() {
    static const Standards s = load(source_dir());
    return s;
}

}  // namespace minplan::monitor
