#include "services/column_tables.hpp"

#include <regex>

#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "monitor/history.hpp"
#include "plan/plan_tables.hpp"

namespace minplan::services {
namespace {

// "（专栏12）" in a layer's Chinese name: the 专栏 number it cites, or "".
std::string cited_column(const std::string& name_zh) {
    static const std::regex re("专栏([0-9]+)(?![0-9])");
    std::smatch m;
    return std::regex_search(name_zh, m, re) ? m[1].str() : std::string();
}

std::string column_number(const std::string& key) {
    std::string n = key.rfind("专栏", 0) == 0 ? key.substr(std::string("专栏").size()) : key;
    if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) return {};
    n.erase(0, std::min(n.find_first_not_of('0'), n.size() - 1));
    return n;
}

nlohmann::json optional_int(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json pivot_json(const plan::CountPivot& p) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : p.rows) {
        nlohmann::json cells = nlohmann::json::array();
        for (const auto& c : r.cells) cells.push_back(optional_int(c));
        rows.push_back({{"label", r.label}, {"cells", cells}, {"total", r.total}, {"seed_total", optional_int(r.seed_total)}});
    }
    nlohmann::json seed_columns = nlohmann::json::array();
    for (const auto& c : p.seed_column_totals) seed_columns.push_back(optional_int(c));
    return {{"title", p.title},
            {"label_header", p.label_header},
            {"columns", p.columns},
            {"rows", rows},
            {"column_totals", p.column_totals},
            {"grand_total", p.grand_total},
            {"seed_column_totals", seed_columns},
            {"seed_grand_total", optional_int(p.seed_grand_total)}};
}

// 专栏 that the monitoring module regenerates from the loaded 2016–2020 history.
std::optional<monitor::TableView> regenerated(const store::PlanStore& store, const std::string& id) {
    if (id == "zl03_extraction_by_year") return monitor::regenerate_zl03(store);
    if (id == "zl04_indicators_2020") return monitor::regenerate_zl04(store);
    if (id == "zl05_exploration_indicators") return monitor::regenerate_zl05_exploration(store);
    return std::nullopt;
}

nlohmann::json view_json(const monitor::TableView& view) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : view.rows) {
        nlohmann::json r = nlohmann::json::array();
        for (const auto& c : row) r.push_back(c.number ? nlohmann::json(*c.number) : nlohmann::json(c.text));
        rows.push_back(std::move(r));
    }
    return {{"title", view.title}, {"headers", view.headers}, {"units", view.units}, {"notes", view.notes}, {"rows", rows}};
}

nlohmann::json table_json(const store::PlanStore& store, const std::string& id) {
    const TableSchema& s = store.schema(id);
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : s.fields)
        fields.push_back({{"name", f.name}, {"code", f.code}, {"alias_zh", f.alias_zh}, {"type", to_string(f.type)}, {"unit", f.unit}});
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : store.read(id)) {
        nlohmann::json row = nlohmann::json::object();
        for (const auto& f : s.fields) row[f.name] = geo::value_to_json(r.get(f.name));
        rows.push_back(std::move(row));
    }
    nlohmann::json t = {{"id", s.id}, {"code", s.code}, {"title", s.name_zh}, {"fields", fields}, {"rows", rows}};
    if (s.id == "zl02_mines_by_county") t["pivot"] = pivot_json(plan::read_count_pivot(store, s.id));
    if (auto view = regenerated(store, s.id)) t["regenerated"] = view_json(*view);
    return t;
}

}  // namespace

std::vector<std::string> column_table_ids(const store::PlanStore& store, const std::string& key) {
    std::string n = column_number(key);
    if (n.empty()) return {};
    auto ids = plan::tables_for_column_number(store, n);
    for (const auto& l : store.layers())
        if (l.id.rfind("zl", 0) != 0 && cited_column(l.name_zh) == n) ids.push_back(l.id);
    return ids;
}

nlohmann::json column_tables(const store::PlanStore& store, const std::string& key) {
    auto ids = column_table_ids(store, key);
    if (ids.empty()) {
        const TableSchema& s = store.schema(key);  // NotFoundError names what exists
        if (s.id.rfind("zl", 0) != 0 && cited_column(s.name_zh).empty())
            throw NotFoundError("\"" + key + "\" 不是专栏表；可用专栏见 /api/tables；图层请用 minplan query 或 /api/layers/" +
                                s.id + "/features 读取");
        ids.push_back(s.id);
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& id : ids) list.push_back(table_json(store, id));
    return {{"key", key}, {"tables", list}};
}

nlohmann::json column_table_list(const store::PlanStore& store) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : store.layers()) {
        std::string number = l.id.rfind("zl", 0) == 0 && l.id.size() >= 4 ? column_number(l.id.substr(2, 2)) : cited_column(l.name_zh);
        if (number.empty()) continue;
        out.push_back({{"id", l.id}, {"number", number}, {"title", l.name_zh}, {"rows", l.feature_count}});
    }
    return {{"tables", out}};
}

}  // namespace minplan::services
