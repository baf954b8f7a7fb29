// The map page: counties as base map (no internet tiles), every plan layer from /api with a legend
// entry and a switch, identify on click, and the pointer position in CGCS2000 lon/lat and Gauss–Krüger.
import 'ol/ol.css';
import Map from 'ol/Map';
import View from 'ol/View';
import VectorLayer from 'ol/layer/Vector';
import TileLayer from 'ol/layer/Tile';
import XYZ from 'ol/source/XYZ';
import VectorSource from 'ol/source/Vector';
import proj4 from 'proj4';
import { register } from 'ol/proj/proj4';
import { get as getProjection } from 'ol/proj';
import { getJson, escapeHtml } from './api.js';
import { LAYER_ORDER, LAYER_STYLE, layerStyleSpec, makeStyleFunction } from './styles.js';
import { createPopup } from './popup.js';
import { createCountyLabelLayer, NorthArrow, scaleBar, MapLegend } from './cartography.js';
import { createHighlightLayer } from './highlight.js';
import { withAsOf, onVersionChange, version } from './version.js';
import { loadWhole, windowSource, resolutionAtScale, currentScale } from './layer_loading.js';
import { addGeoenvOverlays } from './geoenv_overlays.js';

// CGCS2000 geographic and the 3-degree Gauss–Krüger zone 38 (central meridian 114°E) that covers Datong.
proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs +type=crs');
proj4.defs('EPSG:4526', '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=38500000 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs');
register(proj4);
const VIEW_PROJECTION = getProjection('EPSG:4490');
VIEW_PROJECTION.setExtent([-180, -90, 180, 90]);

export async function createMapPage() {
  const { layers: allLayers } = await getJson(withAsOf('/api/layers'));
  const spatial = allLayers.filter((l) => l.spatial);
  const byId = Object.fromEntries(allLayers.map((l) => [l.id, l]));
  spatial.sort((a, b) => rank(a.id) - rank(b.id));

  const map = new Map({
    target: 'map',
    // No centre of its own: the plan's counties, once loaded, set the view (any plan, not one city).
    view: new View({ projection: VIEW_PROJECTION, zoom: 9 }),
    controls: [],
  });
  map.addControl(scaleBar());
  map.addControl(new NorthArrow());
  const legend = new MapLegend();
  map.addControl(legend);
  // Optional background tiles (`minplan serve --tiles URL`); none by default, as bureau networks are closed.
  const { tile_url: tileUrl } = await getJson('/api/config');
  if (tileUrl) map.addLayer(new TileLayer({ source: new XYZ({ url: tileUrl, projection: 'EPSG:3857' }), zIndex: -1 }));
  const olLayers = {};
  const list = document.getElementById('layer-list');
  spatial.forEach((info, index) => {
    // The base map (counties, city) is read whole whatever its size: it sets the first view.
    const paged = info.paged && !BASE_LAYERS.includes(info.id);
    const item = legendItem(info, index);
    const source = paged ? windowSource(info.id, map, (state) => item.setState(state)) : new VectorSource();
    const layer = new VectorLayer({ source, style: makeStyleFunction(info.id, index), zIndex: index });
    layer.set('layerId', info.id);
    layer.set('layerName', info.name_zh);
    layer.set('paged', paged);
    map.addLayer(layer);
    olLayers[info.id] = layer;
    item.bind(layer);
    list.appendChild(item.element);
    if (!paged) loadWhole(info.id, source).catch((e) => showStatus(`图层 ${info.name_zh} 加载失败：${e.message}`));
  });
  applyScaleLimits(map, spatial, olLayers, list);

  // The on-map legend lists what is drawn: layers with features, the city outline aside.
  legend.setEntries(spatial.map((info, index) => {
    const spec = layerStyleSpec(info.id, index);
    return { id: info.id, count: info.feature_count, name: shortName(info.name_zh), fill: spec.fill, stroke: spec.stroke, layer: olLayers[info.id] };
  }).filter((e) => e.id !== 'admin_city' && e.count > 0));
  if (olLayers.admin_counties) map.addLayer(createCountyLabelLayer(olLayers.admin_counties.getSource()));
  const highlight = createHighlightLayer(map);

  const popup = createPopup(map, byId);
  popup.onHide(() => highlight.clear());
  map.on('singleclick', (evt) => {
    let hit = null;
    map.forEachFeatureAtPixel(evt.pixel, (feature, layer) => {
      if (!layer || ['labels', 'highlight', undefined].includes(layer.get('layerId'))) return false;
      const id = layer.get('layerId');
      // Counties are the base map: identify them only where no plan feature is.
      if (!hit || hit.layerId === 'admin_counties' || hit.layerId === 'admin_city') {
        if (!hit || (id !== 'admin_counties' && id !== 'admin_city')) hit = { feature, layerId: id };
      }
      return hit.layerId !== 'admin_counties' && hit.layerId !== 'admin_city';
    });
    if (hit) {
      popup.show(hit.layerId, hit.feature.getProperties(), evt.coordinate);
      highlight.show(hit.feature.getGeometry());
    } else {
      popup.hide();
      highlight.clear();
    }
  });
  map.on('pointermove', (evt) => {
    const [lon, lat] = evt.coordinate;
    const [x, y] = proj4('EPSG:4490', 'EPSG:4526', [lon, lat]);
    document.getElementById('status').textContent =
      `经度 ${lon.toFixed(5)}° 纬度 ${lat.toFixed(5)}°（CGCS2000）｜ 高斯-克吕格38带 X ${y.toFixed(1)} Y ${x.toFixed(1)} 米`;
  });

  const counties = olLayers.admin_counties;
  if (counties) {
    counties.getSource().once('change', () => {
      const extent = counties.getSource().getExtent();
      if (extent && isFinite(extent[0])) map.getView().fit(extent, { padding: [20, 56, 30, legendWidth() + 20] });  // clear of the on-map legend
    });
  }
  // The version selector: every layer is read again as of the chosen date, and the legend counts with it.
  const loaded = { asOf: version.asOf };
  async function showAsOf(asOf) {
    popup.hide();
    highlight.clear();
    const { layers: now } = await getJson(withAsOf('/api/layers'));
    const counts = Object.fromEntries(now.map((l) => [l.id, l.feature_count]));
    list.querySelectorAll('input[data-layer]').forEach((input) => {
      const count = input.closest('label').querySelector('.count');
      count.textContent = counts[input.dataset.layer] || '待导入';
    });
    await Promise.all(Object.entries(olLayers).map(async ([id, layer]) => {
      if (layer.get('paged')) {
        layer.getSource().refresh();  // read again by window, as of the new date
        return;
      }
      const fresh = new VectorSource();
      await loadWhole(id, fresh);
      const source = layer.getSource();
      source.clear(true);
      source.addFeatures(fresh.getFeatures());
    }));
    loaded.asOf = asOf;
    document.getElementById('status').textContent = asOf ? `显示 ${asOf} 有效的规划` : '显示现行规划';
  }
  onVersionChange(showAsOf);
  const page = { map, layers: olLayers, popup, highlight, byId, loaded };
  page.geoenv = addGeoenvOverlays(page);  // green-mine register and campaign change (geoenv_overlays.js)
  window.minplanMap = page;  // for the end-to-end tests and the console
  return page;
}

function legendWidth() {
  const el = document.querySelector('.map-legend');
  return el ? el.getBoundingClientRect().width : 0;
}

function rank(id) {
  const i = LAYER_ORDER.indexOf(id);
  return i < 0 ? LAYER_ORDER.length : i;
}

const BASE_LAYERS = ['admin_counties', 'admin_city'];

// A layer limited to 1:N and larger by the plan's style is not drawn (nor read) when zoomed further out; the
// legend says from which scale it shows. The limit is set once the view has its centre (degrees per pixel
// depend on the latitude).
function applyScaleLimits(map, spatial, olLayers, list) {
  const limited = spatial.filter((info) => LAYER_STYLE[info.id]?.maxScale > 0);
  if (!limited.length) return;
  let set = false;
  map.on('moveend', () => {
    if (!map.getView().getCenter()) return;
    if (!set) {
      for (const info of limited) olLayers[info.id].setMaxResolution(resolutionAtScale(map, LAYER_STYLE[info.id].maxScale));
      set = true;
    }
    const scale = currentScale(map);
    for (const info of limited) {
      const note = list.querySelector(`input[data-layer="${info.id}"]`)?.closest('label').querySelector('.scale-note');
      const max = LAYER_STYLE[info.id].maxScale;
      if (note) note.textContent = scale >= max ? `放大到 1:${max.toLocaleString('zh-CN')} 后显示` : '';
    }
  });
}

// A sidebar legend entry: switch, swatch, name, count, and what a paged layer's window holds.
function legendItem(info, index) {
  const spec = layerStyleSpec(info.id, index);
  const li = document.createElement('li');
  li.innerHTML = `<label><input type="checkbox" checked data-layer="${escapeHtml(info.id)}" />
    <span class="swatch" style="background:${spec.fill};border-color:${spec.stroke}"></span>
    <span class="layer-name">${escapeHtml(shortName(info.name_zh))}</span>
    <span class="count">${info.feature_count || '待导入'}</span>
    <span class="scale-note"></span><span class="window-note"></span></label>`;
  li.title = info.name_zh;
  const note = li.querySelector('.window-note');
  return {
    element: li,
    bind(layer) { li.querySelector('input').addEventListener('change', (e) => layer.setVisible(e.target.checked)); },
    setState(state) { note.textContent = state === 'crowded' ? '此范围内要素过多，放大后显示' : ''; },
  };
}

// The layer names carry their sources in brackets; the legend shows the name, the tooltip the whole.
function shortName(name) {
  return name.replace(/[（(].*$/, '') || name;
}

function showStatus(text) {
  document.getElementById('status').textContent = text;
}
