// End-to-end tests of the portal in Debian's Chromium, driven by playwright-core.
// Usage: node e2e/run.mjs <path to minplan> [--screenshots DIR] [--db PLAN.gpkg]
// Starts `minplan serve` on a free loopback port with web/dist, runs every check, stops the server.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerAuthReviewTests, registerReviewLayoutTests, reviewScreenshot, E2E_USER, E2E_PASSWORD } from './auth_review.mjs';
import { registerGeoJsonReviewTests } from './geojson_review.mjs';
import { registerDailyWorkTests, registerPrintTests, E2E_PLANNER, E2E_ADMIN, STAFF_PASSWORD } from './daily_work.mjs';
import { registerVersionTests } from './versions.mjs';
import { registerPagedMapTests } from './paged_map.mjs';
import { registerResourcesTests } from './resources.mjs';
import { registerQcTests } from './qc_panel.mjs';
import { registerGeoenvTests } from './geoenv.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const args = process.argv.slice(2);
const minplan = args[0] || process.env.MINPLAN_BIN;
const shotsAt = args.indexOf('--screenshots');
const shotsDir = shotsAt >= 0 ? path.resolve(args[shotsAt + 1]) : null;
const dbAt = args.indexOf('--db');  // e.g. a copy holding data/samples, for the dashboard screenshot
// The server gets a private copy of the plan (the given --db, else a fresh build) holding one reviewer account.
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minplan-e2e-'));
const dbCopy = path.join(tmpDir, 'plan.gpkg');
// --pg <conninfo> (web_e2e_pg): the plan is built into a PostGIS schema of its own and served from there.
const pgAt = args.indexOf('--pg');
const dbLocation = pgAt >= 0 ? `PG:${args[pgAt + 1]} active_schema=e2e_${process.pid}` : dbCopy;
const dbArgs = ['--db', dbLocation];
if (!minplan) { console.error('usage: node e2e/run.mjs <minplan binary> [--screenshots DIR]'); process.exit(2); }

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`server did not answer ${url} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function check(cond, message) { if (!cond) throw new Error(message); }

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('map loads with counties and every plan layer in the legend', async (page, base) => {
  await page.goto(base + '/');
  await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.admin_counties.getSource().getFeatures().length > 0);
  const names = await page.locator('#layer-list .layer-name').allTextContents();
  check(names.length >= 10, `legend has ${names.length} layers`);
  check(names.some((n) => n.includes('开采规划区块')), 'legend lists 开采规划区块');
  await page.waitForFunction(() => window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 0);
  await page.waitForFunction(() => document.title.includes('大同市'));  // the plan's name, from /api/summary
  check((await page.locator('#plan-name').textContent()).includes('大同市'), 'header names the plan');
});

test('the map draws every layer in the colours of the plan\'s style (GET /api/styles)', async (page) => {
  await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 0);
  const mismatches = await page.evaluate(async () => {
    const def = await (await fetch('/api/styles')).json();
    const out = [];
    // The expected fill, from the definition's hex colour and opacity.
    const rgba = (hex, a) => `rgba(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)},${a})`;
    for (const l of def.layers) {
      const layer = window.minplanMap.layers[l.layer];
      if (!layer) { out.push(`${l.layer}: not on the map`); continue; }
      for (const f of layer.getSource().getFeatures().slice(0, 3)) {
        let st = layer.getStyle()(f, 1);
        st = Array.isArray(st) ? st[0] : st;
        if (st.getStroke().getColor() !== l.stroke) out.push(`${l.layer}: stroke ${st.getStroke().getColor()} != ${l.stroke}`);
        if (st.getFill().getColor() !== rgba(l.fill, l.fill_opacity)) out.push(`${l.layer}: fill ${st.getFill().getColor()}`);
        const dash = st.getStroke().getLineDash();
        if (f.get('geometry_source') === 'schematic' && JSON.stringify(dash) !== JSON.stringify(def.schematic.dash_px)) out.push(`${l.layer}: dash ${dash}`);
      }
    }
    const mining = def.layers.find((l) => l.layer === 'mining_blocks');
    if (!mining || mining.stroke !== '#cb181d') out.push('mining_blocks is not red (#cb181d, data/schema/styles.json)');
    return out;
  });
  check(mismatches.length === 0, mismatches.join('; '));
});

test('toggling a layer hides and shows it', async (page) => {
  const box = page.locator('input[data-layer="mining_blocks"]');
  await box.uncheck();
  check(!(await page.evaluate(() => window.minplanMap.layers.mining_blocks.getVisible())), 'mining_blocks still visible');
  await box.check();
  check(await page.evaluate(() => window.minplanMap.layers.mining_blocks.getVisible()), 'mining_blocks not visible again');
});

test('clicking a schematic block opens a popup in Chinese with the schematic note', async (page) => {
  // Zoom to one mining block and click its centre.
  const pixel = await page.evaluate(() => {
    const { map, layers } = window.minplanMap;
    const f = layers.mining_blocks.getSource().getFeatures()[0];
    map.getView().fit(f.getGeometry().getExtent(), { padding: [150, 150, 150, 150] });
    map.renderSync();
    const [x0, y0, x1, y1] = f.getGeometry().getExtent();
    return map.getPixelFromCoordinate([(x0 + x1) / 2, (y0 + y1) / 2]);
  });
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
  const popup = page.locator('#popup');
  await popup.waitFor({ state: 'visible', timeout: 5000 });
  const text = await popup.innerText();
  check(text.includes('开采规划区块'), `popup title: ${text.slice(0, 80)}`);
  check(text.includes('开采主矿种'), 'popup shows the Chinese alias 开采主矿种');
  check(text.includes('示意几何（schematic）'), 'popup carries the schematic note');
  check(!text.includes('geometry_source'), 'popup shows no internal field names');
});

test('search finds a zone and opens it', async (page) => {
  await page.fill('#search-input', '重点');
  await page.press('#search-input', 'Enter');
  const first = page.locator('#search-results li[data-index="0"]');
  await first.waitFor({ state: 'visible', timeout: 5000 });
  await first.click();
  await page.locator('#popup').waitFor({ state: 'visible', timeout: 5000 });
  check((await page.locator('#popup').innerText()).length > 10, 'popup after search');
});

test('the tables page lists the 专栏 and shows one', async (page, base) => {
  await page.goto(base + '/#/tables');
  await page.locator('#table-list a').first().waitFor({ timeout: 5000 });
  const count = await page.locator('#table-list a').count();
  check(count >= 10, `${count} tables listed`);
  await page.locator('#table-list a', { hasText: '专栏2' }).first().click();
  await page.locator('.plan-table table').first().waitFor({ timeout: 5000 });
  const head = await page.locator('.plan-table thead').first().innerText();
  check(head.includes('矿种'), `专栏2 header: ${head.slice(0, 60)}`);
});

test('an unknown API path answers JSON 404 and the page keeps working', async (page, base) => {
  const res = await page.request.get(base + '/api/layers/no_such_layer/features');
  check(res.status() === 404, `status ${res.status()}`);
  check((await res.json()).error.message.includes('no_such_layer'), 'message names the layer');
});

test('the indicators dashboard shows every indicator with its status, the charts and the downloads', async (page, base) => {
  await page.goto(base + '/#/dashboard');
  await page.locator('#indicator-table tbody tr').first().waitFor({ timeout: 10000 });
  const rows = await page.locator('#indicator-table tbody tr').count();
  check(rows >= 40, `${rows} indicator rows`);
  const labels = ['已达成', '按进度', '有风险', '未达标', '需人工核查', '无数据'];
  const statuses = await page.locator('#indicator-table td.st').allTextContents();
  check(statuses.every((s) => labels.includes(s.trim())), `statuses: ${[...new Set(statuses)].join(',')}`);
  check(await page.locator('nav a[data-page="dashboard"]').evaluate((a) => a.classList.contains('active')), 'nav link active');
  // ECharts drew the extraction charts (E01–E12) and the 三率 chart on canvases.
  await page.locator('#extraction-charts canvas').first().waitFor({ timeout: 5000 });
  check(await page.locator('#sanlv-chart canvas').count() === 1, '三率 chart canvas');
  const series = await page.evaluate(() => window.minplanDashboard.charts().map((c) => c.getOption().series.length));
  check(series.length === 13 && series.every((n) => n >= 2), `charts: ${JSON.stringify(series)}`);
  const xlsx = await page.locator('#dl-xlsx').getAttribute('href');
  const res = await page.request.get(base + xlsx);
  check(res.status() === 200 && (await res.body()).subarray(0, 2).toString() === 'PK', `XLSX download ${res.status()}`);
  await page.selectOption('#dash-year', '2022');
  await page.waitForFunction(() => document.querySelector('#indicator-table thead')?.textContent.includes('2022年路径值'));
  check((await page.evaluate(() => location.hash)) === '#/dashboard/2022', 'year in the address');
});

async function screenshots(page, base) {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.goto(base + '/');
  await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shotsDir, 'map.png') });
  await tests[2].fn(page, base);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shotsDir, 'map-popup.png') });
  await page.goto(base + '/#/tables/zl02_mines_by_county');
  await page.locator('.plan-table table').first().waitFor({ timeout: 5000 });
  await page.screenshot({ path: path.join(shotsDir, 'tables.png') });
  await page.setViewportSize({ width: 1400, height: 1700 });  // the page scrolls inside: show more of it
  await page.goto(base + '/#/dashboard/2023');
  await page.locator('#sanlv-chart canvas').waitFor({ timeout: 10000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shotsDir, 'dashboard.png') });
  await page.setViewportSize({ width: 1400, height: 900 });
  await reviewScreenshot(page, base, path.join(shotsDir, 'review.png'));
}

test('the geo-environment page shows the green-mine register on a date (the 11 mines of 专栏5 from the base)', async (page, base) => {
  await page.goto(base + '/#/geoenv/2023-12-31');
  await page.waitForSelector('#geoenv-register-count');
  const count = await page.locator('#geoenv-register-count').textContent();
  check(count.includes('在名录 11 座') && count.includes('国家级 11 座'), `register count: ${count}`);
  check((await page.locator('#geoenv table').first().innerText()).includes('晋华宫矿'), 'the register lists 晋华宫矿');
  check((await page.locator('nav a.active').textContent()) === '地质环境', 'the menu marks the page');
  // Before the plan's base (2020-12-31) no mine is listed: the register is read as of the date.
  await page.goto(base + '/#/geoenv/2020-06-30');
  await page.waitForFunction(() => (document.getElementById('geoenv-register-count')?.textContent || '').includes('在名录 0 座'));
});

registerAuthReviewTests(test, check);
registerReviewLayoutTests(test, check);
registerGeoJsonReviewTests(test, check);
if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });
registerDailyWorkTests(test, check, shotsDir);
registerPrintTests(test, check, tmpDir, shotsDir);
registerPagedMapTests(test, check, { minplan, dbFile: dbCopy, webDir, freePort, waitFor });
registerQcTests(test, check, E2E_PLANNER, STAFF_PASSWORD);
registerGeoenvTests(test, check, E2E_PLANNER, STAFF_PASSWORD);  // after the pages that read the seed's register
registerVersionTests(test, check, E2E_PLANNER, E2E_ADMIN, STAFF_PASSWORD);  // it adjusts the plan
registerResourcesTests(test, check, minplan, dbCopy, tmpDir);  // after the versions: its release import writes the plan today

if (dbAt >= 0) fs.copyFileSync(path.resolve(args[dbAt + 1]), dbCopy);
else execFileSync(minplan, ['build', '--out', dbCopy], { stdio: 'ignore' });
if (pgAt >= 0) execFileSync(minplan, ['copy', '--from', dbCopy, '--to', dbLocation], { stdio: 'inherit' });
fs.writeFileSync(path.join(tmpDir, 'password'), E2E_PASSWORD + '\n', { mode: 0o600 });
execFileSync(minplan, ['user', 'add', E2E_USER, '--role', 'reviewer', '--db', dbLocation, '--password-file', path.join(tmpDir, 'password')],
  { stdio: 'ignore' });
fs.writeFileSync(path.join(tmpDir, 'staff-password'), STAFF_PASSWORD + '\n', { mode: 0o600 });
for (const [user, role] of [[E2E_PLANNER, 'planner'], [E2E_ADMIN, 'admin']]) {
  execFileSync(minplan, ['user', 'add', user, '--role', role, '--db', dbLocation, '--password-file', path.join(tmpDir, 'staff-password')],
    { stdio: 'ignore' });
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(minplan, ['serve', '--port', String(port), '--web', path.join(webDir, 'dist'), ...dbArgs], { stdio: ['ignore', 'inherit', 'inherit'] });
let failed = 0;
let ran = 0;
let browser;
try {
  await waitFor(base + '/api/layers', 120000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  // E2E_ONLY=<regex>: run only the tests whose names match (while working on a few; ctest runs them all).
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const t of tests) {
    if (only && !only.test(t.name)) continue;
    ran++;
    try {
      await t.fn(page, base);
      console.log(`ok   - ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL - ${t.name}: ${e.message}`);
    }
  }
  if (shotsDir) await screenshots(page, base);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
console.log(failed ? `${failed} of ${ran} failed` : `all ${ran} passed`);
process.exit(failed ? 1 : 0);
