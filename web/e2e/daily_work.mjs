// End-to-end checks of the portal for daily work (issue 16), registered by run.mjs: county labels drawn over
// every fill at the default 1366×768 view (read from screenshots), the map's north arrow, scale bar and
// legend, search highlighting its feature, a register entry without geometry opening in the record panel
// (and closing a stale popup), Chinese labels for coded values, the staff menu, the intake page's check and
// confirm, and the accounts page. run.mjs holds the accounts E2E_PLANNER and E2E_ADMIN.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const E2E_PLANNER = 'e2e-planner';
export const E2E_ADMIN = 'e2e-admin';
export const STAFF_PASSWORD = 'e2e-staff-password';
const here = path.dirname(fileURLToPath(import.meta.url));
const WORKBOOK = path.resolve(here, '../../data/samples/sample_2021-2023_annual.xlsx');

async function loginAs(page, user) {
  if (await page.locator('#logout-button').count()) {
    await page.click('#logout-button');
    await page.locator('#login-open').waitFor({ timeout: 5000 });
  }
  await page.click('#login-open');
  await page.fill('#login-form input[name=username]', user);
  await page.fill('#login-form input[name=password]', STAFF_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
}

// Pixels of a PNG (in `box`, or the whole image) that are dark text ('dark') or not near white ('inked'),
// counted by the browser's own image decoder: { n, total }.
async function countPixels(page, png, kind, box = null) {
  return page.evaluate(async ({ b64, kind, box }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const b = box ?? { x: 0, y: 0, w: img.width, h: img.height };
    const { data } = ctx.getImageData(b.x, b.y, b.w, b.h);
    // The label text is #222 (luminance 34); the darkest stroke of a plan layer is #08519c (luminance 67).
    const dark = (r, g, bl) => 0.299 * r + 0.587 * g + 0.114 * bl < 50;
    const inked = (r, g, bl) => r < 235 || g < 235 || bl < 235;
    const test = kind === 'dark' ? dark : inked;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (test(data[i], data[i + 1], data[i + 2])) n++;
    return { n, total: data.length / 4 };
  }, { b64: png.toString('base64'), kind, box });
}

// Dark (text) pixels in a box of a PNG screenshot.
const darkPixels = async (page, png, box) => (await countPixels(page, png, 'dark', box)).n;

async function waitForMap(page) {
  await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 0
    && window.minplanMap.layers.exploration_blocks.getSource().getFeatures().length > 0);
  await page.evaluate(() => new Promise((resolve) => { window.minplanMap.map.once('rendercomplete', resolve); window.minplanMap.map.render(); }));
}

export function registerDailyWorkTests(test, check, shotsDir) {
  test('at 1366×768 every county name is drawn over the fills, with north arrow, scale bar and legend', async (page, base) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base + '/');
    await waitForMap(page);
    const labels = await page.evaluate(() => {
      const { map } = window.minplanMap;
      const layer = map.getLayers().getArray().find((l) => l.get('layerId') === 'labels');
      return layer.getSource().getFeatures().map((f) => ({ name: f.get('label'), px: map.getPixelFromCoordinate(f.getGeometry().getCoordinates()) }));
    });
    const names = labels.map((l) => l.name);
    check(new Set(names).size === names.length, `each county labelled once: ${names.join(',')}`);
    for (const n of ['新荣区', '浑源县', '灵丘县', '广灵县', '平城区']) check(names.includes(n), `label for ${n}`);
    const mapBox = await page.locator('#map').boundingBox();
    const shot = await page.screenshot();
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, 'map-1366x768.png') });
    // With the labels switched off the same boxes hold (almost) no text-dark pixels: what is counted with
    // them on is the label, drawn over everything else.
    await page.evaluate(() => new Promise((resolve) => {
      const { map } = window.minplanMap;
      map.getLayers().getArray().find((l) => l.get('layerId') === 'labels').setVisible(false);
      map.once('rendercomplete', resolve);
    }));
    const bare = await page.screenshot();
    await page.evaluate(() => window.minplanMap.map.getLayers().getArray().find((l) => l.get('layerId') === 'labels').setVisible(true));
    for (const l of labels) {
      const box = { x: Math.round(mapBox.x + l.px[0] - 24), y: Math.round(mapBox.y + l.px[1] - 9), w: 48, h: 18 };
      check(box.x > mapBox.x && box.x + box.w < mapBox.x + mapBox.width && box.y > mapBox.y && box.y + box.h < mapBox.y + mapBox.height,
        `${l.name} label inside the map at the default view`);
      const on = await darkPixels(page, shot, box);
      const off = await darkPixels(page, bare, box);
      check(on >= 40 && off < on / 4, `${l.name}: ${on} text pixels with labels, ${off} without`);
    }
    for (const id of ['north-arrow', 'map-legend']) check(await page.locator(`[data-testid=${id}]`).isVisible(), `${id} on the map`);
    check(await page.locator('.ol-scale-bar').isVisible(), 'scale bar on the map');
    const legend = await page.locator('[data-testid=map-legend]').innerText();
    check(legend.includes('开采规划区块') && legend.includes('示意几何'), `legend: ${legend.slice(0, 120)}`);
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  test('a popup shows coded values under their Chinese labels', async (page, base) => {
    await page.goto(base + '/');
    await waitForMap(page);
    const pixel = await page.evaluate(() => {
      const { map, layers } = window.minplanMap;
      const f = layers.mining_blocks.getSource().getFeatures().find((x) => x.get('plan_level') === 'city');
      map.getView().fit(f.getGeometry().getExtent(), { padding: [200, 200, 200, 200] });
      map.renderSync();
      const [x0, y0, x1, y1] = f.getGeometry().getExtent();
      return map.getPixelFromCoordinate([(x0 + x1) / 2, (y0 + y1) / 2]);
    });
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
    await page.locator('#popup').waitFor({ state: 'visible', timeout: 5000 });
    const cells = await page.locator('#popup td').allInnerTexts();
    check(cells.includes('开采（开采规划区块/采矿权）'), `kind in Chinese: ${cells.slice(0, 6).join('|')}`);
    check(cells.includes('市县级'), 'plan level in Chinese');
    check(!cells.some((c) => ['mining', 'city', 'province'].includes(c.trim())), 'no bare code in the popup');
    check(await page.evaluate(() => window.minplanMap.highlight.geometry() !== null), 'the clicked block is outlined');
  });

  test('search: results grouped by layer, the chosen feature highlighted', async (page, base) => {
    await page.goto(base + '/');
    await waitForMap(page);
    await page.fill('#search-input', '重点');
    await page.press('#search-input', 'Enter');
    await page.locator('#search-results li[data-index="0"]').waitFor({ timeout: 5000 });
    const groups = await page.locator('[data-testid=search-group]').allInnerTexts();
    check(groups.length >= 1 && groups.every((g) => /\d+$/.test(g.trim())), `groups with counts: ${groups.join(' / ')}`);
    const first = page.locator('#search-results li[data-index="0"]');
    const layer = await first.getAttribute('data-layer');
    await first.click();
    await page.locator('#popup').waitFor({ state: 'visible', timeout: 5000 });
    await page.waitForFunction(() => window.minplanMap.highlight.geometry() !== null);
    const inView = await page.evaluate(() => {
      const { map, highlight } = window.minplanMap;
      const [x0, y0, x1, y1] = highlight.geometry().getExtent();
      const [v0, w0, v1, w1] = map.getView().calculateExtent(map.getSize());
      return x0 >= v0 && x1 <= v1 && y0 >= w0 && y1 <= w1;
    });
    check(inView, `highlighted ${layer} feature inside the view`);
  });

  test('search: a register entry without geometry opens in the record panel and closes the stale popup', async (page) => {
    check(await page.locator('#popup').isVisible(), 'a popup is open from the previous search');
    await page.fill('#search-input', 'tsk');  // 塔山矿 by its pinyin initials
    await page.press('#search-input', 'Enter');
    const entry = page.locator('#search-results li[data-layer="mine_register"]', { hasText: '塔山矿' }).first();
    await entry.waitFor({ timeout: 5000 });
    await entry.click();
    await page.locator('#record-panel').waitFor({ state: 'visible', timeout: 5000 });
    const text = await page.locator('#record-panel').innerText();
    check(text.includes('塔山矿') && text.includes('没有图形'), `record panel: ${text.slice(0, 100)}`);
    check(await page.locator('#popup').isHidden(), 'the previous popup is closed');
    check(await page.evaluate(() => window.minplanMap.highlight.geometry() === null), 'no stale highlight');
  });

  test('the public sees no command line and no staff menu; a planner sees 年度数据报送', async (page, base) => {
    await page.goto(base + '/#/dashboard');
    await page.locator('#account button').first().waitFor({ timeout: 5000 });
    if (await page.locator('#logout-button').count()) {
      await page.click('#logout-button');
      await page.locator('#login-open').waitFor({ timeout: 5000 });
    }
    await page.locator('#indicator-table').waitFor({ timeout: 10000 });
    const dash = await page.locator('#dashboard').innerText();
    check(!/minplan (intake|user|serve)|--db/.test(dash), 'no command line on the public dashboard');
    check(dash.includes('规划管理部门报送'), 'the public is told who reports the data');
    check(await page.locator('nav a[data-page=intake]').isHidden(), 'intake hidden from the public');
    check(await page.locator('nav a[data-page=accounts]').isHidden(), 'accounts hidden from the public');
    await loginAs(page, E2E_PLANNER);
    await page.locator('nav a[data-page=intake]').waitFor({ state: 'visible', timeout: 5000 });
    check(await page.locator('nav a[data-page=accounts]').isHidden(), 'accounts hidden from a planner');
  });

  test('intake page: check shows the counts without writing, confirm imports, a second check lists row problems', async (page, base) => {
    await page.goto(base + '/#/intake');
    await page.locator('#intake-file').waitFor({ timeout: 5000 });
    await page.setInputFiles('#intake-file', WORKBOOK);
    await page.click('#intake-check');
    await page.locator('[data-testid=intake-ok]').waitFor({ timeout: 30000 });
    check((await page.locator('[data-testid=intake-ok]').innerText()).includes('尚未写入'), 'preview says nothing is written');
    const before = await (await page.request.get(base + '/api/monitor')).json();
    check(before.years_with_data.length === 0, `no data before confirming: ${before.years_with_data}`);
    await page.click('#intake-confirm');
    await page.locator('[data-testid=intake-done]').waitFor({ timeout: 30000 });
    const after = await (await page.request.get(base + '/api/monitor')).json();
    check(after.years_with_data.join() === '2021,2022,2023', `years after confirming: ${after.years_with_data}`);
    await page.setInputFiles('#intake-file', WORKBOOK);
    await page.click('#intake-check');
    await page.locator('[data-testid=intake-problems]').waitFor({ timeout: 30000 });
    const rows = await page.locator('table.intake-problems tbody tr').count();
    check(rows >= 1, `${rows} problem rows`);
    check((await page.locator('table.intake-problems tbody tr').first().innerText()).includes('行'), 'a problem names its row');
    check(await page.locator('#intake-confirm').count() === 0, 'no confirm button while problems remain');
  });

  test('dashboard per county: a county of the imported data shows its own mines against its split targets', async (page, base) => {
    await page.goto(base + '/#/dashboard/2023');
    await page.locator('#indicator-table tbody tr').first().waitFor({ timeout: 10000 });
    // The dashboard drawn before the intake may still be on the page: wait for the redraw that lists counties.
    await page.waitForFunction(() => document.querySelectorAll('#dash-county option').length > 1, null, { timeout: 10000 }).catch(() => {});
    const counties = await page.locator('#dash-county option').allInnerTexts();
    check(counties[0] === '全市' && counties.length > 1, `county choices: ${counties.join(',')}`);
    const county = counties[1];
    await page.selectOption('#dash-county', county);
    await page.locator('[data-testid=county-note]').waitFor({ timeout: 10000 });
    check(decodeURIComponent(await page.evaluate(() => location.hash)) === `#/dashboard/2023/${county}`, 'county in the address');
    check(await page.locator('#indicator-table').isVisible(), 'the county\'s own indicator statuses are shown');
    const targets = await page.locator('#indicator-table tbody tr td:nth-child(4)').allInnerTexts();
    check(targets.some((t) => t === '未分解'), `an indicator the split leaves out says 未分解, never the city's target: ${targets.slice(0, 5).join(',')}`);
    const api = await (await page.request.get(`${base}/api/monitor?year=2023&county=${encodeURIComponent(county)}`)).json();
    check(api.county === county && api.sanlv.mines.length <= (await (await page.request.get(`${base}/api/monitor?year=2023`)).json()).sanlv.mines.length,
      'the county view holds part of the mines');
    await page.locator('#extraction-charts canvas').first().waitFor({ timeout: 5000 });
    await page.selectOption('#dash-county', '');
    await page.locator('#indicator-table').waitFor({ state: 'visible', timeout: 10000 });
  });

  test('accounts page: an admin adds an account, changes its role, disables and deletes it', async (page, base) => {
    await page.goto(base + '/#/accounts');
    await loginAs(page, E2E_ADMIN);
    await page.locator('#account-add').waitFor({ timeout: 5000 });
    await page.fill('#account-add input[name=username]', 'e2e-new');
    await page.selectOption('#account-add select[name=role]', 'reviewer');
    await page.fill('#account-add input[name=password]', 'e2e-new-password');
    await page.click('#account-add button[type=submit]');
    const row = page.locator('#account-table tr[data-user="e2e-new"]');
    await row.waitFor({ timeout: 5000 });
    await row.locator('select.role').selectOption('planner');
    await page.waitForFunction(() => document.querySelector('#account-message')?.textContent.includes('规划员'));
    await page.locator('#account-table tr[data-user="e2e-new"] button.toggle').click();
    await page.waitForFunction(() => document.querySelector('#account-table tr[data-user="e2e-new"] td.state')?.textContent.includes('已停用'));
    const users = (await (await page.request.get(base + '/api/users')).json()).users;
    const made = users.find((u) => u.username === 'e2e-new');
    check(made && made.role === 'planner' && made.disabled === true, `account as stored: ${JSON.stringify(made)}`);
    page.once('dialog', (d) => d.accept());
    await page.locator('#account-table tr[data-user="e2e-new"] button.delete').click();
    await page.locator('#account-table tr[data-user="e2e-new"]').waitFor({ state: 'detached', timeout: 5000 });
    await page.click('#logout-button');
    await page.locator('#login-open').waitFor({ timeout: 5000 });
  });
}

// Prints the sheet to PDF (Chromium's print, as a user's 「导出 PDF」), then reads it back with poppler:
// pdftotext for the title, legend, scale bar and notes, pdftoppm for the page size and a drawn map.
export function registerPrintTests(test, check, tmpDir, shotsDir) {
  test('print view: an A4 landscape sheet to PDF with title, legend, scale bar, north arrow, CRS, date, source and schematic note', async (page, base) => {
    await page.goto(base + '/');
    await waitForMap(page);
    await page.click('#print-open');
    await page.goto(base + '/#/print?paper=A4&orientation=landscape');
    await page.locator('#print-sheet[data-paper=A4][data-orientation=landscape]').waitFor({ timeout: 5000 });
    await page.evaluate(() => new Promise((resolve) => { window.minplanMap.map.once('rendercomplete', resolve); window.minplanMap.map.render(); }));
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, 'print.png') });
    const pdf = path.join(tmpDir, 'map-a4.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const want of ['大同市', '规划图', '图例', '开采规划区块', 'km', '北', 'CGCS2000', '数据来源', '制图日期', '示意几何'])
      check(text.includes(want), `PDF text has ${want}`);
    execFileSync('pdftoppm', ['-r', '36', '-png', pdf, path.join(tmpDir, 'page')]);
    const pages = fs.readdirSync(tmpDir).filter((f) => /^page.*\.png$/.test(f)).sort();
    check(pages.length === 1, `one page, got ${pages.length}`);
    const png = fs.readFileSync(path.join(tmpDir, pages[0]));
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    // A4 landscape at 36 dpi: 297 × 210 mm = 421 × 298 px.
    check(Math.abs(w - 421) <= 2 && Math.abs(h - 298) <= 2, `page ${w}×${h} px`);
    const inked = await darkOrColoured(page, png);
    check(inked > 0.05, `the map is drawn on the page (${(inked * 100).toFixed(1)} % of pixels not white)`);
    await page.goto(base + '/#/');
  });

  test('GET /api/map.pdf (staff): the same print view printed by the server, with only the layers asked for', async (page, base) => {
    const url = '/api/map.pdf?layers=mining_blocks&paper=A3&orientation=portrait';
    check((await page.request.get(base + url)).status() === 401, 'anonymous print refused');
    await page.goto(base + '/#/');
    await loginAs(page, E2E_PLANNER);
    const res = await page.request.get(base + url, { timeout: 120000 });
    check(res.status() === 200 && res.headers()['content-type'] === 'application/pdf', `status ${res.status()}`);
    const pdf = path.join(tmpDir, 'map-a3.pdf');
    fs.writeFileSync(pdf, await res.body());
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const want of ['规划图', '图例', '开采规划区块', 'km', '北', '制图日期']) check(text.includes(want), `server PDF has ${want}`);
    check(!text.includes('勘查规划区块'), 'a layer not asked for is not in the legend');
    execFileSync('pdftoppm', ['-r', '36', '-png', pdf, path.join(tmpDir, 'a3')]);
    const png = fs.readFileSync(path.join(tmpDir, fs.readdirSync(tmpDir).find((f) => /^a3.*\.png$/.test(f))));
    // A3 portrait at 36 dpi: 297 × 420 mm = 421 × 595 px.
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    check(Math.abs(w - 421) <= 2 && Math.abs(h - 595) <= 2, `A3 portrait page ${w}×${h} px`);
    await page.click('#logout-button');
  });
}

// Share of pixels of a PNG that are not (near) white.
async function darkOrColoured(page, png) {
  const { n, total } = await countPixels(page, png, 'inked');
  return n / total;
}
