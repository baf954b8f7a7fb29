// End-to-end checks of the geo-environment pages (issue 14), registered by run.mjs: a planner uploads the
// fictional set of web/e2e/data (two problem sites, two projects in 专栏15 zone ZL15-III1, their yearly progress,
// two campaigns and their findings, two green-mine register events) through #/geoenv/upload — each file checked
// first (nothing written), then confirmed; a bad register file lists its row and offers no confirmation; then
// the overview (#/geoenv) shows sites by kind and party, the zone's progress bar, projects by state, the
// campaign selector and the change between the campaigns with its area; #/geoenv/greenmines lists the register
// with each mine's history and the XLSX export. Expected values are worked by hand in the comments.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = (name) => path.resolve(here, 'data', name);

// Hectares of the lon/lat box [lon1, lon2] × [lat1, lat2] on the CGCS2000 ellipsoid (closed form: the area of an
// ellipsoidal quadrangle, A = b²/2 · Δλ · [q(φ)] from φ1 to φ2), as tests/services/geoenv_test.cpp computes it.
function boxHa(lon1, lat1, lon2, lat2) {
  const a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f), e = Math.sqrt(e2);
  const q = (lat) => { const s = Math.sin(lat * Math.PI / 180); return s / (1 - e2 * s * s) + Math.log((1 + e * s) / (1 - e * s)) / (2 * e); };
  return (a * a * (1 - e2)) / 2 * ((lon2 - lon1) * Math.PI / 180) * (q(lat2) - q(lat1)) / 1e4;
}

async function loginAs(page, user, password) {
  if (await page.locator('#logout-button').count()) {
    await page.click('#logout-button');
    await page.locator('#login-open').waitFor({ timeout: 30000 });
  }
  await page.click('#login-open');
  await page.fill('#login-form input[name=username]', user);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('[data-testid=who]').waitFor({ timeout: 30000 });
}

async function eventsInRegister(page) {
  return page.evaluate(async () => (await (await fetch('/api/geoenv?view=history')).json()).events.length);
}

// Check, then confirm, one file through the upload form.
async function upload(page, check, layer, file, append = false) {
  await page.selectOption('#geoenv-upload-layer', layer);
  await page.setInputFiles('#geoenv-upload-file', data(file));
  await page.setChecked('#geoenv-upload-append', append);
  await page.click('#geoenv-upload-check');
  await page.locator('[data-testid=geoenv-upload-ok], [data-testid=geoenv-upload-problems]').first().waitFor({ timeout: 30000 });
  const ok = await page.locator('[data-testid=geoenv-upload-ok]').count();
  check(ok === 1, `${file} passes the check: ${(await page.locator('#geoenv-upload-result').innerText()).slice(0, 300)}`);
  if (!ok) return;
  check((await page.locator('[data-testid=geoenv-upload-ok]').innerText()).includes('尚未写入'), `${file}: the check writes nothing`);
  await page.click('#geoenv-upload-confirm');
  await page.locator('[data-testid=geoenv-upload-done]').waitFor({ timeout: 30000 });
}

export function registerGeoenvTests(test, check, planner, password) {
  test('geoenv upload: the public is refused; a planner checks, sees row problems, confirms each layer', async (page, base) => {
    await page.goto(base + '/#/geoenv');
    await page.locator('#geoenv-register-count').waitFor({ timeout: 10000 });
    if (await page.locator('#logout-button').count()) {
      await page.click('#logout-button');
      await page.locator('#login-open').waitFor({ timeout: 30000 });
    }
    check(await page.locator('#geoenv-upload-link').count() === 0, 'no upload link for the public');
    await page.goto(base + '/#/geoenv/upload');
    await page.locator('#geoenv .nodata-banner').waitFor({ timeout: 30000 });
    check(await page.locator('#geoenv-upload-form').count() === 0, 'no upload form for the public');

    await loginAs(page, planner, password);
    await page.locator('#geoenv-upload-form').waitFor({ timeout: 30000 });
    // The register: a mine at 入库 since 2020-12-31 going back to 申报 is refused, naming row 1; nothing written.
    const before = await eventsInRegister(page);
    await page.selectOption('#geoenv-upload-layer', 'green_mine_register');
    await page.setInputFiles('#geoenv-upload-file', data('green_register_bad.csv'));
    await page.setChecked('#geoenv-upload-append', true);
    await page.click('#geoenv-upload-check');
    await page.locator('[data-testid=geoenv-upload-problems]').waitFor({ timeout: 30000 });
    const problem = await page.locator('#geoenv-upload-problems tbody tr').first().innerText();
    check(problem.includes('第1条') && problem.includes('晋华宫矿'), `the problem names the row: ${problem}`);
    check(await page.locator('#geoenv-upload-confirm').count() === 0, 'no confirm button while problems remain');
    check(await eventsInRegister(page) === before, 'a refused file writes nothing');

    // A dry run of the good register file writes nothing; the confirmation appends its 2 events.
    await page.setInputFiles('#geoenv-upload-file', data('green_register_new.csv'));
    await page.click('#geoenv-upload-check');
    await page.locator('[data-testid=geoenv-upload-ok]').waitFor({ timeout: 30000 });
    check((await page.locator('[data-testid=geoenv-upload-ok]').innerText()).includes('2 条'), 'the check counts 2 rows');
    check(await eventsInRegister(page) === before, 'the check writes nothing');
    await page.click('#geoenv-upload-confirm');
    await page.locator('[data-testid=geoenv-upload-done]').waitFor({ timeout: 30000 });
    check(await eventsInRegister(page) === before + 2, 'the confirmation appends 2 events');

    // The layers, in the order their references need: sites, projects, years, campaigns, findings.
    await upload(page, check, 'geoenv_sites', 'geoenv_sites.geojson');
    await upload(page, check, 'geoenv_projects', 'geoenv_projects.csv');
    await upload(page, check, 'geoenv_project_years', 'geoenv_project_years.csv');
    await upload(page, check, 'geoenv_campaigns', 'geoenv_campaigns.geojson');
    await upload(page, check, 'geoenv_findings', 'geoenv_findings.geojson');
  });

  test('geoenv overview: sites by kind and party, zone progress, projects by state, campaigns and their change', async (page, base) => {
    await page.goto(base + '/#/geoenv/2023-12-31');
    await page.locator('#geoenv-sites-by-kind').waitFor({ timeout: 10000 });
    // G1 (producing mine, formed 2010 < 2014) → 政府; G2 (producing, formed 2016) → 矿山企业 (chapter 5's rule).
    const kinds = await page.locator('#geoenv-sites-by-kind').innerText();
    check(kinds.includes('采空塌陷') && kinds.includes('政府') && kinds.includes('压占') && kinds.includes('矿山企业'), `sites by kind: ${kinds}`);
    check(kinds.includes('12.00 公顷'), 'G2 counts its stated 12 ha');
    // ZL15-III1 to 2023: planned 60 + 40 + 20 = 120 ha, completed 20 + 10 + 20 = 50 ha → 41.7 %.
    const zone = await page.locator('#geoenv-zones [data-zone="Ⅲ1"]').innerText();
    check(zone.includes('完成 50.00 / 计划 120.00 公顷（41.7%）'), `zone Ⅲ1: ${zone}`);
    const width = await page.locator('#geoenv-zones [data-zone="Ⅲ1"] .geoenv-bar span').getAttribute('style');
    check(width.includes('width:41.7%'), `bar width: ${width}`);
    check((await page.locator('#geoenv-project-states').innerText()).includes('在建 1 处') &&
      (await page.locator('#geoenv-project-states').innerText()).includes('完工 1 处'), 'projects by state');
    // Campaign selector: E2023 (the latest) found G1 and G2; E2022 only G1.
    check(await page.locator('#geoenv-findings-table tbody tr').count() === 2, 'E2023 found 2 sites');
    await page.selectOption('#geoenv-campaign', 'E2022');
    await page.waitForFunction(() => document.querySelectorAll('#geoenv-findings-table tbody tr').length === 1);
    await page.selectOption('#geoenv-campaign', 'E2023');
    await page.selectOption('#geoenv-compare-from', 'E2022');
    await page.locator('#geoenv-change-table').waitFor({ timeout: 10000 });
    // G1 grew from [112.70, 112.71] to [112.70, 112.72] × [40.00, 40.01]: the box [112.71, 112.72] × [40.00, 40.01].
    const grown = boxHa(112.71, 40.00, 112.72, 40.01);
    const rows = await page.locator('#geoenv-change-table tbody tr').allInnerTexts();
    const g1 = rows.find((r) => r.startsWith('G1'));
    const cells = g1 ? g1.split('\t') : [];
    check(cells.length >= 5 && Math.abs(Number(cells[4]) - grown) < 0.011, `G1 grew ${cells[4]} ha, by hand ${grown.toFixed(2)}`);
    check(await page.locator('#geoenv-change-map path.grown').count() === 2, 'the map draws G1\'s growth and the new G2');
    check((await page.locator('#geoenv-grown-mines').innerText()).includes('E2E-M1'), 'the grown mine is named');
    // The kind column shows the code table's label (压占/损毁土地), the stored code only beside it and as tooltip.
    const g2kind = page.locator('#geoenv-sites-by-kind tr[data-kind="压占损毁土地"]');
    check((await g2kind.locator('.kind-label').innerText()) === '压占/损毁土地', 'the label of 压占损毁土地 is shown');
    check((await g2kind.locator('.kind-label').getAttribute('title')).includes('压占损毁土地'), 'the code is the tooltip');
  });

  test('main map: the change between two campaigns as an overlay (areas, popup) and the green-mine layer', async (page, base) => {
    await page.goto(base + '/#/');
    await page.waitForFunction(() => window.minplanMap && window.minplanMap.geoenv);
    // The Datong register names neither licence numbers nor points, and no rights are imported: nothing is
    // placed; 专栏5's 11 mines and the uploaded 虚构左云一矿 (申报 2024) are listed as not on the map.
    await page.fill('#green-map-date', '2024-06-30');
    await page.dispatchEvent('#green-map-date', 'change');
    await page.waitForFunction(() => (document.getElementById('green-map-status')?.textContent || '').includes('2024-06-30'));
    const status = await page.locator('#green-map-status').innerText();
    check(status.includes('落图 0 座') && status.includes('未落图 12 座'), `green-mine layer: ${status}`);
    await page.waitForFunction(() => document.querySelectorAll('#change-from option').length >= 3);
    await page.selectOption('#change-from', 'E2022');
    await page.selectOption('#change-to', 'E2023');
    await page.waitForFunction(() => window.minplanMap.geoenv.change.getSource().getFeatures().length === 2);
    // G1 grew by the box [112.71, 112.72] × [40.00, 40.01]; G2 is new: [112.75, 112.755] × [40.02, 40.025].
    const parts = await page.evaluate(() => window.minplanMap.geoenv.change.getSource().getFeatures()
      .map((f) => ({ site: f.get('site_id'), part: f.get('part'), area: Number(f.get('area_ha')), county: f.get('county') })));
    const g1 = parts.find((p) => p.site === 'G1'), g2 = parts.find((p) => p.site === 'G2');
    check(g1 && g1.part === '扩大部分' && Math.abs(g1.area - boxHa(112.71, 40.00, 112.72, 40.01)) < 0.011, `G1: ${JSON.stringify(g1)}`);
    check(g2 && g2.part === '新发现图斑' && Math.abs(g2.area - boxHa(112.75, 40.02, 112.755, 40.025)) < 0.011, `G2: ${JSON.stringify(g2)}`);
    // Click the middle of G1's grown part: the popup names the site, its mine, county and area.
    const at = await page.evaluate(async () => {
      const { map } = window.minplanMap;
      map.getView().fit([112.69, 39.995, 112.77, 40.03]);
      await new Promise((r) => map.once('rendercomplete', r));
      const [x, y] = map.getPixelFromCoordinate([112.715, 40.005]);
      const box = map.getTargetElement().getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    });
    await page.mouse.click(at.x, at.y);
    await page.locator('#popup:not([hidden])').waitFor({ timeout: 10000 });
    const popup = await page.locator('#popup-content').innerText();
    check(popup.includes('遥感监测图斑变化') && popup.includes('G1') && popup.includes('虚构左云一矿') && popup.includes('左云县') &&
      popup.includes(boxHa(112.71, 40.00, 112.72, 40.01).toFixed(2)), `popup: ${popup}`);
  });

  test('geoenv publicity: the public does not see what the plan withholds (campaigns); a planner does', async (page, base) => {
    await page.goto(base + '/#/geoenv/2023-12-31');
    await page.locator('#geoenv-sites-by-kind').waitFor({ timeout: 10000 });
    check(await page.locator('#geoenv-campaign').count() === 1, 'the planner has the campaign selector');
    await page.click('#logout-button');
    await page.locator('#login-open').waitFor({ timeout: 30000 });
    await page.goto(base + '/#/geoenv/2023-12-30');
    await page.locator('[data-testid=geoenv-withheld]').waitFor({ timeout: 10000 });
    check((await page.locator('[data-testid=geoenv-withheld]').innerText()).includes('未向公众公开遥感监测'), 'the withheld section says why');
    check(await page.locator('#geoenv-campaign').count() === 0, 'no campaign selector for the public');
    check(await page.locator('#geoenv-sites-by-kind').count() === 1, 'the public still sees the sites');
    const layers = await page.evaluate(async () => (await (await fetch('/api/layers')).json()).layers.map((l) => l.id));
    check(!layers.includes('geoenv_findings') && layers.includes('geoenv_sites'), `the public layer list: ${layers.filter((l) => l.startsWith('geoenv'))}`);
    await loginAs(page, planner, password);
    await page.goto(base + '/#/geoenv/2023-12-31');
    await page.locator('#geoenv-campaign').waitFor({ timeout: 30000 });
  });

  test('green-mine list: the register with its history and the XLSX export', async (page, base) => {
    await page.goto(base + '/#/geoenv/greenmines/2024-06-30');
    await page.locator('#greenmines-table').waitFor({ timeout: 10000 });
    check((await page.locator('#greenmines-count').innerText()).includes('在名录 11 座'), 'the 11 green mines of 专栏5 on 2024-06-30');
    const row = (await page.locator('#greenmines-table tbody tr').allInnerTexts()).find((r) => r.includes('虚构左云一矿')) || '';
    check(row.includes('评估') && row.includes('2024-01-10 申报 → 2024-03-01 评估'), `the new mine and its history: ${row}`);
    const href = await page.locator('#geoenv-register-xlsx').getAttribute('href');
    const res = await page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get('content-type') }; }, href);
    check(res.status === 200 && res.type.includes('spreadsheetml'), `XLSX export: ${JSON.stringify(res)}`);
  });

  // A page left while it waited for the server must not draw over the page the user moved to (web/src/nav.js):
  // the overview's answers are held back 1.5 s, the user goes on to the upload page, and its notice must stay.
  test('a slow page the user has left does not overwrite the page they moved to', async (page, base) => {
    await page.goto(base + '/#/');
    await page.locator('#login-open, #logout-button').first().waitFor({ timeout: 30000 });
    if (await page.locator('#logout-button').count()) {
      await page.click('#logout-button');
      await page.locator('#login-open').waitFor({ timeout: 30000 });
    }
    let held = 0;
    await page.route('**/api/geoenv?view=*', async (route) => {
      held += 1;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.evaluate(() => { location.hash = '#/geoenv'; });
    for (let waited = 0; held === 0 && waited < 10000; waited += 100) await page.waitForTimeout(100);
    check(held > 0, `the overview asked the server before the user moved on (${held} requests held)`);
    await page.evaluate(() => { location.hash = '#/geoenv/upload'; });
    await page.locator('#geoenv .nodata-banner').waitFor({ timeout: 30000 });
    await page.waitForTimeout(3000);  // the held answers arrive meanwhile
    check(await page.locator('#geoenv .nodata-banner').count() === 1 && await page.locator('#geoenv-sites-by-kind').count() === 0,
      'the upload page\'s notice is still shown, not the overview');
    await page.unroute('**/api/geoenv?view=*');
  });
}
