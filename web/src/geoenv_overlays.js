// Geo-environment overlays of the main map (#/), both read from GET /api/geoenv (the service the geoenv page and
// `minplan geoenv` use, so no figure is computed here):
// - the green-mine register as a layer (view=greenmap&date=D): each mine placed by its licence's mining right or
//   by the register's own point, the rest counted as 未落图 / not on the map; popup with the state on the date;
// - the change between two monitoring campaigns (view=change&from=A&to=B): the grown, newly found and shrunk
//   parts of each site with their CGCS2000 ellipsoidal areas; popup with site, mine, county and area.
// A view the plan does not publish (settings.geoenv.public, HTTP 403) is named in the panel, not drawn.
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Style, Fill, Stroke, Circle } from 'ol/style';
import { getJson, escapeHtml } from './api.js';
import { LAYER_STYLE } from './styles.js';

const GREEN = 'green_mine_map';
const CHANGE = 'geoenv_change';
const format = new GeoJSON();

// Popup fields (the popup reads aliases from the layer infos of /api/layers; these layers are derived views).
const GREEN_INFO = {
  name_zh: '绿色矿山名录（落图）',
  fields: [['mine_name', '矿山名称'], ['mine_id', '矿山编号'], ['state', '名录状态'], ['level', '级别'], ['since', '状态日期'],
    ['listed', '在名录'], ['licence_no', '采矿许可证号'], ['placed_by_zh', '落图方式'], ['right_ids', '采矿权编号'], ['reason_zh', '说明']]
    .map(([name, alias_zh]) => ({ name, alias_zh })),
};
const CHANGE_INFO = {
  name_zh: '遥感监测图斑变化',
  fields: [['part', '变化'], ['site_id', '图斑编号'], ['mine', '矿山'], ['county', '行政区'], ['kind', '问题类型'],
    ['area_ha', '面积（公顷，CGCS2000 椭球）'], ['campaigns', '比较批次']].map(([name, alias_zh]) => ({ name, alias_zh })),
};
// The three parts of a change, in the colours of the geoenv page's SVG panel.
const PARTS = {
  grown: { zh: '扩大部分', fill: 'rgba(220,38,38,0.6)', stroke: '#b91c1c' },
  new: { zh: '新发现图斑', fill: 'rgba(234,88,12,0.5)', stroke: '#c2410c' },
  shrunk: { zh: '缩小部分', fill: 'rgba(37,99,235,0.45)', stroke: '#1d4ed8' },
};

async function fetchView(query) {
  try {
    return { data: await getJson(`/api/geoenv?${query}`) };
  } catch (e) {
    return { error: e.message };
  }
}

function greenStyle() {
  const spec = LAYER_STYLE[GREEN] || { fill: 'rgba(22,163,74,0.35)', stroke: '#15803d', width: 1.5 };
  const fill = new Fill({ color: spec.fill });
  const stroke = new Stroke({ color: spec.stroke, width: spec.width ?? 1.5 });
  return new Style({ fill, stroke, image: new Circle({ radius: 6, fill, stroke }) });
}

function changeStyle(feature) {
  const p = PARTS[feature.partKey];
  return new Style({ fill: new Fill({ color: p.fill }), stroke: new Stroke({ color: p.stroke, width: 1.5 }) });
}

export function addGeoenvOverlays(page) {
  const { map, byId } = page;
  byId[GREEN] = GREEN_INFO;
  byId[CHANGE] = CHANGE_INFO;
  const green = new VectorLayer({ source: new VectorSource(), style: greenStyle(), zIndex: 900 });
  green.set('layerId', GREEN);
  green.set('layerName', GREEN_INFO.name_zh);
  const change = new VectorLayer({ source: new VectorSource(), style: changeStyle, zIndex: 901 });
  change.set('layerId', CHANGE);
  change.set('layerName', CHANGE_INFO.name_zh);
  map.addLayer(green);
  map.addLayer(change);

  const panel = document.createElement('section');
  panel.id = 'geoenv-overlays';
  panel.className = 'geoenv-overlays';
  panel.innerHTML = `<h2>地质环境叠加</h2>
    <label><input type="checkbox" id="green-map-show" checked /> 绿色矿山名录</label>
    <label>名录日期 <input type="date" id="green-map-date" value="${new Date().toISOString().slice(0, 10)}" /></label>
    <p id="green-map-status" class="note"></p>
    <div id="green-map-unplaced"></div>
    <h3>两期遥感监测变化</h3>
    <label>前一期 <select id="change-from"></select></label>
    <label>后一期 <select id="change-to"></select></label>
    <p id="change-status" class="note"></p>
    <ul id="change-legend" class="layer-list">${Object.values(PARTS).map((p) => `<li><span class="swatch" style="background:${p.fill};border-color:${p.stroke}"></span>${p.zh}</li>`).join('')}</ul>`;
  document.querySelector('#page-map .sidebar').appendChild(panel);

  const dateInput = panel.querySelector('#green-map-date');
  let greenAsked = 0;  // only the answer to the latest request is drawn (a date change may overtake a refresh)
  async function showGreen() {
    const status = panel.querySelector('#green-map-status');
    const asked = ++greenAsked;
    const { data, error } = await fetchView(`view=greenmap&date=${encodeURIComponent(dateInput.value)}`);
    if (asked !== greenAsked) return;
    green.getSource().clear(true);
    if (error) {
      status.textContent = error;
      panel.querySelector('#green-map-unplaced').innerHTML = '';
      return;
    }
    const features = format.readFeatures(data);
    for (const f of features) {
      f.set('placed_by_zh', f.get('placed_by') === 'rights' ? '按采矿许可证号关联采矿权范围' : '名录所填经纬度');
      f.unset('placed_by');
    }
    green.getSource().addFeatures(features);
    status.textContent = `${data.date}：落图 ${features.length} 座，未落图 ${data.unplaced_count} 座`;
    panel.querySelector('#green-map-unplaced').innerHTML = data.unplaced.length
      ? `<details><summary>未落图 / not on the map（${data.unplaced_count}）</summary><ul id="green-map-unplaced-list">${data.unplaced
        .map((m) => `<li title="${escapeHtml(m.reason_zh || '')}">${escapeHtml(m.mine_name)}（${escapeHtml(m.state)}）：${escapeHtml(m.reason_zh || '')}</li>`).join('')}</ul></details>`
      : '';
  }
  dateInput.addEventListener('change', showGreen);
  panel.querySelector('#green-map-show').addEventListener('change', (e) => green.setVisible(e.target.checked));

  const from = panel.querySelector('#change-from');
  const to = panel.querySelector('#change-to');
  let changeAsked = 0;
  async function showChange() {
    const status = panel.querySelector('#change-status');
    const asked = ++changeAsked;
    change.getSource().clear(true);
    if (!from.value || !to.value || from.value === to.value) { status.textContent = '选择两期不同的监测批次'; return; }
    const { data, error } = await fetchView(`view=change&from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
    if (asked !== changeAsked) return;
    if (error) { status.textContent = error; return; }
    const features = [];
    for (const s of data.sites) {
      const parts = s.new ? [['new', s.geometry.grown, s.grown_ha]] : [['grown', s.geometry.grown, s.grown_ha], ['shrunk', s.geometry.shrunk, s.shrunk_ha]];
      for (const [key, geometry, area] of parts) {
        if (!geometry) continue;
        const f = format.readFeature({ type: 'Feature', geometry, properties: {} });
        f.partKey = key;  // not a property: the popup lists properties
        f.setProperties({ part: PARTS[key].zh, site_id: s.site_id, mine: s.mine_name || s.mine_id, county: s.county,
          kind: s.kind, area_ha: Number(area).toFixed(2), campaigns: `${data.from} → ${data.to}` });
        features.push(f);
      }
    }
    change.getSource().addFeatures(features);
    status.textContent = `${data.from} → ${data.to}：${features.length} 处变化`;
  }
  from.addEventListener('change', showChange);
  to.addEventListener('change', showChange);

  async function loadCampaigns() {
    const { data, error } = await fetchView('view=campaigns');
    from.disabled = to.disabled = false;
    if (error) {
      panel.querySelector('#change-status').textContent = error;
      from.disabled = to.disabled = true;
      return;
    }
    const options = data.campaigns.map((c) => `<option value="${escapeHtml(c.campaign_id)}">${escapeHtml(c.campaign_id)}（${c.year}年）</option>`).join('');
    const chosen = [from.value, to.value];
    from.innerHTML = `<option value="">（选择）</option>${options}`;
    to.innerHTML = `<option value="">（选择）</option>${options}`;
    [from.value, to.value] = chosen.map((v) => (data.campaigns.some((c) => c.campaign_id === v) ? v : ''));
    panel.querySelector('#change-status').textContent = data.campaigns.length ? '选择两期不同的监测批次' : '尚未导入遥感监测批次';
  }
  loadCampaigns();
  showGreen();
  // Logging in or out changes what the plan lets the reader see: read both again.
  window.addEventListener('minplan-auth', () => { change.getSource().clear(true); loadCampaigns(); showGreen(); });
  // Campaigns and register entries imported meanwhile (the upload page, the CLI) show when the map is shown again.
  window.addEventListener('hashchange', () => {
    if (/^#?\/?$/.test(location.hash)) { loadCampaigns(); showGreen(); }
  });
  return { green, change, showGreen, showChange, loadCampaigns };
}
