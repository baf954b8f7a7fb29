// Hash routes: #/ the map, #/tables the 专栏 list, #/tables/<id> one table, #/dashboard[/<year>] the indicators.
import './style.css';
import { createMapPage } from './map.js';
import { createTablesPage, showTable } from './tables.js';
import { setupSearch } from './search.js';
import { showDashboard } from './dashboard.js';
import { showReview } from './review.js';
import { setupLogin } from './login.js';
import { getJson } from './api.js';
import { loadStyles } from './styles.js';

let mapPage = null;
let tablesPage = null;

function getMapPage() {
  if (!mapPage) mapPage = createMapPage().catch((e) => {
    document.getElementById('status').textContent = `地图加载失败：${e.message}`;
    throw e;
  });
  return mapPage;
}

// Every page draws with the plan's map style: loaded once, before the first page.
const stylesReady = loadStyles().catch((e) => {
  document.getElementById('status').textContent = `图层样式加载失败：${e.message}`;
});

async function route() {
  await stylesReady;
  const hash = location.hash.replace(/^#/, '') || '/';
  const onTables = hash.startsWith('/tables');
  const onDashboard = hash.startsWith('/dashboard');
  const onReview = hash.startsWith('/review');
  const current = onTables ? 'tables' : onDashboard ? 'dashboard' : onReview ? 'review' : 'map';
  document.getElementById('page-map').hidden = current !== 'map';
  document.getElementById('page-tables').hidden = current !== 'tables';
  document.getElementById('page-dashboard').hidden = current !== 'dashboard';
  document.getElementById('page-review').hidden = current !== 'review';
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === current));
  if (onReview) {
    await showReview();
  } else if (onDashboard) {
    await showDashboard(Number(hash.slice('/dashboard/'.length)) || null);
  } else if (onTables) {
    if (!tablesPage) tablesPage = createTablesPage();
    await tablesPage;
    const id = decodeURIComponent(hash.slice('/tables/'.length));
    if (hash.startsWith('/tables/') && id) await showTable(id);
  } else {
    const page = await getMapPage();
    page.map.updateSize();
  }
}

// The plan's name comes from its database: the same page serves any plan.
getJson('/api/summary').then((s) => {
  if (!s || !s.name) return;
  document.getElementById('plan-name').textContent = s.name;
  document.title = `${s.name} · 规划一张图`;
}).catch(() => {});

window.addEventListener('hashchange', route);
setupLogin();
setupSearch(getMapPage, () => { if (/^#\/(tables|dashboard|review)/.test(location.hash)) location.hash = '#/'; });
route();
