#include "formats/qgis_style.hpp"

#include <fmt/format.h>

#include "formats/xml_writer.hpp"

namespace minplan::formats {

namespace {

// QGIS measures symbol widths in millimetres: one CSS pixel is 0.26 mm at 96 dpi (QGIS's own factor).
constexpr double kMmPerPx = 0.26;

std::string qgis_rgba(const std::string& hex, double opacity) {
    const Rgb c = parse_rgb(hex);
    return fmt::format("{},{},{},{}", c.r, c.g, c.b, static_cast<int>(opacity * 255 + 0.5));
}

void option(XmlWriter& w, const std::string& name, const std::string& value) {
    w.open("Option").attr("type", "QString").attr("name", name).attr("value", value).close();
}

// A fill without outline and, above it, the outline as a line (so that the schematic variant can carry a
// custom dash in pixels, which a simple fill's outline cannot).
void fill_symbol(XmlWriter& w, const std::string& name, const LayerStyle& s, const MapStyle& m, bool schematic) {
    w.open("symbol").attr("type", "fill").attr("name", name).attr("alpha", "1").attr("clip_to_extent", "1").attr("force_rhr", "0");
    w.open("layer").attr("class", "SimpleFill").attr("enabled", "1").attr("pass", "0").attr("locked", "0");
    w.open("Option").attr("type", "Map");
    option(w, "color", qgis_rgba(s.fill, s.fill_opacity));
    option(w, "outline_style", "no");
    option(w, "style", s.fill_opacity > 0 ? "solid" : "no");
    w.close().close();
    w.open("layer").attr("class", "SimpleLine").attr("enabled", "1").attr("pass", "0").attr("locked", "0");
    w.open("Option").attr("type", "Map");
    option(w, "line_color", qgis_rgba(s.stroke, 1));
    option(w, "line_width", short_number(s.width_px * kMmPerPx));
    option(w, "line_width_unit", "MM");
    option(w, "line_style", "solid");
    option(w, "joinstyle", "round");
    option(w, "use_custom_dash", schematic ? "1" : "0");
    option(w, "customdash", fmt::format("{};{}", short_number(m.schematic_dash_px[0]), short_number(m.schematic_dash_px[1])));
    option(w, "customdash_unit", "Pixel");
    w.close().close();
    w.close();
}

void renderer(XmlWriter& w, const StyledLayer& l) {
    const FieldDef* source = l.schema.field(kGeometrySourceField);
    const std::string schematic_label = l.style.legend_zh + "（示意）";
    w.open("renderer-v2").attr("type", "categorizedSymbol").attr("attr", source ? source->code : kGeometrySourceField)
        .attr("symbollevels", "0").attr("forceraster", "0").attr("enableorderby", "0");
    w.open("categories");
    w.open("category").attr("render", "true").attr("symbol", "0").attr("value", kSchematic).attr("label", schematic_label).close();
    // Everything else (imported or surveyed geometry, an empty value): the solid outline.
    w.open("category").attr("render", "true").attr("symbol", "1").attr("value", "").attr("label", l.style.legend_zh).close();
    w.close();
    w.open("symbols");
    fill_symbol(w, "0", l.style, l.map, true);
    fill_symbol(w, "1", l.style, l.map, false);
    w.close();
    w.open("source-symbol");
    fill_symbol(w, "0", l.style, l.map, false);
    w.close();
    w.close();
}

void labeling(XmlWriter& w, const StyledLayer& l) {
    const FieldDef* f = l.style.label_field.empty() ? nullptr : l.schema.field(l.style.label_field);
    if (!f) return;
    const MapStyle& m = l.map;
    w.open("labeling").attr("type", "simple");
    w.open("settings").attr("calloutType", "simple");
    w.open("text-style").attr("fieldName", f->code).attr("isExpression", "0")
        .attr("fontFamily", "Noto Sans CJK SC").attr("fontSize", m.label_size_px).attr("fontSizeUnit", "Pixel")
        .attr("textColor", qgis_rgba(m.label_color, 1)).attr("textOpacity", "1").attr("fontWeight", "50")
        .attr("multilineHeight", "1").attr("blendMode", "0").attr("previewBkgrdColor", "255,255,255,255");
    w.open("families").close();
    w.open("text-buffer").attr("bufferDraw", "1").attr("bufferSize", m.halo_px / 2).attr("bufferSizeUnits", "Pixel")
        .attr("bufferColor", qgis_rgba(m.halo_color, 1)).attr("bufferOpacity", "1").attr("bufferNoFill", "1")
        .attr("bufferJoinStyle", "128").attr("bufferBlendMode", "0").close();
    w.close();
    w.open("text-format").attr("wrapChar", "").attr("autoWrapLength", "0").attr("multilineAlign", "3").close();
    // Over the centroid, inside the polygon; names of small blocks may be dropped where they would collide.
    w.open("placement").attr("placement", "1").attr("centroidInside", "1").attr("centroidWhole", "0")
        .attr("fitInPolygonOnly", "0").attr("priority", "5").attr("dist", "0").close();
    w.open("rendering").attr("obstacle", "1").attr("obstacleType", "1").attr("displayAll", "0")
        .attr("upsidedownLabels", "0").attr("limitNumLabels", "0").attr("drawLabels", "1").close();
    w.close().close();
}

void fields(XmlWriter& w, const StyledLayer& l) {
    w.open("fieldConfiguration");
    for (const auto& f : l.schema.fields) {
        auto entries = value_map(l, f);
        if (entries.empty()) continue;
        w.open("field").attr("name", f.code).attr("configurationFlags", "None");
        w.open("editWidget").attr("type", "ValueMap");
        w.open("config").open("Option").attr("type", "Map");
        w.open("Option").attr("type", "List").attr("name", "map");
        for (const auto& [label, code] : entries) {
            w.open("Option").attr("type", "Map");
            option(w, label, code);
            w.close();
        }
        w.close().close().close().close().close();
    }
    w.close();
    w.open("aliases");
    // index: the column's position after the GeoPackage's fid (QGIS matches aliases by name).
    int index = 1;
    for (const auto& f : l.schema.fields) w.open("alias").attr("field", f.code).attr("index", std::to_string(index++)).attr("name", f.alias_zh).close();
    w.close();
}

// SLD 1.1 rule: the layer's symbol, restricted by a filter on the geometry source.
}  // namespace

void qgis_scale_visibility(XmlWriter& w, const LayerStyle& style) {
    if (style.max_scale_denominator <= 0) return;
    // QGIS's minScale is the most zoomed-out scale at which the layer is drawn.
    w.attr("hasScaleBasedVisibilityFlag", "1").attr("maxScale", "0").attr("minScale", short_number(style.max_scale_denominator));
}

namespace {

// SE 1.1: a rule applies at scale denominators below MaxScaleDenominator (after the filter, before symbolizers).
void sld_max_scale(XmlWriter& w, const LayerStyle& style) {
    if (style.max_scale_denominator > 0) w.leaf("se:MaxScaleDenominator", short_number(style.max_scale_denominator));
}

void sld_rule(XmlWriter& w, const StyledLayer& l, bool schematic) {
    const FieldDef* source = l.schema.field(kGeometrySourceField);
    const std::string title = schematic ? l.style.legend_zh + "（示意）" : l.style.legend_zh;
    w.open("se:Rule").leaf("se:Name", title);
    w.open("se:Description").leaf("se:Title", title).close();
    if (source) {
        w.open("ogc:Filter").open(schematic ? "ogc:PropertyIsEqualTo" : "ogc:PropertyIsNotEqualTo");
        w.leaf("ogc:PropertyName", source->code).leaf("ogc:Literal", kSchematic).close().close();
    }
    sld_max_scale(w, l.style);
    w.open("se:PolygonSymbolizer");
    if (l.style.fill_opacity > 0) {
        w.open("se:Fill");
        w.open("se:SvgParameter").attr("name", "fill").text(l.style.fill).close();
        w.open("se:SvgParameter").attr("name", "fill-opacity").text(short_number(l.style.fill_opacity)).close();
        w.close();
    }
    w.open("se:Stroke");
    w.open("se:SvgParameter").attr("name", "stroke").text(l.style.stroke).close();
    w.open("se:SvgParameter").attr("name", "stroke-width").text(short_number(l.style.width_px)).close();
    if (schematic)
        w.open("se:SvgParameter").attr("name", "stroke-dasharray")
            .text(short_number(l.map.schematic_dash_px[0]) + " " + short_number(l.map.schematic_dash_px[1])).close();
    w.close().close().close();
}

}  // namespace

LayerStyle neutral_style(const TableSchema& schema) {
    LayerStyle s;
    s.layer = schema.id;
    s.group_zh = "其他图层";
    s.legend_zh = schema.name_zh;
    s.fill = "#bdbdbd";
    s.fill_opacity = 0.2;
    s.stroke = "#636363";
    s.width_px = 1;
    return s;
}

std::vector<std::pair<std::string, std::string>> value_map(const StyledLayer& l, const FieldDef& f) {
    std::vector<std::pair<std::string, std::string>> out;
    if (f.name == kGeometrySourceField) {
        for (const auto& [code, label] : l.map.geometry_source_labels) out.emplace_back(label, code);
        return out;
    }
    auto it = l.codes.find(f.name);
    if (it == l.codes.end() || !it->second) return out;
    for (const auto& e : it->second->entries()) out.emplace_back(e.label_zh, e.code);
    return out;
}

void write_layer_style(XmlWriter& w, const StyledLayer& l) {
    if (l.schema.spatial) {
        renderer(w, l);
        labeling(w, l);
        w.open("blendMode").text("0").close();
        w.open("featureBlendMode").text("0").close();
        w.open("layerOpacity").text("1").close();
    }
    fields(w, l);
    const FieldDef* label = l.style.label_field.empty() ? nullptr : l.schema.field(l.style.label_field);
    w.open("previewExpression").text(label ? "\"" + label->code + "\"" : std::string()).close();
    if (l.schema.spatial) w.open("layerGeometryType").text("2").close();
}

std::string layer_qml(const StyledLayer& l) {
    XmlWriter w;
    w.doctype("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM");
    w.open("qgis").attr("version", "3.22.0").attr("styleCategories", "AllStyleCategories");
    if (l.schema.spatial) {
        w.attr("labelsEnabled", l.style.label_field.empty() ? "0" : "1");
        qgis_scale_visibility(w, l.style);
    }
    write_layer_style(w, l);
    return w.finish();
}

std::string layer_sld(const StyledLayer& l) {
    XmlWriter w;
    w.open("StyledLayerDescriptor").attr("version", "1.1.0")
        .attr("xmlns", "http://www.opengis.net/sld").attr("xmlns:se", "http://www.opengis.net/se")
        .attr("xmlns:ogc", "http://www.opengis.net/ogc").attr("xmlns:xlink", "http://www.w3.org/1999/xlink")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .attr("xsi:schemaLocation", "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd");
    w.open("NamedLayer").leaf("se:Name", l.schema.code);
    w.open("UserStyle").leaf("se:Name", l.style.legend_zh);
    w.open("se:FeatureTypeStyle");
    sld_rule(w, l, false);
    sld_rule(w, l, true);
    if (const FieldDef* f = l.style.label_field.empty() ? nullptr : l.schema.field(l.style.label_field)) {
        w.open("se:Rule").leaf("se:Name", "标注");
        sld_max_scale(w, l.style);
        w.open("se:TextSymbolizer");
        w.open("se:Label").leaf("ogc:PropertyName", f->code).close();
        w.open("se:Font");
        w.open("se:SvgParameter").attr("name", "font-family").text("Noto Sans CJK SC").close();
        w.open("se:SvgParameter").attr("name", "font-size").text(short_number(l.map.label_size_px)).close();
        w.close();
        w.open("se:Halo").leaf("se:Radius", short_number(l.map.halo_px / 2));
        w.open("se:Fill").open("se:SvgParameter").attr("name", "fill").text(l.map.halo_color).close().close().close();
        w.open("se:Fill").open("se:SvgParameter").attr("name", "fill").text(l.map.label_color).close().close();
        w.close().close();
    }
    return w.finish();
}

}  // namespace minplan::formats
