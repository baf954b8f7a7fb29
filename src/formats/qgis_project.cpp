#include "formats/qgis_project.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "formats/xml_writer.hpp"

namespace minplan::formats {

namespace {

void srs(XmlWriter& w, const char* element, int epsg, const std::string& wkt = {}) {
    w.open(element).open("spatialrefsys").attr("nativeFormat", "Wkt");
    if (!wkt.empty()) w.leaf("wkt", wkt);
    w.leaf("authid", "EPSG:" + std::to_string(epsg));
    w.leaf("srid", std::to_string(epsg));
    w.close().close();
}

std::string layer_id(const ProjectLayer& l) { return "minplan_" + l.styled.schema.code; }

std::string source_of(const ProjectSpec& p, const ProjectLayer& l) { return p.datasource + "|layername=" + l.styled.schema.code; }

void tree_layer(XmlWriter& w, const ProjectSpec& p, const ProjectLayer& l, bool checked) {
    w.open("layer-tree-layer").attr("id", layer_id(l)).attr("name", l.title_zh).attr("source", source_of(p, l))
        .attr("providerKey", "ogr").attr("checked", checked ? "Qt::Checked" : "Qt::Unchecked").attr("expanded", "0")
        .open("customproperties").close().close();
}

// The layer tree lists what is drawn on top first: groups by their topmost layer, layers top down; the
// tables (no geometry) in a closed group at the end. The legend of the print layout shows the same groups
// without the tables.
void layer_tree(XmlWriter& w, const ProjectSpec& p, bool with_tables) {
    std::vector<const ProjectLayer*> spatial, tables;
    for (const auto& l : p.layers) (l.styled.schema.spatial ? spatial : tables).push_back(&l);
    std::vector<std::string> groups;
    std::map<std::string, std::vector<const ProjectLayer*>> members;
    for (auto it = spatial.rbegin(); it != spatial.rend(); ++it) {
        const std::string& g = (*it)->styled.style.group_zh;
        if (!members.count(g)) groups.push_back(g);
        members[g].push_back(*it);
    }
    w.open("layer-tree-group").open("customproperties").close();
    for (const auto& g : groups) {
        w.open("layer-tree-group").attr("name", g).attr("checked", "Qt::Checked").attr("expanded", "1").open("customproperties").close();
        for (const auto* l : members[g]) tree_layer(w, p, *l, true);
        w.close();
    }
    if (with_tables && !tables.empty()) {
        w.open("layer-tree-group").attr("name", "规划表格（无几何）").attr("checked", "Qt::Unchecked").attr("expanded", "0")
            .open("customproperties").close();
        for (const auto* l : tables) tree_layer(w, p, *l, false);
        w.close();
    }
    if (with_tables) w.open("custom-order").attr("enabled", "0").close();
    w.close();
}

// Fixed ids: the layout's items refer to the map by uuid.
constexpr const char* kMapUuid = "{6d696e70-6c61-6e00-0000-00000000000a}";

void layout_item(XmlWriter& w, int type, const char* uuid, double x, double y, double width, double height, bool framed = false) {
    constexpr int kPage = 65638;  // under everything: its white background would hide the map
    w.open("LayoutItem").attr("type", std::to_string(type)).attr("uuid", uuid).attr("templateUuid", uuid)
        .attr("position", fmt::format("{:g},{:g},mm", x, y)).attr("positionOnPage", fmt::format("{:g},{:g},mm", x, y))
        .attr("size", fmt::format("{:g},{:g},mm", width, height)).attr("referencePoint", "0").attr("zValue", type == kPage ? "0" : "1")
        .attr("visibility", "1").attr("opacity", "1").attr("frame", framed ? "true" : "false").attr("background", framed ? "true" : "false")
        .attr("positionLock", "false").attr("itemRotation", "0").attr("id", "").attr("groupUuid", "")
        .attr("excludeFromExports", "0").attr("blendMode", "0").attr("outlineWidthM", "0.3,mm").attr("frameJoinStyle", "miter");
}

void label_item(XmlWriter& w, const char* uuid, double x, double y, double width, double height, const std::string& text, int points) {
    layout_item(w, 65641, uuid, x, y, width, height);
    w.attr("labelText", text).attr("htmlState", "0").attr("marginX", "1").attr("marginY", "1").attr("halign", "1").attr("valign", "32");
    w.open("LabelFont").attr("style", "").attr("description", fmt::format("Noto Sans CJK SC,{},-1,5,50,0,0,0,0,0", points)).close();
    w.open("FontColor").attr("red", "0").attr("green", "0").attr("blue", "0").attr("alpha", "255").close();
    w.close();
}

// An A3 landscape sheet: title, the map, legend, scale bar, north arrow and the schematic note.
void print_layout(XmlWriter& w, const ProjectSpec& p) {
    constexpr double kPageW = 420, kPageH = 297, kMapX = 10, kMapY = 22, kMapW = 280, kMapH = 265;
    w.open("Layouts").open("Layout").attr("name", "A3 规划图").attr("units", "mm").attr("printResolution", "300").attr("worldFileMap", "");
    w.open("PageCollection");
    layout_item(w, 65638, "{6d696e70-6c61-6e00-0000-000000000001}", 0, 0, kPageW, kPageH);
    w.close();
    w.close();
    // The map's extent: the plan's, widened to the frame's proportions.
    Bounds e = p.display_extent;
    const double cx = (e.min_x + e.max_x) / 2, cy = (e.min_y + e.max_y) / 2;
    double half_w = (e.max_x - e.min_x) / 2 * 1.05, half_h = (e.max_y - e.min_y) / 2 * 1.05;
    if (half_w / half_h < kMapW / kMapH) half_w = half_h * kMapW / kMapH;
    else half_h = half_w * kMapH / kMapW;
    layout_item(w, 65639, kMapUuid, kMapX, kMapY, kMapW, kMapH, true);
    w.attr("keepLayerSet", "false").attr("drawCanvasItems", "true")
        .attr("mapRotation", "0").attr("followPreset", "false").attr("followPresetName", "").attr("mapFlags", "1")
        .attr("labelMargin", "0,mm").attr("isTemporal", "0");
    w.open("Extent").attr("xmin", cx - half_w).attr("ymin", cy - half_h).attr("xmax", cx + half_w).attr("ymax", cy + half_h).close();
    srs(w, "crs", p.display_epsg, p.display_wkt);
    w.open("LayerSet").close();
    w.close();
    label_item(w, "{6d696e70-6c61-6e00-0000-000000000002}", kMapX, 6, kPageW - 20, 14, p.title_zh + " 规划图", 20);
    layout_item(w, 65642, "{6d696e70-6c61-6e00-0000-000000000003}", kMapX + kMapW + 6, kMapY, kPageW - kMapX - kMapW - 16, 200);
    w.attr("map_uuid", kMapUuid).attr("title", "图例").attr("resizeToContents", "1").attr("symbolWidth", "7").attr("symbolHeight", "4")
        .attr("columnCount", "2").attr("splitLayer", "1").attr("equalColumnWidth", "0").attr("columnSpace", "3")
        .attr("legendFilterByAtlas", "0").attr("wrapChar", "").attr("titleAlignment", "1");
    // Fonts for an A3 sheet with some fifteen layers, each with a solid and a dashed (schematic) entry.
    w.open("styles");
    for (const auto& [name, points, margin] : {std::tuple{"title", 14, "3"}, {"group", 10, "2"}, {"subgroup", 8, "1.5"}, {"symbol", 8, "1"}, {"symbolLabel", 7, "1"}}) {
        w.open("style").attr("name", name).attr("alignment", "1").attr("indent", "0").attr(name == std::string("title") ? "marginBottom" : "marginTop", margin);
        w.open("styleFont").attr("style", "").attr("description", fmt::format("Noto Sans CJK SC,{},-1,5,50,0,0,0,0,0", points)).close();
        w.close();
    }
    w.close();
    layer_tree(w, p, false);  // a custom legend: the plan's layers, not its tables
    w.close();
    // Segments sized by QGIS to a round number of km for a bar 30–60 mm wide (fit-width mode).
    layout_item(w, 65646, "{6d696e70-6c61-6e00-0000-000000000004}", kMapX + 4, kMapY + kMapH - 16, 90, 12);
    w.attr("mapUuid", kMapUuid).attr("style", "Single Box").attr("unitType", "km").attr("unitLabel", "千米")
        .attr("numSegments", "2").attr("numSegmentsLeft", "0").attr("numUnitsPerSegment", "10").attr("segmentSizeMode", "1").attr("minBarWidth", "30").attr("maxBarWidth", "60")
        .attr("numMapUnitsPerScaleBarUnit", "1").attr("height", "3").attr("labelBarSpace", "3").attr("boxContentSpace", "1")
        .attr("alignment", "0");
    w.close();
    layout_item(w, 65640, "{6d696e70-6c61-6e00-0000-000000000005}", kMapX + kMapW - 20, kMapY + 4, 14, 20);
    w.attr("file", ":/images/north_arrows/layout_default_north_arrow.svg").attr("mapUuid", kMapUuid).attr("northMode", "0")
        .attr("northOffset", "0").attr("pictureRotation", "0").attr("resizeMode", "0").attr("mode", "2").attr("anchorPoint", "0");
    w.close();
    label_item(w, "{6d696e70-6c61-6e00-0000-000000000006}", kMapX + kMapW + 6, kMapY + kMapH - 30, kPageW - kMapX - kMapW - 16, 30,
               "注：" + p.schematic_note_zh + "。坐标系：CGCS2000 3° 高斯—克吕格投影（EPSG:" + std::to_string(p.display_epsg) + "）。", 9);
    w.close().close();
}

}  // namespace

std::string qgis_project_xml(const ProjectSpec& p) {
    XmlWriter w;
    w.doctype("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM");
    w.open("qgis").attr("projectname", p.title_zh).attr("version", "3.22.0");
    w.open("homePath").attr("path", "").close();
    w.leaf("title", p.title_zh);
    srs(w, "projectCrs", p.display_epsg, p.display_wkt);

    layer_tree(w, p, true);

    w.open("mapcanvas").attr("name", "theMapCanvas").attr("annotationsVisible", "1");
    w.leaf("units", "meters");
    w.open("extent").leaf("xmin", short_number(p.display_extent.min_x)).leaf("ymin", short_number(p.display_extent.min_y))
        .leaf("xmax", short_number(p.display_extent.max_x)).leaf("ymax", short_number(p.display_extent.max_y)).close();
    w.leaf("rotation", "0");
    srs(w, "destinationsrs", p.display_epsg, p.display_wkt);
    w.leaf("rendermaptile", "0");
    w.close();

    w.open("projectlayers");
    for (const auto& l : p.layers) {
        w.open("maplayer").attr("type", "vector").attr("autoRefreshEnabled", "0").attr("styleCategories", "AllStyleCategories");
        if (l.styled.schema.spatial) {
            w.attr("geometry", "Polygon").attr("wkbType", "MultiPolygon").attr("labelsEnabled", l.styled.style.label_field.empty() ? "0" : "1");
            qgis_scale_visibility(w, l.styled.style);
        } else w.attr("geometry", "No geometry").attr("wkbType", "NoGeometry");
        w.leaf("id", layer_id(l));
        w.leaf("datasource", source_of(p, l));
        w.leaf("layername", l.title_zh);
        if (l.styled.schema.spatial) srs(w, "srs", p.storage_epsg, p.storage_wkt);
        w.open("provider").attr("encoding", "UTF-8").text("ogr").close();
        write_layer_style(w, l.styled);
        w.close();
    }
    w.close();
    w.open("layerorder");
    for (const auto& l : p.layers)
        if (l.styled.schema.spatial) w.open("layer").attr("id", layer_id(l)).close();
    w.close();
    w.open("properties");
    w.open("Paths").open("Absolute").attr("type", "bool").text("false").close().close();
    // QGIS reads <projectCrs> only when the project says it is projected (ProjectionsEnabled).
    w.open("SpatialRefSys");
    w.open("ProjectionsEnabled").attr("type", "int").text("1").close();
    w.open("ProjectCrs").attr("type", "QString").text("EPSG:" + std::to_string(p.display_epsg)).close();
    w.close();
    w.close();
    print_layout(w, p);
    return w.finish();
}

std::string iso19115_xml(const DatasetInfo& d) {
    XmlWriter w;
    auto cs = [&](const char* element, const std::string& value) { w.open(element).leaf("gco:CharacterString", value).close(); };
    auto code = [&](const char* element, const char* list, const std::string& value) {
        w.open(element).open(list).attr("codeList", std::string("http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#") + list)
            .attr("codeListValue", value).text(value).close().close();
    };
    auto party = [&](const char* element, const std::string& org, const std::string& role) {
        w.open(element).open("gmd:CI_ResponsibleParty");
        cs("gmd:organisationName", org);
        code("gmd:role", "gmd:CI_RoleCode", role);
        w.close().close();
    };
    w.open("gmd:MD_Metadata").attr("xmlns:gmd", "http://www.isotc211.org/2005/gmd").attr("xmlns:gco", "http://www.isotc211.org/2005/gco");
    cs("gmd:fileIdentifier", d.id + ":" + d.version);
    w.open("gmd:language").open("gmd:LanguageCode").attr("codeList", "http://www.loc.gov/standards/iso639-2/").attr("codeListValue", "zho").text("zho").close().close();
    code("gmd:characterSet", "gmd:MD_CharacterSetCode", "utf8");
    code("gmd:hierarchyLevel", "gmd:MD_ScopeCode", "dataset");
    party("gmd:contact", d.issuing_body_zh, "publisher");
    w.open("gmd:dateStamp").leaf("gco:Date", d.date).close();
    w.open("gmd:referenceSystemInfo").open("gmd:MD_ReferenceSystem").open("gmd:referenceSystemIdentifier").open("gmd:RS_Identifier");
    cs("gmd:code", "EPSG:4490");
    cs("gmd:codeSpace", "EPSG");
    w.close().close().close().close();
    w.open("gmd:identificationInfo").open("gmd:MD_DataIdentification");
    w.open("gmd:citation").open("gmd:CI_Citation");
    cs("gmd:title", d.title_zh);
    w.open("gmd:date").open("gmd:CI_Date").open("gmd:date").leaf("gco:Date", d.date).close();
    code("gmd:dateType", "gmd:CI_DateTypeCode", "creation");
    w.close().close();
    cs("gmd:edition", d.version);
    w.close().close();
    cs("gmd:abstract", d.title_zh + "的规划数据库。规划层级：" + d.level_zh + "；规划期：" + d.period + "；规划范围：" +
                           d.jurisdiction_zh + "；坐标系：CGCS2000 地理坐标（EPSG:4490）。" + d.schematic_note_zh);
    party("gmd:pointOfContact", d.issuing_body_zh, "publisher");
    w.open("gmd:language").open("gmd:LanguageCode").attr("codeList", "http://www.loc.gov/standards/iso639-2/").attr("codeListValue", "zho").text("zho").close().close();
    w.open("gmd:topicCategory").leaf("gmd:MD_TopicCategoryCode", "planningCadastre").close();
    w.open("gmd:extent").open("gmd:EX_Extent");
    cs("gmd:description", d.jurisdiction_zh + "；规划期 " + d.period);
    w.open("gmd:geographicElement").open("gmd:EX_GeographicBoundingBox");
    w.open("gmd:westBoundLongitude").leaf("gco:Decimal", short_number(d.lonlat.min_x)).close();
    w.open("gmd:eastBoundLongitude").leaf("gco:Decimal", short_number(d.lonlat.max_x)).close();
    w.open("gmd:southBoundLatitude").leaf("gco:Decimal", short_number(d.lonlat.min_y)).close();
    w.open("gmd:northBoundLatitude").leaf("gco:Decimal", short_number(d.lonlat.max_y)).close();
    w.close().close().close().close();
    w.close().close();
    w.open("gmd:dataQualityInfo").open("gmd:DQ_DataQuality");
    w.open("gmd:scope").open("gmd:DQ_Scope");
    code("gmd:level", "gmd:MD_ScopeCode", "dataset");
    w.close().close();
    w.open("gmd:lineage").open("gmd:LI_Lineage");
    cs("gmd:statement", d.schematic_note_zh);
    for (const auto& [layer, source] : d.layer_sources) {
        w.open("gmd:source").open("gmd:LI_Source");
        cs("gmd:description", layer + "：" + source);
        w.close().close();
    }
    w.close().close().close().close();
    return w.finish();
}

std::string layer_qmd(const DatasetInfo& d, const std::string& layer_code, const std::string& title_zh,
                      const std::string& abstract_zh, int epsg) {
    XmlWriter w;
    w.doctype("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM");
    w.open("qgis").attr("version", "3.22.0");
    w.leaf("identifier", layer_code);
    w.leaf("parentidentifier", d.id);
    w.leaf("language", "zho");
    w.leaf("type", "dataset");
    w.leaf("title", title_zh);
    w.leaf("abstract", abstract_zh);
    w.open("contact").leaf("name", "").leaf("organization", d.issuing_body_zh).leaf("position", "").leaf("voice", "")
        .leaf("fax", "").leaf("email", "").leaf("role", "publisher").close();
    w.open("links").close();
    w.leaf("history", d.title_zh + "（版本 " + d.version + "，" + d.date + "）");
    w.leaf("fees", "");
    w.leaf("encoding", "UTF-8");
    if (epsg) srs(w, "crs", epsg);
    w.open("extent").close();
    return w.finish();
}

}  // namespace minplan::formats
