#include "formats/qgis_project.hpp"

#include <algorithm>
#include <map>

#include "formats/xml_writer.hpp"

namespace minplan::formats {

namespace {

void srs(XmlWriter& w, const char* element, int epsg) {
    w.open(element).open("spatialrefsys").attr("nativeFormat", "Wkt");
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

}  // namespace

std::string qgis_project_xml(const ProjectSpec& p) {
    XmlWriter w;
    w.doctype("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM");
    w.open("qgis").attr("projectname", p.title_zh).attr("version", "3.22.0");
    w.open("homePath").attr("path", "").close();
    w.leaf("title", p.title_zh);
    srs(w, "projectCrs", p.display_epsg);

    // The layer tree lists what is drawn on top first: groups by their topmost layer, layers top down.
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
    if (!tables.empty()) {
        w.open("layer-tree-group").attr("name", "规划表格（无几何）").attr("checked", "Qt::Unchecked").attr("expanded", "0")
            .open("customproperties").close();
        for (const auto* l : tables) tree_layer(w, p, *l, false);
        w.close();
    }
    w.open("custom-order").attr("enabled", "0").close();
    w.close();

    w.open("mapcanvas").attr("name", "theMapCanvas").attr("annotationsVisible", "1");
    w.leaf("units", "meters");
    w.open("extent").leaf("xmin", short_number(p.display_extent.min_x)).leaf("ymin", short_number(p.display_extent.min_y))
        .leaf("xmax", short_number(p.display_extent.max_x)).leaf("ymax", short_number(p.display_extent.max_y)).close();
    w.leaf("rotation", "0");
    srs(w, "destinationsrs", p.display_epsg);
    w.leaf("rendermaptile", "0");
    w.close();

    w.open("projectlayers");
    for (const auto& l : p.layers) {
        w.open("maplayer").attr("type", "vector").attr("autoRefreshEnabled", "0").attr("styleCategories", "AllStyleCategories");
        if (l.styled.schema.spatial) w.attr("geometry", "Polygon").attr("wkbType", "MultiPolygon").attr("labelsEnabled", l.styled.style.label_field.empty() ? "0" : "1");
        else w.attr("geometry", "No geometry").attr("wkbType", "NoGeometry");
        w.leaf("id", layer_id(l));
        w.leaf("datasource", source_of(p, l));
        w.leaf("layername", l.title_zh);
        if (l.styled.schema.spatial) srs(w, "srs", p.storage_epsg);
        w.open("provider").attr("encoding", "UTF-8").text("ogr").close();
        write_layer_style(w, l.styled);
        w.close();
    }
    w.close();
    w.open("layerorder");
    for (const auto* l : spatial) w.open("layer").attr("id", layer_id(*l)).close();
    w.close();
    w.open("properties").open("Paths").open("Absolute").attr("type", "bool").text("false").close().close().close();
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
