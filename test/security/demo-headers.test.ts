/**
 * The demo's page headers, checked without a browser: every page and asset carries the
 * Content-Security-Policy (no inline script or style, nothing from elsewhere, no framing) and
 * nosniff; the page holds nothing the policy would have to allow; the API under it sends nosniff
 * and no-store; actions from another site are refused; no answer holds an access token.
 * (test/e2e/demo.test.ts runs the page in Chromium under this policy and finds no violation,
 * which proves it does not break the page; this proves the policy is there and strict.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, startDemo, type Demo } from '../../demo/server.js';
import { demoOptions } from '../../demo/options.js';

const TOKEN_SHAPE = /shp(?:at|ca|pa|ss|ua)_[A-Za-z0-9]{16,}/;

describe('demo: Content-Security-Policy and headers', () => {
  let dir: string;
  let demo: Demo;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsync-demo-csp-'));
    const options = demoOptions(['--data', dir, '--products', '10', '--latency', 'none', '--trickle', '0', '--fresh'], { PORT: '' });
    assert.ok(options !== 'help');
    demo = await startDemo(options);
  });
  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the policy is strict: nothing inline, nothing from elsewhere, no framing, no forms, no base', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    for (const d of ['script-src', 'style-src', 'connect-src']) assert.deepEqual(directives.get(d), ["'self'"], d);
    for (const d of ['frame-ancestors', 'base-uri', 'form-action']) assert.deepEqual(directives.get(d), ["'none'"], d);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-|\*|https?:|blob:|'strict-dynamic'/);
  });

  it('the page and every asset carry it, with nosniff; the page has no inline script, style or handler', async () => {
    for (const path of ['/', '/assets/demo.js', '/assets/demo.css', '/assets/favicon.svg']) {
      const r = await fetch(new URL(path, demo.url));
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      const text = await r.text();
      assert.doesNotMatch(text, TOKEN_SHAPE, `${path} holds no token`);
      if (path !== '/') continue;
      assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
      assert.doesNotMatch(text, /<style[\s>]/i, 'no style element');
      assert.doesNotMatch(text, /\sstyle\s*=/i, 'no style attribute');
      assert.doesNotMatch(text, /\son[a-z]+\s*=/i, 'no inline event handler');
      assert.doesNotMatch(text, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i, 'nothing from another origin');
      assert.doesNotMatch(text, /javascript:/i);
    }
  });

  it('the API under it: nosniff and no-store; actions from another site are refused; no token anywhere', async () => {
    for (const path of ['/api/sync/state', '/api/sync/events', '/api/sync/items', '/api/sync/nope', '/demo/info']) {
      const r = await fetch(new URL(path, demo.url));
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      if (path.startsWith('/api/')) assert.equal(r.headers.get('cache-control'), 'no-store', path);
      assert.doesNotMatch(await r.text(), TOKEN_SHAPE, `${path} holds no token`);
    }
    const crossSite = { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const action = await fetch(new URL('/demo/actions/run', demo.url), { method: 'POST', headers: crossSite, body: '{}' });
    assert.equal(action.status, 403);
    const disable = await fetch(new URL('/api/sync/connector', demo.url), { method: 'PUT', headers: crossSite, body: '{"enabled":false}' });
    assert.equal(disable.status, 403);
    assert.equal(demo.engine.config.enabled, true, 'a refused action changed nothing');
  });
});
