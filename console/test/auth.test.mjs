// The console against a node with tokens: it asks for a token on the first 401, keeps it in sessionStorage only,
// sends it with every call, and asks again when the stored token is refused.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from './lib/browser.mjs';
import { Server, TARGET } from './lib/server.mjs';

const SHOTS = path.join(TARGET, 'screenshots');
const READ = 'console-read-token-0123456789';
const ADMIN = 'console-admin-token-0123456789';

let server;
let browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([
    Server.start({ CACHEGRID_AUTH_TOKENS: `read:${READ},admin:${ADMIN}`, CACHEGRID_AUTH_FAILURE_LIMIT: '1000' }),
    launch()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('console with access control', { timeout: 120_000 }, () => {
  test('asks for a token once, keeps it in sessionStorage and sends it with every call', async () => {
    const page = await openPage(browser);
    const sent = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (!url.pathname.startsWith('/console') && !url.pathname.startsWith('/webjars')) {
        sent.push({ path: url.pathname, auth: req.headers().authorization ?? null });
      }
    });
    try {
      await page.goto(server.base + '/console/');
      const dialog = page.locator('#token-dialog');
      await dialog.waitFor();
      assert.equal(await page.locator('#token-dialog').count(), 1, 'one dialog for all the refused calls');
      await page.fill('#token-input', ADMIN);
      await page.click('#token-ok');
      await page.locator('#health[data-level="green"]').waitFor();
      await page.waitForFunction(() => document.querySelector('#kpi-hit-ratio').dataset.raw !== undefined);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('cachegrid.token')), ADMIN);
      assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
      const afterSignIn = sent.filter((r) => r.auth !== null);
      assert.ok(afterSignIn.some((r) => r.path === '/stats'), JSON.stringify(sent));
      assert.ok(afterSignIn.every((r) => r.auth === 'Bearer ' + ADMIN));
      // a reload in the same tab keeps the token: no dialog
      sent.length = 0;
      await page.reload();
      await page.locator('#health[data-level="green"]').waitFor();
      assert.equal(await page.locator('#token-dialog').count(), 0);
      assert.ok(sent.filter((r) => r.path === '/stats').every((r) => r.auth === 'Bearer ' + ADMIN));
      await page.screenshot({ path: path.join(SHOTS, 'auth-signed-in.png') });
    } finally {
      await page.context().close();
    }
  });

  test('shows the role of the token and disables what it cannot do', async () => {
    for (const [token, role] of [[READ, 'read'], [ADMIN, 'admin']]) {
      const page = await openPage(browser);
      try {
        await page.goto(server.base + '/console/');
        await page.locator('#token-dialog').waitFor();
        await page.fill('#token-input', token);
        await page.click('#token-ok');
        const badge = page.locator('#role');
        await page.waitForFunction((r) => document.querySelector('#role')?.textContent === 'role: ' + r, role);
        assert.ok(await badge.isVisible());
        const tooltip = await badge.getAttribute('title');
        const clear = page.locator('#kb-clear');
        const start = page.locator('#lt-start');
        if (role === 'read') {
          assert.match(tooltip, /may read keys/);
          assert.match(tooltip, /Needs write or admin/);
          await page.waitForFunction(() => document.querySelector('#lt-start').disabled);
          assert.ok(await clear.isDisabled(), 'clear needs admin');
          assert.match(await clear.getAttribute('title'), /needs the admin role; this token has read/);
          assert.match(await start.getAttribute('title'), /needs the admin role; this token has read/);
          assert.ok(await page.locator('#kb-search').isDisabled());
          assert.match(await page.textContent('#lt-role-note'), /Load tests need the admin role/);
          assert.match(await page.textContent('#kb-summary'), /Browsing keys needs the admin role/);
          await page.screenshot({ path: path.join(SHOTS, 'auth-role-read.png') });
        } else {
          assert.match(tooltip, /clear the cache/);
          assert.doesNotMatch(tooltip, /Needs/);
          assert.ok(await clear.isEnabled(), 'an admin may clear');
          assert.ok(await start.isEnabled(), 'an admin may run load tests');
          assert.equal(await clear.getAttribute('title'), null);
          assert.ok(await page.locator('#lt-role-note').isHidden());
          // and the key browser works: a key written through the API shows up
          await fetch(server.base + '/cache/role-probe', { method: 'PUT', body: '1',
            headers: { Authorization: 'Bearer ' + ADMIN, 'Content-Type': 'application/json' } });
          await page.click('#kb-search');
          await page.locator('#kb-list button[data-key="role-probe"]').waitFor();
          await page.click('#kb-list button[data-key="role-probe"]');
          await page.waitForFunction(() => document.querySelector('#kb-size').textContent !== '');
          assert.ok(await page.locator('#kb-delete').isEnabled(), 'an admin may delete a key');
        }
      } finally {
        await page.context().close();
      }
    }
  });

  test('a refused token is forgotten and asked for again', async () => {
    const page = await openPage(browser);
    try {
      await page.goto(server.base + '/console/');
      await page.locator('#token-dialog').waitFor();
      await page.fill('#token-input', 'not-the-token-0123456789');
      await page.click('#token-ok');
      await page.locator('#token-dialog').waitFor();
      assert.match(await page.textContent('#token-dialog'), /refused/);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('cachegrid.token')), null);
      await page.screenshot({ path: path.join(SHOTS, 'auth-token-refused.png') });
      await page.fill('#token-input', READ);
      await page.click('#token-ok');
      await page.locator('#health[data-level="green"]').waitFor();
      // /health needs no token, so the pill may turn green before the dialog's answer is stored: wait for it
      await page.waitForFunction((t) => sessionStorage.getItem('cachegrid.token') === t, READ, { timeout: 10_000 })
        .catch(() => {});
      assert.equal(await page.evaluate(() => sessionStorage.getItem('cachegrid.token')), READ);
    } finally {
      await page.context().close();
    }
  });
});
