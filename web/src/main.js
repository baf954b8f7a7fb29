// Hash routes: #/ the map, #/tables the 专栏 list, #/tables/<id> one table.
import './style.css';
import { createMapPage } from './map.js';
import { createTablesPage, showTable } from './tables.js';
import { setupSearch } from './search.js';

let mapPage = null;
let tablesPage = null;

function getMapPage() {
  if (!mapPage) mapPage = createMapPage().catch((e) => {
    document.getElementById('status').textContent = `地图加载失败：${e.message}`;
    throw e;
  });
  return mapPage;
}

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const onTables = hash.startsWith('/tables');
  document.getElementById('page-map').hidden = onTables;
  document.getElementById('page-tables').hidden = !onTables;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === (onTables ? 'tables' : 'map')));
  if (onTables) {
    if (!tablesPage) tablesPage = createTablesPage();
    await tablesPage;
    const id = decodeURIComponent(hash.slice('/tables/'.length));
    if (hash.startsWith('/tables/') && id) await showTable(id);
  } else {
    const page = await getMapPage();
    page.map.updateSize();
  }
}

window.addEventListener('hashchange', route);
setupSearch(getMapPage, () => { if (location.hash.startsWith('#/tables')) location.hash = '#/'; });
route();
