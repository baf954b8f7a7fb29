// Map furniture shared by the web map and the print view: county labels drawn above every fill (white halo,
// decluttered, one label per county name even when a county comes as several features), a north arrow, a
// scale bar and an on-map legend. Colours stay in styles.js.
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import Control from 'ol/control/Control';
import ScaleLine from 'ol/control/ScaleLine';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { escapeHtml } from './api.js';

// Above every plan layer (their zIndex is their rank, below 100).
export const LABEL_Z = 1000;

// The point a polygon's label sits on: the interior point of its largest part (OpenLayers computes it).
function labelPoint(geometry) {
  const type = geometry.getType();
  if (type === 'Polygon') return { at: geometry.getInteriorPoint().getCoordinates().slice(0, 2), area: geometry.getArea() };
  if (type === 'MultiPolygon') {
    let best = null;
    for (const p of geometry.getPolygons()) {
      const area = p.getArea();
      if (!best || area > best.area) best = { at: p.getInteriorPoint().getCoordinates().slice(0, 2), area };
    }
    return best;
  }
  return null;
}

// One label point per distinct name: a county stored as two features (平城区 once was) is labelled once,
// on its largest part.
export function labelPoints(features, nameField) {
  const byName = new Map();
  for (const f of features) {
    const name = f.get(nameField);
    const geometry = f.getGeometry();
    if (!name || !geometry) continue;
    const p = labelPoint(geometry);
    if (p && (!byName.has(name) || byName.get(name).area < p.area)) byName.set(name, { name, ...p });
  }
  return [...byName.values()];
}

const countyText = (name) => new Style({
  text: new Text({
    text: name,
    font: 'bold 15px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
    fill: new Fill({ color: '#222' }),
    stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 4 }),
    overflow: true,
  }),
});

// The county names as a layer of points over every fill; declutter drops a label only where two would collide.
export function createCountyLabelLayer(countySource, nameField = 'name_zh') {
  const source = new VectorSource();
  const layer = new VectorLayer({ source, zIndex: LABEL_Z, declutter: true, style: (f) => countyText(f.get('label')) });
  layer.set('layerId', 'labels');
  const refresh = () => {
    source.clear();
    source.addFeatures(labelPoints(countySource.getFeatures(), nameField)
      .map((p) => new Feature({ geometry: new Point(p.at), label: p.name })));
  };
  countySource.on('change', refresh);
  refresh();
  return layer;
}

// A north arrow (the map is not rotated: north is up).
export class NorthArrow extends Control {
  constructor() {
    const el = document.createElement('div');
    el.className = 'north-arrow ol-unselectable';
    el.dataset.testid = 'north-arrow';
    el.title = '指北针';
    el.innerHTML = `<svg viewBox="0 0 40 56" width="32" height="45" aria-label="北"><text x="20" y="12" text-anchor="middle"
      font-size="12" font-weight="700" fill="#222">北</text><polygon points="20,16 30,52 20,44" fill="#222"/>
      <polygon points="20,16 10,52 20,44" fill="#fff" stroke="#222" stroke-width="1.5"/></svg>`;
    super({ element: el });
  }
}

// A scale bar in metres/kilometres (OpenLayers computes the ground distance at the view's centre).
export function scaleBar() {
  return new ScaleLine({ bar: true, steps: 4, text: false, minWidth: 120, className: 'ol-scale-bar' });
}

// The legend drawn on the map itself (and so on prints): each visible layer's swatch and name.
export class MapLegend extends Control {
  constructor() {
    const el = document.createElement('div');
    el.className = 'map-legend ol-unselectable';
    el.dataset.testid = 'map-legend';
    super({ element: el });
    this.entries = [];
  }

  // entries: [{name, fill, stroke, layer}] in drawing order (bottom first); the legend lists the top first.
  setEntries(entries) {
    this.entries = entries;
    entries.forEach((e) => e.layer?.on('change:visible', () => this.render_()));
    this.render_();
  }

  render_() {
    const rows = this.entries.filter((e) => !e.layer || e.layer.getVisible()).reverse()
      .map((e) => `<li><span class="swatch${e.dashed ? ' dashed' : ''}" style="background:${e.fill};border-color:${e.stroke}"></span>${escapeHtml(e.name)}</li>`)
      .join('');
    this.element.innerHTML = `<strong>图例</strong><ul>${rows}
      <li><span class="swatch dashed"></span>虚线 = 示意几何</li></ul>`;
  }
}
