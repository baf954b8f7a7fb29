// The plan version the portal shows (版本选择): the date every map and table read is made as of
// (?as_of= on /api/layers, /api/layers/{id}/features, /api/tables/{id}). Empty = the plan in force today.
// The selector offers the effective dates of the approved change sets (调整批次) and any other day.
import { getJson, escapeHtml } from './api.js';

export const version = { asOf: '' };
const listeners = [];

export function withAsOf(path) {
  if (!version.asOf) return path;
  return `${path}${path.includes('?') ? '&' : '?'}as_of=${encodeURIComponent(version.asOf)}`;
}

export function onVersionChange(fn) { listeners.push(fn); }

export async function setVersion(asOf) {
  version.asOf = asOf || '';
  const input = document.getElementById('as-of');
  if (input && input.value !== version.asOf) input.value = version.asOf;
  const select = document.getElementById('as-of-set');
  if (select) select.value = [...select.options].some((o) => o.value === version.asOf) ? version.asOf : 'other';
  document.getElementById('version-box')?.classList.toggle('past', Boolean(version.asOf));
  await Promise.all(listeners.map((fn) => fn(version.asOf)));
}

// Approved change sets, newest first, as {date, label} (the public sees approved sets only).
export async function approvedSets() {
  const { change_sets: sets } = await getJson('/api/changesets');
  return sets.filter((s) => s.state === 'approved' && s.effective_date)
    .sort((a, b) => b.effective_date.localeCompare(a.effective_date));
}

export async function setupVersionSelector() {
  const box = document.getElementById('version-box');
  box.innerHTML = `<label>规划版本 <select id="as-of-set" title="按调整批次的生效日期查看规划">
      <option value="">现行规划（今天）</option></select></label>
    <input id="as-of" type="date" title="查看某一天有效的规划 / the plan in force on a day" />`;
  const select = box.querySelector('#as-of-set');
  try {
    for (const s of await approvedSets()) {
      const o = document.createElement('option');
      o.value = s.effective_date;
      o.textContent = `${s.effective_date} 起：${s.name}`;
      select.appendChild(o);
    }
  } catch { /* the list is a convenience: the date field still works */ }
  const other = document.createElement('option');
  other.value = 'other';
  other.textContent = '其他日期…';
  select.appendChild(other);
  select.addEventListener('change', () => {
    if (select.value === 'other') box.querySelector('#as-of').focus();
    else setVersion(select.value);
  });
  box.querySelector('#as-of').addEventListener('change', (e) => setVersion(e.target.value));
}

export { escapeHtml };
