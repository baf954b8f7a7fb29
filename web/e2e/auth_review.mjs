// End-to-end checks of logging in and out and of the review page (#/review), registered by run.mjs.
// run.mjs serves a private copy of the plan holding the account E2E_USER (minplan user add).
import fs from 'node:fs';
import os from 'node:os';
import proj4 from 'proj4';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_USER = 'e2e-reviewer';
export const E2E_PASSWORD = 'e2e-reviewer-password';
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(here, '../../tests/data/rules/apps/coal_all_pass.txt');
proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs +type=crs');
proj4.defs('EPSG:4526', '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=38500000 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs');
let application = null;

// The fixture's attributes and format (a mining-right coordinate string, GK zone 38 with the zone number), moved
// onto a mining block of the plan: the review must find a schematic block under the application and other
// plan features around it wherever the schematic layout puts them. The application is a 1 km square at the
// centre of the block (≥ 1.3 km wide) with the nearest neighbour to the review map's window (the application ±
// twice its size), so that the window holds features besides the block.
async function applicationOnABlock(page) {
  if (application) return application;
  const base = new URL(page.url()).origin;
  const read = async (layer) => (await (await page.request.get(`${base}/api/layers/${layer}/features`)).json()).features;
  const boxOf = (f) => {
    const pts = f.geometry.coordinates.flat(2);
    return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
  };
  const blocks = (await read('mining_blocks')).map(boxOf);
  const others = [...blocks, ...(await read('exploration_blocks')).map(boxOf)];
  const gap = (a, b) => Math.max(0, a[0] - b[2], b[0] - a[2]) + Math.max(0, a[1] - b[3], b[1] - a[3]);
  let best = null;
  for (const b of blocks.filter((x) => x[2] - x[0] > 0.015 && x[3] - x[1] > 0.012)) {
    // The review map's window: the 1 km application (≈ 0.0117° × 0.009°) ± twice its size, taken a little smaller.
    const [cx, cy] = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
    const window = [cx - 0.025, cy - 0.02, cx + 0.025, cy + 0.02];
    const near = Math.min(...others.filter((o) => o !== b).map((o) => gap(window, o)));
    if (!best || near < best.near) best = { b, near };
  }
  const [lon, lat] = [(best.b[0] + best.b[2]) / 2, (best.b[1] + best.b[3]) / 2];
  const [y, x] = proj4('EPSG:4490', 'EPSG:4526', [lon, lat]).map((v) => Math.round(v));
  const fields = fs.readFileSync(FIXTURE, 'utf8').trim().split(',');
  const corners = [[x + 500, y - 500], [x + 500, y + 500], [x - 500, y + 500], [x - 500, y - 500]];
  corners.forEach(([n, e], i) => { fields[3 + 3 * i] = n.toFixed(2); fields[4 + 3 * i] = e.toFixed(2); });
  application = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minplan-e2e-app-')), 'coal_on_block.txt');
  fs.writeFileSync(application, fields.join(',') + '\n');
  return application;
}

async function login(page, password) {
  if (await page.locator('#login-form').isHidden()) await page.click('#login-open');
  await page.fill('#login-form input[name=username]', E2E_USER);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
}

async function logout(page) {
  await page.click('#logout-button');
  await page.locator('#login-open').waitFor({ timeout: 5000 });
}

async function uploadAndRead(page, check) {
  await page.setInputFiles('#review-file', await applicationOnABlock(page));
  await page.click('#review-submit');
  await page.locator('#review-verdict').waitFor({ timeout: 15000 });
  const verdict = (await page.locator('#review-verdict').innerText()).trim();
  check(['符合', '不符合', '需人工核查'].includes(verdict), `verdict: ${verdict}`);
  return verdict;
}

export function registerAuthReviewTests(test, check) {
  test('log in (wrong password refused, then right) and log out', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#login-open').waitFor({ timeout: 5000 });
    await login(page, 'not-the-password');
    await page.locator('#login-error').waitFor({ state: 'visible', timeout: 5000 });
    check((await page.locator('#login-error').innerText()).includes('用户名或密码错误'), 'wrong password message');
    await login(page, E2E_PASSWORD);
    await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
    check((await page.locator('[data-testid=who]').innerText()).includes('审查员'), 'role shown after login');
    check(await page.locator('#review-save-note.saved').count() === 1, 'review page says reviews are saved');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'minplan_session');
    check(session && session.httpOnly && session.sameSite === 'Strict', `session cookie flags: ${JSON.stringify(session)}`);
    check(!(await page.evaluate(() => document.cookie)).includes('minplan_session'), 'session cookie readable by script');
    await logout(page);
    check(await page.locator('#review-save-note.unsaved').count() === 1, 'review page says reviews are not saved');
    const res = await page.request.get(base + '/api/reviews');
    check(res.status() === 401, `reviews after logout: ${res.status()}`);
  });

  test('upload a fixture application and read the verdict (anonymous: not saved; reviewer: saved)', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#review-file').waitFor({ timeout: 5000 });
    await uploadAndRead(page, check);
    check((await page.locator('#review-saved').innerText()).includes('未保存'), 'anonymous check says it is not saved');
    await login(page, E2E_PASSWORD);
    await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
    await uploadAndRead(page, check);
    check((await page.locator('#review-saved').innerText()).includes('已保存'), 'reviewer check is saved');
    const findings = await page.locator('.finding').count();
    check(findings >= 10, `${findings} findings listed`);
    check(await page.locator('.citation').count() > 0, 'citations shown');
    check(await page.locator('.evidence .badge.schematic').count() > 0, 'schematic evidence marked');
    await page.waitForFunction(() => window.minplanReview.app.getFeatures().length === 1 && window.minplanReview.hits.getFeatures().length > 0,
      null, { timeout: 5000 });
    const href = await page.locator('#review-opinion').getAttribute('href');
    const opinion = await page.request.get(base + href);
    check(opinion.status() === 200 && (await opinion.text()).includes('审查意见'), `opinion download: ${opinion.status()}`);
    await page.locator('.review-history td').first().waitFor({ timeout: 5000 });
  });
}

// The two screen sizes reviewers use (issue 10): findings must stay readable cards, one under the other.
const SIZES = [[1366, 768], [1920, 1080]];
const LAYOUT_SHOTS = process.env.MINPLAN_E2E_SHOTS || path.resolve(here, 'screenshots');

async function ensureLoggedIn(page) {
  if (await page.locator('#login-open').count()) {
    await login(page, E2E_PASSWORD);
    await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
  }
}

// Geometry of the review result as laid out: the findings list, each card and the boxes inside its head.
function measureFindings() {
  const list = document.querySelector('#review-result .findings');
  const lr = list.getBoundingClientRect();
  const cards = [...list.querySelectorAll(':scope > li.finding')].map((li) => {
    const r = li.getBoundingClientRect();
    const inner = [...li.querySelectorAll('.finding-head > *, p, table, blockquote')].map((e) => e.getBoundingClientRect())
      .filter((b) => b.width > 0 && b.height > 0);
    const outside = inner.filter((b) => b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1).length;
    return { cls: li.className, rule: li.dataset.rule, x: r.left, y: r.top, w: r.width, h: r.height, display: getComputedStyle(li).display,
      overflow: li.scrollWidth - li.clientWidth, outside };
  });
  const form = document.querySelector('.review-form').getBoundingClientRect();
  const map = document.getElementById('review-map').getBoundingClientRect();
  return { listWidth: lr.width, cards, form: { w: form.width, right: form.right }, map: { x: map.left, w: map.width, h: map.height } };
}

export function registerReviewLayoutTests(test, check) {
  test('review page at 1366×768 and 1920×1080: findings are full-width cards that do not overlap (screenshots kept)', async (page, base) => {
    fs.mkdirSync(LAYOUT_SHOTS, { recursive: true });
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.goto(base + '/#/review');
      await page.locator('#review-file').waitFor({ timeout: 5000 });
      await ensureLoggedIn(page);
      await uploadAndRead(page, check);
      await page.waitForTimeout(300);
      const m = await page.evaluate(measureFindings);
      const size = `${width}×${height}`;
      check(m.cards.length >= 10, `${size}: ${m.cards.length} findings`);
      check(m.cards.some((c) => c.cls.includes('result-review')), `${size}: a 需人工核查 finding is listed`);
      for (const c of m.cards) {
        check(c.display !== 'flex', `${size}: ${c.rule} laid out as a flex row (${c.cls})`);
        check(c.w >= 0.9 * m.listWidth, `${size}: ${c.rule} is ${c.w.toFixed(0)} px wide in a ${m.listWidth.toFixed(0)} px list`);
        check(c.overflow <= 1, `${size}: ${c.rule} overflows by ${c.overflow} px`);
        check(c.outside === 0, `${size}: ${c.rule} has ${c.outside} boxes outside its card`);
      }
      const byTop = [...m.cards].sort((a, b) => a.y - b.y);
      for (let i = 1; i < byTop.length; i++)
        check(byTop[i].y >= byTop[i - 1].y + byTop[i - 1].h - 0.5, `${size}: ${byTop[i].rule} overlaps ${byTop[i - 1].rule}`);
      check(m.form.w >= 420, `${size}: form panel ${m.form.w} px`);
      check(m.map.x >= m.form.right - 1 && m.map.w >= 0.4 * width && m.map.h >= 0.6 * height,
        `${size}: map ${JSON.stringify(m.map)} beside a ${m.form.w} px panel`);
      await page.evaluate(() => document.querySelector('.review-form').scrollTo(0, document.querySelector('#review-result').offsetTop));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(LAYOUT_SHOTS, `review-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  test('review map: plan layers around the application; a finding links to its features (click → highlight and zoom)', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#review-file').waitFor({ timeout: 5000 });
    await ensureLoggedIn(page);
    await uploadAndRead(page, check);
    await page.waitForFunction(() => window.minplanReview.hits.getFeatures().length > 0 && window.minplanReview.context.getFeatures().length > 0,
      null, { timeout: 10000 });
    const text = await page.locator('#review-result').innerText();
    for (const bad of ['mining_right_string', 'land_parcel_txt', 'main_mineral', 'mineral_rights', 'EPSG', '[seed', 'schematic'])
      check(!text.includes(bad), `the review result shows the identifier ${bad}`);
    const layers = await page.evaluate(() => [...new Set(window.minplanReview.context.getFeatures().map((f) => f.get('__layer')))]);
    check(layers.length >= 1, `context layers around the application: ${layers.join(',')}`);
    const button = page.locator('li.finding.has-features .locate-all').first();
    await button.waitFor({ timeout: 5000 });
    await button.click();
    await page.waitForFunction(() => window.minplanReview.selected.getFeatures().length > 0, null, { timeout: 5000 });
    await page.waitForTimeout(400);  // the zoom animation
    const view = await page.evaluate(() => {
      const s = window.minplanReview;
      const ext = s.map.getView().calculateExtent(s.map.getSize());
      const f = s.selected.getFeatures()[0].getGeometry().getExtent();
      return { ext, f, active: document.querySelectorAll('li.finding.active').length };
    });
    const inside = view.f[0] >= view.ext[0] - 1e-9 && view.f[2] <= view.ext[2] + 1e-9 && view.f[1] >= view.ext[1] - 1e-9 && view.f[3] <= view.ext[3] + 1e-9;
    check(inside, `selected feature ${view.f} not within the view ${view.ext}`);
    check(view.active === 1, 'the clicked finding is marked');
    const link = page.locator('#review-result a.feature-link.locatable').first();
    await link.click();
    check(await page.evaluate(() => window.minplanReview.selected.getFeatures().length) === 1, 'one feature selected from its link');
  });

  test('saved review: numbered, times in 北京时间, Word opinion downloads', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#review-file').waitFor({ timeout: 5000 });
    await ensureLoggedIn(page);
    await uploadAndRead(page, check);
    check(/〔\d{4}〕\d{4}号/.test(await page.locator('#review-saved').innerText()), 'saved message carries the opinion number');
    const docx = await page.request.get(base + await page.locator('#review-opinion-docx').getAttribute('href'));
    check(docx.status() === 200 && (await docx.body()).subarray(0, 2).toString() === 'PK', `Word download ${docx.status()}`);
    await page.locator('.review-history td.time').first().waitFor({ timeout: 5000 });
    const { reviews } = await (await page.request.get(base + '/api/reviews?limit=1')).json();
    const shown = (await page.locator('.review-history td.time').first().innerText()).trim();
    const want = new Date(Date.parse(reviews[0].created_at) + 8 * 3600 * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
    check(shown === want, `list time ${shown}, want ${want} (UTC ${reviews[0].created_at} + 8 h)`);
    check((await page.locator('.review-history th').allTextContents()).some((t) => t.includes('北京时间')), 'time column says 北京时间');
  });
}

export async function reviewScreenshot(page, base, file) {
  await page.goto(base + '/#/review');
  await page.locator('#review-file').waitFor({ timeout: 5000 });
  if (await page.locator('#login-open').count()) {
    await login(page, E2E_PASSWORD);
    await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
  }
  await uploadAndRead(page, () => {});
  await page.evaluate(() => document.querySelector('.review-form').scrollTo(0, 0));
  await page.waitForTimeout(600);
  await page.screenshot({ path: file });
}
