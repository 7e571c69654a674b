// Number and time formatting shared by the panels. Pure functions.

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const ok = (v) => typeof v === 'number' && Number.isFinite(v);

export const int = (v) => (ok(v) ? nf0.format(v) : '—');
export const dec1 = (v) => (ok(v) ? nf1.format(v) : '—');
export const dec2 = (v) => (ok(v) ? nf2.format(v) : '—');

/** Server hit_ratio is 0..1; shown as a percentage with two decimals, e.g. 0.96 → "96.00 %". */
export const percent = (ratio) => (ok(ratio) ? (ratio * 100).toFixed(2) + ' %' : '—');

/** Operations per second: whole numbers once they are large, one decimal when small. */
export const rate = (v) => (!ok(v) ? '—' : v >= 100 ? nf0.format(v) : nf1.format(v));

export function mb(v) {
  if (!ok(v)) return '—';
  return v >= 100 ? nf0.format(v) + ' MB' : v >= 10 ? nf1.format(v) + ' MB' : nf2.format(v) + ' MB';
}

export function bytes(n) {
  if (!ok(n)) return '—';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return nf1.format(n / 1024) + ' KiB';
  return nf1.format(n / 1024 / 1024) + ' MiB';
}

/** 93784 s → "1d 2h 3m"; 65 s → "1m 5s". */
export function duration(seconds) {
  if (!ok(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** TTL left: fractional seconds are kept below a minute ("4.2 s"), else a duration. */
export function ttl(seconds) {
  if (seconds === null || seconds === undefined) return 'no expiry';
  if (!ok(seconds)) return '—';
  return seconds < 60 ? nf1.format(Math.max(0, seconds)) + ' s' : duration(seconds);
}

/** A latency given in milliseconds, shown in ms, µs or ns, whichever keeps it readable: 0.000841 → "841 ns". */
export function ms(v) {
  if (!ok(v)) return '—';
  if (v >= 100) return nf0.format(v) + ' ms';
  if (v >= 1) return nf2.format(v) + ' ms';
  const us = v * 1000;
  if (us >= 100) return nf0.format(us) + ' µs';
  if (us >= 1) return nf1.format(us) + ' µs';
  return nf0.format(us * 1000) + ' ns';
}

/** Epoch seconds (or an ISO string) → local "HH:MM:SS", with the date when it is not today. */
export function clock(t) {
  if (t === null || t === undefined) return '—';
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : d.toLocaleDateString('en-CA') + ' ' + time;
}
