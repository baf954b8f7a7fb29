// End-to-end checks of GeoJSON reviews and of the right's kind question on the review page (#/review),
// registered by run.mjs. The application is a limestone mine in 灵丘县 (tests/data/rules/lingqiu).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '../../tests/data/rules/lingqiu');

async function submitAndRead(page, check, what) {
  await page.click('#review-submit');
  await page.locator('#review-verdict').waitFor({ timeout: 15000 });
  const verdict = (await page.locator('#review-verdict').innerText()).trim();
  check(['符合', '需人工核查'].includes(verdict), `${what}: verdict ${verdict} (schematic blocks must not veto)`);
  await page.waitForFunction(() => window.minplanReview.app.getFeatures().length === 1, null, { timeout: 5000 });
  const text = await page.locator('#review-result').innerText();
  check(text.includes('示意几何，不能据此判定'), `${what}: schematic findings say so`);
}

export function registerGeoJsonReviewTests(test, check) {
  test('review a pasted GeoJSON (no crs) and an uploaded GeoJSON file', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#review-text').waitFor({ timeout: 5000 });
    await page.selectOption('select[name=kind]', 'mining');
    await page.fill('#review-text', fs.readFileSync(path.join(DATA, 'limestone.geojson'), 'utf8'));
    await submitAndRead(page, check, 'pasted GeoJSON');
    await page.fill('#review-text', '');
    await page.setInputFiles('#review-file', path.join(DATA, 'limestone.plane.geojson'));
    await submitAndRead(page, check, 'uploaded GeoJSON in EPSG:4526');
  });

  test('a 国土 TXT with the kind left to the format asks for 采矿权/探矿权 in Chinese', async (page, base) => {
    await page.goto(base + '/#/review');
    await page.locator('#review-file').waitFor({ timeout: 5000 });
    await page.selectOption('select[name=kind]', '');
    await page.setInputFiles('#review-file', path.join(DATA, 'limestone.land.txt'));
    await page.click('#review-submit');
    await page.locator('#review-error').waitFor({ state: 'visible', timeout: 15000 });
    const msg = await page.locator('#review-error').innerText();
    check(msg.includes('请选择“采矿权”或“探矿权”'), `kind question: ${msg}`);
    check(!msg.includes('--kind') && !msg.includes('命令行'), `no command-line hint: ${msg}`);
    check(await page.evaluate(() => document.activeElement && document.activeElement.name === 'kind'), 'the kind choice has the focus');
  });
}
