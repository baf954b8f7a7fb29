// Identify popup: attributes under their Chinese aliases (from /api/layers), coded values under the
// Chinese labels of the plan's code tables, and a visible note on every schematic geometry.
import Overlay from 'ol/Overlay';
import { escapeHtml } from './api.js';

const HIDDEN = new Set(['geometry', 'geometry_source', 'geometry_note']);

// One value as a reader sees it: 是/否 for booleans, the code table's Chinese label for a code (the code
// itself only in the cell's tooltip), the unit after numbers.
export function displayValue(field, v) {
  if (typeof v === 'boolean') return v ? '是' : '否';
  const text = field?.labels?.[v] ?? String(v);
  return field?.unit ? `${text} ${field.unit}` : text;
}

// The attribute table and schematic note of one record, shared by the popup and the record panel.
export function recordHtml(info, props) {
  const fields = info?.fields ?? [];
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  // Schema order (as in the plan's tables), then anything the schema does not know.
  const keys = [...fields.map((f) => f.name), ...Object.keys(props).filter((k) => !byName[k])];
  const rows = keys
    .map((k) => [k, props[k]])
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => {
      const coded = byName[k]?.labels?.[v] ? ` title="代码 ${escapeHtml(v)}" data-code="${escapeHtml(v)}"` : '';
      return `<tr><th>${escapeHtml(byName[k]?.alias_zh || k)}</th><td${coded}>${escapeHtml(displayValue(byName[k], v))}</td></tr>`;
    })
    .join('');
  let note = '';
  if (props.geometry_source === 'schematic') {
    note = `<p class="schematic-note" data-testid="schematic-note"><strong>示意几何（schematic）</strong>：
      规划文本未给出坐标，此图形不是真实位置。${escapeHtml(props.geometry_note || '')}</p>`;
  } else if (props.geometry_source) {
    const source = byName.geometry_source?.labels?.[props.geometry_source] ?? props.geometry_source;
    note = `<p class="source-note">几何来源：${escapeHtml(source)}</p>`;
  }
  return `${note}<table>${rows}</table>`;
}

export function createPopup(map, layersById) {
  const element = document.getElementById('popup');
  const content = document.getElementById('popup-content');
  const overlay = new Overlay({ element, autoPan: { animation: { duration: 200 } }, positioning: 'bottom-center', offset: [0, -8] });
  map.addOverlay(overlay);
  const listeners = [];
  document.getElementById('popup-close').addEventListener('click', () => hide());

  function hide() {
    overlay.setPosition(undefined);
    element.hidden = true;
    listeners.forEach((fn) => fn());
  }

  function show(layerId, props, coordinate) {
    const info = layersById[layerId];
    content.innerHTML = `<h3>${escapeHtml(info?.name_zh ?? layerId)}</h3>${recordHtml(info, props)}`;
    element.hidden = false;
    overlay.setPosition(coordinate);
  }

  return { show, hide, onHide: (fn) => listeners.push(fn) };
}
