// Key browser: search keys by substring (GET /admin/keys), page through them, open one (GET /admin/entry/{key},
// which does not touch the hit/miss counters), delete it after a confirm step, clear the cache after a typed
// confirmation.
//
// /admin/keys has no offset, so the browser asks for up to FETCH_LIMIT matching keys at once and pages through
// them here; when more match, the summary says so and suggests narrowing the pattern.
//
// The list refreshes itself every REFRESH_MS (while the tab is visible) with the last searched pattern, so keys
// written or removed elsewhere show up without a reload; the page, the open key and the search box stay as they are,
// and the list is only redrawn when it changed. Each refresh is one /admin/keys scan (it counts no hits or misses).

import { api } from './api.js';
import { $, el, setText, toast } from './dom.js';
import { renderJson } from './json-view.js';
import * as fmt from './format.js';
import { allows, gate, roleName } from './role.js';

const FETCH_LIMIT = 1000; // the server's maximum for limit
const PAGE_SIZE = 15;
const CONFIRM_WINDOW_MS = 6000; // an armed Delete falls back to its safe state after this long
const REFRESH_MS = 3000;
export const CLEAR_WORD = 'clear';

export class KeyBrowser {
  constructor(root) {
    this.root = root;
    this.keys = [];
    this.totalFound = 0;
    this.page = 0;
    this.openKey = null;
    this.ttlTimer = null;
    this.pattern = '';
    this.searchSeq = 0; // the latest search or refresh wins; an older answer arriving late is dropped
    this.refreshTimer = null;

    $('#kb-form', root).addEventListener('submit', (e) => { e.preventDefault(); this.search(); });
    $('#kb-prev', root).addEventListener('click', () => this.goto(this.page - 1));
    $('#kb-next', root).addEventListener('click', () => this.goto(this.page + 1));
    $('#kb-delete', root).addEventListener('click', () => this.armDelete());
    $('#kb-delete-confirm', root).addEventListener('click', () => this.deleteOpen());
    $('#kb-delete-cancel', root).addEventListener('click', () => this.disarmDelete());
    $('#kb-close', root).addEventListener('click', () => this.closeDetail());
    this.setupClear();
    window.addEventListener('cg:reconnected', () => { if (!this.keys.length) this.search(); });
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.scheduleRefresh(0); });
    window.addEventListener('cg:role', () => this.applyRole());
  }

  /**
   * Clearing the cache needs admin, deleting a key write, and the browser itself (GET /admin/keys, /admin/entry)
   * admin: controls the role cannot use are disabled with a title saying why.
   */
  applyRole() {
    gate($('#kb-clear', this.root), 'admin', 'Clearing the cache');
    gate($('#kb-delete', this.root), 'write', 'Deleting a key', this.openGone === true);
    gate($('#kb-search', this.root), 'admin', 'Browsing keys');
    if (!allows('admin')) {
      this.searchSeq++; // drop an answer under way
      clearTimeout(this.refreshTimer);
      this.keys = [];
      $('#kb-list', this.root).replaceChildren();
      $('#kb-pager', this.root).hidden = true;
      setText('#kb-summary', `Browsing keys needs the admin role; this token has ${roleName()}.`);
      this.failed = true;
    } else if (this.failed) {
      this.search();
    }
  }

  init() { this.search(); }

  async search() {
    if (!allows('admin')) return; // applyRole says why
    const pattern = $('#kb-pattern', this.root).value.trim();
    const seq = ++this.searchSeq;
    setText('#kb-summary', 'Searching…');
    try {
      const res = await api.keys(pattern, FETCH_LIMIT);
      if (seq !== this.searchSeq) return;
      this.keys = [...(res.keys ?? [])].sort((a, b) => a.localeCompare(b));
      this.totalFound = res.total_found ?? this.keys.length;
      this.pattern = pattern;
      this.failed = false;
      this.goto(0);
    } catch (e) {
      if (seq !== this.searchSeq) return;
      this.failed = true;
      this.keys = [];
      $('#kb-list', this.root).replaceChildren();
      $('#kb-pager', this.root).hidden = true;
      setText('#kb-summary', `Could not list keys: ${e.message}`);
    } finally {
      if (seq === this.searchSeq) this.scheduleRefresh(REFRESH_MS);
    }
  }

  scheduleRefresh(ms) {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), ms);
  }

  /** Re-reads the last searched pattern in the background; keeps the page and redraws only on a change. */
  async refresh() {
    if (document.hidden || !allows('admin')) return; // visibilitychange or cg:role start it again
    const seq = ++this.searchSeq;
    try {
      const res = await api.keys(this.pattern, FETCH_LIMIT);
      if (seq !== this.searchSeq) return; // a search started meanwhile: its answer counts
      const keys = [...(res.keys ?? [])].sort((a, b) => a.localeCompare(b));
      const total = res.total_found ?? keys.length;
      if (this.failed || total !== this.totalFound || keys.length !== this.keys.length || keys.some((k, i) => k !== this.keys[i])) {
        this.keys = keys;
        this.totalFound = total;
        this.failed = false;
        this.goto(this.page);
      }
    } catch {
      // unreachable or refused: the banner (or the next search) says so; keep what is shown
    } finally {
      if (seq === this.searchSeq) this.scheduleRefresh(REFRESH_MS);
    }
  }

  goto(page) {
    const pages = Math.max(1, Math.ceil(this.keys.length / PAGE_SIZE));
    this.page = Math.min(Math.max(0, page), pages - 1);
    this.renderList();
  }

  renderList() {
    const list = $('#kb-list', this.root);
    const from = this.page * PAGE_SIZE;
    const shown = this.keys.slice(from, from + PAGE_SIZE);
    const what = this.pattern ? `matching “${this.pattern}”` : 'in the cache';
    if (!shown.length) list.replaceChildren(el('li.empty', {}, `No keys ${what}.`));
    else list.replaceChildren(...shown.map((k) => el('li', {},
      el('button.key', { type: 'button', dataset: { key: k }, 'aria-current': k === this.openKey ? 'true' : null,
        onclick: () => this.open(k) }, k))));
    const pages = Math.max(1, Math.ceil(this.keys.length / PAGE_SIZE));
    setText('#kb-page', `Page ${this.page + 1} of ${pages}`);
    $('#kb-prev', this.root).disabled = this.page === 0;
    $('#kb-next', this.root).disabled = this.page >= pages - 1;
    $('#kb-pager', this.root).hidden = this.keys.length <= PAGE_SIZE;

    let summary;
    if (!this.keys.length) summary = ''; // the list itself says there are none
    else summary = `${fmt.int(from + 1)}–${fmt.int(from + shown.length)} of ${fmt.int(this.totalFound)} keys ${what}`;
    if (this.totalFound > this.keys.length) {
      summary += ` (first ${fmt.int(this.keys.length)} loaded: narrow the pattern to see the rest)`;
    }
    setText('#kb-summary', summary);
  }

  async open(key) {
    this.openKey = key;
    this.disarmDelete();
    this.renderList();
    const box = $('#kb-detail', this.root);
    box.hidden = false;
    $('#kb-empty', this.root).hidden = true;
    setText('#kb-key', key);
    setText('#kb-ttl', '…');
    setText('#kb-size', '');
    $('#kb-value', this.root).replaceChildren('Loading…');
    this.openGone = false;
    gate($('#kb-delete', this.root), 'write', 'Deleting a key');
    let entry;
    try {
      entry = await api.entry(key);
    } catch (e) {
      if (this.openKey !== key) return;
      $('#kb-value', this.root).replaceChildren(`Could not read the key: ${e.message}`);
      setText('#kb-ttl', '—');
      return;
    }
    if (this.openKey !== key) return; // another key was opened meanwhile
    if (!entry.exists) {
      $('#kb-value', this.root).replaceChildren('This key no longer exists (expired or deleted).');
      setText('#kb-ttl', '—');
      this.openGone = true;
      $('#kb-delete', this.root).disabled = true;
      return;
    }
    const shownSize = renderJson($('#kb-value', this.root), entry.value);
    setText('#kb-size', fmt.bytes(entry.size_bytes ?? shownSize));
    this.countDown(entry.ttl_remaining_seconds);
  }

  /** Shows the TTL left and counts it down locally, once a second, while the key is open. */
  countDown(ttl) {
    clearInterval(this.ttlTimer);
    setText('#kb-ttl', fmt.ttl(ttl));
    if (ttl === null || ttl === undefined) return;
    const ends = Date.now() + ttl * 1000;
    const key = this.openKey;
    this.ttlTimer = setInterval(() => {
      const left = (ends - Date.now()) / 1000;
      if (this.openKey !== key) return clearInterval(this.ttlTimer);
      setText('#kb-ttl', left > 0 ? fmt.ttl(left) : 'expired');
      if (left <= 0) clearInterval(this.ttlTimer);
    }, 1000);
  }

  closeDetail() {
    clearInterval(this.ttlTimer);
    this.openKey = null;
    this.disarmDelete();
    $('#kb-detail', this.root).hidden = true;
    $('#kb-empty', this.root).hidden = false;
    this.renderList();
  }

  armDelete() {
    $('#kb-delete', this.root).hidden = true;
    $('#kb-confirm', this.root).hidden = false;
    $('#kb-delete-confirm', this.root).focus();
    clearTimeout(this.armTimer);
    this.armTimer = setTimeout(() => this.disarmDelete(), CONFIRM_WINDOW_MS);
  }

  disarmDelete() {
    clearTimeout(this.armTimer);
    $('#kb-delete', this.root).hidden = false;
    $('#kb-confirm', this.root).hidden = true;
  }

  async deleteOpen() {
    const key = this.openKey;
    if (key === null) return;
    clearTimeout(this.armTimer);
    try {
      const res = await api.deleteKey(key);
      toast(res?.deleted === false ? `Key “${key}” was already gone` : `Deleted “${key}”`);
    } catch (e) {
      toast(`Could not delete “${key}”: ${e.message}`, 'error');
      this.disarmDelete();
      return;
    }
    this.searchSeq++; // drop a refresh that may have read the list before the delete
    this.scheduleRefresh(REFRESH_MS);
    const i = this.keys.indexOf(key);
    if (i >= 0) { this.keys.splice(i, 1); this.totalFound = Math.max(0, this.totalFound - 1); }
    this.closeDetail();
    this.goto(this.page);
  }

  setupClear() {
    const dialog = $('#clear-dialog');
    const input = $('#clear-word', dialog);
    const confirm = $('#clear-confirm', dialog);
    $('#kb-clear', this.root).addEventListener('click', () => {
      input.value = '';
      confirm.disabled = true;
      setText('#clear-error', '');
      dialog.showModal();
      input.focus();
    });
    input.addEventListener('input', () => { confirm.disabled = input.value.trim() !== CLEAR_WORD; });
    $('#clear-cancel', dialog).addEventListener('click', () => dialog.close());
    $('#clear-form', dialog).addEventListener('submit', async (e) => {
      e.preventDefault();
      if (input.value.trim() !== CLEAR_WORD) return;
      confirm.disabled = true;
      try {
        const res = await api.clear();
        dialog.close();
        toast(`Cache cleared: ${fmt.int(res?.items_removed)} entries removed`);
        this.closeDetail();
        this.search();
      } catch (err) {
        setText('#clear-error', `Could not clear the cache: ${err.message}`);
        confirm.disabled = false;
      }
    });
  }
}
