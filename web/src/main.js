// Hash routes: #/ the map, #/tables the 专栏 list, #/tables/<id> one table, #/dashboard[/<year>] the indicators,
// #/review the review, #/diff the version comparison, #/resources[/<year>] release plan, gaps and 三率, and for staff
// #/intake (planner, admin), #/accounts and #/audit (admin), #/qc the quality check (planner). The version selector
// in the top bar sets the date the map and tables read as of.
import './style.css';
import { createMapPage } from './map.js';
import { createTablesPage, showTable } from './tables.js';
import { setupSearch } from './search.js';
import { showDashboard } from './dashboard.js';
import { showReview } from './review.js';
import { setupLogin, auth } from './login.js';
import { showIntake } from './intake.js';
import { showAccounts } from './accounts.js';
import { showGeoenv } from './geoenv.js';
import { beginNavigation } from './nav.js';
import { showResources } from './resources.js';
import { showPrint, leavePrint, printOptions } from './print.js';
import { showDiff, diffOptions } from './diff.js';
import { showAudit } from './audit.js';
import { showQc } from './qc.js';
import { setupVersionSelector, onVersionChange } from './version.js';
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
  const stillHere = beginNavigation();
  await stylesReady;
  if (!stillHere()) return;
  const hash = location.hash.replace(/^#/, '') || '/';
  const onTables = hash.startsWith('/tables');
  const onDashboard = hash.startsWith('/dashboard');
  const onReview = hash.startsWith('/review');
  const extraPage = ['intake', 'accounts', 'print', 'diff', 'audit', 'geoenv', 'resources', 'qc'].find((p) => hash.startsWith(`/${p}`));
  const current = extraPage ?? (onTables ? 'tables' : onDashboard ? 'dashboard' : onReview ? 'review' : 'map');
  for (const p of ['map', 'tables', 'dashboard', 'review', 'intake', 'accounts', 'print', 'diff', 'audit', 'geoenv', 'resources', 'qc']) document.getElementById(`page-${p}`).hidden = current !== p;
  if (current !== 'print' && mapPage) leavePrint(await mapPage);
  if (!stillHere()) return;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === current));
  if (extraPage === 'print') {
    await showPrint(await getMapPage(), printOptions(hash), plan);
  } else if (extraPage === 'diff') {
    await showDiff(diffOptions(hash));
  } else if (extraPage === 'audit') {
    await showAudit();
  } else if (extraPage === 'resources') {
    await showResources(Number(hash.slice('/resources/'.length)) || null);
  } else if (extraPage === 'qc') {
    await showQc();
  } else if (extraPage === 'geoenv') {
    await showGeoenv(hash.slice('/geoenv/'.length) || null);
  } else if (extraPage === 'intake') {
    showIntake();
  } else if (extraPage === 'accounts') {
    await showAccounts();
  } else if (onReview) {
    await showReview();
  } else if (onDashboard) {
    const [year, county] = hash.slice('/dashboard/'.length).split('/');
    await showDashboard(Number(year) || null, county ? decodeURIComponent(county) : null);
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
const plan = { name: '' };
getJson('/api/summary').then((s) => {
  if (!s || !s.name) return;
  plan.name = s.name;
  document.getElementById('plan-name').textContent = s.name;
  document.title = `${s.name} · 规划一张图`;
}).catch(() => {});

// Staff pages appear in the menu for the roles that may use them; a page open when the role changes is redrawn.
const RANK = { public: 0, reviewer: 1, planner: 2, admin: 3 };
window.addEventListener('minplan-auth', () => {
  document.querySelectorAll('nav a[data-role]').forEach((a) => { a.hidden = RANK[auth.role] < RANK[a.dataset.role]; });
  if (/^#\/(intake|accounts|dashboard|audit|qc|geoenv)/.test(location.hash)) route();
});
window.addEventListener('hashchange', route);
setupLogin();
setupSearch(getMapPage, () => { if (/^#\/(tables|dashboard|review|intake|accounts|print|diff|audit|geoenv|qc)/.test(location.hash)) location.hash = '#/'; });
setupVersionSelector();
// A table on screen follows the version selector too.
onVersionChange(async () => {
  const hash = location.hash.replace(/^#/, '');
  if (hash.startsWith('/tables/')) await showTable(decodeURIComponent(hash.slice('/tables/'.length)));
});
route();
