// Load test panel: start a run (POST /test/load) on a scratch engine (default) or the live one, follow it
// (GET /test/load/{id}) until it is done, show its result and which engine it measured, and list the latest runs
// (GET /test/load). The list is polled, so runs started elsewhere (the API, another browser) show up by themselves:
// every RUNS_POLL_RUNNING_MS while a run is going, every RUNS_POLL_IDLE_MS otherwise, never overlapping itself and
// paused while the tab is hidden.

import { api } from './api.js';
import { $, el, setText, toast } from './dom.js';
import * as fmt from './format.js';
import { allows, gate, roleName } from './role.js';

const FOLLOW_MS = 400;
const FOLLOW_MAX_POLLS = 4500; // ≈ 30 minutes: a run that never ends must not keep the page polling forever
const RUNS_SHOWN = 8;
const RUNS_POLL_RUNNING_MS = 1000;
const RUNS_POLL_IDLE_MS = 4000;

export class LoadTest {
  constructor(root) {
    this.root = root;
    this.following = null;
    this.anyRunning = false;
    this.pollTimer = null;
    $('#lt-form', root).addEventListener('submit', (e) => { e.preventDefault(); this.start(); });
    window.addEventListener('cg:reconnected', () => this.pollRuns());
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.pollRuns(); });
    window.addEventListener('cg:role', () => { this.applyRole(); this.pollRuns(); });
  }

  /** Load tests (POST and GET /test/load*) need the admin role: say so instead of offering a button that fails. */
  applyRole() {
    this.setBusy(this.busy ?? false);
    const note = $('#lt-role-note', this.root);
    note.hidden = allows('admin');
    setText(note, note.hidden ? '' : `Load tests need the admin role; this token has ${roleName()}.`);
  }

  init() { this.pollRuns(); }

  /** Refreshes the runs table, then schedules the next refresh (sooner while a run is going). */
  async pollRuns() {
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (document.hidden) return; // visibilitychange starts it again
    if (this.polling) { this.pollAgain = true; return; } // the refresh under way may predate what changed
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        await this.refreshRuns();
      } while (this.pollAgain);
    } finally {
      this.polling = false;
    }
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => this.pollRuns(), this.anyRunning ? RUNS_POLL_RUNNING_MS : RUNS_POLL_IDLE_MS);
  }

  async start() {
    const type = $('#lt-type', this.root).value;
    const target = $('#lt-target', this.root).value;
    const input = $('#lt-count', this.root);
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      input.setCustomValidity('Enter a whole number from 1 to 100,000');
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    this.setBusy(true);
    try {
      const run = await api.startLoad(n, type, target);
      this.show(run);
      this.pollRuns();
      await this.follow(run.id);
    } catch (e) {
      this.showError(e.message);
    } finally {
      this.setBusy(false);
      this.pollRuns();
    }
  }

  async follow(id) {
    this.following = id;
    for (let i = 0; i < FOLLOW_MAX_POLLS && this.following === id; i++) {
      await sleep(FOLLOW_MS);
      let run;
      try {
        run = await api.loadRun(id);
      } catch (e) {
        if (e.unreachable) continue; // the banner says so; keep following once the server is back
        throw e;
      }
      this.show(run);
      if (run.status !== 'running') {
        if (run.status === 'completed') toast(`Load test finished: ${fmt.rate(run.ops_per_second)} ops/s`);
        else toast(`Load test ${run.status}`, 'error');
        return;
      }
    }
  }

  setBusy(busy) {
    this.busy = busy;
    gate($('#lt-start', this.root), 'admin', 'Starting a load test', busy);
    $('#lt-start', this.root).textContent = busy ? 'Running…' : 'Start load test';
  }

  /** Fills the current-run block from a run document. */
  show(run) {
    const box = $('#lt-current', this.root);
    box.hidden = false;
    box.dataset.status = run.status;
    setText('#lt-status', run.status);
    $('#lt-status', this.root).dataset.status = run.status;
    const target = $('#lt-target-shown', this.root);
    setText(target, targetLabel(run.target));
    target.dataset.target = run.target ?? '';
    setText('#lt-engine', engineText(run));
    setText('#lt-what', `${fmt.int(run.num_operations)} × ${run.operation_type}  ·  run ${run.id}`);
    const done = run.completed_operations ?? (run.status === 'completed' ? run.num_operations : 0);
    const share = run.num_operations > 0 ? Math.min(1, done / run.num_operations) : 0;
    $('#lt-progress-bar', this.root).style.width = (share * 100).toFixed(1) + '%';
    setText('#lt-progress-text', `${fmt.int(done)} / ${fmt.int(run.num_operations)} operations`);
    const finished = run.status === 'completed';
    setText('#lt-ops', finished ? fmt.rate(run.ops_per_second) : '—');
    setText('#lt-p50', finished ? fmt.ms(run.latency_ms?.p50) : '—');
    setText('#lt-p95', finished ? fmt.ms(run.latency_ms?.p95) : '—');
    setText('#lt-p99', finished ? fmt.ms(run.latency_ms?.p99) : '—');
    setText('#lt-duration', run.duration_seconds != null ? fmt.dec2(run.duration_seconds) + ' s' : '—');
    setText('#lt-error', run.error ?? '');
  }

  showError(message) {
    const box = $('#lt-current', this.root);
    box.hidden = false;
    setText('#lt-status', 'not started');
    $('#lt-status', this.root).dataset.status = 'failed';
    setText('#lt-target-shown', '');
    setText('#lt-engine', '');
    setText('#lt-error', message);
  }

  async refreshRuns() {
    const body = $('#lt-runs tbody', this.root);
    let runs;
    if (!allows('admin')) { // GET /test/load would be refused: no polling into 403s
      this.anyRunning = false;
      this.shownRuns = null;
      body.replaceChildren(emptyRow(`Listing load tests needs the admin role; this token has ${roleName()}.`));
      return;
    }
    try {
      runs = (await api.loadRuns())?.runs ?? [];
    } catch (e) {
      if (!body.children.length) {
        this.shownRuns = null;
        body.replaceChildren(emptyRow(`Could not load the runs: ${e.message}`));
      }
      return;
    }
    this.anyRunning = runs.some((r) => r.status === 'running');
    const shown = JSON.stringify(runs.slice(0, RUNS_SHOWN));
    if (shown === this.shownRuns && body.children.length) return; // unchanged: keep the rows (and their tooltips)
    this.shownRuns = shown;
    if (!runs.length) {
      body.replaceChildren(emptyRow('No load test has run on this node yet.'));
      return;
    }
    body.replaceChildren(...runs.slice(0, RUNS_SHOWN).map((r) => el('tr',
      { dataset: { id: r.id, status: r.status, target: r.target ?? '' } },
      el('td', {}, fmt.clock(r.started_at)),
      el('td', {}, `${fmt.int(r.num_operations)} ${r.operation_type}`),
      el('td', {}, el('span.badge.target', { dataset: { target: r.target ?? '' }, title: engineText(r) },
        r.target ?? '—')),
      el('td', {}, el('span.badge', { dataset: { status: r.status } }, r.status)),
      el('td.num', {}, r.status === 'completed' ? fmt.rate(r.ops_per_second) : '—'),
      el('td.num', {}, fmt.ms(r.latency_ms?.p50)),
      el('td.num', {}, fmt.ms(r.latency_ms?.p95)),
      el('td.num', {}, fmt.ms(r.latency_ms?.p99)),
    )));
  }
}

const emptyRow = (text) => el('tr.empty', {}, el('td', { colspan: 8 }, text));

/** The badge next to the status: which engine the run measured. */
function targetLabel(target) {
  if (target === 'scratch') return 'scratch engine';
  if (target === 'live') return 'live engine';
  return target ?? '';
}

/** One line on the measured engine, e.g. "Scratch engine (lru, 10,000 items, 512 MB, 16 segments): …". */
function engineText(run) {
  const e = run.engine;
  const shape = e ? ` (${e.eviction_policy}, ${fmt.int(e.max_size)} items, ${fmt.int(e.max_memory_mb)} MB, `
    + `${fmt.int(e.segments)} segments)` : '';
  if (run.target === 'scratch') return `Scratch engine${shape}: user data and statistics untouched`;
  if (run.target === 'live') return `Live engine${shape}: its keys may evict user entries; counted in the statistics`;
  return '';
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
