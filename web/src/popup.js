// Identify popup: attributes under their Chinese aliases (from /api/layers), and a visible note on every
// schematic geometry.
import Overlay from 'ol/Overlay';
import { escapeHtml } from './api.js';

const HIDDEN = new Set(['geometry', 'geometry_source', 'geometry_note']);

export function createPopup(map, layersById) {
  const element = document.getElementById('popup');
  const content = document.getElementById('popup-content');
  const overlay = new Overlay({ element, autoPan: { animation: { duration: 200 } }, positioning: 'bottom-center', offset: [0, -8] });
  map.addOverlay(overlay);
  document.getElementById('popup-close').addEventListener('click', () => hide());

  function hide() {
    overlay.setPosition(undefined);
    element.hidden = true;
  }

  function show(layerId, props, coordinate) {
    const info = layersById[layerId];
    const fields = info?.fields ?? [];
    const aliases = Object.fromEntries(fields.map((f) => [f.name, f]));
    // Schema order (as in the plan's tables), then anything the schema does not know.
    const keys = [...fields.map((f) => f.name), ...Object.keys(props).filter((k) => !aliases[k])];
    const rows = keys
      .map((k) => [k, props[k]])
      .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== '')
      .map(([k, v]) => {
        const f = aliases[k];
        if (typeof v === 'boolean') v = v ? '是' : '否';
        const label = f?.alias_zh || k;
        const unit = f?.unit ? ` ${f.unit}` : '';
        return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(v)}${escapeHtml(unit)}</td></tr>`;
      })
      .join('');
    let note = '';
    if (props.geometry_source === 'schematic') {
      note = `<p class="schematic-note" data-testid="schematic-note"><strong>示意几何（schematic）</strong>：
        规划文本未给出坐标，此图形不是真实位置。${escapeHtml(props.geometry_note || '')}</p>`;
    } else if (props.geometry_source) {
      note = `<p class="source-note">几何来源：${escapeHtml(props.geometry_source)}</p>`;
    }
    content.innerHTML = `<h3>${escapeHtml(info?.name_zh ?? layerId)}</h3>${note}<table>${rows}</table>`;
    element.hidden = false;
    overlay.setPosition(coordinate);
  }

  return { show, hide };
}
