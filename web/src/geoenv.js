// #/geoenv[/<date>]: the geo-environment view for everyone — the green-mine register on a date, problem sites by
// kind and responsible party, restoration per 专栏15 zone (progress bars), projects by state, the monitoring
// campaigns (a selector: the sites each found; two campaigns compared, the grown parts drawn with their areas),
// open sites per county and overdue projects. #/geoenv/greenmines[/<date>]: the green-mine list with every
// state change and the XLSX export. #/geoenv/upload (planner, admin): uploads of the geo-environment layers.
// Every figure comes from GET /api/geoenv?view=… (the same answers as `minplan geoenv VIEW --json`).
import { getJson, escapeHtml } from './api.js';
import { auth } from './login.js';
import { showGeoenvUpload } from './geoenv_upload.js';
import { navigationGuard } from './nav.js';

const table = (head, rows, id) => `<div class="scroll"><table${id ? ` id="${id}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
  <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
const ha = (v) => Number(v).toFixed(2);
const isStaff = () => auth.role === 'planner' || auth.role === 'admin';

export async function showGeoenv(arg) {
  const view = document.getElementById('geoenv');
  const a = arg ? decodeURIComponent(arg) : '';
  if (a.startsWith('greenmines')) return showGreenMines(view, a.slice('greenmines/'.length) || null);
  if (a.startsWith('upload')) return showGeoenvUpload(view);
  return showOverview(view, a || null);
}

function links() {
  return `<p class="geoenv-links"><a href="#/geoenv/greenmines" id="geoenv-greenmines-link">绿色矿山名录</a>
    ${isStaff() ? ' · <a href="#/geoenv/upload" id="geoenv-upload-link">上传数据（规划员）</a>' : ''}</p>`;
}

// Sites counted per kind (rows) and responsible party (columns), with areas. Each kind under the Chinese label of
// the plan's code table (kind_label, from the API), its stored code in the second column and the tooltip. Where
// the plan does not publish the responsible party (settings.geoenv.public), one column of all sites.
function sitesByKind(sites) {
  const party = (s) => s.party ?? '合计';
  const parties = [...new Set(sites.map(party))].sort();
  const kinds = [...new Set(sites.map((s) => s.kind))].sort();
  const label = (k) => sites.find((s) => s.kind === k)?.kind_label || k;
  const cells = (k) => parties.map((p) => {
    const of = sites.filter((s) => s.kind === k && party(s) === p);
    return `<td>${of.length ? `${of.length} 处 / ${ha(of.reduce((t, s) => t + s.area_ha, 0))} 公顷` : '—'}</td>`;
  }).join('');
  return `<div class="scroll"><table id="geoenv-sites-by-kind"><thead><tr><th>问题类型</th><th>代码</th>${parties.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr></thead>
    <tbody>${kinds.map((k) => `<tr data-kind="${escapeHtml(k)}"><td class="kind-label" title="代码 ${escapeHtml(k)}">${escapeHtml(label(k))}</td>
      <td class="kind-code">${escapeHtml(k)}</td>${cells(k)}</tr>`).join('')}</tbody></table></div>`;
}

// A view the plan does not publish answers 403 with the reason: shown in place of its section.
const fetchView = (url) => getJson(url).catch((e) => ({ withheld: e.message }));
const withheld = (x) => `<p class="note geoenv-withheld" data-testid="geoenv-withheld">${escapeHtml(x.withheld)}</p>`;

function zoneBars(zones) {
  if (!zones.length) return '<p class="note">尚未导入专栏15治理分区。</p>';
  return `<div id="geoenv-zones">${zones.map((z) => {
    const share = z.planned_ha > 0 ? Math.min(100, (100 * z.completed_ha) / z.planned_ha) : 0;
    return `<div class="geoenv-zone" data-zone="${escapeHtml(z.zone)}"><span>${escapeHtml(z.zone)} ${escapeHtml(z.name)}（${escapeHtml(z.class)}）</span>
      <span class="geoenv-bar" style="display:inline-block;width:12em;height:0.8em;background:#e5e7eb;vertical-align:middle">
        <span style="display:block;height:100%;width:${share.toFixed(1)}%;background:#16a34a"></span></span>
      <span class="geoenv-zone-figures">完成 ${ha(z.completed_ha)} / 计划 ${ha(z.planned_ha)} 公顷${z.planned_ha > 0 ? `（${share.toFixed(1)}%）` : ''}</span></div>`;
  }).join('')}</div>`;
}

async function showOverview(view, date) {
  const d = date || new Date().toISOString().slice(0, 10);
  const year = d.slice(0, 4);
  const current = navigationGuard();
  view.innerHTML = '<p>加载中…</p>';
  try {
    const q = encodeURIComponent(d);
    const [reg, open, overdue, sites, zones, projects, campaigns] = await Promise.all([
      fetchView(`/api/geoenv?view=register&date=${q}`),
      fetchView(`/api/geoenv?view=open&by=county&date=${q}`),
      fetchView(`/api/geoenv?view=overdue&year=${year}`),
      fetchView('/api/geoenv?view=sites'),
      fetchView(`/api/geoenv?view=zones&year=${year}`),
      fetchView(`/api/geoenv?view=projects&year=${year}`),
      fetchView('/api/geoenv?view=campaigns'),
    ]);
    if (!current()) return;
    const levels = reg.withheld ? '' : Object.entries(reg.by_level).map(([l, n]) => `${l} ${n} 座`).join('，');
    const states = projects.withheld ? '' : Object.entries(projects.by_state).map(([s, n]) => `${s} ${n} 处`).join('，');
    const camps = campaigns.withheld ? [] : campaigns.campaigns;
    const options = camps.map((c) => `<option value="${escapeHtml(c.campaign_id)}">${escapeHtml(c.campaign_id)}（${c.year}年）</option>`).join('');
    view.innerHTML = `<h2>矿山地质环境与绿色矿山名录</h2>
      <label>日期 <input id="geoenv-date" type="date" value="${escapeHtml(d)}"></label>${links()}
      <section><h3>绿色矿山名录</h3>
        ${reg.withheld ? withheld(reg) : `<p id="geoenv-register-count">在名录 ${reg.listed} 座${levels ? `（${escapeHtml(levels)}）` : ''}</p>
        ${table(['矿山名称', '状态', '级别', '自', '在名录'], reg.mines.map((m) => [m.mine_name, m.state, m.level, m.since, m.listed ? '是' : '否']))}`}
      </section>
      <section><h3>问题图斑（按类型与治理责任主体）</h3>
        ${sites.withheld ? withheld(sites) : sites.sites.length ? sitesByKind(sites.sites) : '<p class="note">尚未导入矿山地质环境问题图斑。</p>'}
      </section>
      <section><h3>治理分区进度（专栏15，至${year}年底）</h3>${zones.withheld ? withheld(zones) : zoneBars(zones.zones)}</section>
      <section><h3>治理工程（按状态）</h3>
        ${projects.withheld ? withheld(projects) : projects.projects.length ? `<p id="geoenv-project-states">${escapeHtml(states)}</p>
          ${table(['工程编号', '工程名称', '分区', '状态', '资金来源', '计划面积（公顷）', `完成面积（至${year}年）`],
            projects.projects.map((p) => [p.project_id, p.name, p.zone_id, p.state, p.funding, ha(p.planned_ha), ha(p.completed_ha)]), 'geoenv-projects')}`
          : '<p class="note">尚未导入治理工程。</p>'}
      </section>
      <section><h3>遥感监测</h3>
        ${camps.length ? `<label>监测批次 <select id="geoenv-campaign">${options}</select></label>
          <div id="geoenv-findings"></div>
          <p><label>与前一期比较 <select id="geoenv-compare-from"><option value="">（选择前一期）</option>${options}</select></label></p>
          <div id="geoenv-change"></div>` : campaigns.withheld ? withheld(campaigns) : '<p class="note">尚未导入遥感监测批次。</p>'}
      </section>
      <section><h3>未治理的问题图斑（按行政区）</h3>
        ${open.withheld ? withheld(open) : open.groups.length ? table(['行政区', '责任主体', '图斑数', '面积（公顷）'], open.groups.map((g) => [g.key, g.party ?? '—', g.count, ha(g.area_ha)]))
          : '<p class="note">尚未导入矿山地质环境问题图斑。</p>'}
      </section>
      <section><h3>逾期治理工程（${overdue.year ?? year}年）</h3>
        ${overdue.withheld ? withheld(overdue) : overdue.projects.length ? table(['工程编号', '工程名称', '状态', '计划完成', '逾期（年）'], overdue.projects.map((p) => [p.project_id, p.name, p.state, p.due_year, p.years_late]))
          : '<p class="note">无逾期工程。</p>'}
      </section>`;
    document.getElementById('geoenv-date').addEventListener('change', (e) => { location.hash = `#/geoenv/${e.target.value}`; });
    if (camps.length) {
      const sel = document.getElementById('geoenv-campaign');
      const from = document.getElementById('geoenv-compare-from');
      sel.value = camps[camps.length - 1].campaign_id;
      const showFindings = () => {
        const c = camps.find((x) => x.campaign_id === sel.value);
        document.getElementById('geoenv-findings').innerHTML = `<p>覆盖面积 ${ha(c.coverage_km2)} 平方公里，发现图斑 ${c.findings.length} 处</p>
          ${table(['图斑编号', '问题类型', '面积（公顷）', '矿山', '责任主体'], c.findings.map((f) => [f.site_id, f.kind_label || f.kind, ha(f.area_ha), f.mine_name, f.party ?? '—']), 'geoenv-findings-table')}`;
      };
      const showChange = async () => {
        const out = document.getElementById('geoenv-change');
        if (!from.value || from.value === sel.value) { out.innerHTML = ''; return; }
        try {
          const ch = await getJson(`/api/geoenv?view=change&from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(sel.value)}`);
          out.innerHTML = changeMap(ch) + table(['图斑编号', '矿山', '前期面积', '后期面积', '新增（公顷）', '减少（公顷）'],
            ch.sites.map((s) => [s.site_id, s.mine_name || s.mine_id, ha(s.before_ha), ha(s.after_ha), ha(s.grown_ha), ha(s.shrunk_ha)]), 'geoenv-change-table')
            + `<p id="geoenv-grown-mines">图斑扩大的矿山：${escapeHtml(ch.grown_mines.join('、') || '无')}</p>`;
        } catch (e) {
          out.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
        }
      };
      sel.addEventListener('change', () => { showFindings(); showChange(); });
      from.addEventListener('change', showChange);
      showFindings();
    }
  } catch (e) {
    if (current()) view.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}

// The two campaigns' site polygons in one small map (lon/lat, x scaled by cos φ): the earlier outline dashed,
// the later filled blue, the part that grew red, each site labelled with the area it grew.
function changeMap(ch) {
  const rings = (g) => (!g ? [] : g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : []);
  const all = ch.sites.flatMap((s) => ['before', 'after', 'grown'].flatMap((k) => rings(s.geometry[k]))).flat();
  if (!all.length) return '';
  const lons = all.map((p) => p[0]), lats = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
  const w = 480, h = 300, pad = 20;
  const s = Math.min((w - 2 * pad) / Math.max((x1 - x0) * k, 1e-9), (h - 2 * pad) / Math.max(y1 - y0, 1e-9));
  const pt = ([x, y]) => `${(pad + (x - x0) * k * s).toFixed(1)},${(h - pad - (y - y0) * s).toFixed(1)}`;
  const path = (g) => rings(g).map((r) => `M${r.map(pt).join('L')}Z`).join('');
  const shapes = ch.sites.map((site) => {
    const g = site.geometry;
    const pts = rings(g.after).flat();
    const cx = pts.reduce((t, p) => t + p[0], 0) / pts.length, cy = pts.reduce((t, p) => t + p[1], 0) / pts.length;
    const [lx, ly] = pt([cx, cy]).split(',');
    return `<g data-site="${escapeHtml(site.site_id)}">
      ${g.before ? `<path d="${path(g.before)}" fill="none" stroke="#555" stroke-dasharray="4 2"/>` : ''}
      <path d="${path(g.after)}" fill="rgba(37,99,235,0.2)" stroke="#2563eb"/>
      ${g.grown ? `<path class="grown" d="${path(g.grown)}" fill="rgba(220,38,38,0.6)" stroke="none"/>` : ''}
      <text x="${lx}" y="${ly}" font-size="11" text-anchor="middle">${escapeHtml(site.site_id)} +${ha(site.grown_ha)} 公顷</text></g>`;
  }).join('');
  return `<figure><svg id="geoenv-change-map" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" style="border:1px solid #ccc;background:#fafafa">${shapes}</svg>
    <figcaption>${escapeHtml(ch.from)}（虚线）→ ${escapeHtml(ch.to)}（蓝色）；红色为新增部分，面积为 CGCS2000 椭球面积。</figcaption></figure>`;
}

async function showGreenMines(view, date) {
  const d = date || new Date().toISOString().slice(0, 10);
  const current = navigationGuard();
  view.innerHTML = '<p>加载中…</p>';
  try {
    const [reg, hist] = await Promise.all([getJson(`/api/geoenv?view=register&date=${encodeURIComponent(d)}`), getJson('/api/geoenv?view=history')]);
    if (!current()) return;
    const levels = Object.entries(reg.by_level).map(([l, n]) => `${l} ${n} 座`).join('，');
    const byMine = new Map();
    for (const e of hist.events) {
      const key = e.mine_id || e.mine_name;
      if (!byMine.has(key)) byMine.set(key, []);
      byMine.get(key).push(e);
    }
    const historyOf = (m) => (byMine.get(m.mine_id || m.mine_name) || []).map((e) => `${e.date} ${e.state}${e.level ? `（${e.level}）` : ''}`).join(' → ');
    view.innerHTML = `<h2>绿色矿山名录</h2>
      <p><a href="#/geoenv">返回矿山地质环境</a> · <a id="geoenv-register-xlsx" href="/api/layers/green_mine_register/export?format=xlsx" download>导出名录全部记录（XLSX）</a></p>
      <label>日期 <input id="greenmines-date" type="date" value="${escapeHtml(d)}"></label>
      <p id="greenmines-count">${escapeHtml(d)} 在名录 ${reg.listed} 座${levels ? `（${escapeHtml(levels)}）` : ''}</p>
      ${table(['矿山名称', '矿山编号', '状态', '级别', '自', '在名录', '状态变更记录'],
        reg.mines.map((m) => [m.mine_name, m.mine_id, m.state, m.level, m.since, m.listed ? '是' : '否', historyOf(m)]), 'greenmines-table')}
      <h3>全部状态变更（${hist.events.length} 条）</h3>
      ${table(['矿山名称', '日期', '状态', '级别', '第三方评估机构', '评估结论', '备注'],
        hist.events.map((e) => [e.mine_name, e.date, e.state, e.level, e.assessor, e.assessment, e.note]), 'greenmines-history')}`;
    document.getElementById('greenmines-date').addEventListener('change', (e) => { location.hash = `#/geoenv/greenmines/${e.target.value}`; });
  } catch (e) {
    if (current()) view.innerHTML = `<p class="error">${escapeHtml(e.message)}</p>`;
  }
}
