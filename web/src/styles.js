// Layer order (bottom to top) and colours after the usual conventions of mineral resources planning
// maps: exploration in blue, extraction in red, protection/reserves in purple, environment in green.
import { Fill, Stroke, Style } from 'ol/style';

export const LAYER_STYLE = {
  admin_city: { stroke: '#555555', fill: 'rgba(0,0,0,0)', width: 2.5, label: '市界' },
  admin_counties: { stroke: '#8c8c8c', fill: 'rgba(245,240,225,0.6)', width: 1 },
  control_areas: { stroke: '#006d2c', fill: 'rgba(0,109,44,0.18)' },
  control_lines: { stroke: '#00a651', fill: 'rgba(0,166,81,0.15)' },
  strategic_reserve_zones: { stroke: '#7b3294', fill: 'rgba(123,50,148,0.18)' },
  national_planning_areas: { stroke: '#8b0000', fill: 'rgba(139,0,0,0.10)', width: 2 },
  energy_bases: { stroke: '#e08214', fill: 'rgba(253,184,99,0.25)' },
  survey_evaluation_zones: { stroke: '#17a2b8', fill: 'rgba(23,162,184,0.15)' },
  key_exploration_zones: { stroke: '#2166ac', fill: 'rgba(67,147,195,0.25)' },
  key_mining_zones: { stroke: '#c51b7d', fill: 'rgba(222,119,174,0.30)' },
  restoration_zones: { stroke: '#4d9221', fill: 'rgba(127,188,65,0.30)' },
  exploration_blocks: { stroke: '#08519c', fill: 'rgba(8,81,156,0.45)' },
  mining_blocks: { stroke: '#cb181d', fill: 'rgba(203,24,29,0.50)' },
  mineral_rights: { stroke: '#8c510a', fill: 'rgba(191,129,45,0.45)' },
};

export const LAYER_ORDER = Object.keys(LAYER_STYLE);

export function layerStyleSpec(id, index) {
  if (LAYER_STYLE[id]) return LAYER_STYLE[id];
  const hue = (index * 67) % 360;  // layers added by an import get a distinct colour
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
        stroke: new Stroke({ color: spec.stroke, width: spec.width ?? 1.5, lineDash: schematic ? [6, 4] : undefined }),
      });
      cache.set(key, style);
    }
    // County names are not drawn here, under the fills above them: cartography.js labels them on top.
    return style;
  };
}
