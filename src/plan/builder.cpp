#include "plan/builder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/code_table.hpp"
#include "core/error.hpp"
#include "core/home.hpp"
#include "core/progress.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "geo/schematic.hpp"
#include "core/package.hpp"
#include "plan/plan_folder.hpp"
#include "plan/qgis_assets.hpp"
#include "plan/source_reader.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::plan {

namespace {

constexpr double kNominalAreaKm2 = 1.0;

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
void check_codes(const SchemaRegistry& registry, const std::map<std::string, std::filesystem::path>& sources,
                 const std::map<std::string, std::vector<Feature>>& loaded, std::vector<std::string>& problems) {
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
            auto source = sources.find(s.id);
            const std::filesystem::path file = source == sources.end() ? std::filesystem::path(s.id) : source->second;
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
}

}  // namespace

BuildSummary build_plan(const BuildOptions& o) {
    const std::filesystem::path shared = o.shared_dir.empty() ? home_dir() / "data" : o.shared_dir;
    std::vector<std::string> problems;
    PlanFolder folder = read_plan_folder(o.plan_dir, shared, o.schema_dir, problems);
    const SchemaRegistry& registry = folder.schemas;
    BuildSummary summary;
    // Each table is read once and written once.
    Progress progress("生成规划数据库", registry.tables().size() * 2);

    // Every table is read even after a bad one, so that all problems are reported together.
    std::map<std::string, std::vector<Feature>> loaded;
    std::set<std::string> unreadable;
    for (const auto& s : registry.tables()) {
        progress.advance();
        auto source = folder.table_sources.find(s.id);
        if (source == folder.table_sources.end()) continue;
        const auto& path = source->second;
        bool vector_file = path.extension() == ".geojson" || path.extension() == ".gpkg" || path.extension() == ".shp";
        try {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(path, ec))
                throw IoError(path.string() + "：文件不存在（图层 " + s.id + " " + s.name_zh + " 的源文件）/ file not found");
            loaded[s.id] = vector_file ? read_vector_file(path, s) : read_csv_table(path, s);
        } catch (const Error& e) {
            problems.push_back(e.what());
            unreadable.insert(s.id);
        }
    }
    // Boundaries first: schematic geometry is placed inside them.
    std::map<std::string, geo::Geometry> counties;
    geo::Geometry city;
    for (const auto& f : loaded["admin_counties"]) counties.emplace(f.text("name_zh"), geo::Geometry::from_wkb(f.wkb));
    if (!loaded["admin_city"].empty()) city = geo::Geometry::from_wkb(loaded["admin_city"][0].wkb);
    // A boundary file already reported as unreadable is not reported twice.
    if ((counties.empty() || city.is_null()) && !unreadable.count("admin_counties") && !unreadable.count("admin_city"))
        problems.push_back(o.plan_dir.string() + "：规划缺少行政区界线（admin_counties 县级、admin_city 市级，各至少一个面）/ "
                                                 "the plan has no administrative boundaries");
    check_codes(registry, folder.table_sources, loaded, problems);
    if (const auto n = problems.size(); n > 0)
        throw ProblemsError("规划目录 " + o.plan_dir.string() + " 有 " + std::to_string(n) +
                                " 处问题，未生成数据库（格式见 docs/plan-folder.md）/ problems in the plan folder, nothing built:",
                            std::move(problems));
    const nlohmann::json& manifest = folder.manifest;

    QgisInputs qgis;
    if (!city.is_null()) {
        const geo::Envelope e = city.envelope();
        qgis.city_lonlat = {e.min_x, e.min_y, e.max_x, e.max_y};
    }
    geo::SchematicPlacer placer(std::move(counties), std::move(city), manifest.value("jurisdiction_zh", ""));
    store::GpkgWriter writer(o.output);
    for (auto& [key, value] : manifest.items())
        writer.set_metadata(key, value.is_string() ? value.get<std::string>() : value.dump());
    for (const auto& [name, content] : folder.package) writer.set_package_file(name, content);

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
    // QGIS reads styles, titles, metadata and the project from the database itself (docs/qgis.md).
    for (const auto& base : registry.tables()) {
        qgis.schemas.push_back(with_spatial_fields(base));
        if (base.id.rfind("code_", 0) == 0 && loaded.count(base.id))
            qgis.code_tables.emplace(base.id, CodeTable::from_rows(base.id, base.name_zh, loaded[base.id]));
    }
    qgis.style = MapStyle::parse(folder.package.at(package::kStyles), package::kStyles);
    qgis.manifest = manifest;
    qgis.settings = nlohmann::json::parse(folder.package.at(package::kRules)).value("settings", nlohmann::json::object());
    qgis.datasource = "./" + o.output.filename().string();
    writer.set_qgis(qgis_extras(qgis));
    writer.commit(o.before_publish);
    return summary;
}

std::filesystem::path default_plan_dir() { return home_dir() / "data" / "plans" / kDefaultPlan; }

std::filesystem::path default_database_path() {
    if (const char* p = std::getenv("MINPLAN_DB")) return p;
    return default_database_dir() / (std::string(kDefaultPlan) + ".gpkg");
}

namespace {

// Holds an exclusive flock on `file` (created if missing) for its lifetime: processes that find the default
// database missing or stale at the same moment (ctest -j, several terminals) build it once, one at a time.
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
        if (fd_ >= 0) ::flock(fd_, LOCK_EX);
    }
    ~FileLock() {
        if (fd_ >= 0) ::close(fd_);  // releases the lock
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

}  // namespace

std::filesystem::path ensure_default_database() {
    auto db = default_database_path();
    const auto home = home_dir();
    std::error_code ec;
    if (db.has_parent_path()) std::filesystem::create_directories(db.parent_path(), ec);
    FileLock lock(db.string() + ".build-lock");
    auto newest_source = std::filesystem::file_time_type::min();
    for (const auto& root : {default_plan_dir(), home / "data" / "schema", home / "data" / "standards"})
        for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec))
            if (e.is_regular_file()) newest_source = std::max(newest_source, e.last_write_time());
    if (!std::filesystem::exists(db) || std::filesystem::last_write_time(db) < newest_source) {
        if (db.has_parent_path()) std::filesystem::create_directories(db.parent_path());
        BuildOptions options;
        options.plan_dir = default_plan_dir();
        options.output = db;
        build_plan(options);
    }
    return db;
}

}  // namespace minplan::plan
