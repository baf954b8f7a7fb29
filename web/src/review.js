// The review page (#/review): an application's coordinates pasted or uploaded (mining/exploration right
// string, 国土 TXT, GeoJSON), optional attributes, POST /api/check, and the answer: the polygon on a map
// with the plan's layers around it and the features the findings rely on highlighted, the verdict, every
// finding with its evidence (each feature linked to the map: click to highlight and zoom) and citation,
// schematic features marked, and the review opinion (HTML, PDF, Word) to download. Reviewers' checks are
// saved by the server with a number; anonymous ones are not, and the page says which.
import './review.css';
import OlMap from 'ol/Map';  // not Map: the page also keeps a JS Map of features
import View from 'ol/View';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import GeoJSON from 'ol/format/GeoJSON';
import ScaleLine from 'ol/control/ScaleLine';
import { Fill, Stroke, Style } from 'ol/style';
import { createEmpty, extend as extendExtent, isEmpty } from 'ol/extent';
import { get as getProjection } from 'ol/proj';
import { NorthArrow } from './cartography.js';
import { getJson, escapeHtml } from './api.js';
import { layerStyleSpec, LAYER_STYLE } from './styles.js';
import { auth, apiPost, errorMessage } from './login.js';

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });
let page = null;

export async function showReview() {
  if (!page) page = createReviewPage();
  const p = await page;
  p.map.updateSize();
  return p;
}

async function createReviewPage() {
  const root = document.getElementById('review');
  root.innerHTML = `
    <aside class="review-form">
      <h2>矿业权申请规划符合性审查</h2>
      <p id="review-save-note" class="review-save-note"></p>
      <form id="review-form">
        <label class="field">申请范围坐标（粘贴采矿权/探矿权坐标串、国土TXT 或 GeoJSON）
          <textarea id="review-text" name="text" rows="7" placeholder="1,4,1,4416600.00,38474600.00,2,..."></textarea></label>
        <label class="field">或上传文件（.txt 坐标文件、.geojson/.json）
          <input id="review-file" name="file" type="file" accept=".txt,.geojson,.json" /></label>
        <div class="row">
          <label>矿业权类型 <select name="kind"><option value="">按坐标格式识别</option><option value="mining">采矿权</option><option value="exploration">探矿权</option></select></label>
          <label>申请事项 <select name="action"><option value="">新立</option><option value="extension">延续</option><option value="expansion">扩界延深</option><option value="change_mineral">变更矿种</option></select></label>
        </div>
        <details id="review-attrs"><summary>申请属性（可选，未填的项目由审查员人工核查）</summary><div id="review-attr-fields" class="attr-fields"></div></details>
        <button type="submit" id="review-submit">提交审查</button>
        <p id="review-error" class="error" hidden></p>
      </form>
      <div id="review-result" class="review-result" hidden></div>
      <div id="review-history" class="review-history" hidden></div>
    </aside>
    <div class="review-map-wrap"><div id="review-map" class="map"></div>
      <div class="review-legend"><span class="lg app"></span>申请范围 <span class="lg hit"></span>审查涉及的规划要素 <span class="lg ctx"></span>周边规划要素 <span class="lg sel"></span>选中的要素 <span class="lg schematic"></span>示意几何（非真实位置）</div></div>`;

  const map = new OlMap({
    target: 'review-map',
    view: new View({ projection: getProjection('EPSG:4490'), zoom: 9 }),  // centred on the plan's counties once loaded
    controls: [],
  });
  map.addControl(new ScaleLine());
  map.addControl(new NorthArrow());
  const base = new VectorSource();
  const spec = LAYER_STYLE.admin_counties;
  map.addLayer(new VectorLayer({ source: base, style: new Style({ fill: new Fill({ color: spec.fill }), stroke: new Stroke({ color: spec.stroke, width: 1 }) }) }));
  const context = new VectorSource();
  map.addLayer(new VectorLayer({ source: context, style: contextStyle }));
  const hits = new VectorSource();
  map.addLayer(new VectorLayer({ source: hits, style: hitStyle, zIndex: 5 }));
  const selected = new VectorSource();  // the features of the finding the reviewer clicked
  map.addLayer(new VectorLayer({ source: selected, style: selectedStyle, zIndex: 8 }));
  const app = new VectorSource();
  map.addLayer(new VectorLayer({ source: app, style: appStyle, zIndex: 10 }));
  getJson('/api/layers/admin_counties/features').then((fc) => {
    base.addFeatures(format.readFeatures(fc));
    if (!app.getFeatures().length) map.getView().fit(base.getExtent(), { padding: [20, 20, 20, 20] });
  }).catch(() => {});

  const { attributes } = await getJson('/api/check/attributes');
  ATTR_ZH = Object.fromEntries(attributes.map((a) => [a.key, a.label_zh]));
  document.getElementById('review-attr-fields').innerHTML = attributes
    .filter((a) => a.key !== 'kind' && a.key !== 'action')
    .map((a) => `<label title="${escapeHtml(a.key)}">${escapeHtml(a.label_zh)}${attrInput(a)}</label>`).join('');

  const form = document.getElementById('review-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(form); });
  window.addEventListener('minplan-auth', () => { updateSaveNote(); loadHistory(); });
  updateSaveNote();
  loadHistory();

  const state = { map, app, hits, context, selected, byKey: new Map(), showEvidence };
  window.minplanReview = state;  // for the end-to-end tests and the console
  return state;

  async function submit(f) {
    const err = document.getElementById('review-error');
    err.hidden = true;
    const file = document.getElementById('review-file').files[0];
    const text = document.getElementById('review-text').value.trim();
    let body, type;
    if (file) {
      // The bytes as they are: a 国土 TXT may be GBK, and the server detects the encoding.
      body = file;
      type = /\.(geo)?json$/i.test(file.name) ? 'application/geo+json' : 'text/plain';
    } else if (text) {
      body = text;
      type = /^\s*[{[]/.test(text) ? 'application/geo+json' : 'text/plain; charset=utf-8';
    } else {
      err.textContent = '请粘贴申请范围坐标或选择文件';
      err.hidden = false;
      return;
    }
    const params = new URLSearchParams();
    for (const el of f.querySelectorAll('select[name], select[data-attr], input[data-attr]')) {
      const key = el.dataset.attr || el.name;
      if (el.value !== '') params.append(key, el.value);
    }
    // The project is named from the file's header or the attributes; the file name only when nothing else names it.
    if (file) params.append('file_name', file.name);
    const result = document.getElementById('review-result');
    result.hidden = true;
    result.innerHTML = '';
    const button = document.getElementById('review-submit');
    button.disabled = true;
    button.textContent = '审查中…';
    try {
      const res = await apiPost(`/api/check${params.toString() ? '?' + params : ''}`, body, type);
      if (!res.ok) throw new Error(await errorMessage(res));
      const report = await res.json();
      showReport(report);
      await drawReport(report);
      loadHistory();
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
      // The server could not tell the kind of right from the coordinates: the choice is the user's.
      if (/采矿权.*探矿权/.test(e.message) && !f.querySelector('select[name=kind]').value) f.querySelector('select[name=kind]').focus();
    } finally {
      button.disabled = false;
      button.textContent = '提交审查';
    }
  }

  async function drawReport(report) {
    app.clear();
    hits.clear();
    context.clear();
    selected.clear();
    state.byKey = new Map();
    const geometry = report.application.geometry;
    if (!geometry) return;
    const appFeature = format.readFeature({ type: 'Feature', geometry, properties: {} });
    app.addFeature(appFeature);
    const extent = appFeature.getGeometry().getExtent();
    const w = Math.max(extent[2] - extent[0], 0.01), h = Math.max(extent[3] - extent[1], 0.01);
    const bbox = [extent[0] - 2 * w, extent[1] - 2 * h, extent[2] + 2 * w, extent[3] + 2 * h].map((v) => v.toFixed(6)).join(',');
    // Every plan layer around the application (context), and the features the evidence names (hits): the
    // evidence gives layer + feature id, matched against the feature's identifier fields.
    const wanted = {};
    for (const f of report.findings) for (const e of f.evidence || []) (wanted[e.layer] ||= new Set()).add(String(e.feature_id));
    const layers = new Set([...PLAN_LAYERS, ...Object.keys(wanted)]);
    let fitExtent = extent.slice();
    await Promise.all([...layers].map(async (layer) => {
      let fc;
      try { fc = await getJson(`/api/layers/${encodeURIComponent(layer)}/features?bbox=${bbox}&limit=500`); } catch { return; }
      const ids = wanted[layer] || new Set();
      for (const feature of format.readFeatures(fc)) {
        feature.set('__layer', layer);
        const props = feature.getProperties();
        const id = Object.entries(props).find(([k, v]) => k !== 'geometry' && v !== null && ids.has(String(v)));
        if (id) {
          feature.set('__id', String(id[1]));
          state.byKey.set(`${layer}|${id[1]}`, feature);
          hits.addFeature(feature);
          fitExtent = extend(fitExtent, feature.getGeometry().getExtent());
        } else {
          context.addFeature(feature);
        }
      }
    }));
    markLocatable();
    const mx = (fitExtent[2] - fitExtent[0]) * 0.15, my = (fitExtent[3] - fitExtent[1]) * 0.15;
    map.getView().fit([fitExtent[0] - mx, fitExtent[1] - my, fitExtent[2] + mx, fitExtent[3] + my], { padding: [30, 30, 30, 30], maxZoom: 15 });
  }
}

// The plan's layers drawn around an application (the portal's feature endpoints, bbox-limited).
const PLAN_LAYERS = ['mining_blocks', 'exploration_blocks', 'key_mining_zones', 'key_exploration_zones', 'strategic_reserve_zones',
  'control_areas', 'control_lines', 'mineral_rights'];

// Highlights the evidence features of one finding (or one feature) and zooms to them with the application.
function showEvidence(keys) {
  const s = window.minplanReview;
  if (!s) return 0;
  s.selected.clear();
  const ext = createEmpty();
  for (const key of keys) {
    const f = s.byKey.get(key);
    if (!f) continue;
    s.selected.addFeature(f.clone());
    extendExtent(ext, f.getGeometry().getExtent());
  }
  if (isEmpty(ext)) return 0;
  for (const f of s.app.getFeatures()) extendExtent(ext, f.getGeometry().getExtent());
  const mx = (ext[2] - ext[0]) * 0.1, my = (ext[3] - ext[1]) * 0.1;
  s.map.getView().fit([ext[0] - mx, ext[1] - my, ext[2] + mx, ext[3] + my], { padding: [30, 30, 30, 30], maxZoom: 15, duration: 250 });
  return s.selected.getFeatures().length;
}

// Evidence rows whose feature is on the map become links; the others say the feature is outside the view.
function markLocatable() {
  const s = window.minplanReview;
  for (const el of document.querySelectorAll('#review-result [data-key]')) {
    const ok = s.byKey.has(el.dataset.key);
    el.classList.toggle('locatable', ok);
    el.title = ok ? '在地图上显示该要素' : '该要素不在当前地图范围内';
  }
  for (const li of document.querySelectorAll('#review-result li.finding')) {
    const keys = [...li.querySelectorAll('[data-key]')].map((e) => e.dataset.key).filter((k) => s.byKey.has(k));
    li.classList.toggle('has-features', keys.length > 0);
  }
}

function extend(a, b) { return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]; }

function attrInput(a) {
  if (a.type === 'boolean') return `<select data-attr="${escapeHtml(a.key)}"><option value="">未填</option><option value="true">是</option><option value="false">否</option></select>`;
  const type = a.type === 'number' ? 'number" step="any' : 'text';
  const hint = a.type === 'list' ? ' placeholder="用逗号分隔"' : '';
  return `<input data-attr="${escapeHtml(a.key)}" type="${type}"${hint} />`;
}

function updateSaveNote() {
  const note = document.getElementById('review-save-note');
  if (!note) return;
  note.className = 'review-save-note ' + (auth.authenticated ? 'saved' : 'unsaved');
  note.textContent = auth.authenticated
    ? `已登录为 ${auth.username}（${auth.roleZh}）：提交的审查将存档（审查人、时间、输入、结论），可追溯。`
    : '未登录：可自行核查申请范围，但结果不存档。审查员请先登录。';
}

const VERDICT_CLASS = { 符合: 'pass', 不符合: 'fail', 需人工核查: 'review' };
const ACTION_ZH = { new: '新立', extension: '延续', expansion: '扩界/延深', change_mineral: '变更矿种' };
const FORMAT_ZH = {
  mining_right_string: '采矿权登记坐标串', exploration_right_string: '探矿权登记坐标串', land_parcel_txt: '国土资源部标准坐标文件（TXT）',
  registration_txt: '矿业权登记报盘文件（TXT）', geojson: 'GeoJSON 矢量文件', shapefile: 'Shapefile 矢量文件', geopackage: 'GeoPackage 矢量文件',
};
const RESULT_CLASS = { 通过: 'pass', 不通过: 'fail', 需人工核查: 'review', 不适用: 'na' };

function showReport(r) {
  const box = document.getElementById('review-result');
  const a = r.application;
  const findings = [...r.findings].sort((x, y) => (x.result === '不适用') - (y.result === '不适用'));
  const saved = r.review?.saved;
  const opinion = saved
    ? `审查意见 ${escapeHtml(r.review.number || '')}：<a id="review-opinion" class="opinion-link" href="${escapeHtml(r.review.opinion_url)}?download=1" download>HTML</a>
       <a id="review-opinion-docx" class="opinion-link" href="${escapeHtml(r.review.docx_url)}" download>Word（可编辑）</a>
       <a id="review-opinion-pdf" class="opinion-link" href="${escapeHtml(r.review.pdf_url)}?download=1" download>PDF</a>
       <a href="${escapeHtml(r.review.opinion_url)}" target="_blank" rel="noopener">在新窗口打开</a>`
    : `<button type="button" id="review-opinion-unsaved" class="opinion-link">下载审查意见草稿（HTML，未存档、无编号）</button>`;
  box.innerHTML = `
    <div class="verdict ${VERDICT_CLASS[r.verdict] || 'review'}" data-testid="verdict">审查结论：<strong id="review-verdict">${escapeHtml(r.verdict)}</strong></div>
    <p class="review-meta">${escapeHtml(a.name || '')} · ${a.kind === 'exploration' ? '探矿权' : '采矿权'}${ACTION_ZH[a.action] || ''} · ${a.plane_area_m2 > 0
      ? `登记面积 ${escapeHtml(a.plane_area_km2)} 平方千米（椭球 ${escapeHtml(a.ellipsoid_area_km2 ?? a.area_km2)}，按${a.area_basis === 'plane' ? '登记面积' : '椭球面积'}判定）`
      : `面积 ${escapeHtml(a.area_km2)} 平方千米`} · ${escapeHtml(FORMAT_ZH[a.source_format] || '坐标文件')}</p>
    ${(a.notes || []).length ? `<ul class="input-notes info">${a.notes.map((n) => `<li>${escapeHtml(userText(n))}</li>`).join('')}</ul>` : ''}
    <p class="review-saved ${saved ? 'saved' : 'unsaved'}" id="review-saved">${escapeHtml(r.review?.message || '')}</p>
    ${r.relies_on_schematic ? '<p class="schematic-note">部分结论依据<strong>示意几何</strong>：规划文本未给出其坐标，图形不是真实位置，不能据此判定，相关结论须人工核实。</p>' : ''}
    ${(a.input_notes || []).length ? `<ul class="input-notes">${a.input_notes.map((n) => `<li>${escapeHtml(userText(n))}</li>`).join('')}</ul>` : ''}
    <p>${opinion}</p>
    <ol class="findings">${findings.map(findingHtml).join('')}</ol>`;
  box.hidden = false;
  const unsaved = box.querySelector('#review-opinion-unsaved');
  if (unsaved) unsaved.addEventListener('click', () => downloadUnsaved(unsaved));
  // A finding's features on the map: a feature's link shows that one, the finding's button all of them.
  box.querySelector('.findings').addEventListener('click', (e) => {
    const one = e.target.closest('[data-key]');
    const all = e.target.closest('.locate-all');
    if (!one && !all) return;
    e.preventDefault();
    const li = e.target.closest('li.finding');
    for (const x of box.querySelectorAll('li.finding.active')) x.classList.remove('active');
    li.classList.add('active');
    showEvidence(one ? [one.dataset.key] : [...li.querySelectorAll('[data-key]')].map((x) => x.dataset.key));
  });
  box.scrollIntoView({ block: 'start' });
}

function findingHtml(f) {
  const ev = (f.evidence || []).map((e) => `<tr${e.schematic ? ' class="schematic"' : ''}>
      <td>${escapeHtml(layerName(e.layer))}</td>
      <td><a href="#" class="feature-link" data-key="${escapeHtml(`${e.layer}|${e.feature_id}`)}">${escapeHtml(e.name || e.feature_id)}</a></td>
      <td>${escapeHtml(e.feature_id)}</td>
      <td class="num">${e.overlap_m2 ? `${Math.round(e.overlap_m2).toLocaleString('zh-CN')} 平方米（${e.overlap_pct.toFixed(1)}%）` : ''}</td>
      <td>${e.schematic ? '<span class="badge schematic">示意</span>' : ''}</td></tr>`).join('');
  const c = f.citation || {};
  const section = (c.section || '').replace(/\s*\[[^\]]*\]/g, '');
  const cite = section || c.quote ? `<blockquote class="citation">${escapeHtml(section)}${c.quote ? `：“${escapeHtml(c.quote)}”` : ''}</blockquote>` : '';
  const missing = (f.missing || []).length ? `<p class="missing">需补充：${f.missing.map((m) => escapeHtml(missingName(m))).join('、')}</p>` : '';
  return `<li class="finding result-${RESULT_CLASS[f.result] || 'na'}" data-rule="${escapeHtml(f.rule)}">
    <div class="finding-head"><span class="badge ${RESULT_CLASS[f.result] || ''}">${escapeHtml(f.result)}</span>
      <span class="sev">${escapeHtml(f.severity)}</span> <b class="finding-title">${escapeHtml(f.title_zh)}</b>
      ${f.relies_on_schematic ? '<span class="badge schematic">依据示意几何</span>' : ''}
      ${ev ? '<button type="button" class="locate-all" title="在地图上显示本项涉及的规划要素">定位</button>' : ''}</div>
    <p>${escapeHtml(userText(f.message))}</p>${missing}
    ${ev ? `<table class="evidence"><thead><tr><th>图层</th><th>要素</th><th>编号</th><th>重叠</th><th></th></tr></thead><tbody>${ev}</tbody></table>` : ''}
    ${cite}</li>`;
}

const LAYER_ZH = {};
getJson('/api/layers').then(({ layers }) => { for (const l of layers) LAYER_ZH[l.id] = l.name_zh.replace(/[（(].*$/, ''); }).catch(() => {});
function layerName(id) { return LAYER_ZH[id] || '规划图层'; }
let ATTR_ZH = {};
// The engine's messages may name attributes, layers or formats by their identifiers: readers get Chinese.
function userText(text) {
  let s = String(text || '');
  for (const [key, zh] of Object.entries(ATTR_ZH)) s = s.split(`（${key}）`).join('').replace(new RegExp(`\\b${key}\\b`, 'g'), zh);
  for (const [id, zh] of Object.entries({ ...FORMAT_ZH, ...LAYER_ZH })) s = s.replace(new RegExp(`\\b${id}\\b`, 'g'), zh);
  return s.replace(/([，,]\s*)?EPSG:(\d+)/g, (m, comma, code) => `${comma ? '，' : ''}${crsName(Number(code))}`).replace(/\s*\[seed L\d+\]/g, '');
}
function crsName(epsg) {
  if (epsg === 4490) return '2000国家大地坐标系经纬度';
  if (epsg === 4326) return 'WGS 84 经纬度';
  if (epsg >= 4513 && epsg <= 4533) return `2000国家大地坐标系3度带第${epsg - 4488}带`;
  if (epsg >= 4534 && epsg <= 4554) return `2000国家大地坐标系3度带第${epsg - 4509}带`;
  return '2000国家大地坐标系';
}
function missingName(m) {
  if (ATTR_ZH[m]) return ATTR_ZH[m];
  if (LAYER_ZH[m]) return `${LAYER_ZH[m]}数据`;
  const [table, value] = m.split(':');
  if (value && table === 'mine_size_classes') return `“${value}”的规模分类标准`;
  if (value && table === 'minimum_scale') return `“${value}”的最低开采规模`;
  return value || m;
}

async function downloadUnsaved(button) {
  // Anonymous: the same check again with format=html, kept in the browser only.
  const form = document.getElementById('review-form');
  const file = document.getElementById('review-file').files[0];
  const text = document.getElementById('review-text').value.trim();
  const params = new URLSearchParams({ format: 'html' });
  for (const el of form.querySelectorAll('select[name], select[data-attr], input[data-attr]')) if (el.value !== '') params.append(el.dataset.attr || el.name, el.value);
  const type = file ? (/\.(geo)?json$/i.test(file.name) ? 'application/geo+json' : 'text/plain') : (/^\s*[{[]/.test(text) ? 'application/geo+json' : 'text/plain; charset=utf-8');
  button.disabled = true;
  try {
    const res = await apiPost(`/api/check?${params}`, file || text, type);
    if (!res.ok) throw new Error(await errorMessage(res));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = '审查意见.html';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } finally {
    button.disabled = false;
  }
}

async function loadHistory() {
  const box = document.getElementById('review-history');
  if (!box) return;
  if (!auth.authenticated) { box.hidden = true; return; }
  try {
    const { reviews, total } = await getJson('/api/reviews?limit=10');
    box.innerHTML = `<h3>最近的审查记录（共 ${total} 条）</h3><table><thead><tr><th>审查意见编号</th><th>时间（北京时间）</th><th>审查人</th><th>申请</th><th>结论</th><th></th></tr></thead><tbody>${
      reviews.map((r) => `<tr><td>${escapeHtml(r.number || String(r.id))}</td><td class="time">${escapeHtml(r.created_at_local || shanghaiTime(r.created_at))}</td><td>${escapeHtml(r.username)}</td>
        <td>${escapeHtml(r.application_name || '')}</td><td class="${VERDICT_CLASS[r.verdict] || ''}">${escapeHtml(r.verdict)}</td>
        <td><a href="/api/reviews/${r.id}/opinion.html" target="_blank" rel="noopener">审查意见</a></td></tr>`).join('')}</tbody></table>`;
    box.hidden = false;
  } catch {
    box.hidden = true;
  }
}

// "2026-11-30T09:05:12Z" -> "2026-11-30 17:05:12": China keeps UTC+8 all year.
function shanghaiTime(utc) {
  const t = Date.parse(utc);
  if (Number.isNaN(t)) return utc;
  return new Date(t + 8 * 3600 * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

function selectedStyle() {
  return [
    new Style({ stroke: new Stroke({ color: 'rgba(0,90,255,0.35)', width: 10 }) }),
    new Style({ stroke: new Stroke({ color: '#005aff', width: 3 }), fill: new Fill({ color: 'rgba(0,90,255,0.15)' }) }),
  ];
}

function appStyle() {
  return new Style({ stroke: new Stroke({ color: '#d40000', width: 3 }), fill: new Fill({ color: 'rgba(212,0,0,0.12)' }) });
}

function hitStyle(feature) {
  const spec = layerStyleSpec(feature.get('__layer'), 0);
  const schematic = feature.get('geometry_source') === 'schematic';
  return [
    new Style({ stroke: new Stroke({ color: '#ffb300', width: 7 }) }),
    new Style({ fill: new Fill({ color: 'rgba(255,179,0,0.12)' }), stroke: new Stroke({ color: spec.stroke, width: 2, lineDash: schematic ? [8, 5] : undefined }) }),
  ];
}

function contextStyle(feature) {
  const spec = layerStyleSpec(feature.get('__layer'), 0);
  const schematic = feature.get('geometry_source') === 'schematic';
  return new Style({ stroke: new Stroke({ color: spec.stroke, width: 1, lineDash: schematic ? [6, 4] : undefined }), fill: new Fill({ color: 'rgba(255,255,255,0.05)' }) });
}
