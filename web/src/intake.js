// 年度数据报送 (#/intake, planner or admin): choose the year's XLSX/CSV, check it first (POST /api/intake
// with dry_run=true writes nothing), read every row-level problem in a table, and only then confirm the
// import. The confirmation sends the same file again; the server validates it again before writing.
import { escapeHtml } from './api.js';
import { auth, apiPost, errorMessage } from './login.js';

let file = null;

export function showIntake() {
  const root = document.getElementById('intake');
  if (auth.role !== 'planner' && auth.role !== 'admin') {
    root.innerHTML = `<h2>年度数据报送</h2><p class="nodata-banner">此页面供规划员和管理员使用：请先登录具有规划员或管理员角色的账户。</p>`;
    return;
  }
  root.innerHTML = `<h2>年度数据报送</h2>
    <p>按年度报表模板填写矿山名录、矿山年报和勘查成果（XLSX 或 CSV），先校验：校验只检查、不写入数据库；
      校验通过后再确认导入。导入是整体性的：有任何一行不合格，整份文件都不会写入。</p>
    <form id="intake-form" class="intake-form">
      <label>报表文件 <input type="file" name="file" id="intake-file" accept=".xlsx,.csv" required /></label>
      <label><input type="checkbox" name="replace" id="intake-replace" /> 覆盖已报送的同一矿山同一年度数据</label>
      <button type="submit" id="intake-check">校验（不写入）</button>
    </form>
    <div id="intake-result" data-testid="intake-result"></div>`;
  const form = root.querySelector('#intake-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); check(); });
  form.querySelector('#intake-file').addEventListener('change', () => { root.querySelector('#intake-result').innerHTML = ''; });
}

async function send(dryRun) {
  const data = new FormData();
  data.append('file', file);
  data.append('replace', document.getElementById('intake-replace').checked ? 'true' : 'false');
  data.append('dry_run', dryRun ? 'true' : 'false');
  return apiPost('/api/intake', data);
}

async function check() {
  const out = document.getElementById('intake-result');
  file = document.getElementById('intake-file').files[0];
  if (!file) return;
  out.innerHTML = '<p>校验中…</p>';
  try {
    const res = await send(true);
    const body = await res.json().catch(() => null);
    if (res.ok) {
      out.innerHTML = `<p class="intake-ok" data-testid="intake-ok">${escapeHtml(body.message)}</p>
        ${countsTable(body.would_import)}
        <button type="button" id="intake-confirm" class="primary">确认导入</button>`;
      out.querySelector('#intake-confirm').addEventListener('click', confirm);
    } else if (body?.error?.problems) {
      out.innerHTML = problemsTable(body.error);
    } else {
      out.innerHTML = `<p class="error">${escapeHtml(body?.error?.message ?? await errorMessage(res))}</p>`;
    }
  } catch (e) {
    out.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

async function confirm() {
  const out = document.getElementById('intake-result');
  out.querySelector('#intake-confirm').disabled = true;
  try {
    const res = await send(false);
    const body = await res.json().catch(() => null);
    out.innerHTML = res.ok
      ? `<p class="intake-ok" data-testid="intake-done">${escapeHtml(body.message)}</p><p><a href="#/dashboard">查看指标看板</a></p>`
      : body?.error?.problems ? problemsTable(body.error) : `<p class="error">${escapeHtml(body?.error?.message ?? '导入失败')}</p>`;
  } catch (e) {
    out.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

function countsTable(c) {
  return `<table class="indicator-table"><thead><tr><th>表</th><th>将导入行数</th></tr></thead><tbody>
    <tr><td>矿山名录</td><td class="num">${c.mines}</td></tr><tr><td>矿山年报</td><td class="num">${c.mine_years}</td></tr>
    <tr><td>勘查成果</td><td class="num">${c.exploration}</td></tr></tbody></table>`;
}

// Each problem reads "文件［表］第N行 列名：原因"; shown one per row, the first 50 of problems_total.
function problemsTable(err) {
  const rows = err.problems.map((p, i) => `<tr><td class="num">${i + 1}</td><td>${escapeHtml(p)}</td></tr>`).join('');
  const more = err.problems_total > err.problems.length ? `<p>另有 ${err.problems_total - err.problems.length} 个问题未列出：请先改正以上各行。</p>` : '';
  return `<p class="error" data-testid="intake-problems">${escapeHtml(err.summary || err.message.split('\n')[0])}：共 ${err.problems_total} 个问题，数据库未作任何改动。</p>
    <table class="indicator-table intake-problems"><thead><tr><th>序号</th><th>问题（文件、表、行、列与原因）</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}
