#include "plan/builder.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/code_table.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "geo/schematic.hpp"
#include "plan/source_reader.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::plan {

namespace {

constexpr double kNominalAreaKm2 = 1.0;

std::filesystem::path resolve_source(const BuildOptions& o, const std::string& source_file) {
    const std::string schema_prefix = "@schema/";
    if (source_file.rfind(schema_prefix, 0) == 0) return o.schema_dir.parent_path() / source_file.substr(schema_prefix.size());
    return o.plan_dir / source_file;
}

// Spatial layers get the builder's fields after their own.
TableSchema with_spatial_fields(TableSchema s) {
    if (!s.spatial) return s;
    for (auto& extra : spatial_extra_fields())
        if (!s.field(extra.name)) s.fields.push_back(extra);
    return s;
}

std::string first_text(const Feature& f, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (auto t = as_text(f.get(n)); t && !t->empty()) return *t;
    return {};
}

std::optional<double> first_number(const Feature& f, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (auto v = as_number(f.get(n))) return v;
    return std::nullopt;
}

// The area a schematic polygon should have, and how it was decided (seed figures only).
std::pair<double, std::string> schematic_area(const Feature& f) {
    if (auto a = first_number(f, {"stated_area_km2", "area_km2", "planned_area_km2"}); a && *a > 0)
        return {*a, "面积取自规划所列面积"};
    auto group_area = first_number(f, {"group_area_km2"});
    auto group_count = first_number(f, {"group_count"});
    if (group_area && group_count && *group_area > 0 && *group_count > 0)
        return {*group_area / *group_count, "规划仅给出该类区块总面积，示意面积按个数平均分配"};
    return {kNominalAreaKm2, "规划未给出面积，示意面积取名义值 1 平方公里"};
}

// Coded fields (FieldDef::codes) of the plan's own tables hold codes of their code table: the rules compare
// codes, so a label written into the source data would silently match nothing. Every offending cell of
// every table is listed together.
void check_codes(const SchemaRegistry& registry, const BuildOptions& o,
                 const std::map<std::string, std::vector<Feature>>& loaded) {
    std::vector<std::string> problems;
    for (const auto& s : registry.tables()) {
        auto rows = loaded.find(s.id);
        if (rows == loaded.end()) continue;
        for (const auto& f : s.fields) {
            if (f.codes.empty()) continue;
            const TableSchema* table = registry.try_find(f.codes);
            auto table_rows = loaded.find(f.codes);
            if (!table || table_rows == loaded.end()) {
                problems.push_back(s.id + ".json: 字段 " + f.name + " 的代码表 " + f.codes + " 不存在或没有数据 / missing code table");
                continue;
            }
            const CodeTable codes = CodeTable::from_rows(table->id, table->name_zh, table_rows->second);
            const auto file = resolve_source(o, s.source_file);
            const bool csv = file.extension() == ".csv";
            for (const auto& row : rows->second) {
                const std::string value = row.text(f.name);
                const std::string* code = value.empty() ? nullptr : codes.resolve(value);
                if (value.empty() || (code && *code == value)) continue;
                // CSV rows carry fid = line - 1 (source_reader.cpp); vector features their number.
                std::string where = file.string() + (csv ? ":" + std::to_string(row.fid + 1) : " 要素 " + std::to_string(row.fid));
                problems.push_back(where + ": 字段 " + f.name + " 的值 \"" + value + "\" " +
                                   (code ? "应写代码 " + *code : "不是代码表 " + codes.id() + " 的代码；可用: " + codes.listing()) +
                                   " / not a code of " + codes.id());
            }
        }
    }
    if (!problems.empty())
        throw InputProblems("规划源数据有 " + std::to_string(problems.size()) + " 处代码错误 / bad codes in the plan data:",
                            problems);
}

nlohmann::json read_manifest(const std::filesystem::path& dir) {
    auto file = dir / "plan.json";
    std::ifstream in(file);
    if (!in) throw IoError("缺少规划清单 " + file.string() + " / missing plan manifest");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": JSON 语法错误: " + e.what());
    }
}

}  // namespace

BuildSummary build_plan(const BuildOptions& o) {
    nlohmann::json manifest = read_manifest(o.plan_dir);
    SchemaRegistry registry = SchemaRegistry::load(o.schema_dir);
    BuildSummary summary;
    // Each table is read once and written once.
    Progress progress("生成规划数据库", registry.tables().size() * 2);

    // Boundaries first: schematic geometry is placed inside them.
    std::map<std::string, std::vector<Feature>> loaded;
    std::map<std::string, geo::Geometry> counties;
    geo::Geometry city;
    for (const auto& s : registry.tables()) {
        progress.advance();
        if (s.source_file.empty()) continue;
        auto path = resolve_source(o, s.source_file);
        bool vector_file = path.extension() == ".geojson" || path.extension() == ".gpkg" || path.extension() == ".shp";
        loaded[s.id] = vector_file ? read_vector_file(path, s) : read_csv_table(path, s);
        if (s.id == "admin_counties")
            for (const auto& f : loaded[s.id]) counties.emplace(f.text("name_zh"), geo::Geometry::from_wkb(f.wkb));
        if (s.id == "admin_city" && !loaded[s.id].empty()) city = geo::Geometry::from_wkb(loaded[s.id][0].wkb);
    }
    check_codes(registry, o, loaded);
    if (counties.empty() || city.is_null())
        throw InputError("规划缺少行政区界线（admin_counties / admin_city）/ the plan has no administrative boundaries");

    geo::SchematicPlacer placer(std::move(counties), std::move(city));
    store::GpkgWriter writer(o.output);
    for (auto& [key, value] : manifest.items())
        writer.set_metadata(key, value.is_string() ? value.get<std::string>() : value.dump());

    for (const auto& base : registry.tables()) {
        TableSchema s = with_spatial_fields(base);
        std::vector<Feature>& rows = loaded[s.id];
        if (s.spatial) {
            for (auto& f : rows) {
                if (!f.wkb.empty()) {
                    geo::Geometry g = geo::Geometry::from_wkb(f.wkb);
                    f.attributes[kGeometrySourceField] = std::string("reference");
                    f.attributes[kAreaField] = geo::round_km2(geo::ellipsoidal_area_km2(g));
                    continue;
                }
                auto [area, how] = schematic_area(f);
                auto regions = split_list(first_text(f, {"county", "counties", "group_counties"}));
                geo::Placement p = placer.place(s.id, regions, area);
                f.wkb = p.lonlat.to_wkb();
                f.attributes[kGeometrySourceField] = std::string(kSchematic);
                f.attributes[kAreaField] = geo::round_km2(p.area_km2);
                f.attributes[kGeometryNoteField] = p.note + "；" + how;
                ++summary.schematic_features;
            }
        }
        writer.write_layer(s, rows);
        progress.advance();
        ++summary.tables;
        summary.features += static_cast<int>(rows.size());
    }
    writer.commit();
    return summary;
}

std::filesystem::path default_plan_dir() { return source_dir() / "data" / "plans" / "datong-2021-2025"; }

std::filesystem::path default_database_path() {
    if (const char* p = std::getenv("MINPLAN_DB")) return p;
    return std::filesystem::path(MINPLAN_BUILD_DIR) / "datong-2021-2025.gpkg";
}

std::filesystem::path ensure_default_database() {
    auto db = default_database_path();
    std::error_code ec;
    auto newest_source = std::filesystem::file_time_type::min();
    for (const auto& root : {default_plan_dir(), source_dir() / "data" / "schema"})
        for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec))
            if (e.is_regular_file()) newest_source = std::max(newest_source, e.last_write_time());
    if (!std::filesystem::exists(db) || std::filesystem::last_write_time(db) < newest_source) {
        build_plan({default_plan_dir(), source_dir() / "data" / "schema" / "tables", db});
    }
    return db;
}

}  // namespace minplan::plan
