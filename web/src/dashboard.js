// The indicators dashboard (#/dashboard, 规划实施监测指标看板): for a year of the plan period, every
// indicator's status with the rule that decided it (/api/monitor?year=), charts of extraction against the
// caps year by year and of the 三率 results (ECharts, bundled), and the report downloads.
// Colours follow the HTML evaluation report of src/monitor, so the page and the report read alike.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, TitleComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { getJson, escapeHtml } from './api.js';
import { auth } from './login.js';
import { navigationGuard } from './nav.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, MarkLineComponent, CanvasRenderer]);

export const STATUS = {
  met: { zh: '已达成', colour: '#4caf50', bg: '#c6efce' },
  on_track: { zh: '按进度', colour: '#8bc34a', bg: '#e2f0d9' },
  at_risk: { zh: '有风险', colour: '#ffc107', bg: '#ffeb9c' },
  breached: { zh: '未达标', colour: '#e53935', bg: '#ffc7ce' },
  manual: { zh: '需人工核查', colour: '#ff9800', bg: '#fce4d6' },
  no_data: { zh: '无数据', colour: '#9e9e9e', bg: '#ededed' },
};
const SANLV = { pass: ['达标', '#4caf50'], fail: ['未达标', '#e53935'], manual: ['需人工核查', '#ff9800'] };

let charts = [];
let index = null;
// For the end-to-end test and the console: the charts on the page.
window.minplanDashboard = { charts: () => charts };

const fmt = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 }));

// #/dashboard/<year>[/<county>]: the city-wide view, or one county's reporting mines.
export async function showDashboard(requestedYear, county = null) {
  const root = document.getElementById('dashboard');
  const current = navigationGuard();
  try {
    index = await getJson('/api/monitor');  // each time: an intake adds years and counties
    if (!current()) return;
    const { first_year: first, last_year: last } = index.period;
    const year = requestedYear >= first && requestedYear <= last ? requestedYear : index.default_year;
    root.innerHTML = '<p>加载中…</p>';
    const data = await getJson(`/api/monitor?year=${year}${county ? `&county=${encodeURIComponent(county)}` : ''}`);
    if (current()) render(root, data, first, last);
  } catch (e) {
    if (current()) root.innerHTML = `<p class="error">指标看板加载失败：${escapeHtml(e.message)}</p>`;
  }
}

export function resizeDashboard() { charts.forEach((c) => c.resize()); }

function render(root, d, first, last) {
  charts.forEach((c) => c.dispose());
  charts = [];
  const options = [];
  for (let y = first; y <= last; y++) {
    const has = index.years_with_data.includes(y);
    options.push(`<option value="${y}" ${y === d.year ? 'selected' : ''}>${y}年${has ? '' : '（无年度数据）'}</option>`);
  }
  const counts = Object.entries(STATUS)
    .map(([k, s]) => `<span class="status-chip" style="background:${s.bg};border-color:${s.colour}">${s.zh} <b>${d.status_counts[k] || 0}</b></span>`)
    .join('');
  root.innerHTML = `
    <div class="dash-head">
      <h2>规划实施监测指标看板</h2>
      <label>评估年度 <select id="dash-year">${options.join('')}</select></label>
      <label>范围 <select id="dash-county"><option value="">全市</option>${(index.counties || []).map((c) =>
        `<option ${c === d.county ? 'selected' : ''}>${escapeHtml(c)}</option>`).join('')}</select></label>
      <span class="dash-downloads">下载：<a id="dl-xlsx" href="${d.downloads.xlsx}">监测工作簿（XLSX）</a>
        <a id="dl-html" href="${d.downloads.html}">评估报告（HTML）</a></span>
    </div>
    ${d.sample ? '<p class="sample-banner">【示例数据 SAMPLE】当前数据库中的年度数据为虚构示例（data/samples/），仅供演示，不代表本规划区实际情况。</p>' : ''}
    ${d.has_data ? '' : `<p class="nodata-banner">${d.year}年没有报送的年度数据：各指标如实显示“无数据”。${noDataHint()}</p>`}
    <div class="status-chips">${counts}</div>
    <h3>重要矿种年开采总量与规划上限（2020年为基期；虚线为按年分解的路径值，为 minplan 推算，非规划原文）</h3>
    <div class="chart-grid" id="extraction-charts">${d.extraction.map((e) => `<div class="chart small" data-indicator="${escapeHtml(e.id)}"></div>`).join('')}</div>
    <h3>矿山“三率”达标情况（${d.year}年，最低指标）</h3>
    <div class="chart wide" id="sanlv-chart"></div>
    <h3 class="indicator-scope">${d.year}年各项指标状态</h3>
    <div class="scroll indicator-scope"><table class="indicator-table" id="indicator-table">
      <thead><tr><th>编号</th><th>指标</th><th>单位</th><th>${last}年目标</th><th>${d.year}年路径值</th><th>实际</th><th>属性</th><th>状态</th><th>判定依据</th></tr></thead>
      <tbody>${d.indicators.map(row).join('')}</tbody></table></div>
    <p class="note">状态判定规则见 docs/monitoring.md；“需人工核查”表示单位无法换算或标准未配置，不计为达标。</p>`;
  const go = () => {
    const c = document.getElementById('dash-county').value;
    location.hash = `#/dashboard/${document.getElementById('dash-year').value}${c ? `/${encodeURIComponent(c)}` : ''}`;
  };
  document.getElementById('dash-year').addEventListener('change', go);
  document.getElementById('dash-county').addEventListener('change', go);
  if (d.county) {
    // A county's targets come from the plan's split (指标分解); what it leaves out is 需人工核查, never the city's cap.
    const unallocated = d.indicators.filter((i) => i.allocated === false).length;
    root.querySelector('.status-chips').insertAdjacentHTML('beforebegin', `<p class="nodata-banner" data-testid="county-note">县区视图：${escapeHtml(d.county)}报送矿山（${d.sanlv.mines.length}座有三率数据）与本县地质环境图斑、治理工程，按指标分解表的县级目标评价（本县分解 ${d.county_split_rows || 0} 项）。比例指标以全市目标为准；${unallocated} 项总量/个数指标未分解到本县、勘查成果与遥感监测不带行政区，均为“需人工核查”。</p>`);
  }
  d.extraction.forEach((e) => charts.push(extractionChart(root.querySelector(`[data-indicator="${e.id}"]`), e, d.year, last)));
  charts.push(sanlvChart(document.getElementById('sanlv-chart'), d));
}

// What to do about a year without data: staff who may import are pointed to the intake page; the public
// is told who reports the data (never a command line).
function noDataHint() {
  if (auth.role === 'planner' || auth.role === 'admin') return '请在<a href="#/intake">年度数据报送</a>页面上传本年度报表。';
  return '年度数据由规划管理部门报送后在此显示。';
}

function row(i) {
  const s = STATUS[i.status] || STATUS.no_data;
  const unit = i.unit + (i.basis ? `（${i.basis}）` : '');
  const dir = i.direction === 'cap' ? '≤' : '≥';
  return `<tr data-id="${escapeHtml(i.id)}"><td>${escapeHtml(i.id)}</td><td>${escapeHtml(i.name_zh)}</td><td>${escapeHtml(unit)}</td>
    <td class="num">${i.target_2025 === null ? '未分解' : `${dir} ${fmt(i.target_2025)}`}</td><td class="num">${fmt(i.path_value)}</td><td class="num">${fmt(i.actual)}</td>
    <td>${escapeHtml(i.kind)}</td><td class="st" style="background:${s.bg}"><span class="dot" style="background:${s.colour}"></span>${escapeHtml(i.status_zh)}</td>
    <td class="rule">${escapeHtml(i.rule)}${i.notes && i.notes.length ? `<br><small>${escapeHtml(i.notes.slice(0, 3).join('；'))}${i.notes.length > 3 ? ` …（共${i.notes.length}条）` : ''}</small>` : ''}</td></tr>`;
}

// A county without its own cap (not in the split): its output only, never the city's cap and path.
function extractionChart(el, e, year, lastYear) {
  const countyView = e.cap_2025 === null;
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const years = [String(e.base_year), ...e.years.map((y) => String(y.year))];
  const actual = [
    { value: countyView ? null : e.base, itemStyle: { color: '#9e9e9e' } },
    ...e.years.map((y) => ({ value: y.actual, itemStyle: { color: !countyView && y.actual !== null && y.actual > y.path ? '#e53935' : '#1e88e5' } })),
  ];
  const path = countyView ? [] : [null, ...e.years.map((y) => y.path)];  // the path starts after the base year
  const unit = e.unit + (e.basis ? `（${e.basis}）` : '');
  chart.setOption({
    animation: false,
    title: { text: e.name_zh.replace(/年开采总量|开采总量/, ''), subtext: unit, left: 'center', textStyle: { fontSize: 13 }, subtextStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '无数据' : `${fmt(v)} ${e.unit}`) },
    grid: { left: 56, right: 12, top: 52, bottom: 24 },
    xAxis: { type: 'category', data: years, axisLabel: { fontSize: 10, interval: 0 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10 }, scale: false },
    series: [
      { name: '实际', type: 'bar', data: actual, barMaxWidth: 22,
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#e53935' }, label: { formatter: `${lastYear}年上限 ${fmt(e.cap_2025)}`, fontSize: 10, position: 'insideEndTop' },
          data: countyView ? [] : [{ yAxis: e.cap_2025 }] } },
      { name: '路径值', type: 'line', data: path, symbolSize: 4, lineStyle: { type: 'dashed', color: '#6a1b9a' }, itemStyle: { color: '#6a1b9a' } },
    ],
  });
  chart.setOption({ xAxis: { axisLabel: { interval: 0, formatter: (v) => (Number(v) > year ? `{muted|${v}}` : v), rich: { muted: { color: '#bbb', fontSize: 10 } } } } });
  return chart;
}

function sanlvChart(el, d) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const rows = d.sanlv.by_mineral;
  const q01 = d.indicators.find((i) => i.id === 'Q01');  // a share: the city's target holds in a county's view too
  chart.setOption({
    animation: false,
    title: rows.length ? { text: q01 ? `${q01.name_zh}：${fmt(q01.actual)}%（目标 ≥ ${fmt(q01.target_2025)}%，${q01.status_zh}）` : '', left: 'center', textStyle: { fontSize: 13 } }
      : { text: `${d.year}年无矿山报送“三率”数据`, left: 'center', top: 'middle', textStyle: { fontSize: 14, color: '#777' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => r.mineral) },
    yAxis: { type: 'value', name: '矿山数', minInterval: 1 },
    series: Object.entries(SANLV).map(([k, [zh, colour]]) => ({
      name: zh, type: 'bar', stack: 'mines', data: rows.map((r) => r[k]), itemStyle: { color: colour }, barMaxWidth: 48,
    })),
  });
  return chart;
}

window.addEventListener('resize', resizeDashboard);
