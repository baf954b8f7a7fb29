#include "plan/qgis_assets.hpp"

#include <filesystem>

#include "store/gpkg_qgis.hpp"
#include "store/plan_database.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/package.hpp"
#include "geo/crs.hpp"
#include "store/plan_store.hpp"

namespace minplan::plan {

namespace {

// The short title of a table: its legend label, else its Chinese name up to the first parenthesis.
std::string short_title(const TableSchema& s, const LayerStyle* style) {
    if (style) return style->legend_zh;
    const auto cut = s.name_zh.find("（");
    return cut == std::string::npos ? s.name_zh : s.name_zh.substr(0, cut);
}

std::string text_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

bool is_internal(const TableSchema& s) { return s.code.rfind("minplan_", 0) == 0 || s.id.rfind("minplan_", 0) == 0; }

formats::StyledLayer styled(const QgisInputs& in, const TableSchema& s, LayerStyle& storage) {
    const LayerStyle* own = in.style.find(s.id);
    storage = own ? *own : formats::neutral_style(s);
    formats::StyledLayer l{s, storage, in.style, {}};
    for (const auto& f : s.fields)
        if (!f.codes.empty())
            if (auto it = in.code_tables.find(f.codes); it != in.code_tables.end()) l.codes[f.name] = &it->second;
    return l;
}

// Spatial layers in the style's drawing order (layers it omits on top of them, as listed), then tables.
std::vector<const TableSchema*> ordered(const QgisInputs& in) {
    std::vector<const TableSchema*> out;
    for (const auto& ls : in.style.layers)
        for (const auto& s : in.schemas)
            if (s.id == ls.layer && s.spatial) out.push_back(&s);
    for (const auto& s : in.schemas)
        if (s.spatial && !in.style.find(s.id) && !is_internal(s)) out.push_back(&s);
    for (const auto& s : in.schemas)
        if (!s.spatial && !is_internal(s)) out.push_back(&s);
    return out;
}

formats::DatasetInfo dataset(const QgisInputs& in) {
    formats::DatasetInfo d;
    d.id = text_of(in.manifest, "id");
    d.title_zh = text_of(in.manifest, "name_zh");
    d.jurisdiction_zh = text_of(in.manifest, "jurisdiction_zh");
    d.period = text_of(in.manifest, "period");
    if (d.period.empty()) d.period = text_of(in.manifest, "period_start") + "-" + text_of(in.manifest, "period_end");
    const std::string level = text_of(in.manifest, "level_zh");
    d.level_zh = level.empty() ? (d.jurisdiction_zh.empty() ? "" : d.jurisdiction_zh + "级规划") : level;
    d.issuing_body_zh = text_of(in.settings, "issuing_unit_zh");
    if (d.issuing_body_zh.empty()) d.issuing_body_zh = d.jurisdiction_zh;
    d.version = in.version;
    d.schematic_note_zh = in.style.schematic_note_zh;
    d.date = fmt::format("{:%Y-%m-%d}", fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
    d.lonlat = in.city_lonlat;
    for (const auto* s : ordered(in)) d.layer_sources.emplace_back(s->code + " " + short_title(*s, in.style.find(s->id)), s->source_file.empty() ? "导入" : s->source_file);
    return d;
}

}  // namespace

int display_epsg(const QgisInputs& in) {
    int zone = 0;
    if (in.settings.is_object() && in.settings.contains("gk_zone") && in.settings["gk_zone"].is_number_integer())
        zone = in.settings["gk_zone"].get<int>();
    if (zone < 25 || zone > 45) zone = geo::gk3_zone_of((in.city_lonlat.min_x + in.city_lonlat.max_x) / 2);
    return geo::cgcs2000_gk3_epsg(zone, false);
}

store::QgisExtras qgis_extras(const QgisInputs& in) {
    store::QgisExtras x;
    const formats::DatasetInfo d = dataset(in);
    x.dataset_iso_xml = formats::iso19115_xml(d);
    for (const auto* s : ordered(in)) {
        LayerStyle storage;
        const formats::StyledLayer l = styled(in, *s, storage);
        store::QgisLayerExtras e;
        e.code = s->code;
        e.spatial = s->spatial;
        e.title_zh = short_title(*s, in.style.find(s->id));
        e.description_zh = s->name_zh + "；图层代码 " + s->code + (s->code_origin.empty() ? "" : "（" + s->code_origin + "）") +
                           (s->spatial ? "；坐标系 CGCS2000（EPSG:4490）" : "；属性表") + "；" + d.title_zh;
        e.style_name = e.title_zh;
        e.qml = formats::layer_qml(l);
        if (s->spatial) e.sld = formats::layer_sld(l);
        e.qmd = formats::layer_qmd(d, s->code, e.title_zh, e.description_zh, s->spatial ? 4490 : 0);
        for (const auto& f : s->fields) e.aliases.emplace_back(f.code, f.alias_zh);
        x.layers.push_back(std::move(e));
    }
    x.project_name = text_of(in.manifest, "id").empty() ? "plan" : text_of(in.manifest, "id");
    x.project_qgs = qgis_project(in);
    return x;
}

std::string qgis_project(const QgisInputs& in) {
    formats::ProjectSpec p;
    p.title_zh = text_of(in.manifest, "name_zh");
    p.datasource = in.datasource;
    p.display_epsg = display_epsg(in);
    p.display_wkt = geo::crs_wkt(p.display_epsg);
    p.storage_wkt = geo::crs_wkt(p.storage_epsg);
    p.schematic_note_zh = in.style.schematic_note_zh;
    const auto& b = in.city_lonlat;
    const geo::Transformer& t = geo::cached_transformer(geo::kCgcs2000Geographic, p.display_epsg);
    bool first = true;
    for (double lon : {b.min_x, (b.min_x + b.max_x) / 2, b.max_x})
        for (double lat : {b.min_y, b.max_y}) {
            const geo::Coord c = t.apply(geo::Coord{lon, lat});
            if (first) p.display_extent = {c.x, c.y, c.x, c.y};
            p.display_extent = {std::min(p.display_extent.min_x, c.x), std::min(p.display_extent.min_y, c.y),
                                std::max(p.display_extent.max_x, c.x), std::max(p.display_extent.max_y, c.y)};
            first = false;
        }
    std::vector<LayerStyle> storage(in.schemas.size());
    std::size_t i = 0;
    for (const auto* s : ordered(in)) p.layers.push_back({styled(in, *s, storage[i++]), short_title(*s, in.style.find(s->id))});
    return formats::qgis_project_xml(p);
}

QgisInputs qgis_inputs(const store::PlanStore& store, const std::string& datasource) {
    QgisInputs in;
    in.datasource = datasource;
    in.version = std::to_string(store.version());
    in.style = MapStyle::parse(package::required(store.package_file(package::kStyles), package::kStyles, store.location()),
                               store.location() + ":" + package::kStyles);
    in.manifest = nlohmann::json::parse(package::required(store.package_file(package::kManifest), package::kManifest, store.location()));
    in.settings = nlohmann::json::parse(package::required(store.package_file(package::kRules), package::kRules, store.location()))
                      .value("settings", nlohmann::json::object());
    for (const auto& info : store.layers()) {
        const TableSchema& s = store.schema(info.id);
        in.schemas.push_back(s);
        if (s.id.rfind("code_", 0) == 0) in.code_tables.emplace(s.id, CodeTable::from_rows(s.id, s.name_zh, store.read(s.id)));
    }
    bool first = true;
    for (const auto& f : store.read("admin_city")) {
        if (f.wkb.empty()) continue;
        const geo::Envelope e = geo::Geometry::from_wkb(f.wkb).envelope();
        if (first) in.city_lonlat = {e.min_x, e.min_y, e.max_x, e.max_y};
        in.city_lonlat = {std::min(in.city_lonlat.min_x, e.min_x), std::min(in.city_lonlat.min_y, e.min_y),
                          std::max(in.city_lonlat.max_x, e.max_x), std::max(in.city_lonlat.max_y, e.max_y)};
        first = false;
    }
    return in;
}

bool refresh_qgis_assets(store::PlanDatabase& db) {
    auto snapshot = db.snapshot();
    if (!snapshot->package_file(package::kStyles)) return false;
    const std::string datasource = "./" + std::filesystem::path(db.location()).filename().string();
    store::replace_qgis_extras(db, qgis_extras(qgis_inputs(*snapshot, datasource)));
    return true;
}

}  // namespace minplan::plan
