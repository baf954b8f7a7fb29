// End-to-end checks of logging in and out and of the review page (#/review), registered by run.mjs.
// run.mjs serves a private copy of the plan holding the account E2E_USER (minplan user add).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_USER = 'e2e-reviewer';
export const E2E_PASSWORD = 'e2e-reviewer-password';
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(here, '../../tests/data/rules/apps/coal_all_pass.txt');

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
  await page.setInputFiles('#review-file', FIXTURE);
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
