// The map style of a plan (package file styles.json, docs/qgis.md): one definition of each layer's fill,
// outline, dash, label field, legend label, group and drawing order, and of the dashed variant for
// schematic geometry. Every renderer reads it: the QGIS styles and project written into the plan database,
// the portal map (GET /api/styles) and the sketch map of the review opinion.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace minplan {

struct LayerStyle {
    std::string layer;        // table id, e.g. "mining_blocks"
    std::string group_zh;     // layer group in QGIS, e.g. "规划区块"
    std::string legend_zh;    // legend label
    std::string fill;         // #rrggbb
    double fill_opacity = 0;  // 0..1
    std::string stroke;       // #rrggbb
    double width_px = 1;      // outline width on screen
    std::string label_field;  // internal field name; empty = no labels
    // Drawn only at scales of 1:N and larger (zoomed in); 0 = at every scale. QGIS: minScale; the web map:
    // the layer's largest resolution at the plan's latitude.
    double max_scale_denominator = 0;
};

struct MapStyle {
    std::vector<LayerStyle> layers;  // drawing order, bottom to top
    std::vector<double> schematic_dash_px{6, 4};
    std::string schematic_note_zh;
    std::map<std::string, std::string> geometry_source_labels;  // "schematic" → "示意"
    std::string label_color = "#333333", halo_color = "#ffffff";
    double halo_px = 3, label_size_px = 12;

    // InputError naming `context` and the offending key when the file is not a valid style definition.
    static MapStyle parse(const std::string& json, const std::string& context);
    const LayerStyle* find(const std::string& layer) const;
    // The definition as checked, every default filled in (GET /api/styles: what the web map draws with).
    std::string to_json() const;
};

// "#cb181d" → {203, 24, 29}; the colour was checked by MapStyle::parse.
struct Rgb {
    int r = 0, g = 0, b = 0;
};
Rgb parse_rgb(const std::string& hex);

}  // namespace minplan
