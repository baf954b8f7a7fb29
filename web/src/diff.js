// 版本对比 (#/diff?from=&to=): what changed in the plan between two dates — features added, retired and
// changed on a map (styled apart) with the table beside it, and the effect on every 专栏 total
// (GET /api/diff, the same answer as `minplan diff`); the 调整情况表 XLSX and GeoJSON for download.
import Map from 'ol/Map';
import View from 'ol/View';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style } from 'ol/style';
import { get as getProjection } from 'ol/proj';
import { getJson, escapeHtml } from './api.js';
import { approvedSets } from './version.js';
import { navigationGuard } from './nav.js';

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });
export const CHANGE_STYLE = {
  added: { zh: '新增', stroke: '#1a9850', fill: 'rgba(26,152,80,0.45)', dash: undefined },
  retired: { zh: '注销', stroke: '#d73027', fill: 'rgba(215,48,39,0.15)', dash: [8, 5] },
  changed: { zh: '修改', stroke: '#f46d43', fill: 'rgba(253,174,97,0.45)', dash: undefined },
};
const styles = Object.fromEntries(Object.entries(CHANGE_STYLE).map(([k, s]) => [k,
  new Style({ stroke: new Stroke({ color: s.stroke, width: 2.5, lineDash: s.dash }), fill: new Fill({ color: s.fill }) })]));
const countyStyle = new Style({ stroke: new Stroke({ color: '#888', width: 1 }), fill: new Fill({ color: 'rgba(255,255,255,0.6)' }) });

let view = null;

function dayBefore(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function diffOptions(hash) {
  const q = new URLSearchParams(hash.split('?')[1] || '');
  return { from: q.get('from') || '', to: q.get('to') || '' };
}

async function createView() {
  const root = document.getElementById('diff');
  root.innerHTML = `<h2>版本对比（规划调整情况）</h2>
    <form id="diff-form" class="intake-form">
      <label>起始日期 <input name="from" type="date" required /></label>
      <label>截止日期 <input name="to" type="date" required /></label>
      <button type="submit">对比</button>
      <a id="diff-xlsx" class="download" hidden>下载调整情况表（XLSX）</a>
      <a id="diff-geojson" class="download" hidden>下载变化要素（GeoJSON）</a>
    </form>
    <p class="note">图例：<span class="chip added">新增</span><span class="chip retired">注销</span><span class="chip changed">修改</span>
      （按两日期各自有效的规划逐要素比较；修改列出变化的字段与面积。）</p>
    <p id="diff-message" class="note"></p>
    <div class="diff-body"><div id="diff-map" class="diff-map"></div>
      <div class="diff-tables"><table class="indicator-table" id="diff-table"><thead><tr><th>图层</th><th>标识</th><th>变化</th>
        <th>变化内容</th><th>调整前面积<br><small>(km²)</small></th><th>调整后面积<br><small>(km²)</small></th></tr></thead><tbody></tbody></table>
      <h3>专栏合计的变化</h3>
      <table class="indicator-table" id="diff-totals"><thead><tr><th>专栏</th><th>图层</th><th>指标</th><th>调整前</th><th>调整后</th><th>变化</th></tr></thead>
        <tbody></tbody></table></div></div>`;
  const counties = new VectorSource();
  const changes = new VectorSource();
  const map = new Map({
    target: 'diff-map',
    view: new View({ projection: getProjection('EPSG:4490'), zoom: 9, center: [113.5, 40] }),
    layers: [new VectorLayer({ source: counties, style: countyStyle }),
      new VectorLayer({ source: changes, style: (f) => styles[f.get('change')] })],
    controls: [],
  });
  getJson('/api/layers/admin_counties/features').then((fc) => {
    counties.addFeatures(format.readFeatures(fc));
    if (!changes.getFeatures().length) map.getView().fit(counties.getExtent(), { padding: [20, 20, 20, 20] });
  }).catch(() => {});
  root.querySelector('#diff-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/diff?from=${e.target.from.value}&to=${e.target.to.value}`;
  });
  view = { map, changes, counties };
  window.minplanDiff = view;  // for the end-to-end tests and the console
  return view;
}

export async function showDiff(options) {
  if (!view) await createView();
  const form = document.getElementById('diff-form');
  let { from, to } = options;
  if (!from || !to) {
    // Default: the latest approved adjustment, from the day before it took effect to today.
    const sets = await approvedSets().catch(() => []);
    const today = new Date().toISOString().slice(0, 10);
    to = to || today;
    from = from || (sets.length ? dayBefore(sets[0].effective_date) : to);
  }
  form.from.value = from;
  form.to.value = to;
  const msg = document.getElementById('diff-message');
  msg.textContent = '对比中…';
  msg.className = 'note';
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const current = navigationGuard();
  let diff;
  let fc;
  try {
    [diff, fc] = await Promise.all([getJson(`/api/diff?${q}`), getJson(`/api/diff?${q}&format=geojson`)]);
  } catch (e) {
    if (!current()) return;
    msg.textContent = e.message;
    msg.className = 'error';
    return;
  }
  if (!current()) return;
  for (const [id, fmt] of [['diff-xlsx', 'xlsx'], ['diff-geojson', 'geojson']]) {
    const a = document.getElementById(id);
    a.href = `/api/diff?${q}&format=${fmt}`;
    a.hidden = false;
  }
  const counts = Object.fromEntries(Object.keys(CHANGE_STYLE).map((k) => [k, diff.changes.filter((c) => c.change === k).length]));
  msg.textContent = `${diff.from} → ${diff.to}：新增 ${counts.added} 个，注销 ${counts.retired} 个，修改 ${counts.changed} 个要素`;
  view.changes.clear();
  view.changes.addFeatures(format.readFeatures(fc));
  if (view.changes.getFeatures().length) view.map.getView().fit(view.changes.getExtent(), { padding: [60, 60, 60, 60], maxZoom: 12 });
  view.map.updateSize();
  const num = (v) => (v === null || v === undefined ? '' : Number(v).toFixed(4));
  document.querySelector('#diff-table tbody').innerHTML = diff.changes.map((c) => `<tr class="change-${escapeHtml(c.change)}"
      data-key="${escapeHtml(c.key)}" data-change="${escapeHtml(c.change)}">
    <td>${escapeHtml(c.layer_zh)}</td><td>${escapeHtml(c.key)}</td>
    <td class="st"><span class="chip ${escapeHtml(c.change)}">${CHANGE_STYLE[c.change]?.zh ?? escapeHtml(c.change)}</span></td>
    <td>${c.fields.map((f) => `${escapeHtml(f.alias_zh || f.field)}：${escapeHtml(f.before)} → ${escapeHtml(f.after)}`).join('<br>')}
      ${c.geometry_changed ? '<br>范围变化' : ''}</td>
    <td class="num">${num(c.area_before_km2)}</td><td class="num">${num(c.area_after_km2)}</td></tr>`).join('')
    || '<tr><td colspan="6">两日期之间规划没有变化。</td></tr>';
  document.querySelector('#diff-totals tbody').innerHTML = diff.totals.map((t) => `<tr>
    <td>${t.column ? `专栏${escapeHtml(t.column)}` : ''}</td><td>${escapeHtml(t.layer_zh)}</td>
    <td>${escapeHtml(t.alias_zh || t.field)}${t.unit ? `（${escapeHtml(t.unit)}）` : ''}</td>
    <td class="num">${num(t.before)}</td><td class="num">${num(t.after)}</td>
    <td class="num">${t.delta > 0 ? '+' : ''}${num(t.delta)}</td></tr>`).join('')
    || '<tr><td colspan="6">没有受影响的专栏合计。</td></tr>';
}
