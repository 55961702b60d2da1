import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TOKEN } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/simulator/cli.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI as a user would; resolves once it printed `lines` lines (or exited). */
function start(args: string[], env: Record<string, string>, lines = 1): { ready: Promise<Run>; stop: () => Promise<Run> } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { code: null, stdout: '', stderr: '' };
  const exited = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ ...run, code })));
  const ready = new Promise<Run>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      run.stdout += d.toString();
      if (run.stdout.split('\n').length > lines) resolve({ ...run });
    });
    child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
    void exited.then(resolve);
  });
  return {
    ready,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('simulator command line', () => {
  it('serves on 127.0.0.1 with the token from the environment, never printing it, and stops on SIGTERM', async () => {
    const cli = start(['--port', '0', '--plan', 'plus', '--latency', 'none'], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN }, 3);
    try {
      const { stdout } = await cli.ready;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      assert.ok(url, stdout);
      assert.match(stdout, /Plan plus: bucket 20000 points, restoring 1000\/s/);
      assert.ok(!stdout.includes(TOKEN));
      const res = await fetch(`${url}/admin/api/2026-07/graphql.json`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': TOKEN }, body: JSON.stringify({ query: '{ shop { name } }' }) });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { data: unknown }).data, { shop: { name: 'Shopsync Simulator' } });
    } finally {
      const end = await cli.stop();
      assert.equal(end.code, 0, end.stderr);
    }
  });

  it('--client-id: an app that gets tokens by the client credentials grant, its secret from the environment, neither printed', async () => {
    const secret = 'shpss_cli0000000000000000000000000000';
    const cli = start(['--latency', 'none', '--client-id', 'cli-app'], { SHOPSYNC_SIMULATOR_CLIENT_SECRET: secret }, 4);
    try {
      const { stdout } = await cli.ready;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      assert.ok(url, stdout);
      assert.match(stdout, /Token endpoint: http:\/\/127\.0\.0\.1:\d+\/admin\/oauth\/access_token \(client credentials for app cli-app\)/);
      assert.ok(!stdout.includes(secret));
      const t = await fetch(`${url}/admin/oauth/access_token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-app', client_secret: secret }) });
      assert.equal(t.status, 200);
      const { access_token } = (await t.json()) as { access_token: string };
      const res = await fetch(`${url}/admin/api/2026-07/graphql.json`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': access_token }, body: JSON.stringify({ query: '{ shop { name } }' }) });
      assert.equal(res.status, 200);
      const noSecret = await start(['--client-id', 'cli-app'], {}, Infinity).ready;
      assert.equal(noSecret.code, 2);
      assert.match(noSecret.stderr, /SHOPSYNC_SIMULATOR_CLIENT_SECRET/);
    } finally {
      const end = await cli.stop();
      assert.equal(end.code, 0, end.stderr);
    }
  });

  it('--help prints the usage; no token is a usage error; bad options name the field', async () => {
    const help = await start(['--help'], {}, Infinity).ready;
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: shopsync-simulator/);
    const noToken = await start([], {}, Infinity).ready;
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /SHOPSYNC_SIMULATOR_TOKEN/);
    const bad = await start(['--plan', 'gold'], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN }, Infinity).ready;
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /options\.plan/);
  });
});
