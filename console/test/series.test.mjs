// Unit tests of the console's pure modules (rolling stats window, formatting), run under Node without a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsHistory } from '../src/main/resources/cachegrid-console/js/series.js';
import * as fmt from '../src/main/resources/cachegrid-console/js/format.js';

const stats = (o = {}) => ({
  hits: 0, misses: 0, sets: 0, deletes: 0, evictions: 0, expired_items: 0, current_size: 0, max_size: 100,
  memory_usage_mb: 1, max_memory_mb: 64, hit_ratio: 0, uptime_seconds: 10, ...o,
});

test('rates come from counter deltas over the time between samples', () => {
  const h = new StatsHistory();
  const first = h.add(1000, stats());
  assert.equal(first.gets, null, 'no rate from a single sample');
  const row = h.add(1002, stats({ hits: 30, misses: 10, sets: 8, deletes: 2, evictions: 4, expired_items: 6, uptime_seconds: 12 }));
  assert.equal(row.gets, 20);
  assert.equal(row.sets, 4);
  assert.equal(row.deletes, 1);
  assert.equal(row.evictions, 2);
  assert.equal(row.expirations, 3);
  assert.equal(row.intervalHitRatio, 0.75);
});

test('a failed poll leaves one gap and the next sample starts a new baseline', () => {
  const h = new StatsHistory();
  h.add(1000, stats());
  h.addGap(1001);
  h.addGap(1002);
  assert.equal(h.length, 2, 'consecutive failures share one gap point');
  assert.equal(h.cols.t[1], 1002);
  const row = h.add(1003, stats({ hits: 50, uptime_seconds: 13 }));
  assert.equal(row.gets, null, 'no rate across an outage');
  assert.equal(h.add(1004, stats({ hits: 55, uptime_seconds: 14 })).gets, 5);
});

test('a counter that goes down (server restarted) gives no negative rate', () => {
  const h = new StatsHistory();
  h.add(1000, stats({ hits: 100, uptime_seconds: 500 }));
  const row = h.add(1001, stats({ hits: 3, uptime_seconds: 1 }));
  assert.equal(row.gets, null);
});

test('only the last window of samples is kept', () => {
  const h = new StatsHistory(300);
  for (let t = 0; t <= 1000; t++) h.add(t, stats({ uptime_seconds: t }));
  assert.equal(h.cols.t[0], 700);
  assert.equal(h.length, 301);
  const [x, y] = h.data(['size']);
  assert.equal(x.length, y.length);
});

test('formatting', () => {
  assert.equal(fmt.percent(0.96), '96.00 %');
  assert.equal(fmt.percent(2 / 3), '66.67 %');
  assert.equal(fmt.percent(undefined), '—');
  assert.equal(fmt.duration(93784), '1d 2h 3m');
  assert.equal(fmt.duration(65), '1m 5s');
  assert.equal(fmt.ttl(null), 'no expiry');
  assert.equal(fmt.ttl(4.21), '4.2 s');
  assert.equal(fmt.ttl(600), '10m 0s');
  assert.equal(fmt.rate(12345.6), '12,346');
  assert.equal(fmt.rate(2.345), '2.3');
  assert.equal(fmt.ms(0.000841), '841 ns');
  assert.equal(fmt.ms(0.0421), '42.1 µs');
  assert.equal(fmt.ms(0.25), '250 µs');
  assert.equal(fmt.ms(3.14159), '3.14 ms');
  assert.equal(fmt.bytes(2048), '2.0 KiB');
});
