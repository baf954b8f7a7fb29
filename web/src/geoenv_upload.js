// #/geoenv/upload (planner or admin): upload a geo-environment layer — problem sites, projects, yearly progress,
// campaigns, findings, the green-mine register — as XLSX/CSV (tables) or GeoPackage/GeoJSON (polygons). The file
// is checked first (POST /api/geoenv/import with dry_run=true: the same import as `minplan import`, nothing
// written); every row-level problem is listed; only then may the planner confirm, which sends the file again
// and the server checks it again before writing (all or nothing). CSRF token and role as every write.
import { escapeHtml } from './api.js';
import { auth, apiPost, errorMessage } from './login.js';

// Layer → its label and the worksheet of the template (data/templates/geoenv_template.xlsx) for XLSX.
const LAYERS = [
  ['geoenv_projects', '治理工程', '治理工程'],
  ['geoenv_project_years', '治理工程年度进度', '治理工程年度进度'],
  ['green_mine_register', '绿色矿山名录', '绿色矿山名录'],
  ['geoenv_sites', '矿山地质环境问题图斑（GeoPackage/GeoJSON）', ''],
  ['geoenv_campaigns', '遥感监测覆盖范围（GeoPackage/GeoJSON）', ''],
  ['geoenv_findings', '遥感监测图斑（GeoPackage/GeoJSON）', ''],
];

let file = null;

export function showGeoenvUpload(root) {
  if (auth.role !== 'planner' && auth.role !== 'admin') {
    root.innerHTML = `<h2>矿山地质环境数据上传</h2><p class="nodata-banner">此页面供规划员和管理员使用：请先登录具有规划员或管理员角色的账户。</p>
      <p><a href="#/geoenv">返回矿山地质环境</a></p>`;
    return;
  }
  root.innerHTML = `<h2>矿山地质环境数据上传</h2>
    <p><a href="#/geoenv">返回矿山地质环境</a></p>
    <p>属性表（治理工程、年度进度、绿色矿山名录）上传 XLSX 或 CSV，图斑与覆盖范围上传 GeoPackage 或 GeoJSON。先校验：校验只检查、不写入；
      校验通过后再确认导入。有任何一行不合格，整份文件都不会写入。</p>
    <form id="geoenv-upload-form" class="intake-form">
      <label>图层 <select id="geoenv-upload-layer">${LAYERS.map(([id, zh]) => `<option value="${id}">${escapeHtml(zh)}</option>`).join('')}</select></label>
      <label>文件 <input type="file" id="geoenv-upload-file" accept=".xlsx,.csv,.gpkg,.geojson" required /></label>
      <label>工作表（XLSX）<input type="text" id="geoenv-upload-sheet" value="${LAYERS[0][2]}" /></label>
      <label><input type="checkbox" id="geoenv-upload-append" /> 追加到现有数据（不勾选则替换）</label>
      <button type="submit" id="geoenv-upload-check">校验（不写入）</button>
    </form>
    <div id="geoenv-upload-result" data-testid="geoenv-upload-result"></div>`;
  const layer = root.querySelector('#geoenv-upload-layer');
  layer.addEventListener('change', () => {
    root.querySelector('#geoenv-upload-sheet').value = LAYERS.find(([id]) => id === layer.value)[2];
    root.querySelector('#geoenv-upload-result').innerHTML = '';
  });
  root.querySelector('#geoenv-upload-file').addEventListener('change', () => { root.querySelector('#geoenv-upload-result').innerHTML = ''; });
  root.querySelector('#geoenv-upload-form').addEventListener('submit', (e) => { e.preventDefault(); check(); });
}

function send(dryRun) {
  const data = new FormData();
  data.append('layer', document.getElementById('geoenv-upload-layer').value);
  data.append('file', file);
  const name = (file?.name || '').toLowerCase();
  if (name.endsWith('.xlsx')) data.append('sheet', document.getElementById('geoenv-upload-sheet').value);
  data.append('append', document.getElementById('geoenv-upload-append').checked ? 'true' : 'false');
  data.append('dry_run', dryRun ? 'true' : 'false');
  return apiPost('/api/geoenv/import', data);
}

async function answer(res) {
  const body = await res.json().catch(() => null);
  if (res.ok) return { ok: true, body };
  if (body?.error?.problems) return { ok: false, html: problemsTable(body.error) };
  return { ok: false, html: `<p class="error">${escapeHtml(body?.error?.message ?? await errorMessage(res))}</p>` };
}

async function check() {
  const out = document.getElementById('geoenv-upload-result');
  file = document.getElementById('geoenv-upload-file').files[0];
  if (!file) return;
  out.innerHTML = '<p>校验中…</p>';
  try {
    const a = await answer(await send(true));
    if (!a.ok) { out.innerHTML = a.html; return; }
    const warn = a.body.warnings.length ? `<ul class="note">${a.body.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
    out.innerHTML = `<p class="intake-ok" data-testid="geoenv-upload-ok">${escapeHtml(a.body.message)}</p>${warn}
      <button type="button" id="geoenv-upload-confirm" class="primary">确认导入</button>`;
    out.querySelector('#geoenv-upload-confirm').addEventListener('click', confirm);
  } catch (e) {
    out.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

async function confirm() {
  const out = document.getElementById('geoenv-upload-result');
  out.querySelector('#geoenv-upload-confirm').disabled = true;
  try {
    const a = await answer(await send(false));
    out.innerHTML = a.ok ? `<p class="intake-ok" data-testid="geoenv-upload-done">${escapeHtml(a.body.message)}</p><p><a href="#/geoenv">查看矿山地质环境</a></p>` : a.html;
  } catch (e) {
    out.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

function problemsTable(err) {
  const rows = err.problems.map((p, i) => `<tr><td class="num">${i + 1}</td><td>${escapeHtml(p)}</td></tr>`).join('');
  const more = err.problems_total > err.problems.length ? `<p>另有 ${err.problems_total - err.problems.length} 个问题未列出。</p>` : '';
  return `<p class="error" data-testid="geoenv-upload-problems">${escapeHtml(err.summary || err.message.split('\n')[0])}：共 ${err.problems_total} 个问题，数据库未作任何改动。</p>
    <table class="indicator-table intake-problems" id="geoenv-upload-problems"><thead><tr><th>序号</th><th>问题（文件、行、字段与原因）</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}
