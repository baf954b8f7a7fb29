// End-to-end checks of the quality-check panel (#/qc, issue 17): hidden from the public, shown to a planner
// with the last recorded check (the e2e database is made by `minplan build`, which records it), the summary
// per check and severity, every finding of GET /api/qc/report in the table and every located finding as a
// point on the panel's map; a click on a row brings its location into view.

async function loginAs(page, user, password) {
  if (await page.locator('#logout-button').count()) {
    await page.click('#logout-button');
    await page.locator('#login-open').waitFor({ timeout: 5000 });
  }
  await page.click('#login-open');
  await page.fill('#login-form input[name=username]', user);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('[data-testid=who]').waitFor({ timeout: 5000 });
}

export function registerQcTests(test, check, planner, password) {
  test('the QC panel is for planners: the last recorded check, the summary, every finding in the table and on the map', async (page, base) => {
    await page.goto(base + '/');
    if (await page.locator('#logout-button').count()) {
      await page.click('#logout-button');
      await page.locator('#login-open').waitFor({ timeout: 5000 });
    }
    check(await page.locator('nav a[data-page=qc]').isHidden(), 'the QC panel is hidden from the public');
    check((await page.request.get(base + '/api/qc/report')).status() === 401, 'the report is not public');
    await loginAs(page, planner, password);
    await page.locator('nav a[data-page=qc]').waitFor({ state: 'visible', timeout: 5000 });
    await page.click('nav a[data-page=qc]');
    await page.waitForFunction(() => (document.getElementById('qc-verdict')?.textContent || '').startsWith('当前规划'), null, { timeout: 120000 });
    check((await page.locator('#qc-last').innerText()).includes('build'), `last record: ${await page.locator('#qc-last').innerText()}`);
    // The page against the API it reads (the browser's own session): counts, rows, points.
    const report = await page.evaluate(async () => (await fetch('/api/qc/report')).json());
    const located = report.findings.filter((f) => f.point).length;
    const summaryRows = await page.locator('#qc-summary tbody tr[data-check]').count();
    check(summaryRows === report.summary.length, `summary rows ${summaryRows} vs ${report.summary.length}`);
    const rows = await page.locator('#qc-findings tbody tr[data-index]').count();
    check(rows === report.findings.length, `finding rows ${rows} vs ${report.findings.length}`);
    const verdict = await page.locator('#qc-verdict').innerText();
    check(verdict.includes(`错误 ${report.errors} 个`) && verdict.includes(`提示 ${report.hints} 个`), `verdict: ${verdict}`);
    const points = await page.evaluate(() => window.minplanQc.points.getFeatures().length);
    check(points === located, `map points ${points} vs located findings ${located}`);
    // The embedded plan's schematic geometry is reported as 提示, never as 错误 (docs/qc.md).
    check(report.findings.filter((f) => f.schematic).every((f) => f.severity === '提示'), 'schematic findings are hints');
    if (rows > 0) {
      const i = report.findings.findIndex((f) => f.extent);
      if (i >= 0) {
        await page.click(`#qc-findings tbody tr[data-index="${i}"]`);
        const [x1, y1, x2, y2] = report.findings[i].extent;
        await page.waitForFunction(([x1, y1, x2, y2]) => {
          const c = window.minplanQc.map.getView().getCenter();
          return c && Math.abs(c[0] - (x1 + x2) / 2) < 1e-3 + (x2 - x1) && Math.abs(c[1] - (y1 + y2) / 2) < 1e-3 + (y2 - y1);
        }, [x1, y1, x2, y2], { timeout: 5000 });
      }
    }
  });
}
