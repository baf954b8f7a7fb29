// QGIS layer styles (QML) and OGC SLD 1.1 for one layer of a plan database, from the plan's map style
// (core/map_style.hpp) and the layer's schema: Chinese field aliases, a value map with the Chinese label of
// every coded value, the fill/outline of the layer with a dashed variant for schematic geometry, labels
// with a halo. The store writes them into the GeoPackage's layer_styles table (the one QGIS reads).
#pragma once

#include <map>
#include <string>

#include "core/code_table.hpp"
#include "core/map_style.hpp"
#include "core/schema.hpp"

namespace minplan::formats {

struct StyledLayer {
    const TableSchema& schema;
    LayerStyle style;                               // the plan's, or neutral_style() for a layer it omits
    const MapStyle& map;
    std::map<std::string, const CodeTable*> codes;  // field name → its code table
};

// Grey outline, faint fill: a spatial layer the plan's style does not list still draws and is readable.
LayerStyle neutral_style(const TableSchema& schema);

class XmlWriter;
// The scale-based visibility of `style` as QGIS reads it: attributes of <qgis> (QML) or <maplayer> (project).
void qgis_scale_visibility(XmlWriter& w, const LayerStyle& style);
// The children of a QML document (renderer, labels, fields, aliases), also embedded in a project's layers.
void write_layer_style(XmlWriter& w, const StyledLayer& layer);
// The QML document (QGIS 3); for a table without geometry only aliases and value maps.
std::string layer_qml(const StyledLayer& layer);
// SLD 1.1 (Symbology Encoding) for other clients; spatial layers only.
std::string layer_sld(const StyledLayer& layer);

// Value map entries of a field (label, code) in the order of its code table; empty for free text.
std::vector<std::pair<std::string, std::string>> value_map(const StyledLayer& layer, const FieldDef& field);

}  // namespace minplan::formats
