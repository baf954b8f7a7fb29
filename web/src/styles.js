// Layer colours, outlines, drawing order and the schematic dash come from the plan's map style
// (GET /api/styles: package file styles.json, the same definition as the QGIS styles in the database and
// the sketch map of the review opinion). loadStyles() fills these before any page draws.
import { Fill, Stroke, Style } from 'ol/style';
import { getJson } from './api.js';

export const LAYER_STYLE = {};
export const LAYER_ORDER = [];
export const SCHEMATIC = { dash: [6, 4], note: '' };

function rgba(hex, opacity) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${opacity})`;
}

let loaded = null;

export function loadStyles() {
  if (!loaded) {
    loaded = getJson('/api/styles').then((def) => {
      for (const l of def.layers) {
        LAYER_STYLE[l.layer] = { stroke: l.stroke, fill: rgba(l.fill, l.fill_opacity), width: l.width_px, label: l.legend_zh,
          maxScale: l.max_scale_denominator || 0 };
        LAYER_ORDER.push(l.layer);
      }
      SCHEMATIC.dash = def.schematic.dash_px;
      SCHEMATIC.note = def.schematic.note_zh;
      return def;
    });
  }
  return loaded;
}

export function layerStyleSpec(id, index) {
  if (LAYER_STYLE[id]) return LAYER_STYLE[id];
  const hue = (index * 67) % 360;  // layers the plan's style does not list (added by an import) get a distinct colour
  return { stroke: `hsl(${hue},60%,35%)`, fill: `hsla(${hue},60%,50%,0.3)` };
}

const cache = new Map();

export function isSchematic(feature) {
  return feature.get('geometry_source') === 'schematic';
}

// Schematic geometries get a dashed outline, so they are never mistaken for surveyed boundaries.
export function makeStyleFunction(id, index) {
  const spec = layerStyleSpec(id, index);
  return (feature) => {
    const schematic = isSchematic(feature);
    const key = `${id}|${schematic}`;
    let style = cache.get(key);
    if (!style) {
      style = new Style({
        fill: new Fill({ color: spec.fill }),
        stroke: new Stroke({ color: spec.stroke, width: spec.width ?? 1.5, lineDash: schematic ? SCHEMATIC.dash : undefined }),
      });
      cache.set(key, style);
    }
    // County names are not drawn here, under the fills above them: cartography.js labels them on top.
    return style;
  };
}
