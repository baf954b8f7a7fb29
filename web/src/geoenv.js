// #/geoenv[/<date>]: the geo-environment view for everyone — the green-mine register on a date (GET
// /api/geoenv?view=register), the open problem sites per county and who must restore them (view=open),
// and the projects past their due year (view=overdue). The same answers as `minplan geoenv … --json`.
import { getJson, escapeHtml } from './api.js';

const table = (head, rows) => `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
  <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;

export async function showGeoenv(date) {
  const view = document.getElementById('geoenv');
  const d = date || new Date().toISOString().slice(0, 10);
  view.innerHTML = '<p>加载中…</p>';
  try {
    const q = encodeURIComponent(d);
    const [reg, open, overdue] = await Promise.all([
      getJson(`/api/geoenv?view=register&date=${q}`),
      getJson(`/api/geoenv?view=open&by=county&date=${q}`),
      getJson('/api/geoenv?view=overdue'),
    ]);
    const levels = Object.entries(reg.by_level).map(([l, n]) => `${l} ${n} 座`).join('，');
    view.innerHTML = `<h2>矿山地质环境与绿色矿山名录</h2>
      <label>日期 <input id="geoenv-date" type="date" value="${escapeHtml(d)}"></label>
      <section><h3>绿色矿山名录</h3>
        <p id="geoenv-register-count">在名录 ${reg.listed} 座${levels ? `（${escapeHtml(levels)}）` : ''}</p>
        ${table(['矿山名称', '状态', '级别', '自', '在名录'], reg.mines.map((m) => [m.mine_name, m.state, m.level, m.since, m.listed ? '是' : '否']))}
      </section>
      <section><h3>未治理的问题图斑（按行政区）</h3>
        ${open.groups.length ? table(['行政区', '责任主体', '图斑数', '面积（公顷）'], open.groups.map((g) => [g.key, g.party, g.count, g.area_ha.toFixed(2)]))
          : '<p class="note">尚未导入矿山地质环境问题图斑。</p>'}
      </section>
      <section><h3>逾期治理工程（${overdue.year}年）</h3>
        ${overdue.projects.length ? table(['工程编号', '工程名称', '状态', '计划完成', '逾期（年）'], overdue.projects.map((p) => [p.project_id, p.name, p.state, p.due_year, p.years_late]))
          : '<p class="note">无逾期工程。</p>'}
      </section>`;
    document.getElementById('geoenv-date').addEventListener('change', (e) => { location.hash = `#/geoenv/${e.target.value}`; });
  } catch (e) {
    view.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}
