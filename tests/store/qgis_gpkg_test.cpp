// GeoPackage only: it reads the GeoPackage tables QGIS opens (gpkg_contents, gpkg_metadata, qgis_projects); the
// PostGIS styles (public.layer_styles) are tested by Pg/PgCli.BuildIntoPostgisWritesTheStylesQgisReads.
// What QGIS reads from the built plan database (issue 19): default styles in layer_styles, Chinese
// aliases and value maps, titles in gpkg_contents, gpkg_metadata, the project in qgis_projects, and
// minplan's own tables out of the layer list. Expectations come from the plan's files (schemas, code
// table CSVs, styles.json, plan.json, rules.json) read here independently, and from the EPSG registry.
#include <gtest/gtest.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "../plan/plan_fixture.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::testing {
namespace {

using nlohmann::json;

json read_json(const fs::path& p) { return json::parse(read_bytes(p)); }

// A parsed XML document with XPath over the namespaces QML, SLD and ISO 19139 use.
class Xml {
public:
    explicit Xml(const std::string& text)
        : doc_(xmlReadMemory(text.data(), static_cast<int>(text.size()), "mem.xml", "UTF-8", XML_PARSE_NONET), xmlFreeDoc) {
        if (doc_) {
            ctx_.reset(xmlXPathNewContext(doc_.get()));
            for (auto [p, uri] : {std::pair{"se", "http://www.opengis.net/se"}, {"ogc", "http://www.opengis.net/ogc"},
                                  {"sld", "http://www.opengis.net/sld"}, {"gmd", "http://www.isotc211.org/2005/gmd"},
                                  {"gco", "http://www.isotc211.org/2005/gco"}})
                xmlXPathRegisterNs(ctx_.get(), reinterpret_cast<const xmlChar*>(p), reinterpret_cast<const xmlChar*>(uri));
        }
    }
    bool ok() const { return doc_ != nullptr; }
    // The string value of every node the expression selects.
    std::vector<std::string> all(const std::string& xpath) const {
        std::vector<std::string> out;
        std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> r(
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx_.get()), xmlXPathFreeObject);
        if (!r || !r->nodesetval) return out;
        for (int i = 0; i < r->nodesetval->nodeNr; ++i) {
            xmlChar* s = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
            out.emplace_back(s ? reinterpret_cast<const char*>(s) : "");
            xmlFree(s);
        }
        return out;
    }
    std::string one(const std::string& xpath) const {
        auto v = all(xpath);
        return v.empty() ? std::string("<none>") : v.front();
    }

private:
    struct CtxFree {
        void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
    };
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc_;
    std::unique_ptr<xmlXPathContext, CtxFree> ctx_;
};

// code → label_zh of a code table CSV (first two columns; labels and codes hold no ASCII comma).
std::map<std::string, std::string> code_labels(const fs::path& csv) {
    std::map<std::string, std::string> out;
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);  // header: code,label_zh,…
    while (std::getline(in, line)) {
        auto a = line.find(','), b = line.find(',', a + 1);
        if (a != std::string::npos) out[line.substr(0, a)] = line.substr(a + 1, b - a - 1);
    }
    return out;
}

struct Layer {
    json schema;
    bool spatial;
};

// Plan layers and tables of the shipped plan, by database code, from the schema files.
std::map<std::string, Layer> shipped_layers() {
    std::map<std::string, Layer> out;
    for (const auto& dir : {schema_tables_dir(), plan_source_dir() / "schema"})
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".json") {
                json s = read_json(e.path());
                out[s["code"]] = {s, s.value("geometry", "none") != "none"};
            }
    return out;
}

class QgisGpkg : public ::testing::Test {
protected:
    static void SetUpTestSuite() { db_ = new store::SqliteDb(built_plan(), store::SqliteDb::Mode::ReadOnly); }
    static void TearDownTestSuite() { delete db_; }
    static store::SqliteDb& db() { return *db_; }
    static std::vector<std::vector<std::string>> rows(const std::string& sql, int columns) {
        std::vector<std::vector<std::string>> out;
        auto st = db().prepare(sql);
        while (st.step()) {
            std::vector<std::string> r;
            for (int i = 0; i < columns; ++i) r.push_back(st.is_null(i) ? "" : st.text(i));
            out.push_back(std::move(r));
        }
        return out;
    }
    static inline store::SqliteDb* db_ = nullptr;
};

TEST_F(QgisGpkg, EveryLayerHasOneDefaultStyleWithAliasesAndValueMaps) {
    const auto layers = shipped_layers();
    std::map<std::string, std::map<std::string, std::string>> codes;  // code table id → code → label
    for (const auto& [code, l] : layers)
        if (l.schema["id"].get<std::string>().rfind("code_", 0) == 0 && l.schema.contains("source_file") &&
            l.schema["source_file"].get<std::string>().rfind("@schema/", 0) == 0)
            codes[l.schema["id"]] = code_labels(source_dir() / "data" / "schema" / l.schema["source_file"].get<std::string>().substr(8));
    ASSERT_TRUE(codes.count("code_kinds"));
    // geometry_source is not a code table: its labels are the style's (styles.json "schematic.labels").
    const json style = read_json(source_dir() / "data" / "schema" / "styles.json");

    std::size_t checked = 0;
    for (const auto& [code, l] : layers) {
        SCOPED_TRACE(code);
        auto styles = rows("SELECT styleQML, styleSLD, f_geometry_column FROM layer_styles WHERE useAsDefault = 1 AND f_table_name = '" + code + "'", 3);
        ASSERT_EQ(styles.size(), 1u) << "one default style per layer";
        Xml qml(styles[0][0]);
        ASSERT_TRUE(qml.ok());
        for (const auto& f : l.schema["fields"]) {
            const std::string fc = f["code"];
            EXPECT_EQ(qml.one("/qgis/aliases/alias[@field='" + fc + "']/@name"), f["alias_zh"].get<std::string>());
            if (!f.contains("codes")) continue;
            // The value map: label → code for every row of the code table, nothing else.
            std::map<std::string, std::string> shown;
            const std::string base = "/qgis/fieldConfiguration/field[@name='" + fc + "']/editWidget[@type='ValueMap']/config/Option/Option[@name='map']/Option/Option";
            auto names = qml.all(base + "/@name"), values = qml.all(base + "/@value");
            ASSERT_EQ(names.size(), values.size());
            for (std::size_t i = 0; i < names.size(); ++i) shown[values[i]] = names[i];
            EXPECT_EQ(shown, codes[f["codes"].get<std::string>()]) << fc;
        }
        if (l.spatial) {
            // Added by the builder to every spatial layer: 几何来源 with its Chinese labels.
            EXPECT_EQ(qml.one("/qgis/aliases/alias[@field='JHLY']/@name"), "几何来源");
            EXPECT_EQ(qml.one("/qgis/fieldConfiguration/field[@name='JHLY']//Option[@value='schematic']/@name"),
                      style["schematic"]["labels"]["schematic"].get<std::string>());
            auto geom = rows("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = '" + code + "'", 1);
            ASSERT_EQ(geom.size(), 1u);
            EXPECT_EQ(styles[0][2], geom[0][0]) << "QGIS looks the style up by geometry column";
            Xml sld(styles[0][1]);
            ASSERT_TRUE(sld.ok());
            EXPECT_EQ(sld.one("//sld:NamedLayer/se:Name"), code);
            EXPECT_EQ(sld.all("//se:Rule").size() >= 2, true);
        } else {
            EXPECT_EQ(styles[0][2], "");
        }
        ++checked;
    }
    EXPECT_GE(checked, 50u);
}

TEST_F(QgisGpkg, StylesAreThePlansColoursWithADashedSchematicVariantAndHaloLabels) {
    auto qml_text = rows("SELECT styleQML, styleSLD FROM layer_styles WHERE f_table_name = 'KAICQK'", 2);
    ASSERT_EQ(qml_text.size(), 1u);
    Xml qml(qml_text[0][0]), sld(qml_text[0][1]);
    // styles.json: mining_blocks fill #cb181d at 0.50 → 203,24,29 and alpha 0.5 × 255 = 127.5 → 128.
    EXPECT_EQ(qml.one("//symbol[@name='1']/layer[@class='SimpleFill']/Option/Option[@name='color']/@value"), "203,24,29,128");
    EXPECT_EQ(qml.one("//symbol[@name='1']/layer[@class='SimpleLine']/Option/Option[@name='use_custom_dash']/@value"), "0");
    // The schematic category: dashed 6 px on, 4 px off.
    EXPECT_EQ(qml.one("//categories/category[@value='schematic']/@symbol"), "0");
    EXPECT_EQ(qml.one("//symbol[@name='0']/layer[@class='SimpleLine']/Option/Option[@name='use_custom_dash']/@value"), "1");
    EXPECT_EQ(qml.one("//symbol[@name='0']/layer[@class='SimpleLine']/Option/Option[@name='customdash']/@value"), "6;4");
    EXPECT_EQ(qml.one("//categories/category[@value='schematic']/@label"), "开采规划区块（示意）");
    // Labels: the block id (GHQBH) with a white halo.
    EXPECT_EQ(qml.one("/qgis/@labelsEnabled"), "1");
    EXPECT_EQ(qml.one("//labeling/settings/text-style/@fieldName"), "GHQBH");
    EXPECT_EQ(qml.one("//labeling/settings/text-style/text-buffer/@bufferDraw"), "1");
    EXPECT_EQ(qml.one("//labeling/settings/text-style/text-buffer/@bufferColor"), "255,255,255,255");
    // SLD: the same colours and the dash array on the schematic rule (filter on JHLY = schematic).
    EXPECT_EQ(sld.one("//se:Rule[ogc:Filter/ogc:PropertyIsEqualTo]//se:SvgParameter[@name='stroke-dasharray']"), "6 4");
    EXPECT_EQ(sld.one("//se:Rule[ogc:Filter/ogc:PropertyIsNotEqualTo]//se:Fill/se:SvgParameter[@name='fill']"), "#cb181d");
    EXPECT_EQ(sld.one("//se:TextSymbolizer/se:Halo/se:Fill/se:SvgParameter[@name='fill']"), "#ffffff");
}

// styles.json "max_scale_denominator": N → QGIS draws the layer only at 1:N and larger (<qgis minScale=N> in the
// QML), every SLD rule carries MaxScaleDenominator N; a layer without it is drawn at every scale.
TEST_F(QgisGpkg, ScaleLimitsOfTheStyleReachQmlAndSld) {
    const json style = read_json(source_dir() / "data" / "schema" / "styles.json");
    std::map<std::string, std::string> code_of;
    for (const auto& [code, l] : shipped_layers()) code_of[l.schema["id"].get<std::string>()] = code;
    std::size_t limited = 0;
    for (const auto& l : style["layers"]) {
        const std::string id = l["layer"];
        if (!code_of.count(id)) continue;
        SCOPED_TRACE(id);
        auto styles = rows("SELECT styleQML, styleSLD FROM layer_styles WHERE useAsDefault = 1 AND f_table_name = '" + code_of[id] + "'", 2);
        ASSERT_EQ(styles.size(), 1u);
        Xml qml(styles[0][0]), sld(styles[0][1]);
        if (l.contains("max_scale_denominator")) {
            ++limited;
            const auto n = std::to_string(l["max_scale_denominator"].get<long long>());
            EXPECT_EQ(qml.one("/qgis/@hasScaleBasedVisibilityFlag"), "1");
            EXPECT_EQ(qml.one("/qgis/@minScale"), n);
            const auto rules = sld.all("//se:Rule/se:Name");
            const auto limits = sld.all("//se:Rule/se:MaxScaleDenominator");
            EXPECT_EQ(limits.size(), rules.size()) << "every rule, labels included";
            for (const auto& v : limits) EXPECT_EQ(v, n);
        } else {
            EXPECT_TRUE(qml.all("/qgis/@hasScaleBasedVisibilityFlag").empty());
            EXPECT_TRUE(sld.all("//se:MaxScaleDenominator").empty());
        }
    }
    EXPECT_GE(limited, 1u) << "the shipped style limits at least one layer (the geo-environment patches)";
}

TEST_F(QgisGpkg, LayerListHasChineseTitlesAndNoInternalTables) {
    // minplan's own tables stay out of the layer list; the history layers (retired features, issue 12) are
    // plan data and carry a Chinese title saying so.
    EXPECT_TRUE(rows("SELECT table_name FROM gpkg_contents WHERE table_name LIKE 'minplan%' AND table_name NOT LIKE 'minplan_hist_%'", 1).empty());
    auto hist = rows("SELECT identifier FROM gpkg_contents WHERE table_name = 'minplan_hist_KAICQK'", 1);
    ASSERT_EQ(hist.size(), 1u);
    EXPECT_EQ(hist[0][0], "开采规划区块（历史）");
    auto kaicqk = rows("SELECT identifier, description FROM gpkg_contents WHERE table_name = 'KAICQK'", 2);
    ASSERT_EQ(kaicqk.size(), 1u);
    EXPECT_EQ(kaicqk[0][0], "开采规划区块");  // styles.json legend_zh
    EXPECT_NE(kaicqk[0][1], kaicqk[0][0]);
    EXPECT_NE(kaicqk[0][1].find("KAICQK"), std::string::npos);
    // Through GDAL (the store): the plan's layers are all there, minplan's and QGIS's tables are not.
    auto store = store::open_store(built_plan().string());
    std::set<std::string> codes;
    for (const auto& l : store->layers()) codes.insert(l.code);
    for (const auto& [code, l] : shipped_layers()) EXPECT_TRUE(codes.count(code)) << code;
    for (const char* hidden : {"minplan_schema", "minplan_metadata", "minplan_package", "layer_styles", "qgis_projects"})
        EXPECT_FALSE(codes.count(hidden)) << hidden;
    EXPECT_EQ(store->metadata("id").value_or(""), "datong-2021-2025");  // minplan's tables still read
    // gpkg_data_columns: the alias as the column's title.
    EXPECT_EQ(rows("SELECT title FROM gpkg_data_columns WHERE table_name = 'KAICQK' AND column_name = 'GHQBH'", 1).at(0).at(0), "规划区块编号");
}

TEST_F(QgisGpkg, DatasetMetadataIsIso19115AndEachLayerHasQgisMetadata) {
    const json plan = read_json(plan_source_dir() / "plan.json");
    const json settings = read_json(plan_source_dir() / "rules.json")["settings"];
    auto iso = rows("SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
                    " WHERE r.reference_scope = 'geopackage' AND m.md_standard_uri = 'http://www.isotc211.org/2005/gmd'", 1);
    ASSERT_EQ(iso.size(), 1u);
    Xml x(iso[0][0]);
    ASSERT_TRUE(x.ok());
    EXPECT_EQ(x.one("//gmd:identificationInfo//gmd:citation//gmd:title/gco:CharacterString"), plan["name_zh"].get<std::string>());
    EXPECT_EQ(x.one("//gmd:contact//gmd:organisationName/gco:CharacterString"), settings["issuing_unit_zh"].get<std::string>());
    EXPECT_EQ(x.one("//gmd:referenceSystemIdentifier//gmd:code/gco:CharacterString"), "EPSG:4490");
    const std::string abstract = x.one("//gmd:abstract/gco:CharacterString");
    EXPECT_NE(abstract.find(plan["period"].get<std::string>()), std::string::npos);
    EXPECT_NE(abstract.find("示意"), std::string::npos) << "schematic notice";
    // Datong lies in 112°34′–114°34′ E, 39°03′–40°44′ N (glossary): the bounding box says so.
    EXPECT_NEAR(std::stod(x.one("//gmd:westBoundLongitude/gco:Decimal")), 112.6, 0.3);
    EXPECT_NEAR(std::stod(x.one("//gmd:northBoundLatitude/gco:Decimal")), 40.7, 0.3);
    // A QGIS layer metadata document per layer, referenced by its table.
    auto qmd = rows("SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
                    " WHERE r.reference_scope = 'table' AND r.table_name = 'KAICQK'", 1);
    ASSERT_EQ(qmd.size(), 1u);
    EXPECT_EQ(Xml(qmd[0][0]).one("/qgis/title"), "开采规划区块");
    EXPECT_EQ(rows("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'gpkg_metadata'", 1).at(0).at(0), "gpkg_metadata");
}

std::string unzip_one(const std::string& zip_bytes, const TempDir& dir) {
    const fs::path z = dir / "p.qgz";
    std::ofstream(z, std::ios::binary) << zip_bytes;
    std::string out;
    std::unique_ptr<FILE, decltype(&pclose)> p(popen(("unzip -p '" + z.string() + "'").c_str(), "r"), pclose);
    char buf[65536];
    for (std::size_t n; p && (n = fread(buf, 1, sizeof buf, p.get())) > 0;) out.append(buf, n);
    return out;
}

std::string from_hex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
    return out;
}

void expect_project(const std::string& qgs, const std::string& datasource_file, const std::string& epsg) {
    Xml p(qgs);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.one("/qgis/projectCrs/spatialrefsys/authid"), epsg);
    EXPECT_EQ(p.one("/qgis/mapcanvas/destinationsrs/spatialrefsys/authid"), epsg);
    // Every layer refers to a table of the database.
    std::set<std::string> tables;
    for (const auto& [code, l] : shipped_layers()) tables.insert(code);
    auto sources = p.all("/qgis/projectlayers/maplayer/datasource");
    EXPECT_GE(sources.size(), tables.size());
    for (const auto& s : sources) {
        const std::string prefix = datasource_file + "|layername=";
        ASSERT_EQ(s.rfind(prefix, 0), 0u) << s;
        EXPECT_TRUE(tables.count(s.substr(prefix.size()))) << s;
    }
    // Groups as a planner sorts them, and the top of the tree is the top of the drawing order.
    for (const char* g : {"行政区", "规划分区", "规划区块", "管控范围", "矿业权", "地质环境"})
        EXPECT_EQ(p.all(std::string("/qgis/layer-tree-group/layer-tree-group[@name='") + g + "']").size(), 1u) << g;
    EXPECT_EQ(p.one("/qgis/layer-tree-group/layer-tree-group[1]/@name"), "矿业权");
    EXPECT_EQ(p.one("/qgis/layer-tree-group/layer-tree-group[@name='行政区']/layer-tree-layer[last()]/@name"), "县级行政区");
    // Layers keep their styles in the project.
    EXPECT_EQ(p.one("/qgis/projectlayers/maplayer[id='minplan_KAICQK']/aliases/alias[@field='GHQBH']/@name"), "规划区块编号");
    // The A3 print layout (QgsLayoutItemRegistry: page 65638, map 65639, picture 65640, label 65641,
    // legend 65642, scale bar 65646) with the map linked to legend, scale bar and north arrow.
    const std::string layout = "/qgis/Layouts/Layout[@name='A3 规划图']";
    EXPECT_EQ(p.one(layout + "/PageCollection/LayoutItem/@size"), "420,297,mm");
    const std::string map_uuid = p.one(layout + "/LayoutItem[@type='65639']/@uuid");
    EXPECT_EQ(p.one(layout + "/LayoutItem[@type='65642']/@map_uuid"), map_uuid);
    EXPECT_EQ(p.one(layout + "/LayoutItem[@type='65646']/@mapUuid"), map_uuid);
    EXPECT_EQ(p.one(layout + "/LayoutItem[@type='65640']/@mapUuid"), map_uuid);
    EXPECT_EQ(p.one(layout + "/LayoutItem[@type='65639']/crs/spatialrefsys/authid"), epsg);
    bool note = false;
    for (const auto& t : p.all(layout + "/LayoutItem[@type='65641']/@labelText")) note = note || t.find("示意") != std::string::npos;
    EXPECT_TRUE(note) << "the schematic note is on the sheet";
    // The canvas extent is in metres of the Gauss–Krüger zone (eastings without prefix: a few hundred km).
    const double xmin = std::stod(p.one("/qgis/mapcanvas/extent/xmin"));
    EXPECT_GT(xmin, 200000);
    EXPECT_LT(xmin, 800000);
}

TEST_F(QgisGpkg, ProjectInsideTheDatabaseUsesTheGaussKrugerZoneOfThePlan) {
    auto project = rows("SELECT name, content FROM qgis_projects", 2);
    ASSERT_EQ(project.size(), 1u);
    EXPECT_EQ(project[0][0], "datong-2021-2025");
    TempDir dir;
    // rules.json settings.gk_zone = 38 → CGCS2000 3° GK CM 114°E, EPSG:4547 (zone 25 = 4534 … zone 45 = 4554).
    expect_project(unzip_one(from_hex(project[0][1]), dir), "./" + built_plan().filename().string(), "EPSG:4547");
}

TEST(QgisProjectCli, WritesAQgzReferringToTheDatabaseRelatively) {
    TempDir dir;
    fs::path db = copy_of_plan(dir, "plan.gpkg");
    fs::create_directories(dir / "maps");
    CliResult r = run_cli({"--db", db.string(), "qgis-project", "--out", (dir / "maps" / "plan.qgz").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("EPSG:4547"), std::string::npos) << r.out;
    expect_project(unzip_one(read_bytes(dir / "maps" / "plan.qgz"), dir), "../plan.gpkg", "EPSG:4547");
    CliResult bad = run_cli({"--db", db.string(), "qgis-project", "--out", (dir / "plan.qgs").string()});
    EXPECT_NE(bad.code, 0);
    EXPECT_NE(bad.err.find(".qgz"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(dir / "plan.qgs"));
}

// A plan's own style with mistakes: build names the file, the layer entry and what was expected, and
// writes nothing.
TEST(QgisStyleFile, BadStyleOfAPlanIsRefusedWithItsFileAndEntry) {
    TempDir dir;
    const fs::path plan = dir / "plan";
    fs::copy(test_data_dir() / "plans" / "fictional-county-2021-2025", plan, fs::copy_options::recursive);
    json manifest = read_json(plan / "plan.json");
    manifest["package"]["styles"] = "styles.json";
    std::ofstream(plan / "plan.json") << manifest.dump(1);
    json style = read_json(source_dir() / "data" / "schema" / "styles.json");
    style["layers"][0]["fill"] = "red";                      // not #rrggbb
    style["layers"][1]["layer"] = "no_such_layer";           // not a layer of the plan
    style["layers"][2]["label_field"] = "no_such_field";     // control_lines has no such field
    std::ofstream(plan / "styles.json") << style.dump(1);
    CliResult r = run_cli({"build", "--plan", plan.string(), "--out", (dir / "out.gpkg").string()});
    EXPECT_NE(r.code, 0);
    const std::string file = (plan / "styles.json").string();
    EXPECT_NE(r.err.find(file + " layers[0]：键 \"fill\" 应为 #rrggbb"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out.gpkg"));
    style["layers"][0]["fill"] = "#ff0000";
    std::ofstream(plan / "styles.json") << style.dump(1);
    r = run_cli({"build", "--plan", plan.string(), "--out", (dir / "out.gpkg").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("图层 \"no_such_layer\" 不是规划的空间图层"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("标注字段 \"no_such_field\" 不存在"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out.gpkg"));
}

std::string one_value(const fs::path& gpkg, const std::string& sql) {
    store::SqliteDb db(gpkg, store::SqliteDb::Mode::ReadOnly);
    auto st = db.prepare(sql);
    return st.step() ? st.text(0) : std::string();
}

// Issue 19 item 5: the style travels with an exported layer (inside a GeoPackage; as the .qml/.sld sidecar
// QGIS loads by itself beside a Shapefile or GeoJSON), and an import refreshes the metadata's version.
TEST(QgisExchange, ExportsCarryTheStyleAndAnImportRefreshesTheMetadata) {
    TempDir dir;
    fs::path db = copy_of_plan(dir, "plan.gpkg");
    const std::string qml = one_value(db, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'KAICQK' AND useAsDefault");
    ASSERT_FALSE(qml.empty());
    ASSERT_EQ(run_cli({"--db", db.string(), "export", "mining_blocks", (dir / "blocks.gpkg").string()}).code, 0);
    EXPECT_EQ(one_value(dir / "blocks.gpkg", "SELECT styleQML FROM layer_styles WHERE f_table_name = 'KAICQK' AND useAsDefault"), qml);
    EXPECT_EQ(one_value(dir / "blocks.gpkg", "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"), "attributes");
    ASSERT_EQ(run_cli({"--db", db.string(), "export", "mining_blocks", (dir / "blocks.shp").string()}).code, 0);
    EXPECT_EQ(read_bytes(dir / "blocks.qml"), qml);
    EXPECT_TRUE(Xml(read_bytes(dir / "blocks.sld")).ok());

    auto edition = [&] {
        const auto iso = one_value(db, "SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
                                       " WHERE r.reference_scope = 'geopackage'");
        return Xml(iso).one("//gmd:edition/gco:CharacterString");
    };
    const std::string before = edition();
    CliResult r = run_cli({"--db", db.string(), "import", "mining_blocks", (dir / "blocks.gpkg").string(), "--force"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto version = store::open_database(db.string())->version();
    EXPECT_EQ(edition(), std::to_string(version));
    EXPECT_NE(edition(), before);
    // Rewritten, not added: one dataset document, one default style per layer.
    EXPECT_EQ(one_value(db, "SELECT count(*) FROM gpkg_metadata_reference WHERE reference_scope = 'geopackage'"), "1");
    EXPECT_EQ(one_value(db, "SELECT count(*) FROM layer_styles WHERE f_table_name = 'KAICQK'"), "1");
}

}  // namespace
}  // namespace minplan::testing
