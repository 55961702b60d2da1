/**
 * The demo end to end, as a person would use it: `demo/server.ts` started as its own process (the
 * simulator, a SQLite engine, the HTTP + SSE source and the page), driven in Debian's Chromium with
 * playwright-core. Screenshots of each state go to test-output/demo/. The demo's store publishes
 * English and Spanish and keeps stock in a Madrid and a Lyon warehouse; its catalog is also in
 * French, which the store has not enabled: one warning of the run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { deepText, until } from './common.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'packages/widget/dist/shopsync-panel.bundle.js');
const SHOTS = join(ROOT, 'test-output/demo');
const CHROME = process.env['CHROME_PATH'] || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Starts the demo as `npm start` does (from source), resolving with its URL once it prints it. */
function startDemo(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'demo/server.ts', '--data', dataDir, '--products', '60', '--latency', 'none', '--iteration-delay', '1000', '--trickle', '0', ...extra], {
    cwd: ROOT,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // However this test process ends (a timeout, a forced exit), the demo ends with it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.on('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /shopsync demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

const num = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

describe('npm start: the demo in a real browser', { skip: !existsSync(CHROME) && `no Chromium at ${CHROME}` }, () => {
  let dataDir: string;
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let shot = 0;
  const screenshot = (name: string) => page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build first`);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'shopsync-demo-'));
    demo = await startDemo(dataDir);
    browser = await chromium.launch({ executablePath: CHROME, args: ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(demo.url);
  });

  after(async () => {
    await browser?.close();
    if (demo) await stop(demo.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const panel = () => page.locator('shopsync-panel');
  const status = () => panel().locator('shopsync-synchronization shopsync-status-badge').first();
  const statusText = async () => deepText(status());
  const pendingTotal = async () => {
    const values = await panel().locator('shopsync-pending-counters dd').allTextContents();
    return values.length ? values.reduce((n, t) => n + num(t), 0) : -1;
  };
  const iterations = () => panel().locator('shopsync-history li[part="iteration"]').count();
  const button = (name: string | RegExp): Locator => page.getByRole('button', { name });

  it('shows the run In Progress, pending counters falling, iterations appearing, then Completed', async () => {
    await until('In Progress', statusText, (s) => s.includes('In Progress'));
    const firstPending = await until('pending counts', pendingTotal, (n) => n > 0);
    await screenshot('in-progress');
    const fewer = await until('pending counts to fall', pendingTotal, (n) => n >= 0 && n < firstPending);
    assert.ok(fewer < firstPending);
    const someIterations = await until('iteration blocks', iterations, (n) => n >= 2);
    assert.ok(someIterations >= 2);
    await until('Completed', statusText, (s) => s.includes('Completed'), 120_000);
    assert.equal(await pendingTotal(), 0);
    await screenshot('completed');
  });

  it('the Configuration section: English, translated into Spanish; each warehouse at its location', async () => {
    const config = panel().locator('shopsync-configuration');
    await config.scrollIntoViewIfNeeded();
    // As rendered (innerText), spaces as a person reads them.
    const shown = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(await shown(config.locator('[data-param="language"]')), 'English (en) · translated into Spanish (es)');
    const locations = config.locator('[part="stock"] li');
    assert.deepEqual(await locations.evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset['warehouse'], (li as HTMLElement).dataset['resolved']])), [
      ['mad', 'yes'],
      ['lyon', 'yes'],
    ]);
    assert.match(await shown(locations.nth(0)), /^mad → Madrid warehouse \(gid:\/\/shopify\/Location\/\d+\)$/);
    assert.match(await shown(locations.nth(1)), /^lyon → Lyon warehouse \(gid:\/\/shopify\/Location\/\d+\)$/);
    await config.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-configuration.png`) });
  });

  it('opens the general errors dialog: the store failed requests during the run; French is one warning', async () => {
    await button(/Show \d+ general errors? and 1 warning/).click();
    const dialog = page.getByRole('dialog', { name: 'General synchronization errors and warnings' });
    await dialog.waitFor({ state: 'visible' });
    const text = await deepText(dialog);
    assert.match(text, /503|Service Unavailable/i, 'the injected 503s are reported');
    assert.match(text, /Iteration \d+/);
    assert.equal(text.split('The store has not enabled French (fr): texts in it are not written.').length - 1, 1, `the French warning, once: ${text}`);
    assert.match(text, /Language not enabled/);
    assert.doesNotMatch(text, /not enabled Spanish/);
    await screenshot('general-errors');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('filters the Item Synchronization Status tab to errors: the records Shopify refused', async () => {
    await page.getByRole('tab', { name: 'Item Synchronization Status' }).click();
    const table = panel().locator('shopsync-item-table');
    await table.locator('select[name="status"]').selectOption({ label: 'Error' });
    const list = table.locator('[part="list"]');
    // The errors grouped by cause come first and may push the list below the fold: its rows render once it is in view.
    await list.scrollIntoViewIfNeeded();
    const text = await until('error rows', () => deepText(list), (t) => /SKU-/.test(t) && !/\bComplete\b/.test(t));
    assert.doesNotMatch(text, /\bComplete\b/, 'only failed items are listed');
    // The errors grouped by cause name what Shopify said.
    const whole = await deepText(table);
    assert.match(whole, /Title can't be blank|missing option values/);
    // Images the store could not process: which image, and Shopify's reason.
    assert.match(whole, /Image \d+ \(http:\/\/127\.0\.0\.1:\d+\/demo-images\/[a-z0-9-]+\.png\): Shopify could not process it: Image could not be downloaded from its original source \(HTTP 404\)/);
    for (const code of ['IMAGE_DOWNLOAD_FAILURE', 'UNSUPPORTED_IMAGE_FILE_TYPE', 'IMAGE_PROCESSING_FAILURE']) assert.ok(whole.includes(code), `${code} is among the causes`);
    await screenshot('item-errors');
    await page.getByRole('tab', { name: 'Synchronization', exact: true }).click();
  });

  it('downloads a log of the event', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), button('Download log (CSV)').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const path = join(SHOTS, download.suggestedFilename());
    await download.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    assert.match(csv.split('\n')[0]!, /level/i, 'a header row');
    assert.ok(csv.split('\n').length > 10, 'entries for the run');
    assert.doesNotMatch(csv, /shpat_[0-9a-f]{8,}/, 'no access token in the log');
  });

  it('disables the connector mid-run (Paused), enables it (In Progress again, the same event)', async () => {
    await button('Add 100 changes').click();
    await button('Synchronize now').click();
    await until('a new run In Progress', statusText, (s) => s.includes('In Progress'));
    const runningEvent = await page.evaluate(() => (document.querySelector('shopsync-panel') as unknown as { event?: { id: string } }).event?.id);
    await button('Disable connector').click();
    await until('Paused', statusText, (s) => s.includes('Paused'), 60_000);
    await screenshot('paused');
    // The paused event's own call to action (the header has the same button).
    await panel().locator('[part="enable-button"]').click();
    await until('In Progress again', statusText, (s) => s.includes('In Progress') || s.includes('Completed'));
    const resumedEvent = await page.evaluate(() => (document.querySelector('shopsync-panel') as unknown as { event?: { id: string } }).event?.id);
    assert.equal(resumedEvent, runningEvent, 'the paused event resumes');
    await until('Completed', statusText, (s) => s.includes('Completed'), 120_000);
  });

  it('a run with invalid credentials ends in Error, saying what to check', async () => {
    await button('Run with invalid credentials').click();
    await until('Error', statusText, (s) => s.includes('Error'));
    const alert = panel().locator('shopsync-synchronization [part="error-details"]');
    assert.match(await deepText(alert), /access token/i);
    await screenshot('error-credentials');
  });

  it('a deprecated API version shows the warning', async () => {
    const options = await page.locator('#api-version option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })));
    const deprecated = options.find((o) => o.text.includes('no longer supported'));
    assert.ok(deprecated, `a deprecated version is offered: ${JSON.stringify(options)}`);
    await page.locator('#api-version').selectOption(deprecated.value);
    await button('Use this version').click();
    const config = panel().locator('shopsync-configuration');
    await until('the deprecation warning', () => deepText(config), (t) => t.includes('deprecated') && t.includes(deprecated.value), 60_000);
    await until('Completed', statusText, (s) => s.includes('Completed'), 120_000);
    await screenshot('deprecated-version');
  });

  it('Spanish and dark theme from the page controls', async () => {
    await page.locator('#locale').selectOption('es');
    await page.locator('#theme').selectOption('dark');
    await until('Spanish', statusText, (s) => s.includes('Completado'));
    const look = await page.evaluate(() => {
      const panel = document.querySelector('shopsync-panel')!;
      return {
        attribute: panel.getAttribute('theme'),
        scheme: getComputedStyle(panel).colorScheme,
        page: document.documentElement.dataset.theme,
        background: getComputedStyle(document.body).backgroundColor,
        surface: getComputedStyle(panel.shadowRoot!.querySelector('[part="base"]')!).backgroundColor,
      };
    });
    const { surface, ...rest } = look;
    assert.deepEqual(rest, { attribute: 'dark', scheme: 'dark', page: 'dark', background: 'rgb(18, 20, 23)' }, 'the panel and the page are dark');
    const channels = (surface.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    assert.ok(channels.length === 3 && channels.every((v) => v < 80), `the panel's surface is drawn dark (${surface})`);
    await screenshot('spanish-dark');
  });

  it('the page ran under its Content-Security-Policy with no error and no violation', () => {
    assert.deepEqual(problems, []);
  });

  it('history survives a restart of the demo', async () => {
    const before = await page.evaluate(async () => (await (await fetch('/api/sync/events?limit=1')).json()) as { total: number });
    assert.equal(await stop(demo.child), 0, 'a clean stop on SIGTERM');
    demo = await startDemo(dataDir);
    const res = await fetch(new URL('api/sync/events?limit=1', demo.url));
    const after = (await res.json()) as { total: number };
    assert.equal(after.total, before.total);
  });
});
