// Thin fetch wrapper: every API error is JSON {error: {status, message}}; show the message as-is.
export async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : `请求失败 (HTTP ${res.status})`;
    throw new Error(msg);
  }
  return body;
}

export function escapeHtml(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
