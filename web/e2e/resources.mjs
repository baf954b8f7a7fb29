// End-to-end checks of the 资源管理 page (issue 15): the year's release plan listed and drawn on the map, the
// corner and gap resources as a map layer with schematic pieces labelled, and the 三率 lists with the downloads
// `minplan sanlv --xlsx/--html` writes. Registered last, after the daily-work tests (the sample data is then
// imported) and the version tests: a release import before them moved the plan's latest write past their dates.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function registerResourcesTests(test, check, minplan, db, tmpDir) {
  test('资源管理: the year\'s release plan is listed and its blocks drawn on the map', async (page, base) => {
    // One exploration and one mining block of the plan in force (the last of each layer: the version tests retire
    // the first), stored the way a planner does (`minplan release import`, the check passes).
    const last = async (layer) => {
      const fc = await (await page.request.get(`${base}/api/layers/${layer}/features`)).json();
      return fc.features[fc.features.length - 1].properties;
    };
    const [e, m] = [await last('exploration_blocks'), await last('mining_blocks')];
    const file = path.join(tmpDir, 'release-2023.csv');
    fs.writeFileSync(file, '区块编号,区块类型,矿种,出让方式,协议出让理由,计划出让时间,拟设生产规模,规模单位\n'
      + `${e.block_id},勘查,${e.mineral},挂牌,,2023-05,,\n${m.block_id},开采,${m.mineral},拍卖,,2023-09,120,万吨/年\n`);
    execFileSync(minplan, ['--db', db, 'release', 'import', '2023', file], { stdio: 'ignore' });
    await page.goto(base + '/#/resources/2023');
    await page.waitForSelector('#release-table tbody tr');
    const rows = await page.locator('#release-table tbody tr').allInnerTexts();
    check(rows.length === 2 && rows[0].includes(e.block_id) && rows[1].includes(m.block_id) && rows[1].includes('120 万吨/年'),
      `release rows: ${rows.join(' / ')}`);
    check((await page.locator('nav a.active').textContent()) === '资源管理', 'the menu marks the page');
    await page.waitForFunction(() => window.minplanResources.release.exploration.getFeatures().length === 1
      && window.minplanResources.release.mining.getFeatures().length === 1);
    // A year without a stored plan says so.
    await page.goto(base + '/#/resources/2022');
    await page.waitForFunction(() => (document.getElementById('release-table')?.textContent || '').includes('没有入库的投放计划'));
    check(await page.evaluate(() => window.minplanResources.release.mining.getFeatures().length) === 0, 'no blocks drawn for 2022');
  });

  test('资源管理: the gaps are a map layer, schematic results labelled 示意', async (page, base) => {
    await page.goto(base + '/#/resources/2023');
    await page.waitForFunction(() => (document.getElementById('gaps-summary')?.textContent || '').length > 0, null, { timeout: 30000 });
    const api = await (await page.request.get(`${base}/api/gaps`)).json();
    const drawn = await page.evaluate(() => window.minplanResources.gaps.getFeatures().length);
    check(drawn === api.features.length, `gaps drawn ${drawn}, API ${api.features.length}`);
    const schematic = api.features.filter((f) => f.properties.geometry_source === 'schematic').length;
    if (schematic) {
      check((await page.locator('#gaps-summary').textContent()).includes(`${schematic} 处为示意几何`), 'the summary counts the schematic gaps');
      check((await page.locator('#gaps-table').innerText()).includes('示意'), 'schematic rows say 示意');
    }
    check((await page.locator('#resources .note').first().textContent()).includes('示意几何'), 'the legend explains schematic geometry');
  });

  test('资源管理: the 三率 lists with the XLSX and HTML downloads of `minplan sanlv`', async (page, base) => {
    await page.goto(base + '/#/resources/2023');
    await page.waitForFunction(() => (document.getElementById('sanlv-summary')?.textContent || '').includes('2023年'));
    const api = await (await page.request.get(`${base}/api/sanlv?year=2023`)).json();
    const below = api.mines.filter((m) => m.large_or_medium && m.minimum.result === 'fail').length;
    const shown = await page.locator('#sanlv-below-table tbody tr').count();
    check(shown === below, `below-minimum rows ${shown}, API ${below}`);
    const xlsx = await page.request.get(base + await page.locator('#sanlv-xlsx').getAttribute('href'));
    check(xlsx.status() === 200 && (await xlsx.body()).subarray(0, 2).toString() === 'PK', `XLSX ${xlsx.status()}`);
    const html = await page.request.get(base + await page.locator('#sanlv-html').getAttribute('href'));
    check(html.status() === 200 && (await html.text()).includes('三率'), `HTML ${html.status()}`);
    // The same files as the command line writes.
    const out = path.join(tmpDir, 'sanlv-cli.html');
    execFileSync(minplan, ['--db', db, 'sanlv', '2023', '--html', out], { stdio: 'ignore' });
    check(fs.readFileSync(out, 'utf8') === await html.text(), 'the portal\'s HTML is the CLI\'s');
  });
}
