// Header, connection banner and the key figures, fed by one poll of /stats and /health every second.
// The poll never overlaps itself: the next one is scheduled when the current one has finished.

import { api } from './api.js';
import { $, setText, toast } from './dom.js';
import * as fmt from './format.js';

const POLL_MS = 1000;
const MEMORY_WARN = 0.9; // amber when memory use reaches this share of max_memory_mb

export class Overview {
  constructor(charts) {
    this.charts = charts;
    this.lastContact = null; // epoch ms of the last good /stats
    this.down = false;
    this.info = null;
  }

  start() {
    this.loadInfo();
    this.poll();
  }

  async loadInfo() {
    try {
      this.info = await api.info();
      setText('#version', this.info?.version ? 'v' + this.info.version : '—');
    } catch { /* the poll reports reachability */ }
  }

  async poll() {
    const began = performance.now();
    const t = Date.now() / 1000;
    const [stats, health] = await Promise.allSettled([api.stats(), api.health()]);
    if (stats.status === 'fulfilled') this.onStats(t, stats.value);
    else this.onFailure(t, stats.reason);
    this.showHealth(health, stats.status === 'fulfilled' ? stats.value : null);
    setTimeout(() => this.poll(), Math.max(0, POLL_MS - (performance.now() - began)));
  }

  onStats(t, s) {
    this.lastContact = Date.now();
    if (this.down) {
      this.down = false;
      $('#conn-banner').hidden = true;
      document.body.classList.remove('is-offline');
      toast('Connection to the server restored');
      this.loadInfo();
      window.dispatchEvent(new Event('cg:reconnected'));
    }
    const row = this.charts.sample(t, s);
    this.showFigures(s, row);
  }

  onFailure(t, err) {
    this.charts.gap(t);
    const banner = $('#conn-banner');
    const ago = this.lastContact ? ` Last contact ${fmt.duration((Date.now() - this.lastContact) / 1000)} ago.` : '';
    const what = err?.unreachable
      ? `Cannot reach the CacheGrid server at ${location.host} (${err.message}).`
      : `The server answered /stats with an error: ${err?.message ?? err}.`;
    setText('#conn-banner-text', `${what} Retrying every second…${ago}`);
    banner.hidden = false;
    document.body.classList.add('is-offline');
    this.down = true;
  }

  showFigures(s, row) {
    setText('#node-id', s.node_id ?? '—');
    setText('#policy', s.eviction_policy ?? '—');
    setText('#uptime', fmt.duration(s.uptime_seconds));
    showPersistence(s.persistence);

    const hr = $('#kpi-hit-ratio');
    setText(hr, fmt.percent(s.hit_ratio));
    hr.dataset.raw = String(s.hit_ratio);
    setText('#kpi-hits', `${fmt.int(s.hits)} hits · ${fmt.int(s.misses)} misses`);

    const ops = row.gets === null ? null : row.gets + row.sets + row.deletes;
    setText('#kpi-ops', fmt.rate(ops));
    setText('#kpi-ops-detail', row.gets === null ? 'measuring…'
      : `${fmt.rate(row.gets)} get · ${fmt.rate(row.sets)} set · ${fmt.rate(row.deletes)} del`);

    setText('#kpi-entries', fmt.int(s.current_size));
    setText('#kpi-entries-detail', `of ${fmt.int(s.max_size)} max`);
    meter('#kpi-entries-bar', s.current_size, s.max_size);

    setText('#kpi-memory', fmt.mb(s.memory_usage_mb));
    setText('#kpi-memory-detail', `of ${fmt.mb(s.max_memory_mb)} limit`);
    meter('#kpi-memory-bar', s.memory_usage_mb, s.max_memory_mb);

    setText('#kpi-evictions', fmt.int(s.evictions));
    setText('#kpi-expired', `${fmt.int(s.expired_items)} expired · ${fmt.int(s.sets)} sets · ${fmt.int(s.deletes)} deletes`);
  }

  /** Health pill: green healthy, amber when healthy but under pressure or saying something else, red otherwise. */
  showHealth(result, stats) {
    let level, text, title;
    if (result.status === 'rejected') {
      level = 'red';
      text = result.reason?.unreachable ? 'unreachable' : 'error';
      title = String(result.reason?.message ?? result.reason);
    } else {
      const { status, data } = result.value;
      const said = data?.status ?? 'unknown';
      const memShare = stats && stats.max_memory_mb > 0 ? stats.memory_usage_mb / stats.max_memory_mb : 0;
      if (status === 503) {
        level = 'red'; text = said === 'healthy' ? 'unhealthy' : said; title = 'GET /health answered 503';
      } else if (said !== 'healthy') {
        level = 'amber'; text = said; title = 'GET /health answered status "' + said + '"';
      } else if (memShare >= MEMORY_WARN) {
        level = 'amber'; text = 'memory high'; title = `healthy, but memory is at ${(memShare * 100).toFixed(0)} % of the limit`;
      } else {
        level = 'green'; text = 'healthy'; title = 'GET /health: healthy';
      }
    }
    const pill = $('#health');
    pill.dataset.level = level;
    pill.title = title;
    setText('#health-text', text);
  }
}

/**
 * Persistence in the header: the mode and fsync policy ("off" when none), and on hover the log size, the last
 * snapshot (when, how long), the last fsync's latency and the start's replay time, from /stats "persistence".
 */
function showPersistence(p) {
  const dd = $('#persistence');
  if (!p || p.mode === 'off') {
    setText(dd, 'off');
    dd.title = 'Persistence off: a restart starts empty (CACHEGRID_PERSISTENCE)';
    dd.dataset.level = 'ok';
    return;
  }
  const logs = p.mode === 'log' || p.mode === 'both';
  setText(dd, logs ? `${p.mode} · fsync ${p.fsync}` : p.mode);
  const snapshot = p.last_snapshot_time > 0
    ? `last snapshot ${fmt.clock(p.last_snapshot_time)} (${fmt.ms(p.last_snapshot_duration_ms)}, ${fmt.int(p.last_snapshot_entries)} entries, ${fmt.bytes(p.last_snapshot_bytes)})`
    : 'no snapshot since start';
  dd.title = [
    `log ${fmt.bytes(p.log_bytes)} on disk`,
    snapshot,
    logs ? `last fsync ${p.last_fsync_us >= 0 ? fmt.ms(p.last_fsync_us / 1000) : '—'} (${fmt.int(p.fsyncs)} since start)` : null,
    `start: ${fmt.int(p.loaded_snapshot_entries)} entries loaded, ${fmt.int(p.replayed_records)} log records replayed in ${fmt.ms(p.replay_ms)}`,
    p.healthy ? null : 'THE LOG CANNOT BE WRITTEN: writes are answered 503',
  ].filter(Boolean).join('\n');
  dd.dataset.level = p.healthy ? 'ok' : 'high';
}

function meter(sel, value, max) {
  const bar = $(sel);
  const share = max > 0 && Number.isFinite(value) ? Math.min(1, value / max) : 0;
  bar.style.width = (share * 100).toFixed(1) + '%';
  bar.dataset.level = share >= MEMORY_WARN ? 'high' : 'ok';
}
