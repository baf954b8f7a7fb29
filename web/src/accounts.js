// 账户管理 (#/accounts, admin): the accounts of this plan database with their roles; add one, change a role,
// reset a password, disable or enable, delete. Every change goes through /api/users with the session's CSRF
// token; the server ends the changed account's sessions.
import { getJson, escapeHtml } from './api.js';
import { auth, apiPost, errorMessage } from './login.js';

const ROLES = [['reviewer', '审查员'], ['planner', '规划员'], ['admin', '管理员']];

export async function showAccounts() {
  const root = document.getElementById('accounts');
  if (auth.role !== 'admin') {
    root.innerHTML = '<h2>账户管理</h2><p class="nodata-banner">此页面供管理员使用：请先登录管理员账户。</p>';
    return;
  }
  root.innerHTML = `<h2>账户管理</h2>
    <form id="account-add" class="intake-form">
      <label>用户名 <input name="username" required maxlength="64" /></label>
      <label>角色 <select name="role">${ROLES.map(([v, zh]) => `<option value="${v}">${zh}</option>`).join('')}</select></label>
      <label>初始密码 <input name="password" type="password" minlength="8" required autocomplete="new-password" /></label>
      <button type="submit">添加账户</button>
    </form>
    <p id="account-message" class="intake-ok" hidden></p>
    <table class="indicator-table" id="account-table"><thead><tr><th>用户名</th><th>角色</th><th>状态</th><th>创建时间（UTC）</th><th>操作</th></tr></thead>
      <tbody></tbody></table>`;
  root.querySelector('#account-add').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    if (await act('/api/users', { username: f.username.value, role: f.role.value, password: f.password.value })) f.reset();
  });
  await load();
}

async function load() {
  const { users } = await getJson('/api/users');
  const tbody = document.querySelector('#account-table tbody');
  tbody.innerHTML = users.map((u) => `<tr data-user="${escapeHtml(u.username)}">
    <td>${escapeHtml(u.username)}${u.username === auth.username ? '（本人）' : ''}</td>
    <td><select class="role">${ROLES.map(([v, zh]) => `<option value="${v}" ${v === u.role ? 'selected' : ''}>${zh}</option>`).join('')}</select></td>
    <td class="state">${u.disabled ? '<span class="error">已停用</span>' : '正常'}</td>
    <td>${escapeHtml(u.created_at)}</td>
    <td class="actions"><button type="button" class="reset">重置密码</button>
      <button type="button" class="toggle">${u.disabled ? '启用' : '停用'}</button>
      <button type="button" class="delete">删除</button></td></tr>`).join('');
  tbody.querySelectorAll('tr').forEach((tr) => {
    const name = tr.dataset.user;
    const path = `/api/users/${encodeURIComponent(name)}`;
    const user = users.find((u) => u.username === name);
    tr.querySelector('.role').addEventListener('change', (e) => act(`${path}/role`, { role: e.target.value }));
    tr.querySelector('.toggle').addEventListener('click', () => act(`${path}/disabled`, { disabled: !user.disabled }));
    tr.querySelector('.reset').addEventListener('click', () => {
      const password = window.prompt(`为 ${name} 设置新密码（至少8个字符）：`);
      if (password) act(`${path}/password`, { password });
    });
    tr.querySelector('.delete').addEventListener('click', () => {
      if (window.confirm(`确定删除账户 ${name}？此操作不可撤销。`)) act(path, null, 'DELETE');
    });
  });
}

// One change; the message line says what happened or why not, and the table is read again.
async function act(path, body, method = 'POST') {
  const msg = document.getElementById('account-message');
  let res;
  if (method === 'POST') {
    res = await apiPost(path, JSON.stringify(body), 'application/json').catch((e) => ({ ok: false, error: e }));
  } else {
    res = await fetch(path, { method, headers: { Accept: 'application/json', 'X-CSRF-Token': auth.csrf ?? '' } });
  }
  let text;
  if (res.ok) {
    const answer = await res.json();
    text = answer.message ?? (answer.deleted ? `已删除账户 ${answer.deleted}` : `已添加账户 ${answer.username}（${answer.role_zh}）`);
  } else {
    text = res.error ? res.error.message : await errorMessage(res);
  }
  msg.textContent = text;
  msg.className = res.ok ? 'intake-ok' : 'error';
  msg.hidden = false;
  await load();
  return res.ok;
}
