#include "plan/plan_folder.hpp"

#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/map_style.hpp"
#include "core/package.hpp"
#include "services/qc/config.hpp"
#include "monitor/county_split.hpp"
#include "monitor/indicators.hpp"
#include "rules/rule_set.hpp"
#include "standards/reference_csv.hpp"
#include "standards/loader.hpp"

namespace minplan::plan {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// plan.json keys every command relies on (reports, periods, review messages).
constexpr const char* kRequiredKeys[] = {"id", "name_zh", "jurisdiction_zh", "base_year", "period_start", "period_end"};

// The package files: plan.json key, name in the database, default source.
struct PackageEntry {
    const char* key;
    const char* name;
    const char* default_source;
};
constexpr PackageEntry kPackage[] = {
    {"rules", package::kRules, "rules.json"},
    {"indicators", package::kIndicators, "indicators.json"},
    {"minerals", package::kMinerals, "@schema/minerals.csv"},
    {"mine_size_classes", package::kSizeClasses, "@standards/mine_size_classes.csv"},
    {"sanlv_thresholds", package::kSanlv, "@standards/sanlv_thresholds.csv"},
    {"styles", package::kStyles, "@schema/styles.json"},
};
constexpr const char* kDefaultSchema = "@schema/tables";

std::optional<std::string> read_file(const fs::path& p, std::vector<std::string>& problems) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
        problems.push_back(p.string() + "：文件不存在 / file not found");
        return std::nullopt;
    }
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    if (!(ss << in.rdbuf())) {
        problems.push_back(p.string() + "：无法读取 / cannot read");
        return std::nullopt;
    }
    return ss.str();
}

// Runs one check, turning its exception into a problem line.
void collect(std::vector<std::string>& problems, const std::function<void()>& check) {
    try {
        check();
    } catch (const Error& e) {
        problems.push_back(e.what());
    }
}

std::string manifest_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void check_manifest(const json& m, const fs::path& file, std::vector<std::string>& problems) {
    for (const char* key : kRequiredKeys) {
        if (!m.contains(key) || !(m[key].is_string() || m[key].is_number_integer()) || manifest_text(m[key]).empty())
            problems.push_back(file.string() + "：缺少必填键 \"" + key + "\"（字符串）/ missing required key");
    }
    auto year = [&](const char* key) -> std::optional<int> {
        if (!m.contains(key)) return std::nullopt;
        const std::string t = manifest_text(m[key]);
        if (t.size() != 4 || t.find_first_not_of("0123456789") != std::string::npos) {
            problems.push_back(file.string() + "：键 \"" + key + "\" 应为四位年份，实际为 \"" + t + "\" / expected a year");
            return std::nullopt;
        }
        return std::stoi(t);
    };
    auto base = year("base_year"), first = year("period_start"), last = year("period_end");
    if (first && last && *first > *last)
        problems.push_back(file.string() + "：period_start 晚于 period_end / period_start after period_end");
    if (base && first && *base >= *first)
        problems.push_back(file.string() + "：base_year 应早于 period_start / base_year must precede the period");
}

// Where each table comes from: plan.json "tables" when given, else every schema's own source_file.
void choose_tables(PlanFolder& f, const fs::path& dir, const fs::path& shared, const fs::path& manifest_file,
                   std::vector<std::string>& problems) {
    if (!f.manifest.contains("tables")) {
        for (const auto& s : f.schemas.tables())
            if (!s.source_file.empty()) f.table_sources[s.id] = resolve_source(s.source_file, dir, shared);
        return;
    }
    const json& tables = f.manifest["tables"];
    if (!tables.is_object()) {
        problems.push_back(manifest_file.string() + "：\"tables\" 应为对象 {图层编号: 源文件} / tables must be an object");
        return;
    }
    for (const auto& [id, source] : tables.items()) {
        if (!f.schemas.try_find(id)) {
            problems.push_back(manifest_file.string() + "：tables 中的图层 \"" + id + "\" 不在图层模式中 / unknown table");
        } else if (!source.is_string() || source.get<std::string>().empty()) {
            problems.push_back(manifest_file.string() + "：tables." + id + " 应为源文件路径 / expected a file path");
        } else {
            f.table_sources[f.schemas.find(id).id] = resolve_source(source.get<std::string>(), dir, shared);
        }
    }
    // Shared code tables (their schema points at a shared file, `@schema/…`) are the common vocabulary every
    // plan's coded fields are checked against: read unless the plan gives its own.
    for (const auto& s : f.schemas.tables())
        if (s.id.rfind("code_", 0) == 0 && s.source_file.rfind("@", 0) == 0 && !f.table_sources.count(s.id))
            f.table_sources[s.id] = resolve_source(s.source_file, dir, shared);
}

// The style names layers and label fields of the plan's schemas: a typo would silently draw nothing.
void check_styles(const MapStyle& style, const SchemaRegistry& schemas, const std::string& file, std::vector<std::string>& problems) {
    for (const auto& l : style.layers) {
        const TableSchema* s = schemas.try_find(l.layer);
        if (!s || !s->spatial) {
            problems.push_back(file + "：图层 \"" + l.layer + "\" 不是规划的空间图层 / not a spatial layer of the plan");
        } else if (!l.label_field.empty() && !s->field(l.label_field)) {
            problems.push_back(file + "：图层 " + l.layer + " 的标注字段 \"" + l.label_field + "\" 不存在 / unknown label field");
        }
    }
}

// Each package file parsed as the commands will parse it, so that a bad file fails here, not at run time.
void check_package(const PlanFolder& f, const std::map<std::string, fs::path>& files, std::vector<std::string>& problems) {
    auto content = [&](const char* name) -> const std::string* {
        auto it = f.package.find(name);
        return it == f.package.end() ? nullptr : &it->second;
    };
    auto label = [&](const char* name) { return files.at(name).string(); };
    standards::MineralNames minerals;
    if (auto* c = content(package::kMinerals))
        collect(problems, [&] { minerals = standards::MineralNames::from_table(standards::parse_csv(*c, label(package::kMinerals))); });
    if (auto* c = content(package::kSizeClasses))
        collect(problems, [&] { standards::SizeClassTable::from_table(standards::parse_csv(*c, label(package::kSizeClasses)), minerals); });
    if (auto* c = content(package::kSanlv))
        collect(problems, [&] { standards::SanlvTable::from_table(standards::parse_csv(*c, label(package::kSanlv))); });
    if (auto* c = content(package::kStyles)) collect(problems, [&] { check_styles(MapStyle::parse(*c, label(package::kStyles)), f.schemas, label(package::kStyles), problems); });
    if (auto* c = content(package::kRules)) collect(problems, [&] { rules::RuleSet::parse(*c, label(package::kRules)); });
    if (auto* c = content(package::kIndicators)) {
        collect(problems, [&] {
            auto set = monitor::IndicatorSet::parse(*c, label(package::kIndicators));
            // Indicators count minerals by canonical name: a name minerals.csv does not know counts nothing.
            if (content(package::kMinerals))
                for (const auto& d : set.indicators())
                    for (const auto& m : d.minerals)
                        if (minerals.canonical(m) != m)
                            problems.push_back(label(package::kIndicators) + "：指标 " + d.id + " 的矿种 \"" + m +
                                               "\" 不是 " + label(package::kMinerals) + " 中的规范名称 / unknown mineral");
            // The county split the planner edits (指标分解): its rows against the indicators, before build stores it.
            auto alloc = f.table_sources.find(monitor::kCountyAllocationTable);
            std::error_code ec;
            if (alloc != f.table_sources.end() && fs::is_regular_file(alloc->second, ec))
                collect(problems, [&] { monitor::read_split_file(alloc->second, set, {}); });
        });
    }
}

}  // namespace

fs::path resolve_source(const std::string& source, const fs::path& dir, const fs::path& shared_dir) {
    if (source.rfind('@', 0) == 0) {
        auto slash = source.find('/');
        if (slash != std::string::npos) return shared_dir / source.substr(1, slash - 1) / source.substr(slash + 1);
        return shared_dir / source.substr(1);
    }
    return dir / source;
}

PlanFolder read_plan_folder(const fs::path& dir, const fs::path& shared, const fs::path& schema_dir,
                            std::vector<std::string>& problems) {
    PlanFolder f;
    const fs::path manifest_file = dir / package::kManifest;
    if (auto text = read_file(manifest_file, problems)) {
        try {
            f.manifest = json::parse(*text);
            if (!f.manifest.is_object()) throw InputError(manifest_file.string() + "：应为 JSON 对象 / must be a JSON object");
            check_manifest(f.manifest, manifest_file, problems);
            f.package[package::kManifest] = *text;
        } catch (const json::exception& e) {
            problems.push_back(manifest_file.string() + "：JSON 语法错误 / syntax error: " + e.what());
            f.manifest = json::object();
        } catch (const InputError& e) {
            problems.push_back(e.what());
            f.manifest = json::object();
        }
    }
    const json paths = f.manifest.value("package", json::object());
    auto source_of = [&](const char* key, const char* fallback) {
        return paths.is_object() && paths.contains(key) && paths[key].is_string() ? paths[key].get<std::string>() : fallback;
    };
    std::vector<fs::path> schemas;
    if (!schema_dir.empty()) schemas.push_back(schema_dir);
    else if (paths.is_object() && paths.contains("schema") && paths["schema"].is_array())
        for (const auto& s : paths["schema"]) schemas.push_back(resolve_source(s.is_string() ? s.get<std::string>() : "", dir, shared));
    else schemas.push_back(resolve_source(source_of("schema", kDefaultSchema), dir, shared));
    collect(problems, [&] { f.schemas = SchemaRegistry::load(schemas); });
    choose_tables(f, dir, shared, manifest_file, problems);

    std::map<std::string, fs::path> files;
    for (const auto& e : kPackage) {
        files[e.name] = resolve_source(source_of(e.key, e.default_source), dir, shared);
        if (auto text = read_file(files[e.name], problems)) f.package[e.name] = std::move(*text);
    }
    // Optional: a plan without qc.json is checked with the defaults (docs/qc.md).
    const fs::path qc = resolve_source(source_of("qc", package::kQc), dir, shared);
    std::error_code ec;
    if (fs::is_regular_file(qc, ec) || (paths.is_object() && paths.contains("qc"))) {
        if (auto text = read_file(qc, problems)) {
            f.package[package::kQc] = *text;
            collect(problems, [&] { services::qc::parse_config(*text, qc.string(), f.schemas.tables()); });
        }
    }
    check_package(f, files, problems);
    return f;
}

}  // namespace minplan::plan
