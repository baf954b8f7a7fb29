// Login and logout in the top bar, and the session state the other pages read. The session itself is an
// HttpOnly cookie the script never sees; the CSRF token comes from /api/me or the login answer, is kept in
// memory only, and goes with every POST as X-CSRF-Token.
import './review.css';
import { escapeHtml } from './api.js';

export const auth = { authenticated: false, username: null, role: 'public', roleZh: '公众', csrf: null, message: null };

function apply(body) {
  auth.authenticated = !!body.authenticated;
  auth.username = body.username ?? null;
  auth.role = body.role ?? 'public';
  auth.roleZh = body.role_zh ?? '公众';
  auth.csrf = body.csrf_token ?? null;
  auth.message = body.message ?? null;
  render();
  window.dispatchEvent(new CustomEvent('minplan-auth', { detail: { ...auth } }));
}

export async function refreshSession() {
  const res = await fetch('/api/me', { headers: { Accept: 'application/json' } });
  apply(await res.json());
}

// POST with the CSRF token; a 401 (session expired) logs the page out and says so.
export async function apiPost(path, body, contentType) {
  const headers = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (auth.csrf) headers['X-CSRF-Token'] = auth.csrf;
  const res = await fetch(path, { method: 'POST', headers, body });
  if (res.status === 401 && auth.authenticated) {
    const msg = await errorMessage(res);
    await refreshSession();
    showMessage(msg);
    throw new Error(msg);
  }
  return res;
}

export async function errorMessage(res) {
  try {
    const body = await res.clone().json();
    if (body && body.error) return body.error.message;
  } catch { /* not JSON */ }
  return `请求失败 (HTTP ${res.status})`;
}

function showMessage(text) {
  const el = document.getElementById('login-message');
  if (el) {
    el.textContent = text || '';
    el.hidden = !text;
    el.title = '点击关闭';
    el.onclick = () => { el.hidden = true; };
  }
}

function render() {
  const box = document.getElementById('account');
  if (!box) return;
  if (auth.authenticated) {
    box.innerHTML = `<span class="who" data-testid="who">${escapeHtml(auth.username)}（${escapeHtml(auth.roleZh)}）</span>
      <button type="button" id="logout-button">退出登录</button><p id="login-message" class="login-message" hidden></p>`;
    box.querySelector('#logout-button').addEventListener('click', logout);
  } else {
    box.innerHTML = `<button type="button" id="login-open">登录</button>
      <form id="login-form" class="login-form" hidden>
        <label>用户名 <input name="username" autocomplete="username" required /></label>
        <label>密码 <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit">登录</button>
        <p id="login-error" class="login-error" hidden></p>
      </form><p id="login-message" class="login-message" hidden></p>`;
    const form = box.querySelector('#login-form');
    box.querySelector('#login-open').addEventListener('click', () => { form.hidden = !form.hidden; if (!form.hidden) form.username.focus(); });
    form.addEventListener('submit', (e) => { e.preventDefault(); login(form); });
  }
  showMessage(auth.message);
}

async function login(form) {
  const err = form.querySelector('#login-error');
  err.hidden = true;
  try {
    if (!auth.csrf) await refreshSession();
    const res = await apiPost('/api/login', JSON.stringify({ username: form.username.value, password: form.password.value }), 'application/json');
    if (!res.ok) throw new Error(await errorMessage(res));
    apply(await res.json());
  } catch (e) {
    err.textContent = e.message;
    err.hidden = false;
  }
}

async function logout() {
  try {
    await apiPost('/api/logout', '', 'application/json');
  } finally {
    await refreshSession();
  }
}

export function setupLogin() {
  refreshSession().catch(() => render());
}
