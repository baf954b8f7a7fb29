// 审计记录 (#/audit, admin): the append-only audit trail of every write (GET /api/audit), filtered by date,
// user, action and object, and exported as CSV or XLSX with the same filter.
import { getJson, escapeHtml } from './api.js';
import { auth } from './login.js';

const FILTERS = ['from', 'to', 'user', 'action', 'object'];

export async function showAudit() {
  const root = document.getElementById('audit');
  if (auth.role !== 'admin') {
    root.innerHTML = '<h2>审计记录</h2><p class="nodata-banner">此页面供管理员使用：请先登录管理员账户。</p>';
    return;
  }
  root.innerHTML = `<h2>审计记录</h2>
    <form id="audit-form" class="intake-form">
      <label>起 <input name="from" type="date" /></label>
      <label>止 <input name="to" type="date" /></label>
      <label>操作者 <input name="user" size="12" /></label>
      <label>操作 <input name="action" size="16" placeholder="如 changeset" title="按前缀：changeset 匹配 changeset.create、changeset.approve…" /></label>
      <label>对象 <input name="object" size="16" /></label>
      <button type="submit">查询</button>
      <a id="audit-csv" class="download">导出 CSV</a> <a id="audit-xlsx" class="download">导出 XLSX</a>
    </form>
    <p id="audit-count" class="note"></p>
    <table class="indicator-table" id="audit-table"><thead><tr><th>序号</th><th>时间（北京时间）</th><th>操作者</th><th>客户端</th>
      <th>操作</th><th>对象</th><th>变更前</th><th>变更后</th></tr></thead><tbody></tbody></table>`;
  root.querySelector('#audit-form').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}

async function load() {
  const form = document.getElementById('audit-form');
  const q = new URLSearchParams();
  for (const k of FILTERS) if (form[k].value.trim()) q.set(k, form[k].value.trim());
  document.getElementById('audit-csv').href = `/api/audit?${q}&format=csv`;
  document.getElementById('audit-xlsx').href = `/api/audit?${q}&format=xlsx`;
  const count = document.getElementById('audit-count');
  try {
    const { entries } = await getJson(`/api/audit?${q}`);
    count.textContent = `${entries.length} 条记录（最新在前）`;
    count.className = 'note';
    document.querySelector('#audit-table tbody').innerHTML = entries.map((e) => `<tr data-action="${escapeHtml(e.action)}">
      <td>${e.id}</td><td>${escapeHtml(e.at)}</td><td>${escapeHtml(e.actor)}</td><td>${escapeHtml(e.client)}</td>
      <td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.object)}</td><td>${escapeHtml(e.before)}</td><td>${escapeHtml(e.after)}</td></tr>`).join('');
  } catch (e) {
    count.textContent = e.message;
    count.className = 'error';
  }
}
