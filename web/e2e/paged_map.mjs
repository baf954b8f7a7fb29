// The map at real size: a layer above the server's held limit is read by window at the view's zoom (and again
// when zooming in), never whole; a layer the plan's style limits to 1:N is not drawn further out. A second
// server on the same plan with `--hold-max-features 20` makes the 66 mining blocks such a layer.
import { spawn } from 'node:child_process';
import path from 'node:path';

export function registerPagedMapTests(test, check, ctx) {
  test('a layer too large to hold is read by window at the view\'s zoom, and read again when zooming in', async (page) => {
    const port = await ctx.freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawn(ctx.minplan, ['serve', '--port', String(port), '--web', path.join(ctx.webDir, 'dist'), '--db', ctx.dbFile,
      '--hold-max-features', '20', '--access-log', 'off'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const requests = [];
    const record = (req) => { if (req.url().includes('/api/layers/mining_blocks/features')) requests.push(new URL(req.url())); };
    page.on('request', record);
    try {
      await ctx.waitFor(base + '/api/layers', 60000);
      const { layers } = await (await fetch(base + '/api/layers')).json();
      const blocks = layers.find((l) => l.id === 'mining_blocks');
      check(blocks.paged === true, 'the server lists mining_blocks as paged');
      await page.goto(base + '/');
      await page.waitForFunction((n) => window.minplanMap && window.minplanMap.layers.mining_blocks.getSource().getFeatures().length === n,
        blocks.feature_count, { timeout: 20000 });
      check(requests.length > 0 && requests.every((u) => u.searchParams.has('bbox') && u.searchParams.has('zoom')),
        `every read of the paged layer names a window and a zoom: ${requests.map((u) => u.search).join(' ')}`);
      const firstZoom = Math.max(...requests.map((u) => Number(u.searchParams.get('zoom'))));
      const viewZoom = await page.evaluate(() => window.minplanMap.map.getView().getZoom());
      check(Math.abs(firstZoom - viewZoom) < 0.01, `the zoom asked (${firstZoom}) is the view's (${viewZoom})`);
      // Zoom in two levels on the first block: the window shrinks and the zoom asked grows.
      const before = requests.length;
      await page.evaluate(() => {
        const { map, layers } = window.minplanMap;
        const view = map.getView();
        const [x0, y0, x1, y1] = layers.mining_blocks.getSource().getFeatures()[0].getGeometry().getExtent();
        view.setCenter([(x0 + x1) / 2, (y0 + y1) / 2]);
        view.setZoom(view.getZoom() + 2);
      });
      for (let waited = 0; requests.length === before && waited < 10000; waited += 100) await page.waitForTimeout(100);
      await page.waitForFunction(() => window.minplanMap.layers.mining_blocks.getSource().getFeatures().length > 0);
      const later = requests.slice(before);
      check(later.length > 0, 'zooming in read the layer again');
      const zoomIn = Math.max(...later.map((u) => Number(u.searchParams.get('zoom'))));
      check(zoomIn >= firstZoom + 1.5, `zoom asked after zooming in: ${zoomIn} (before ${firstZoom})`);
      const width = (u) => { const [x0, , x1] = u.searchParams.get('bbox').split(',').map(Number); return x1 - x0; };
      check(width(later[later.length - 1]) < width(requests[0]) / 3, 'the window is the smaller view');
    } finally {
      page.off('request', record);
      server.kill('SIGTERM');
    }
  });

  test('a layer the style limits to 1:N is drawn only at that scale and larger, and the legend says so', async (page, base) => {
    const style = await (await fetch(base + '/api/styles')).json();
    const limited = style.layers.find((l) => l.max_scale_denominator > 0);
    check(limited, 'the shipped style limits a layer');
    await page.goto(base + '/');
    await page.waitForFunction(() => window.minplanMap && window.minplanMap.map.getView().getCenter());
    // Degrees per pixel at 1:S near the plan's latitude: S · 0.28 mm / (metres per degree of longitude).
    const visibleAt = (scale) => page.evaluate(([id, s]) => {
      const { map, layers } = window.minplanMap;
      const view = map.getView();
      const lat = view.getCenter()[1];
      const metresPerDegree = 111320 * Math.cos((lat * Math.PI) / 180);
      view.setResolution((s * 0.00028) / metresPerDegree);
      map.renderSync();
      return layers[id].isVisible(view);
    }, [limited.layer, scale]);
    const n = limited.max_scale_denominator;
    check(!(await visibleAt(n * 3)), `${limited.layer} drawn at 1:${n * 3}`);
    await page.waitForFunction((id) => (document.querySelector(`input[data-layer="${id}"]`)?.closest('label')
      .querySelector('.scale-note').textContent || '').includes('放大到'), limited.layer);
    check(await visibleAt(n / 3), `${limited.layer} not drawn at 1:${Math.round(n / 3)}`);
  });
}
