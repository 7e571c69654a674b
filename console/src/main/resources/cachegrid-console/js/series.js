// The page's memory of the last few minutes of /stats samples, as column arrays ready for the charts.
//
// Rates are derived from counter deltas between two consecutive samples, divided by the time between them:
// gets/s = Δ(hits + misses), sets/s = Δsets, deletes/s = Δdeletes, evictions/s, expirations/s = Δexpired_items.
// A failed poll adds a gap (nulls), so a chart shows a break instead of a line drawn across the outage, and the
// next sample starts a new baseline. A counter that went down (server restarted) also starts a new baseline.
// No DOM here: this module is unit-tested under Node.

export const WINDOW_SECONDS = 300;
const MAX_POINTS = 2 * WINDOW_SECONDS; // hard bound even if samples come faster than once a second

export const COLUMNS = [
  't', 'hitRatio', 'intervalHitRatio', 'gets', 'sets', 'deletes',
  'size', 'maxSize', 'memoryMb', 'maxMemoryMb', 'evictions', 'expirations',
];

const COUNTERS = ['hits', 'misses', 'sets', 'deletes', 'evictions', 'expired_items'];

export class StatsHistory {
  constructor(windowSeconds = WINDOW_SECONDS) {
    this.windowSeconds = windowSeconds;
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, []]));
    this.inGap = false;
    this.prev = null; // { t, stats } of the last good sample, the baseline for rates
  }

  get length() { return this.cols.t.length; }

  /** Adds one /stats answer observed at epoch seconds t; returns the derived row. */
  add(t, s) {
    const prev = this.prev;
    const dt = prev ? t - prev.t : 0;
    const usable = prev && dt > 0 && !counterWentDown(prev.stats, s);
    const perSec = (field) => (usable ? (num(s[field]) - num(prev.stats[field])) / dt : null);
    const dHits = usable ? num(s.hits) - num(prev.stats.hits) : 0;
    const dReads = usable ? dHits + num(s.misses) - num(prev.stats.misses) : 0;
    const row = {
      t,
      hitRatio: finite(s.hit_ratio),
      intervalHitRatio: dReads > 0 ? dHits / dReads : null,
      gets: usable ? dReads / dt : null,
      sets: perSec('sets'),
      deletes: perSec('deletes'),
      size: finite(s.current_size),
      maxSize: finite(s.max_size),
      memoryMb: finite(s.memory_usage_mb),
      maxMemoryMb: finite(s.max_memory_mb),
      evictions: perSec('evictions'),
      expirations: perSec('expired_items'),
    };
    this.prev = { t, stats: s };
    this.inGap = false;
    this.push(row);
    return row;
  }

  /** Records that the poll at t got no answer: a break in every line, and a fresh baseline afterwards. */
  addGap(t) {
    this.prev = null;
    if (this.inGap && this.length) {
      this.cols.t[this.length - 1] = t; // already in a gap: move it along instead of piling up nulls
      this.trim(t);
    } else {
      this.push(Object.fromEntries(COLUMNS.map((c) => [c, c === 't' ? t : null])));
    }
    this.inGap = true;
  }

  push(row) {
    for (const c of COLUMNS) this.cols[c].push(row[c]);
    this.trim(row.t);
  }

  trim(now) {
    let drop = 0;
    const t = this.cols.t;
    while (drop < t.length && (t[drop] < now - this.windowSeconds || t.length - drop > MAX_POINTS)) drop++;
    if (drop) for (const c of COLUMNS) this.cols[c].splice(0, drop);
  }

  /** uPlot data: [x values, ...series], each a copy of the named columns. */
  data(names) {
    return [this.cols.t.slice(), ...names.map((n) => this.cols[n].slice())];
  }
}

function counterWentDown(a, b) {
  return COUNTERS.some((c) => num(b[c]) < num(a[c])) || num(b.uptime_seconds) < num(a.uptime_seconds);
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const finite = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
