#include "standards/size_classes.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "standards/reference_csv.hpp"
#include "standards/units.hpp"

namespace minplan::standards {

using detail::plain_number;

std::string SizeClassRow::size_class(double capacity) const {
    return capacity >= large_min.value_or(0) ? "大型" : capacity >= medium_min.value_or(0) ? "中型" : "小型";
}

std::string mining_method_key(std::string_view m) {
    if (m == "地下" || m == "井工" || m == "井下" || m == "地下开采") return "井工";
    if (m == "露天" || m == "露天开采") return "露天";
    return std::string(m);
}

SizeClassTable SizeClassTable::load(const std::filesystem::path& csv, const MineralNames& names) {
    return from_table(read_csv(csv), names);
}

SizeClassTable SizeClassTable::from_table(const CsvTable& table, const MineralNames& names) {
    SizeClassTable t;
    t.path_ = table.file;
    table.require({"mineral", "mining_method", "unit", "large_min", "medium_min", "minimum_scale", "status", "note",
                   "source"});
    auto resolve = [&](const std::string& name) { return names.canonical(name).value_or(trim(name)); };
    for (const auto& rec : table.records) {
        SizeClassRow r;
        r.mineral = resolve(rec.text("mineral"));
        for (const auto& a : split_list(rec.text("aliases"))) r.aliases.push_back(resolve(a));
        r.mining_method = rec.text("mining_method");
        r.unit = rec.text("unit");
        r.large_min = rec.number("large_min");
        r.medium_min = rec.number("medium_min");
        r.minimum_scale = rec.number("minimum_scale");
        r.configured = rec.text("status") == "configured";
        r.note = rec.text("note");
        r.source = rec.text("source");
        if (r.mineral.empty() || (r.configured && r.unit.empty()))
            throw InputError(rec.where + "：mineral 不能为空，已配置的行须有 unit / mineral and unit are required");
        t.rows_.push_back(std::move(r));
    }
    return t;
}

std::vector<const SizeClassRow*> SizeClassTable::rows_for(const std::string& canonical) const {
    std::vector<const SizeClassRow*> out;
    for (const auto& r : rows_) {
        bool match = r.mineral == canonical;
        for (const auto& a : r.aliases) match = match || a == canonical;
        if (match) out.push_back(&r);
    }
    return out;
}

SizeDecision SizeClassTable::classify(const std::string& mineral, const std::string& method, double capacity,
                                      const std::string& unit) const {
    const auto rows = rows_for(mineral);
    if (rows.empty())
        return {"", mineral + " 不在矿山规模分类表中（国土资发〔2004〕208号），需人工核查", SizeOutcome::NotInTable};
    const std::string key = mining_method_key(trim(method));
    const SizeClassRow* best = nullptr;
    if (key.empty()) {
        if (rows.size() > 1)
            return {"", mineral + " 的规模分界按开采方式区分，开采方式未知，需人工核查", SizeOutcome::MethodNeeded};
        best = rows.front();
    } else {
        for (const auto* r : rows) {
            if (!r->mining_method.empty() && r->mining_method != key) continue;
            if (!best || (best->mining_method.empty() && !r->mining_method.empty())) best = r;
        }
        if (!best)
            return {"", mineral + "（" + key + "）不在矿山规模分类表中（国土资发〔2004〕208号），需人工核查",
                    SizeOutcome::NoRowForMethod};
    }
    const SizeClassRow& row = *best;
    if (!row.has_boundaries())
        return {"", mineral + " 的规模分界未取得（" + row.source + "），需人工核查", SizeOutcome::NotConfigured, &row};
    double c = capacity;
    if (normalise_unit(unit) != normalise_unit(row.unit)) {
        try {
            c = convert(capacity, unit, "", row.unit, "", mineral + " 生产规模");
        } catch (const InputError& e) {
            return {"", e.what(), SizeOutcome::UnitNotConvertible, &row};
        }
    }
    return {row.size_class(c),
            "生产规模 " + plain_number(c) + " " + row.unit + "：大型≥" + plain_number(*row.large_min) + "，中型≥" +
                plain_number(*row.medium_min) + "（" + row.source + "）",
            SizeOutcome::Classified, &row};
}

}  // namespace minplan::standards
