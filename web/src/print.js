// 专题图打印 (#/print?paper=A4|A3&orientation=landscape|portrait): the map page's map laid out on a sheet of
// paper with its title, legend, scale bar, north arrow (the map's own controls), coordinate system, date,
// data source and the schematic note; 「打印 / 导出 PDF」 prints it with the browser (Chromium's print to PDF,
// the same engine the server uses for opinions). The map is the one of the map page, moved onto the sheet.
import { escapeHtml } from './api.js';

const PAPERS = { A4: [297, 210], A3: [420, 297] };  // mm, landscape

// Paper and orientation; `layers` (ids, comma-separated: only these besides the boundaries) and `bbox`
// (minLon,minLat,maxLon,maxLat) as `minplan map` and GET /api/map.pdf pass them.
export function printOptions(hash) {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const paper = PAPERS[q.get('paper')] ? q.get('paper') : 'A4';
  const orientation = q.get('orientation') === 'portrait' ? 'portrait' : 'landscape';
  const layers = q.get('layers') ? q.get('layers').split(',').filter(Boolean) : null;
  const bbox = (q.get('bbox') ?? '').split(',').map(Number);
  return { paper, orientation, layers, bbox: bbox.length === 4 && bbox.every(Number.isFinite) ? bbox : null };
}

const BOUNDARIES = ['admin_counties', 'admin_city'];

export async function showPrint(page, { paper, orientation, layers, bbox }, plan) {
  const root = document.getElementById('print');
  const [w, h] = orientation === 'landscape' ? PAPERS[paper] : [...PAPERS[paper]].reverse();
  const today = new Date().toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
  root.innerHTML = `
    <div class="print-tools no-print">
      <label>纸张 <select id="print-paper">${Object.keys(PAPERS).map((p) => `<option ${p === paper ? 'selected' : ''}>${p}</option>`).join('')}</select></label>
      <label>方向 <select id="print-orientation"><option value="landscape" ${orientation === 'landscape' ? 'selected' : ''}>横向</option>
        <option value="portrait" ${orientation === 'portrait' ? 'selected' : ''}>纵向</option></select></label>
      <button type="button" id="print-go" class="primary">打印 / 导出 PDF</button>
      <a href="#/">返回地图</a>
    </div>
    <div class="print-sheet" id="print-sheet" style="width:${w - 16}mm;height:${h - 16}mm" data-paper="${paper}" data-orientation="${orientation}">
      <h1 class="print-title" data-testid="print-title">${escapeHtml(plan.name || '矿产资源总体规划')}　规划图</h1>
      <div id="print-map" class="print-map"></div>
      <footer class="print-notes">
        <span>坐标系：2000国家大地坐标系（CGCS2000，EPSG:4490），经纬度</span>
        <span>数据来源：${escapeHtml(plan.name || '')}规划数据库（规划一张图）</span>
        <span>制图日期：${escapeHtml(today)}</span>
        <span class="print-schematic">虚线边框为示意几何（schematic）：规划文本未给出坐标，按所述面积在所在行政区内生成，非真实位置</span>
      </footer>
    </div>`;
  setPageSize(paper, orientation);
  const go = () => { location.hash = `#/print?paper=${root.querySelector('#print-paper').value}&orientation=${root.querySelector('#print-orientation').value}`; };
  root.querySelector('#print-paper').addEventListener('change', go);
  root.querySelector('#print-orientation').addEventListener('change', go);
  root.querySelector('#print-go').addEventListener('click', () => window.print());
  // Keep what the user was looking at: the same centre and scale on the sheet.
  const view = page.map.getView();
  const extent = view.getCenter() ? view.calculateExtent(page.map.getSize()) : null;  // null until the counties set it
  // The element, not its id: a sheet drawn again has a new element under the same id, and OpenLayers ignores
  // setting the same id string twice (the map would stay in the removed element).
  page.map.setTarget(root.querySelector('#print-map'));
  page.map.updateSize();
  if (layers) {
    for (const [id, layer] of Object.entries(page.layers)) layer.setVisible(BOUNDARIES.includes(id) || layers.includes(id));
  }
  // A given extent wins over the counties' own fit, which comes when they have loaded.
  const counties = page.layers.admin_counties?.getSource();
  if (bbox || !extent) {
    if (counties && !counties.getFeatures().length) await new Promise((resolve) => counties.once('change', resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (bbox) view.fit(bbox, { size: page.map.getSize() });
  } else {
    view.fit(extent, { size: page.map.getSize() });
  }
}

// Back on the map page the map returns to its own place.
export function leavePrint(page) {
  if (page && page.map.getTargetElement()?.id === 'print-map') {
    page.map.setTarget(document.getElementById('map'));
    page.map.updateSize();
  }
}

function setPageSize(paper, orientation) {
  let style = document.getElementById('print-page-size');
  if (!style) {
    style = document.createElement('style');
    style.id = 'print-page-size';
    document.head.appendChild(style);
  }
  style.textContent = `@page { size: ${paper} ${orientation}; margin: 8mm; }`;
}
