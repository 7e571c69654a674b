// HTTP access to the CacheGrid REST API. Every call has a timeout and yields either parsed JSON or an ApiError,
// so callers can tell "server unreachable" (status 0) from "server said no" (4xx/5xx with its JSON error body).

const TIMEOUT_MS = 4000;

// The console lives at <base>/console/; the API is at <base>/. Keeps working behind a path-prefix proxy.
export const API_BASE = location.pathname.replace(/\/console(\/.*)?$/, '');

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status; // 0 = no answer (network error or timeout)
    this.body = body;
  }
  get unreachable() { return this.status === 0; }
}

export async function request(method, path, { query, body, timeoutMs = TIMEOUT_MS, accept = [] } = {}) {
  const url = new URL(API_BASE + path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(url, {
      method,
      signal: ctl.signal,
      cache: 'no-store',
      headers: body === undefined ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, ctl.signal.aborted ? 'no answer within ' + timeoutMs / 1000 + ' s' : 'server unreachable');
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok && !accept.includes(res.status)) {
    const msg = data?.detail || data?.error || `HTTP ${res.status}`;
    throw new ApiError(res.status, msg, data);
  }
  return { status: res.status, data };
}

const enc = encodeURIComponent;
const json = async (p) => (await p).data;

export const api = {
  info: () => json(request('GET', '/')),
  stats: () => json(request('GET', '/stats')),
  // 503 is an answer too: the body says why the node is unhealthy.
  health: () => request('GET', '/health', { accept: [503] }),
  keys: (pattern, limit) => json(request('GET', '/admin/keys', { query: { pattern, limit } })),
  entry: (key) => json(request('GET', '/admin/entry/' + enc(key))),
  deleteKey: (key) => json(request('DELETE', '/cache/' + enc(key))),
  clear: () => json(request('DELETE', '/cache', { query: { confirm: 'true' } })),
  startLoad: (n, type, target) => json(request('POST', '/test/load',
    { query: { num_operations: n, operation_type: type, target } })),
  loadRun: (id) => json(request('GET', '/test/load/' + enc(id))),
  loadRuns: () => json(request('GET', '/test/load')),
};
