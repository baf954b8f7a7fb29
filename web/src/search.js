// Search box: /api/search across layers; choosing a result zooms to it and opens its popup.
import { getJson, escapeHtml } from './api.js';

export function setupSearch(getMapPage, goToMap) {
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  let timer = null;

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { clearTimeout(timer); run(); } });
  document.addEventListener('click', (e) => { if (!list.contains(e.target) && e.target !== input) list.hidden = true; });

  async function run() {
    const q = input.value.trim();
    if (!q) { list.hidden = true; return; }
    try {
      const { results, truncated } = await getJson(`/api/search?q=${encodeURIComponent(q)}`);
      list.innerHTML = results.length
        ? results.map((r, i) => `<li data-index="${i}"><strong>${escapeHtml(r.label)}</strong>
            <span>${escapeHtml(r.layer_name_zh.replace(/[（(].*$/, ''))} · ${escapeHtml(r.matched_field)}：${escapeHtml(r.matched_value)}</span>
            ${r.geometry_source === 'schematic' ? '<em>示意几何</em>' : ''}</li>`).join('') +
          (truncated ? '<li class="muted">结果较多，仅显示前50条，请输入更完整的名称</li>' : '')
        : '<li class="muted">没有找到匹配的名称、编号或许可证号</li>';
      list.hidden = false;
      list.querySelectorAll('li[data-index]').forEach((li) =>
        li.addEventListener('click', () => choose(results[Number(li.dataset.index)])));
    } catch (e) {
      list.innerHTML = `<li class="muted">${escapeHtml(e.message)}</li>`;
      list.hidden = false;
    }
  }

  async function choose(r) {
    list.hidden = true;
    goToMap();
    const page = await getMapPage();
    const feature = await getJson(`/api/features/${encodeURIComponent(r.layer)}/${r.fid}`);
    const layer = page.layers[r.layer];
    if (layer) {
      layer.setVisible(true);
      const box = document.querySelector(`input[data-layer="${r.layer}"]`);
      if (box) box.checked = true;
    }
    if (feature.bbox) {
      page.map.getView().fit(feature.bbox, { padding: [80, 80, 80, 80], maxZoom: 13, duration: 300 });
      const [x0, y0, x1, y1] = feature.bbox;
      page.popup.show(r.layer, feature.properties, [(x0 + x1) / 2, (y0 + y1) / 2]);
    }
  }
}
