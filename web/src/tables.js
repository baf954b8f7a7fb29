// The plan's tables (专栏), browsable: the list from /api/tables, one table at a time from /api/tables/{id}.
import { getJson, escapeHtml } from './api.js';
import { withAsOf, version } from './version.js';

const HIDDEN_FIELDS = new Set(['source', 'row_kind']);

export async function createTablesPage() {
  const list = document.getElementById('table-list');
  const { tables } = await getJson('/api/tables');
  list.innerHTML = tables
    .map((t) => `<li><a href="#/tables/${encodeURIComponent(t.id)}" data-table="${escapeHtml(t.id)}">
      <span class="num">专栏${escapeHtml(t.number)}</span> ${escapeHtml(t.title.replace(/（专栏.*?）/, ''))}</a></li>`)
    .join('');
}

export async function showTable(id) {
  const view = document.getElementById('table-view');
  document.querySelectorAll('#table-list a').forEach((a) => a.classList.toggle('active', a.dataset.table === id));
  view.innerHTML = '<p>加载中…</p>';
  try {
    const { tables } = await getJson(withAsOf(`/api/tables/${encodeURIComponent(id)}`));
    view.innerHTML = (version.asOf ? `<p class="note as-of-note">${escapeHtml(version.asOf)} 有效的规划</p>` : '') + tables.map(renderTable).join('');
  } catch (e) {
    view.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

function renderTable(t) {
  const fields = t.fields.filter((f) => !HIDDEN_FIELDS.has(f.name) && !f.name.endsWith('_printed'));
  const head = fields.map((f) => `<th>${escapeHtml(f.alias_zh || f.name)}${f.unit ? `<br><small>(${escapeHtml(f.unit)})</small>` : ''}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${fields.map((f) => `<td>${escapeHtml(r[f.name] ?? '')}</td>`).join('')}</tr>`)
    .join('');
  const sources = [...new Set(t.rows.map((r) => r.source).filter(Boolean))];
  return `<article class="plan-table"><h2>${escapeHtml(t.title)}</h2>
    <div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>
    ${sources.length ? `<p class="note">来源：${escapeHtml(sources.slice(0, 3).join('；'))}</p>` : ''}
    <p class="note">数据未注明处为规划原文未给出；合计与原表不一致处见 data/plans/…/notes/。</p></article>`;
}
