// End-to-end checks of the plan's versions in the portal (issue 12), registered last by run.mjs because they
// change the plan: a planner drafts a change set through the write API (create, upload a change file with
// an action column, submit), a reviewer may not approve it (403), the planner approves it; then the
// version selector shows the retired block before its effective date and the added block after it, the
// diff view lists both on its map and in its table, and the admin's audit page finds the approval.
import { E2E_USER, E2E_PASSWORD } from './auth_review.mjs';

const EFFECTIVE = '2024-03-01';  // inside the plan period 2021–2025; the e2e database's rows date from its build
const BEFORE = '2024-02-01';
const AFTER = '2024-06-01';
const ADDED = 'E2E-ADD-1';

// A session of `user` in the page, through the API (login answers the CSRF token).
async function login(page, base, user, password) {
  return page.evaluate(async ({ user, password }) => {
    await fetch('/api/logout', { method: 'POST', headers: { 'X-CSRF-Token': (await (await fetch('/api/me')).json()).csrf_token ?? '' } });
    const me = await (await fetch('/api/me')).json();
    const res = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token ?? '' },
      body: JSON.stringify({ username: user, password }) });
    const body = await res.json();
    return { status: res.status, csrf: body.csrf_token };
  }, { user, password });
}

async function post(page, path, csrf, body, multipart = null) {
  return page.evaluate(async ({ path, csrf, body, multipart }) => {
    const init = { method: 'POST', headers: { 'X-CSRF-Token': csrf } };
    if (multipart) {
      const form = new FormData();
      form.append('layer', multipart.layer);
      form.append('file', new Blob([multipart.content], { type: 'application/geo+json' }), multipart.name);
      init.body = form;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    }
    const res = await fetch(path, init);
    return { status: res.status, body: await res.json() };
  }, { path, csrf, body, multipart });
}

const blockIds = (page) => page.evaluate(() => window.minplanMap.layers.mining_blocks.getSource().getFeatures().map((f) => f.get('block_id')));

export function registerVersionTests(test, check, planner, admin, staffPassword) {
  const state = {};

  test('a planner drafts, submits and approves a change set through the API; a reviewer may not approve', async (page, base) => {
    await page.goto(base + '/');
    await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 1);
    // The block to retire: the first mining block; the new block: the same shape, mineral and level, so that the
    // 专栏 counts and areas still hold (the quality check before approval compares them). A smaller square
    // failed the check whenever the first block was the only one of its 专栏 row (e.g. 锰, 11.8 km²).
    const first = await page.evaluate(() => {
      const f = window.minplanMap.layers.mining_blocks.getSource().getFeatures()[0];
      const g = f.getGeometry();
      return { id: f.get('block_id'), geometry: { type: g.getType(), coordinates: g.getCoordinates() }, mineral: f.get('mineral'),
               county: f.get('county'), level: f.get('plan_level') };
    });
    state.retired = first.id;
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { 操作: '注销', block_id: first.id }, geometry: null },
      { type: 'Feature', properties: { 操作: '新增', block_id: ADDED, kind: 'mining', mineral: first.mineral, county: first.county,
        plan_level: first.level, source: 'e2e 调整批次' },
      geometry: first.geometry }] };
    const who = await login(page, base, planner, staffPassword);
    check(who.status === 200, `planner login ${who.status}`);
    const created = await post(page, '/api/changesets', who.csrf, { name: 'e2e 2024年度集中调整', effective_date: EFFECTIVE, doc_no: '同规资〔2024〕1号' });
    check(created.status === 201, `create ${created.status} ${JSON.stringify(created.body)}`);
    state.id = created.body.id;
    const items = await post(page, `/api/changesets/${state.id}/items`, who.csrf, null,
      { layer: 'mining_blocks', name: 'changes.geojson', content: JSON.stringify(fc) });
    check(items.status === 200 && items.body.added === 2, `items ${items.status} ${JSON.stringify(items.body)}`);
    const submitted = await post(page, `/api/changesets/${state.id}/submit`, who.csrf, {});
    check(submitted.status === 200 && submitted.body.submitted === true, `submit ${JSON.stringify(submitted.body)}`);
    const reviewer = await login(page, base, E2E_USER, E2E_PASSWORD);
    const refused = await post(page, `/api/changesets/${state.id}/approve`, reviewer.csrf, {});
    check(refused.status === 403, `a reviewer's approval answers ${refused.status}`);
    const again = await login(page, base, planner, staffPassword);
    const approved = await post(page, `/api/changesets/${state.id}/approve`, again.csrf, {});
    check(approved.status === 200 && approved.body.state === 'approved', `approve ${approved.status} ${JSON.stringify(approved.body)}`);
    await page.evaluate(async () => { await fetch('/api/logout', { method: 'POST', headers: { 'X-CSRF-Token': (await (await fetch('/api/me')).json()).csrf_token ?? '' } }); });
  });

  test('the version selector shows the retired block before the effective date and the added one after it', async (page, base) => {
    await page.goto(base + '/');
    await page.reload();
    await page.waitForFunction(() => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 1);
    // The approved set is offered by its effective date.
    await page.locator(`#as-of-set option[value="${EFFECTIVE}"]`).waitFor({ state: 'attached', timeout: 10000 });
    await page.fill('#as-of', BEFORE);
    await page.dispatchEvent('#as-of', 'change');
    await page.waitForFunction((d) => window.minplanMap.loaded.asOf === d, BEFORE);
    let ids = await blockIds(page);
    check(ids.includes(state.retired) && !ids.includes(ADDED), `${BEFORE}: ${state.retired} shown, ${ADDED} not (${ids.length} blocks)`);
    const before = ids.length;
    await page.selectOption('#as-of-set', EFFECTIVE);
    await page.waitForFunction((d) => window.minplanMap.loaded.asOf === d, EFFECTIVE);
    ids = await blockIds(page);
    check(!ids.includes(state.retired) && ids.includes(ADDED), `${EFFECTIVE}: ${ADDED} shown, ${state.retired} not`);
    check(ids.length === before, `one block retired and one added: ${before} → ${ids.length}`);
    const count = await page.locator('input[data-layer="mining_blocks"]').locator('xpath=..').locator('.count').textContent();
    check(Number(count) === before, `legend count ${count}`);
    // Back to today: the head of the history, the same as the effective date's plan here.
    await page.selectOption('#as-of-set', '');
    await page.waitForFunction(() => window.minplanMap.loaded.asOf === '');
    ids = await blockIds(page);
    check(ids.includes(ADDED) && !ids.includes(state.retired), 'today: the adjusted plan');
  });

  test('the diff view lists the added and the retired block on its map and in its table', async (page, base) => {
    await page.goto(`${base}/#/diff?from=${BEFORE}&to=${AFTER}`);
    await page.locator('#diff-table tbody tr[data-key]').first().waitFor({ timeout: 10000 });
    const rows = await page.locator('#diff-table tbody tr[data-key]').evaluateAll((trs) => trs.map((tr) => `${tr.dataset.change}:${tr.dataset.key}`));
    check(JSON.stringify(rows.sort()) === JSON.stringify([`added:${ADDED}`, `retired:${state.retired}`].sort()), `diff rows ${rows.join(', ')}`);
    const onMap = await page.evaluate(() => window.minplanDiff.changes.getFeatures().map((f) => `${f.get('change')}:${f.get('key')}`).sort());
    check(JSON.stringify(onMap) === JSON.stringify(rows.sort()), `diff map ${onMap.join(', ')}`);
    check((await page.locator('#diff-message').textContent()).includes('新增 1 个，注销 1 个，修改 0 个'), 'summary line');
    const xlsx = await page.request.get(base + await page.locator('#diff-xlsx').getAttribute('href'));
    check(xlsx.status() === 200 && (await xlsx.body()).subarray(0, 2).toString() === 'PK', `调整情况表 XLSX ${xlsx.status()}`);
    // A day-range without the set: no change.
    await page.goto(`${base}/#/diff?from=2022-01-01&to=${BEFORE}`);
    await page.waitForFunction(() => document.querySelector('#diff-message')?.textContent.includes('新增 0 个'));
    check(await page.locator('#diff-table tbody tr[data-key]').count() === 0, 'no rows without a change');
  });

  test('the audit page shows the change set\'s writes to an admin, filtered, and exports them as CSV', async (page, base) => {
    await page.goto(base + '/#/audit');
    check((await page.locator('#audit').innerText()).includes('供管理员使用'), 'the public sees no audit trail');
    await login(page, base, admin, staffPassword);
    await page.goto(base + '/');
    await page.goto(base + '/#/audit');
    await page.locator('#audit-table tbody tr').first().waitFor({ timeout: 10000 });
    await page.fill('#audit-form input[name=action]', 'changeset');
    await page.click('#audit-form button[type=submit]');
    await page.waitForFunction(() => [...document.querySelectorAll('#audit-table tbody tr')].every((tr) => tr.dataset.action.startsWith('changeset')));
    const actions = await page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
    for (const a of ['changeset.create', 'changeset.edit', 'changeset.submit', 'changeset.approve'])
      check(actions.includes(a), `audit lists ${a}: ${actions.join(',')}`);
    const approve = await page.locator('#audit-table tbody tr[data-action="changeset.approve"]').first().innerText();
    check(approve.includes(planner) && approve.includes('质检：错误 0'), `approval entry names the planner and the QC: ${approve}`);
    const csv = await page.request.get(base + await page.locator('#audit-csv').getAttribute('href'));
    const text = (await csv.body()).toString('utf8');
    check(csv.status() === 200 && text.includes('changeset.approve') && !text.includes('login.ok'), `CSV export ${csv.status()}`);
  });
}
