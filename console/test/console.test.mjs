// Browser tests of the operator console against a real CacheGrid server (app/target/cachegrid.jar) in headless
// Debian Chromium. Each test saves a screenshot under console/target/screenshots/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from './lib/browser.mjs';
import { Server, TARGET } from './lib/server.mjs';

const SHOTS = path.join(TARGET, 'screenshots');
const SUITE_TIMEOUT = 180_000; // the whole describe block: every test, one after the other

let server;
let browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the console, waits for its first live sample, runs fn(page), and always saves a screenshot. */
async function withConsole(name, fn, options = {}) {
  const page = await openPage(browser, options);
  try {
    await page.goto(server.base + '/console/');
    await page.locator('#health[data-level="green"]').waitFor();
    await page.waitForFunction(() => document.querySelector('#kpi-hit-ratio').dataset.raw !== undefined);
    await fn(page);
  } finally {
    await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
    await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true }).catch(() => {});
    await page.context().close();
  }
  return page;
}

const fmtPercent = (ratio) => (ratio * 100).toFixed(2) + ' %';

describe('CacheGrid console', { timeout: SUITE_TIMEOUT }, () => {
  test('the page loads with its live panels and no console errors (light and dark)', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await withConsole('page-loads-' + colorScheme, async (p) => {
        const info = await server.json('GET', '/');
        const stats = await server.json('GET', '/stats');
        await p.waitForFunction(() => document.querySelectorAll('#charts canvas').length === 5);
        assert.equal(await p.textContent('#node-id'), stats.node_id);
        assert.equal(await p.textContent('#policy'), stats.eviction_policy);
        assert.equal(await p.textContent('#persistence'), stats.persistence.mode); // "off" on the test server
        assert.equal(await p.textContent('#version'), 'v' + info.version);
        assert.equal(await p.textContent('#health-text'), 'healthy');
        assert.equal(await p.isVisible('#conn-banner'), false);
        assert.equal(await p.isVisible('#cluster'), false, 'a single server shows no cluster panel');
        // no access control: the badge says admin, and nothing is disabled for want of a role
        await p.waitForFunction(() => document.querySelector('#role').textContent === 'role: admin');
        assert.match(await p.getAttribute('#role', 'title'), /Access control is off/);
        assert.equal(await p.isDisabled('#kb-clear'), false);
        assert.equal(await p.isDisabled('#lt-start'), false);
        // a few samples in, every chart has data and no "waiting"/"unreachable" overlay
        await p.waitForFunction(() => [...document.querySelectorAll('.chart-card .overlay')].every((o) => o.hidden),
          null, { timeout: 8000 });
        const theme = await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
        assert.equal(theme, colorScheme === 'dark');
      }, { colorScheme });
      assert.deepEqual(page.problems, [], 'no console errors or failed requests');
    }
  });

  test('after real hits and misses the hit ratio shown equals the server\'s', async () => {
    const page = await withConsole('hit-ratio', async (p) => {
      const before = await server.json('GET', '/stats');
      for (let i = 0; i < 4; i++) await server.json('PUT', `/cache/ratio-${i}`, { n: i });
      const HITS = 9, MISSES = 4;
      for (let i = 0; i < HITS; i++) await server.json('GET', `/cache/ratio-${i % 4}`);
      for (let i = 0; i < MISSES; i++) await server.json('GET', `/cache/ratio-missing-${i}`);
      const stats = await server.json('GET', '/stats');
      assert.equal(stats.hits - before.hits, HITS);
      assert.equal(stats.misses - before.misses, MISSES);
      // The console itself reads only /stats, /health, /admin/* — it must not move the counters.
      await p.waitForFunction((want) => document.querySelector('#kpi-hit-ratio').dataset.raw === String(want),
        stats.hit_ratio, { timeout: 5000 });
      assert.equal(await p.textContent('#kpi-hit-ratio'), fmtPercent(stats.hit_ratio));
      assert.equal(await p.textContent('#kpi-hits'),
        `${stats.hits.toLocaleString('en-US')} hits · ${stats.misses.toLocaleString('en-US')} misses`);
      const again = await server.json('GET', '/stats');
      assert.equal(again.hits, stats.hits, 'the console caused no hits');
      assert.equal(again.misses, stats.misses, 'the console caused no misses');
    });
    assert.deepEqual(page.problems, []);
  });

  test('a load test started from the page shows its result and its row in the runs table', async () => {
    const page = await withConsole('load-test', async (p) => {
      await p.selectOption('#lt-type', 'mixed');
      await p.fill('#lt-count', '3000');
      await p.click('#lt-start');
      await p.locator('#lt-status', { hasText: 'completed' }).waitFor({ timeout: 30_000 });
      const { runs } = await server.json('GET', '/test/load');
      const run = await server.json('GET', '/test/load/' + encodeURIComponent(runs[0].id));
      assert.equal(run.status, 'completed');
      assert.equal(run.num_operations, 3000);
      assert.equal(run.operation_type, 'mixed');
      assert.match(await p.textContent('#lt-what'), new RegExp(`run ${run.id}$`));
      const ops = await p.textContent('#lt-ops');
      assert.equal(ops.replace(/,/g, '') !== '—', true);
      assert.ok(Math.abs(Number(ops.replace(/,/g, '')) - run.ops_per_second) <= Math.max(1, run.ops_per_second * 0.001),
        `shown ${ops} vs server ${run.ops_per_second}`);
      for (const q of ['p50', 'p95', 'p99']) assert.match(await p.textContent('#lt-' + q), /^[\d.,]+ (ms|µs|ns)$/, q);
      const row = p.locator(`#lt-runs tbody tr[data-id="${run.id}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-status'), 'completed');
      // the default target: a scratch engine shaped like the live one, and the page says so
      assert.equal(run.target, 'scratch');
      assert.equal(await p.textContent('#lt-target-shown'), 'scratch engine');
      const stats = await server.json('GET', '/stats');
      assert.match(await p.textContent('#lt-engine'),
        new RegExp(`^Scratch engine \\(${stats.eviction_policy}, ${stats.max_size.toLocaleString('en-US')} items, .*untouched$`));
      assert.equal(await row.getAttribute('data-target'), 'scratch');
    });
    assert.deepEqual(page.problems, []);
  });

  test('load tests started over the API appear in the runs table without a reload, labelled with their engine',
    async () => {
      const page = await withConsole('load-test-from-api', async (p) => {
        await p.locator('#lt-runs tbody tr').first().waitFor(); // the first listing is in
        const before = await server.json('GET', '/stats');
        const scratch = await server.json('POST', '/test/load?num_operations=20000&operation_type=get');
        const row = p.locator(`#lt-runs tbody tr[data-id="${scratch.id}"]`);
        await row.waitFor({ timeout: 10_000 });
        await p.locator(`#lt-runs tbody tr[data-id="${scratch.id}"][data-status="completed"]`).waitFor({ timeout: 20_000 });
        assert.equal(await row.getAttribute('data-target'), 'scratch');
        assert.equal(await row.locator('.badge.target').textContent(), 'scratch');
        const after = await server.json('GET', '/stats');
        assert.equal(after.hits, before.hits, 'a scratch run counts no hits');
        assert.equal(after.misses, before.misses, 'a scratch run counts no misses');

        const live = await server.json('POST', '/test/load?num_operations=2000&operation_type=mixed&target=live');
        assert.equal(live.target, 'live');
        const liveRow = p.locator(`#lt-runs tbody tr[data-id="${live.id}"][data-status="completed"]`);
        await liveRow.waitFor({ timeout: 20_000 });
        assert.equal(await liveRow.getAttribute('data-target'), 'live');
        assert.equal(await liveRow.locator('.badge.target').textContent(), 'live');
        assert.ok((await server.json('GET', '/stats')).sets > after.sets, 'a live run counts in /stats');
        await server.json('DELETE', '/cache?confirm=true');
      });
      assert.deepEqual(page.problems, []);
    });

  test('a live load test started from the page is labelled as live', async () => {
    const page = await withConsole('load-test-live', async (p) => {
      await p.selectOption('#lt-type', 'set');
      await p.fill('#lt-count', '1000');
      await p.selectOption('#lt-target', 'live');
      await p.click('#lt-start');
      await p.locator('#lt-status', { hasText: 'completed' }).waitFor({ timeout: 30_000 });
      assert.equal(await p.textContent('#lt-target-shown'), 'live engine');
      assert.equal(await p.getAttribute('#lt-target-shown', 'data-target'), 'live');
      assert.match(await p.textContent('#lt-engine'), /^Live engine \(.*counted in the statistics$/);
      const { runs } = await server.json('GET', '/test/load');
      assert.equal(runs[0].target, 'live');
      await server.json('DELETE', '/cache?confirm=true');
    });
    assert.deepEqual(page.problems, []);
  });

  test('keys written and deleted over the API show up in the key list without a reload', async () => {
    const page = await withConsole('key-refresh', async (p) => {
      await p.fill('#kb-pattern', 'refresh-test/');
      await p.click('#kb-search');
      await p.locator('#kb-list li.empty', { hasText: 'No keys matching' }).waitFor();
      await server.json('PUT', '/cache/' + encodeURIComponent('refresh-test/one'), { n: 1 });
      await server.json('POST', '/cache/batch/set', { items: { 'refresh-test/two': 2 } });
      const one = p.locator('#kb-list button.key', { hasText: 'refresh-test/one' });
      await one.waitFor({ timeout: 10_000 });
      await p.locator('#kb-list button.key', { hasText: 'refresh-test/two' }).waitFor({ timeout: 10_000 });
      await p.locator('#kb-summary', { hasText: '1–2 of 2 keys' }).waitFor();
      assert.equal(await p.inputValue('#kb-pattern'), 'refresh-test/', 'the search box is left alone');
      await server.json('DELETE', '/cache/' + encodeURIComponent('refresh-test/one'));
      await one.waitFor({ state: 'detached', timeout: 10_000 });
      await server.json('DELETE', '/cache/' + encodeURIComponent('refresh-test/two'));
    });
    assert.deepEqual(page.problems, []);
  });

  test('a key written over the API is found in the key browser, opened, and deleted from the page', async () => {
    const key = 'console-test/ключ ✓ #1';
    const value = { user: 'alice', roles: ['admin', 'ops'], active: true, score: 9.5, note: null };
    await server.json('PUT', '/cache/' + encodeURIComponent(key) + '?ttl=600', value);
    const page = await withConsole('key-browser', async (p) => {
      await p.fill('#kb-pattern', 'console-test/');
      await p.click('#kb-search');
      const button = p.locator('#kb-list button.key', { hasText: key });
      await button.waitFor();
      await button.click();
      await p.locator('#kb-value .j-key').first().waitFor();
      assert.equal(await p.textContent('#kb-key'), key);
      const shown = await p.textContent('#kb-value');
      assert.deepEqual(JSON.parse(shown), value, 'the value is shown as JSON');
      assert.match(shown, /\n {2}"user": "alice",\n/, 'pretty-printed with two-space indent');
      assert.match(await p.textContent('#kb-ttl'), /^(9m \d+s|10m 0s)$/);
      await p.screenshot({ path: path.join(SHOTS, 'key-browser-open.png'), fullPage: true });

      await p.click('#kb-delete');
      assert.equal(await p.isVisible('#kb-delete-confirm'), true, 'delete asks for confirmation first');
      const entryBefore = await server.json('GET', '/admin/entry/' + encodeURIComponent(key));
      assert.equal(entryBefore.exists, true, 'nothing deleted before the confirm');
      await p.click('#kb-delete-confirm');
      await p.locator('#toast', { hasText: 'Deleted' }).waitFor();
      await button.waitFor({ state: 'detached' });
    });
    const entry = await server.json('GET', '/admin/entry/' + encodeURIComponent(key));
    assert.equal(entry.exists, false, 'the key is gone over the API');
    const listed = await server.json('GET', '/admin/keys?pattern=' + encodeURIComponent('console-test/') + '&limit=10');
    assert.deepEqual(listed.keys, []);
    assert.deepEqual(page.problems, []);
  });

  test('the key browser pages through many matching keys', async () => {
    const items = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`page-test-${String(i).padStart(2, '0')}`, i]));
    await server.json('POST', '/cache/batch/set', { items });
    const page = await withConsole('key-paging', async (p) => {
      await p.fill('#kb-pattern', 'page-test-');
      await p.press('#kb-pattern', 'Enter');
      await p.locator('#kb-summary', { hasText: '1–15 of 20 keys' }).waitFor();
      assert.equal(await p.locator('#kb-list button.key').count(), 15);
      assert.equal(await p.textContent('#kb-page'), 'Page 1 of 2');
      await p.click('#kb-next');
      await p.locator('#kb-summary', { hasText: '16–20 of 20 keys' }).waitFor();
      assert.deepEqual(await p.locator('#kb-list button.key').allTextContents(),
        ['page-test-15', 'page-test-16', 'page-test-17', 'page-test-18', 'page-test-19']);
      assert.equal(await p.isDisabled('#kb-next'), true);
    });
    assert.deepEqual(page.problems, []);
  });

  test('clearing the cache needs the typed word and empties the cache', async () => {
    for (let i = 0; i < 3; i++) await server.json('PUT', `/cache/clear-me-${i}`, i);
    const page = await withConsole('clear-cache', async (p) => {
      await p.click('#kb-clear');
      await p.locator('#clear-dialog[open]').waitFor();
      assert.equal(await p.isDisabled('#clear-confirm'), true);
      await p.fill('#clear-word', 'clea');
      assert.equal(await p.isDisabled('#clear-confirm'), true);
      await p.fill('#clear-word', 'clear');
      await p.click('#clear-confirm');
      await p.locator('#toast', { hasText: 'Cache cleared' }).waitFor();
      assert.equal(await p.isVisible('#clear-dialog'), false);
    });
    const stats = await server.json('GET', '/stats');
    assert.equal(stats.current_size, 0);
    assert.deepEqual(page.problems, []);
  });

  test('the unreachable-server banner appears when the server stops and clears when it is back', async () => {
    const page = await withConsole('unreachable', async (p) => {
      await server.stop();
      await p.locator('#conn-banner').waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await p.textContent('#conn-banner-text'), /Cannot reach the CacheGrid server/);
      assert.equal(await p.getAttribute('#health', 'data-level'), 'red');
      assert.match(await p.textContent('#chart-ops .overlay'), /unreachable/);
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.screenshot({ path: path.join(SHOTS, 'unreachable-banner.png'), fullPage: true });

      await server.start(); // same port
      await p.locator('#conn-banner').waitFor({ state: 'hidden', timeout: 15_000 });
      await p.locator('#health[data-level="green"]').waitFor({ timeout: 5000 });
      await p.waitForFunction(() => document.querySelector('#chart-ops .overlay').hidden, null, { timeout: 8000 });
    });
    // While the server was down the browser logged refused connections; nothing else may appear.
    const unexpected = page.problems.filter((m) => !/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR_/.test(m));
    assert.deepEqual(unexpected, []);
  });
});
