// The sketch map of the review opinion (示意图): the application over the plan features its findings
// rely on and, thinner, the blocks, zones, control areas and rights around it; north arrow, scale bar and
// legend. Inline SVG (the HTML page, the PDF) and, rasterised, the DOCX.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "geo/crs.hpp"
#include "rules/detail/opinion_text.hpp"
#include "rules/report.hpp"

namespace minplan::rules {

namespace {

// Colours and dash of the plan's map style (core/map_style.hpp); a layer it omits is drawn grey.
struct Style {
    std::string fill;
    double fill_opacity;
    std::string stroke;
};

Style style_for(const Report& r, const std::string& layer) {
    if (r.map_style)
        if (const LayerStyle* s = r.map_style->find(layer)) return {s->fill, s->fill_opacity, s->stroke};
    return {"#bdbdbd", 0.2, "#636363"};
}

struct View {
    geo::Envelope e;
    double sx = 1, sy = 1, ox = 0, oy = 0;
    double x(double lon) const { return ox + (lon - e.min_x) * sx; }
    double y(double lat) const { return oy + (e.max_y - lat) * sy; }
};

std::string path_of(const geo::Geometry& g, const View& v) {
    std::string d;
    for (const auto& poly : g.polygons())
        for (const auto& ring : poly) {
            for (std::size_t i = 0; i < ring.size(); ++i)
                d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : "L", v.x(ring[i].x), v.y(ring[i].y));
            d += "Z";
        }
    return d;
}

}  // namespace

std::string report_map_svg(const Report& r, int width, int height) {
    const auto& app = r.application;
    if (app.polygon.is_null()) return "";
    geo::Envelope ae = app.polygon.envelope();
    // The application and what its findings rely on, but never so far out that the application vanishes;
    // context features are drawn where they fall inside that window.
    geo::Envelope e = ae;
    const double span = std::max({ae.width(), ae.height(), 1e-4});
    geo::Envelope limit{ae.min_x - 4 * span, ae.min_y - 4 * span, ae.max_x + 4 * span, ae.max_y + 4 * span};
    for (const auto& m : r.map_features) {
        if (m.context) continue;
        auto fe = m.geometry.envelope();
        e.min_x = std::max(limit.min_x, std::min(e.min_x, fe.min_x));
        e.min_y = std::max(limit.min_y, std::min(e.min_y, fe.min_y));
        e.max_x = std::min(limit.max_x, std::max(e.max_x, fe.max_x));
        e.max_y = std::min(limit.max_y, std::max(e.max_y, fe.max_y));
    }
    // At least the application with its own size around it, so the neighbourhood shows.
    e.min_x = std::min(e.min_x, ae.min_x - span);
    e.max_x = std::max(e.max_x, ae.max_x + span);
    e.min_y = std::min(e.min_y, ae.min_y - span);
    e.max_y = std::max(e.max_y, ae.max_y + span);
    const double pad = 0.05 * std::max(e.width(), e.height()) + 1e-5;
    e = {e.min_x - pad, e.min_y - pad, e.max_x + pad, e.max_y + pad};

    // Legend entries first: their rows decide the height of the legend band.
    std::vector<std::string> seen;
    bool any_schematic = false;
    for (const auto& m : r.map_features) {
        any_schematic = any_schematic || m.schematic;
        if (std::find(seen.begin(), seen.end(), m.layer) == seen.end()) seen.push_back(m.layer);
    }
    auto text_px = [](const std::string& t) { return 12.0 * static_cast<double>(t.size()) / 3 + 6; };  // CJK: 3 bytes
    int legend_rows = 1;
    {
        double lx = 8 + 80;
        for (const auto& layer : seen) {
            const double w = 26 + text_px(detail::layer_zh(r, layer));
            if (lx + w > width - 8) {
                ++legend_rows;
                lx = 8;
            }
            lx += w;
        }
    }
    const double legend_h = 18.0 * legend_rows + (any_schematic ? 18 : 0) + 8;
    const double map_h = height - legend_h;
    const double coslat = std::cos((e.min_y + e.max_y) / 2 * M_PI / 180);
    const double scale = std::min(width / (e.width() * coslat), map_h / e.height());
    View v{e, scale * coslat, scale, (width - e.width() * coslat * scale) / 2, (map_h - e.height() * scale) / 2};

    std::string s = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" class=\"map\" "
        "font-family=\"Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif\">"
        "<defs><clipPath id=\"frame\"><rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{2}\"/></clipPath></defs>"
        "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{2}\" fill=\"#fbfbf8\" stroke=\"#999\"/><g clip-path=\"url(#frame)\">",
        width, height, map_h);
    const std::vector<double> dash = r.map_style ? r.map_style->schematic_dash_px : std::vector<double>{6, 4};
    for (bool context : {true, false})
        for (const auto& m : r.map_features) {
            if (m.context != context) continue;
            const Style st = style_for(r, m.layer);
            // What a finding relies on stands out: at least half-opaque, a thicker outline.
            const double opacity = context ? st.fill_opacity : std::max(st.fill_opacity, 0.5);
            s += fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"{:g}\" fill-rule=\"evenodd\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
                             path_of(m.geometry, v), st.fill, opacity, st.stroke, context ? "0.8" : "1.5",
                             m.schematic ? fmt::format(" stroke-dasharray=\"{:g} {:g}\"", dash[0], dash[1]) : "");
        }
    s += fmt::format("<path d=\"{}\" fill=\"#ff8c00\" fill-opacity=\"0.35\" fill-rule=\"evenodd\" stroke=\"#d9480f\" "
                     "stroke-width=\"2.5\"/>",
                     path_of(app.polygon, v));
    // Labels: at each feature's point on surface, nudged down until they do not collide with earlier ones.
    std::vector<std::pair<double, double>> used;
    auto place = [&](double x, double y) {
        for (bool moved = true; moved;) {
            moved = false;
            for (const auto& [ux, uy] : used)
                if (std::fabs(ux - x) < 150 && std::fabs(uy - y) < 15) {
                    y = uy + 16;
                    moved = true;
                }
        }
        used.emplace_back(x, y);
        return y;
    };
    auto ac = app.polygon.point_on_surface();
    place(v.x(ac.x), v.y(ac.y));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"lbl app\" font-size=\"12\" font-weight=\"bold\" fill=\"#a03000\" "
                     "text-anchor=\"middle\">申请范围</text>",
                     v.x(ac.x), v.y(ac.y));
    for (bool context : {false, true})
        for (const auto& m : r.map_features) {
            if (m.context != context) continue;
            auto c = m.geometry.point_on_surface();
            if (c.x < e.min_x || c.x > e.max_x || c.y < e.min_y || c.y > e.max_y) continue;  // label off the map
            double x = std::clamp(v.x(c.x), 20.0, width - 160.0), y = place(x, std::clamp(v.y(c.y), 14.0, map_h - 6));
            if (context && y > map_h - 30) continue;
            s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"lbl\" font-size=\"{}\" fill=\"{}\">{}{}</text>", x, y,
                             context ? 10 : 12, context ? "#666" : style_for(r, m.layer).stroke,
                             html_escape(m.name.empty() ? detail::layer_zh(r, m.layer) : m.name), m.schematic ? "（示意）" : "");
        }
    // Scale bar: a round number of km near a fifth of the width, with ticks.
    const double km_per_px = 111.32 * coslat / v.sx;
    double bar_km = std::pow(10, std::floor(std::log10(km_per_px * width / 5)));
    for (double m : {5.0, 2.0})
        if (bar_km * m / km_per_px < width / 4.0) {
            bar_km *= m;
            break;
        }
    const double bar_px = bar_km / km_per_px;
    const std::string bar_text = bar_km >= 1 ? fmt::format("{:.0f} 千米", bar_km) : fmt::format("{:.0f} 米", bar_km * 1000);
    s += fmt::format("</g><g class=\"scalebar\"><rect x=\"10\" y=\"{0:.0f}\" width=\"{1:.1f}\" height=\"26\" fill=\"#fff\" fill-opacity=\"0.8\"/>"
                     "<line x1=\"14\" y1=\"{2:.0f}\" x2=\"{3:.1f}\" y2=\"{2:.0f}\" stroke=\"#333\" stroke-width=\"3\"/>"
                     "<line x1=\"14\" y1=\"{4:.0f}\" x2=\"14\" y2=\"{2:.0f}\" stroke=\"#333\" stroke-width=\"1.5\"/>"
                     "<line x1=\"{3:.1f}\" y1=\"{4:.0f}\" x2=\"{3:.1f}\" y2=\"{2:.0f}\" stroke=\"#333\" stroke-width=\"1.5\"/>"
                     "<text x=\"14\" y=\"{5:.0f}\" font-size=\"12\" class=\"lbl\">比例尺 {6}</text></g>",
                     map_h - 34, bar_px + 60, map_h - 12, 14 + bar_px, map_h - 18, map_h - 20, bar_text);
    // North arrow: a split arrowhead with 北 above it.
    const double nx = width - 28, ny = 12;
    s += fmt::format("<g class=\"north\"><text x=\"{0:.0f}\" y=\"{1:.0f}\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">北</text>"
                     "<path d=\"M{0:.0f},{2:.0f} L{3:.0f},{4:.0f} L{0:.0f},{5:.0f} Z\" fill=\"#333\"/>"
                     "<path d=\"M{0:.0f},{2:.0f} L{6:.0f},{4:.0f} L{0:.0f},{5:.0f} Z\" fill=\"#fff\" stroke=\"#333\"/></g>",
                     nx, ny + 12, ny + 16, nx + 8, ny + 44, ny + 36, nx - 8);
    // Legend rows under the map.
    double lx = 8, ly = map_h + 10;
    s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"#ff8c00\" fill-opacity=\"0.35\" "
                     "stroke=\"#d9480f\"/><text x=\"{:.0f}\" y=\"{:.0f}\" font-size=\"11\" class=\"leg\">申请范围</text>",
                     lx, ly, lx + 18, ly + 9);
    lx += 80;
    for (const auto& layer : seen) {
        const std::string zh = detail::layer_zh(r, layer);
        const double w = 26 + text_px(zh);
        if (lx + w > width - 8) {
            lx = 8;
            ly += 18;
        }
        const Style st = style_for(r, layer);
        s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"{}\" fill-opacity=\"{:g}\" stroke=\"{}\"/>"
                         "<text x=\"{:.0f}\" y=\"{:.0f}\" font-size=\"11\" class=\"leg\">{}</text>",
                         lx, ly, st.fill, std::max(st.fill_opacity, 0.5), st.stroke, lx + 18, ly + 9, html_escape(zh));
        lx += w;
    }
    if (any_schematic)
        s += fmt::format("<text x=\"8\" y=\"{:.0f}\" font-size=\"11\" class=\"leg\">虚线边界 = 示意几何（规划文本无坐标，非真实位置）</text>", ly + 27);
    s += "</svg>";
    return s;
}

}  // namespace minplan::rules
