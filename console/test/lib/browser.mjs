// Launches Debian's headless Chromium through playwright-core (never a downloaded browser) and opens the console
// in a page that records console errors and failed requests, so each test can assert there were none.

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, timeout: 30_000 });
}

/**
 * A fresh context + page at 1280×800 in the given colour scheme. `page.problems` collects console errors,
 * uncaught page errors and failed requests (messages the tests expect can be filtered by the caller).
 */
export async function openPage(browser, { colorScheme = 'light', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.problems.push('console: ' + msg.text()); });
  page.on('pageerror', (err) => page.problems.push('pageerror: ' + err.message));
  page.on('requestfailed', (req) => page.problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
  page.setDefaultTimeout(10_000);
  return page;
}
