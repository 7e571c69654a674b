// What the signed-in token may do (GET /auth/role): shown as a badge in the header ("role: write", with a tooltip
// saying what it allows), and used to disable, with a title saying why, the controls the role cannot use. The
// server decides either way (a refused call is 403); this only saves the user from finding out by trying.
//
// Until the answer arrives nothing is disabled. The role is asked for at start (the first 401 brings the token
// dialog, shared with the other calls), again after a token is entered (cg:token) and after the server comes back
// (cg:reconnected); each answer is announced as a cg:role event for the panels.

import { api } from './api.js';
import { $, setText } from './dom.js';

const LEVELS = ['read', 'write', 'admin'];

const WHAT = {
  read: 'read keys, tags, statistics and metrics',
  write: 'also write, delete and count keys',
  admin: 'also clear the cache, browse keys, run load tests and invalidate tags',
};

let current = null; // the last answer of /auth/role, or null while unknown
let seq = 0;

/** True when the current role allows `level` ('read' | 'write' | 'admin'), or while the role is not known yet. */
export function allows(level) {
  return current === null || current.allows?.[level] === true;
}

/** The current role's name, or null while unknown. */
export function roleName() {
  return current?.role ?? null;
}

/**
 * Enables `control` when the role allows `level`; otherwise disables it and says why in its title. `busy` keeps a
 * control disabled for reasons of its own (a run under way). The original title comes back once it is allowed.
 */
export function gate(control, level, action, busy = false) {
  if (!control) return;
  if (!('baseTitle' in control.dataset)) control.dataset.baseTitle = control.getAttribute('title') ?? '';
  const ok = allows(level);
  control.disabled = busy || !ok;
  if (ok) {
    if (control.dataset.baseTitle) control.title = control.dataset.baseTitle;
    else control.removeAttribute('title');
    delete control.dataset.needsRole;
  } else {
    control.title = `${action} needs the ${level} role; this token has ${roleName()}`;
    control.dataset.needsRole = level;
  }
}

/** Asks the server for the role and shows it; keeps the last known role when the server cannot be asked. */
export async function refreshRole() {
  const mine = ++seq;
  let answer;
  try {
    answer = await api.role();
  } catch {
    return; // unreachable (the banner says so) or the token dialog was cancelled: nothing new to show
  }
  if (mine !== seq || !answer || !LEVELS.includes(answer.role)) return;
  current = answer;
  show();
  window.dispatchEvent(new CustomEvent('cg:role', { detail: answer }));
}

function show() {
  const badge = $('#role');
  if (!badge) return;
  const { role, auth } = current;
  setText(badge, `role: ${role}`);
  badge.dataset.role = role;
  badge.dataset.auth = String(auth);
  const can = LEVELS.slice(0, LEVELS.indexOf(role) + 1).map((l) => WHAT[l]).join('; ');
  const cannot = LEVELS.slice(LEVELS.indexOf(role) + 1);
  badge.title = (auth ? `This token may ${can}.` : `Access control is off on this node: everyone may ${can}.`)
    + (cannot.length ? ` Needs ${cannot.join(' or ')}: ${cannot.map((l) => WHAT[l].replace(/^also /, '')).join('; ')}.`
      : '');
  badge.hidden = false;
}

export function startRole() {
  window.addEventListener('cg:token', () => refreshRole());
  window.addEventListener('cg:reconnected', () => refreshRole());
  refreshRole();
}
