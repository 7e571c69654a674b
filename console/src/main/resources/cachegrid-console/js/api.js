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

// Access control: when the server answers 401, the console asks for a bearer token once (one dialog however many
// calls were refused), keeps it in sessionStorage only (gone when the tab closes; never localStorage or a cookie),
// sends it with every call and repeats the refused call. A wrong token is forgotten and asked for again; after
// "Cancel" the console stops asking until the page is reloaded.
const TOKEN_KEY = 'cachegrid.token';
let tokenPrompt = null;
let declined = false;

export function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function forgetToken() {
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* storage disabled */ }
}

function askForToken(detail) {
  if (declined) return Promise.resolve(null);
  tokenPrompt ??= showTokenDialog(detail).then((token) => {
    tokenPrompt = null;
    if (token) {
      try { sessionStorage.setItem(TOKEN_KEY, token); } catch { /* storage disabled: kept for this call only */ }
      // after the calls waiting for it have been sent again (role.js asks what the new token may do)
      setTimeout(() => window.dispatchEvent(new Event('cg:token')), 0);
    } else {
      declined = true;
    }
    return token;
  });
  return tokenPrompt;
}

function showTokenDialog(detail) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.id = 'token-dialog';
    dialog.innerHTML = '<form method="dialog"><h2>Access token</h2><p class="token-detail"></p>'
      + '<label>Bearer token <input id="token-input" type="password" autocomplete="off" required></label>'
      + '<div class="actions"><button value="cancel" formnovalidate>Cancel</button>'
      + '<button value="ok" id="token-ok">Sign in</button></div></form>';
    dialog.querySelector('.token-detail').textContent = detail
      + ' The token is kept in this tab only (sessionStorage).';
    dialog.addEventListener('close', () => {
      const token = dialog.returnValue === 'ok' ? dialog.querySelector('input').value.trim() : '';
      dialog.remove();
      resolve(token || null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export async function request(method, path, options = {}) {
  try {
    return await send(method, path, options);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    const refused = e.sentToken && storedToken() === e.sentToken;
    if (refused) forgetToken(); // a wrong or revoked token
    // another call may have got a new token while this one was under way: use it without asking again
    const token = storedToken() && storedToken() !== e.sentToken ? storedToken()
      : await askForToken(refused ? 'The token was refused.' : 'This CacheGrid node needs a token.');
    if (!token) throw e;
    return send(method, path, options);
  }
}

async function send(method, path, { query, body, timeoutMs = TIMEOUT_MS, accept = [] } = {}) {
  const url = new URL(API_BASE + path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res;
  const headers = body === undefined ? { Accept: 'application/json' }
    : { Accept: 'application/json', 'Content-Type': 'application/json' };
  const token = storedToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  try {
    res = await fetch(url, {
      method,
      signal: ctl.signal,
      cache: 'no-store',
      headers,
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
    const error = new ApiError(res.status, msg, data);
    error.sentToken = token;
    throw error;
  }
  return { status: res.status, data };
}

const enc = encodeURIComponent;
const json = async (p) => (await p).data;

export const api = {
  info: () => json(request('GET', '/')),
  stats: () => json(request('GET', '/stats')),
  role: () => json(request('GET', '/auth/role')),
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
  cluster: () => json(request('GET', '/cluster')),
  clusterNodes: () => json(request('GET', '/cluster/nodes')),
};
