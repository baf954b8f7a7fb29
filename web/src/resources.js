// #/resources[/<year>]: 资源管理 for everyone — the year's rights release plan (GET /api/release, the plans
// `minplan release import` stored) listed and drawn on a map with the blocks it releases; the corner and gap
// resources (GET /api/gaps, the same answer as `minplan gaps --json`) as a map layer, schematic pieces dashed
// and labelled 示意; and the year's 三率 lists (GET /api/sanlv) with the XLSX/HTML files `minplan sanlv YEAR
// --xlsx/--html` writes (GET /api/downloads/sanlv.xlsx|html).
import Map from 'ol/Map';
import View from 'ol/View';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { get as getProjection } from 'ol/proj';
import { getJson, escapeHtml } from './api.js';
import { navigationGuard } from './nav.js';

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });
export const RESOURCE_STYLE = {
  exploration: { zh: '拟投放勘查区块', stroke: '#1565c0', fill: 'rgba(21,101,192,0.35)' },
  mining: { zh: '拟投放开采区块', stroke: '#e65100', fill: 'rgba(230,81,0,0.35)' },
  gap: { zh: '边角夹缝资源', stroke: '#6a1b9a', fill: 'rgba(106,27,154,0.45)' },
};
const countyStyle = new Style({ stroke: new Stroke({ color: '#888', width: 1 }), fill: new Fill({ color: 'rgba(255,255,255,0.6)' }) });
const schematic = (f) => f.get('geometry_source') === 'schematic';
function styleFor(key) {
  const s = RESOURCE_STYLE[key];
  return (f) => new Style({
    stroke: new Stroke({ color: s.stroke, width: 2, lineDash: schematic(f) ? [6, 4] : undefined }),
    fill: new Fill({ color: s.fill }),
    // Schematic geometry is an illustration, never a basis for a grant: it says so on the map.
    text: new Text({ text: `${f.get('block_id') || f.get('container_id') || ''}${schematic(f) ? '（示意）' : ''}`, font: '11px sans-serif',
      fill: new Fill({ color: '#222' }), stroke: new Stroke({ color: '#fff', width: 3 }), overflow: true }),
  });
}

const table = (id, head, rows, empty) => (rows.length
  ? `<div class="scroll"><table class="indicator-table" id="${id}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
    <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
  : `<p class="note" id="${id}">${escapeHtml(empty)}</p>`);
const pct = (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(1)}%`);
const num = (v, d = 4) => (v === null || v === undefined ? '—' : String(Number(Number(v).toFixed(d))));

let view = null;

function createView(root) {
  root.innerHTML = `<h2>资源管理：投放计划、边角夹缝资源与矿山“三率”</h2>
    <label>年度 <select id="resources-year"></select></label>
    <div class="diff-body"><div id="resources-map" class="diff-map"></div>
      <div class="diff-tables">
        <p class="note">图例：${Object.values(RESOURCE_STYLE).map((s) => `<span class="chip" style="border-color:${s.stroke};background:${s.fill}">${s.zh}</span>`).join('')}
          虚线并注“示意”的为示意几何（schematic），仅供示意，不作为出让或审查依据。</p>
        <section><h3 id="release-title">年度投放计划</h3><div id="release-list"></div></section>
        <section><h3>边角、夹缝资源</h3><p class="note" id="gaps-summary"></p><div id="gaps-list"></div></section>
      </div></div>
    <section><h3>矿山“三率”年度公布</h3>
      <p><a id="sanlv-xlsx" class="download">下载公布表（XLSX）</a> <a id="sanlv-html" class="download">公布网页（HTML）</a></p>
      <p id="sanlv-summary"></p>
      <h4>大中型矿山低于最低指标</h4><div id="sanlv-below"></div>
      <h4>达到领跑者水平</h4><div id="sanlv-leading"></div></section>`;
  const counties = new VectorSource();
  const release = { exploration: new VectorSource(), mining: new VectorSource() };
  const gaps = new VectorSource();
  const map = new Map({
    target: 'resources-map',
    view: new View({ projection: getProjection('EPSG:4490'), zoom: 9, center: [113.5, 40] }),
    layers: [new VectorLayer({ source: counties, style: countyStyle }),
      new VectorLayer({ source: gaps, style: styleFor('gap') }),
      new VectorLayer({ source: release.exploration, style: styleFor('exploration') }),
      new VectorLayer({ source: release.mining, style: styleFor('mining') })],
    controls: [],
  });
  getJson('/api/layers/admin_counties/features').then((fc) => {
    counties.addFeatures(format.readFeatures(fc));
    map.getView().fit(counties.getExtent(), { padding: [20, 20, 20, 20] });
  }).catch(() => {});
  document.getElementById('resources-year').addEventListener('change', (e) => { location.hash = `#/resources/${e.target.value}`; });
  view = { map, counties, release, gaps, blocks: null, gapsLoaded: false };
  window.minplanResources = view;  // for the end-to-end tests and the console
  return view;
}

// Every block of both layers, once: a release plan names blocks by id.
async function blocks() {
  if (!view.blocks) {
    const [e, m] = await Promise.all([getJson('/api/layers/exploration_blocks/features'), getJson('/api/layers/mining_blocks/features')]);
    view.blocks = { exploration: format.readFeatures(e), mining: format.readFeatures(m) };
  }
  return view.blocks;
}

async function showRelease(year, current) {
  const list = document.getElementById('release-list');
  view.release.exploration.clear();
  view.release.mining.clear();
  let plan = null;
  try {
    plan = await getJson(`/api/release/${year}`);
  } catch {
    if (current()) list.innerHTML = `<p class="note" id="release-table">${year}年度没有入库的投放计划（由规划管理部门审查通过后入库）。</p>`;
    return;
  }
  const all = await blocks();
  if (!current()) return;
  const drawn = new Set();
  for (const kind of ['exploration', 'mining']) {
    const ids = new Set(plan.entries.filter((e) => e.kind === kind).map((e) => e.block_id));
    const found = all[kind].filter((f) => ids.has(f.get('block_id')));
    found.forEach((f) => drawn.add(f.get('block_id')));
    view.release[kind].addFeatures(found.map((f) => f.clone()));
  }
  document.getElementById('release-title').textContent = `${year}年度投放计划（${plan.count}个区块）`;
  list.innerHTML = table('release-table', ['区块编号', '类型', '矿种', '出让方式', '协议出让理由', '计划出让时间', '拟设生产规模', '图上'],
    plan.entries.map((e) => [e.block_id, e.kind_zh, e.mineral, e.method, e.protocol_reason, e.planned_date,
      e.capacity === null || e.capacity === undefined ? '' : `${num(e.capacity)} ${e.capacity_unit}`, drawn.has(e.block_id) ? '是' : '无图形']), '');
  const extent = [...view.release.exploration.getFeatures(), ...view.release.mining.getFeatures()];
  if (extent.length) view.map.getView().fit(new VectorSource({ features: extent }).getExtent(), { padding: [60, 60, 60, 60], maxZoom: 12 });
}

async function showGaps() {
  if (view.gapsLoaded) return;
  view.gapsLoaded = true;
  const fc = await getJson('/api/gaps');
  view.gaps.addFeatures(format.readFeatures(fc));
  const s = fc.summary || {};
  const schematicCount = fc.features.filter((f) => f.properties.geometry_source === 'schematic').length;
  document.getElementById('gaps-summary').textContent = `在 ${s.containers ?? '—'} 个区块内找到 ${fc.features.length} 处与同矿种采矿权相邻的未设权部分`
    + `${schematicCount ? `，其中 ${schematicCount} 处为示意几何的结果（仅供示意）` : ''}。判定阈值：${s.thresholds_source_zh || '规划未给出（需人工核查）'}。`;
  document.getElementById('gaps-list').innerHTML = table('gaps-table', ['所在区块', '矿种', '结论', '面积（km²，椭球）', '宽度（m）', '相邻矿业权人', '出让方式', '几何'],
    fc.features.map((f) => {
      const p = f.properties;
      return [p.container_id, p.mineral, p.status_zh, num(p.area_ellipsoid_km2), num(p.width_m, 1),
        [...new Set(p.adjacent_rights.map((a) => a.holder).filter(Boolean))].join('、'), p.grant_method_zh,
        p.geometry_source === 'schematic' ? '示意' : '实测'];
    }), '没有找到边角、夹缝资源。');
}

async function showSanlv(year, current) {
  document.getElementById('sanlv-xlsx').href = `/api/downloads/sanlv.xlsx?year=${year}`;
  document.getElementById('sanlv-html').href = `/api/downloads/sanlv.html?year=${year}`;
  const p = await getJson(`/api/sanlv?year=${year}`);
  if (!current()) return;
  document.getElementById('sanlv-summary').textContent = p.mines.length
    ? `${year}年 ${p.mines.length} 座矿山报送三率；大中型矿山达标 ${p.pass} 座、低于最低指标 ${p.fail} 座、需人工核查 ${p.manual} 座；达标率 ${pct(p.share_pct)}`
      + `（目标 ${pct(p.target_pct)}，${p.status_zh}）。`
    : `${year}年没有矿山报送三率数据。`;
  const rates = (m) => [pct(m.mining_recovery), pct(m.processing_recovery), pct(m.utilisation)];
  const head = ['矿山', '县区', '矿种', '规模', '开采回采率', '选矿回收率', '综合利用率', '说明'];
  document.getElementById('sanlv-below').innerHTML = table('sanlv-below-table', head,
    p.mines.filter((m) => m.large_or_medium && m.minimum.result === 'fail').map((m) => [m.name || m.mine_id, m.county, m.mineral, m.size_class, ...rates(m),
      m.minimum.details.join('；')]), '没有低于最低指标的大中型矿山。');
  document.getElementById('sanlv-leading').innerHTML = table('sanlv-leading-table', head,
    p.mines.filter((m) => m.leading.result === 'pass').map((m) => [m.name || m.mine_id, m.county, m.mineral, m.size_class, ...rates(m),
      m.leading.details.join('；')]), '没有达到领跑者水平的矿山（领跑者指标未配置时均为需人工核查）。');
}

export async function showResources(requestedYear) {
  const root = document.getElementById('resources');
  const current = navigationGuard();
  try {
    if (!view) createView(root);
    const index = await getJson('/api/monitor');
    if (!current()) return;
    const { first_year: first, last_year: last } = index.period;
    const year = requestedYear >= first && requestedYear <= last ? requestedYear : index.default_year;
    const select = document.getElementById('resources-year');
    select.innerHTML = Array.from({ length: last - first + 1 }, (_, i) => first + i)
      .map((y) => `<option value="${y}" ${y === year ? 'selected' : ''}>${y}年</option>`).join('');
    await Promise.all([showRelease(year, current), showGaps(), showSanlv(year, current)]);
    view.map.updateSize();
  } catch (e) {
    if (current()) root.insertAdjacentHTML('beforeend', `<p class="error">${escapeHtml(e.message)}</p>`);
  }
}
