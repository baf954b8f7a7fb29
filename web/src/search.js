// Search box: /api/search across layers (names, codes, licence numbers, pinyin initials), results grouped by
// layer with their counts. A result with geometry is zoomed to, outlined and opened in the popup; a record
// without geometry (a mine of the register) opens in the record panel beside the map, and any popup left
// from before is closed so that nobody reads the wrong record.
import GeoJSON from 'ol/format/GeoJSON';
import { getJson, escapeHtml } from './api.js';
import { recordHtml } from './popup.js';

const format = new GeoJSON({ dataProjection: 'EPSG:4490', featureProjection: 'EPSG:4490' });
const shortName = (name) => name.replace(/[（(].*$/, '') || name;

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
  document.getElementById('record-close').addEventListener('click', closeRecord);

  async function run() {
    const q = input.value.trim();
    if (!q) { list.hidden = true; return; }
    try {
      const { results, groups, truncated } = await getJson(`/api/search?q=${encodeURIComponent(q)}`);
      list.innerHTML = results.length ? renderGroups(results, groups) +
          (truncated ? '<li class="muted">结果较多，仅显示前50条，请输入更完整的名称</li>' : '')
        : '<li class="muted">没有找到匹配的名称、编号、许可证号或拼音首字母</li>';
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
    page.popup.hide();
    page.highlight.clear();
    if (!feature.geometry || !feature.bbox) {
      showRecord(page.byId[r.layer], feature.properties, r);
      return;
    }
    closeRecord();
    const layer = page.layers[r.layer];
    if (layer) {
      layer.setVisible(true);
      const box = document.querySelector(`input[data-layer="${r.layer}"]`);
      if (box) box.checked = true;
    }
    page.map.getView().fit(feature.bbox, { padding: [80, 80, 80, 80], maxZoom: 13, duration: 300 });
    page.highlight.show(format.readGeometry(feature.geometry));
    const [x0, y0, x1, y1] = feature.bbox;
    page.popup.show(r.layer, feature.properties, [(x0 + x1) / 2, (y0 + y1) / 2]);
  }
}

// Results under a heading per layer: "矿山名录 3".
function renderGroups(results, groups) {
  let i = 0;
  return (groups ?? [{ layer_name_zh: '', count: results.length }]).map((g) => {
    const rows = results.slice(i, i + g.count).map((r, k) => `<li data-index="${i + k}" data-layer="${escapeHtml(r.layer)}">
        <strong>${escapeHtml(r.label)}</strong>
        <span>${escapeHtml(r.matched_field)}：${escapeHtml(r.matched_value)}${r.bbox ? '' : ' · 无图形，查看记录'}</span>
        ${r.geometry_source === 'schematic' ? '<em>示意几何</em>' : ''}</li>`).join('');
    i += g.count;
    return `<li class="group" data-testid="search-group">${escapeHtml(shortName(g.layer_name_zh))}<b>${g.count}</b></li>${rows}`;
  }).join('');
}

function showRecord(info, props, r) {
  const panel = document.getElementById('record-panel');
  document.getElementById('record-content').innerHTML =
    `<h3>${escapeHtml(r.label)}</h3><p class="muted">${escapeHtml(info?.name_zh ?? r.layer)} · 该记录没有图形，地图上无对应位置</p>
     ${recordHtml(info, props)}`;
  panel.hidden = false;
}

function closeRecord() {
  document.getElementById('record-panel').hidden = true;
}
