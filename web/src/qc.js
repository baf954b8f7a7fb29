// 质检结果 (#/qc, planner): the last recorded quality check (GET /api/qc: when, by which command, forced or
// not) and the whole report of the plan the portal serves (GET /api/qc/report, the same as
// `minplan --json qc`): the summary per check and severity, the findings table, and each finding's
// location on a small map (GeoJSON, EPSG:4490), styled by severity. Clicking a row zooms to it.
import Map from 'ol/Map';
import View from 'ol/View';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style';
import { get as getProjection } from 'ol/proj';
import { getJson, escapeHtml } from './api.js';
import { navigationGuard } from './nav.js';
import { auth } from './login.js';

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });
const COLOURS = { error: '#d73027', warning: '#fc8d59', hint: '#4575b4' };
const pointStyles = Object.fromEntries(Object.entries(COLOURS).map(([k, c]) => [k,
  new Style({ image: new CircleStyle({ radius: 6, fill: new Fill({ color: c }), stroke: new Stroke({ color: '#fff', width: 1.5 }) }) })]));
const countyStyle = new Style({ stroke: new Stroke({ color: '#888', width: 1 }), fill: new Fill({ color: 'rgba(255,255,255,0.6)' }) });

let view = null;

function createView(root) {
  root.innerHTML = `<h2>质检结果</h2>
    <p id="qc-last" class="note"></p>
    <p id="qc-verdict" class="note"></p>
    <p class="note">图例：<span class="chip qc-error">错误</span><span class="chip qc-warning">警告</span><span class="chip qc-hint">提示</span>
      （示意几何的问题一律为提示，不作判定；点击问题行在图上定位。）<a id="qc-geojson" class="download" href="/api/qc/report?format=geojson">下载问题位置（GeoJSON）</a></p>
    <div class="diff-body"><div id="qc-map" class="diff-map"></div>
      <div class="diff-tables">
        <h3>汇总</h3>
        <table class="indicator-table" id="qc-summary"><thead><tr><th>质检项</th><th>说明</th><th>严重程度</th><th>数量</th></tr></thead><tbody></tbody></table>
        <h3>问题清单</h3>
        <table class="indicator-table" id="qc-findings"><thead><tr><th>严重程度</th><th>质检项</th><th>图层</th><th>编号</th><th>名称</th>
          <th>问题</th><th>位置</th></tr></thead><tbody></tbody></table></div></div>`;
  const counties = new VectorSource();
  const points = new VectorSource();
  const map = new Map({
    target: 'qc-map',
    view: new View({ projection: getProjection('EPSG:4490'), zoom: 9, center: [113.5, 40] }),
    layers: [new VectorLayer({ source: counties, style: countyStyle }),
      new VectorLayer({ source: points, style: (f) => pointStyles[f.get('severity_key')] ?? pointStyles.hint })],
    controls: [],
  });
  getJson('/api/layers/admin_counties/features').then((fc) => {
    counties.addFeatures(format.readFeatures(fc));
    if (!points.getFeatures().length) map.getView().fit(counties.getExtent(), { padding: [20, 20, 20, 20] });
  }).catch(() => {});
  view = { map, points, counties };
  window.minplanQc = view;  // for the end-to-end tests and the console
  return view;
}

function lastText(last) {
  if (!last.available) return '本数据库尚无 build/import 记录的质检结果；下表为当前规划的质检。';
  return `最近一次记录：${escapeHtml(last.checked_at ?? '')}，${escapeHtml(last.command ?? '')}，错误 ${last.errors} 个、警告 ${last.warnings} 个、提示 ${last.hints} 个`
    + (last.forced ? '（有错误仍强制写入）' : '');
}

export async function showQc() {
  const root = document.getElementById('qc');
  if (!['planner', 'admin'].includes(auth.role)) {
    view = null;
    root.innerHTML = '<h2>质检结果</h2><p class="nodata-banner">此页面供规划员使用：请先登录规划员或管理员账户。</p>';
    return;
  }
  if (!view || !document.getElementById('qc-map')) createView(root);
  const verdict = document.getElementById('qc-verdict');
  verdict.textContent = '质检中…';
  verdict.className = 'note';
  const current = navigationGuard();
  let last;
  let report;
  let fc;
  try {
    [last, report, fc] = await Promise.all([getJson('/api/qc'), getJson('/api/qc/report'), getJson('/api/qc/report?format=geojson')]);
  } catch (e) {
    if (!current()) return;
    verdict.textContent = e.message;
    verdict.className = 'error';
    return;
  }
  if (!current()) return;
  document.getElementById('qc-last').innerHTML = lastText(last);
  verdict.textContent = `当前规划（版本 ${report.version}，配置 ${report.config}）：${report.passed ? '通过' : '不通过'}——错误 ${report.errors} 个、警告 ${report.warnings} 个、提示 ${report.hints} 个`;
  verdict.className = report.passed ? 'note' : 'error';
  document.querySelector('#qc-summary tbody').innerHTML = report.summary.map((s) => `<tr data-check="${escapeHtml(s.check)}">
    <td>${escapeHtml(s.check)}</td><td>${escapeHtml(s.description)}</td><td>${escapeHtml(s.severity)}</td><td class="num">${s.count}</td></tr>`).join('')
    || '<tr><td colspan="4">没有发现问题。</td></tr>';
  const rows = report.findings;
  document.querySelector('#qc-findings tbody').innerHTML = rows.map((f, i) => `<tr data-index="${i}" data-check="${escapeHtml(f.check)}"
      data-severity="${escapeHtml(f.severity_key)}" class="qc-${escapeHtml(f.severity_key)}">
    <td><span class="chip qc-${escapeHtml(f.severity_key)}">${escapeHtml(f.severity)}</span></td><td>${escapeHtml(f.check)}</td>
    <td>${escapeHtml(f.layer_name)}</td><td>${escapeHtml(f.feature_id)}</td><td>${escapeHtml(f.feature_name)}</td><td>${escapeHtml(f.message)}</td>
    <td>${f.point ? `${Number(f.point[0]).toFixed(5)}, ${Number(f.point[1]).toFixed(5)}` : ''}</td></tr>`).join('')
    || '<tr><td colspan="7">没有发现问题。</td></tr>';
  document.querySelectorAll('#qc-findings tbody tr[data-index]').forEach((tr) => tr.addEventListener('click', () => {
    const f = rows[Number(tr.dataset.index)];
    if (f.extent) view.map.getView().fit(f.extent, { padding: [60, 60, 60, 60], maxZoom: 14 });
    else if (f.point) view.map.getView().animate({ center: f.point, zoom: 13 });
  }));
  view.points.clear();
  view.points.addFeatures(format.readFeatures(fc));
  if (view.points.getFeatures().length) view.map.getView().fit(view.points.getExtent(), { padding: [60, 60, 60, 60], maxZoom: 12 });
  view.map.updateSize();
}
