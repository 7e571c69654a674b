// The cluster panel against a real clustered node. The node is a cluster of one whose only listed peer never
// answers (127.0.0.1:1), so no port has to be known before start: the panel must show this node up with its own
// counts and the peer down. A single server (console.test.mjs) shows no panel.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from './lib/browser.mjs';
import { Server, TARGET } from './lib/server.mjs';

const SHOTS = path.join(TARGET, 'screenshots');
const ABSENT_PEER = '127.0.0.1:1';

let server;
let browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([
    Server.start({ CACHEGRID_PEERS: ABSENT_PEER, CACHEGRID_REPLICATION_FACTOR: '2' }), launch()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('cluster panel', { timeout: 90_000 }, () => {
  test('lists every member with its state and its own keys and memory', async () => {
    for (let i = 0; i < 7; i++) await server.json('PUT', '/cache/panel-' + i, { n: i });
    const page = await openPage(browser);
    try {
      await page.goto(server.base + '/console/');
      await page.locator('#cluster:not([hidden])').waitFor();
      const self = `tr[data-address="127.0.0.1:${server.port}"]`;
      await page.waitForFunction((sel) => document.querySelector(sel + ' td.keys')?.textContent === '7', self);
      const cluster = await server.json('GET', '/cluster');
      const nodes = (await server.json('GET', '/cluster/nodes')).nodes;
      assert.equal(await page.textContent('#cl-view'), cluster.view_id === undefined ? '—' : String(cluster.view_id));
      assert.equal(await page.textContent('#cl-rf'), String(cluster.replication_factor));
      assert.equal(await page.locator('#cl-nodes tbody tr').count(), nodes.length);
      assert.equal(await page.getAttribute(self, 'data-status'), 'up');
      assert.match(await page.textContent(self), /this node/);
      assert.equal(await page.getAttribute(`tr[data-address="${ABSENT_PEER}"]`, 'data-status'), 'down');
      assert.equal(await page.textContent(`tr[data-address="${ABSENT_PEER}"] td.keys`), '—');
      // the panel follows the node: two more keys show up at the next poll
      await server.json('PUT', '/cache/panel-7', 7);
      await server.json('PUT', '/cache/panel-8', 8);
      await page.waitForFunction((sel) => document.querySelector(sel + ' td.keys')?.textContent === '9', self);
    } finally {
      await page.screenshot({ path: path.join(SHOTS, 'cluster-panel.png'), fullPage: true }).catch(() => {});
      await page.context().close();
    }
  });
});
