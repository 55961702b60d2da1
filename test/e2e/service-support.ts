/**
 * Helpers of test/e2e/service.test.ts: the `shopsync` command spawned from source as a person
 * would run it (one-shot commands, and `serve` processes whose JSON log lines are kept), a page
 * server on another origin that embeds the panel, and what a person reads in the panel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = ['--conditions=source', '--import', 'tsx', 'packages/server/src/cli/main.ts'];

/** The environment of every `shopsync` process: this one's, without any SHOPSYNC_* or PORT it may carry, plus `env`. */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOPSYNC_') && k !== 'PORT'));
  return { ...base, ...env };
}

/** However this test process ends (a failure, a timeout, a forced exit), `child` ends with it. */
function guard(child: ChildProcess): void {
  const orphanGuard = () => child.kill('SIGKILL');
  process.on('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
}

/** Runs a one-shot `shopsync …` command to its end. */
export function shopsync(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  guard(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shopsync ${args.join(' ')} did not end in ${timeoutMs / 1000} s:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One JSON log line of a `serve` process. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** A running `shopsync serve` process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Its JSON log lines so far (stdout). */
  readonly lines: LogLine[];
  /** Everything it wrote, stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves with its exit code once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The log lines with this message. */
  logged(msg: string): LogLine[];
}

/** Starts `shopsync serve args…`, resolving once it logs `readyMsg` (with that line). */
export function serve(args: string[], env: NodeJS.ProcessEnv, readyMsg: string, timeoutMs = 60_000): Promise<{ proc: ServeProcess; ready: LogLine }> {
  const child = spawn(process.execPath, [...CLI, 'serve', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  guard(child);
  const lines: LogLine[] = [];
  let all = '';
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const proc: ServeProcess = { child, lines, output: () => all, exited, logged: (msg) => lines.filter((l) => l.msg === msg) };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never left running unseen: nobody would stop it, and it would keep this process alive.
      child.kill('SIGKILL');
      reject(new Error(`shopsync serve ${args.join(' ')} did not log "${readyMsg}" in ${timeoutMs / 1000} s:\n${all}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      all += d.toString();
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const text of parts) {
        if (!text.trim()) continue;
        let line: LogLine;
        try {
          line = JSON.parse(text) as LogLine;
        } catch {
          continue;
        }
        lines.push(line);
        if (line.msg === readyMsg) {
          clearTimeout(timer);
          resolve({ proc, ready: line });
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (all += d.toString()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`shopsync serve ${args.join(' ')} exited (${code ?? signal}) before logging "${readyMsg}":\n${all}`));
    });
  });
}

/** SIGTERM, then the exit code; SIGKILL (and `timedOut`) when it has not exited within `withinMs`. */
export async function terminate(proc: ServeProcess, withinMs: number): Promise<{ code: number | null; timedOut: boolean }> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return { code: proc.child.exitCode, timedOut: false };
  proc.child.kill('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), withinMs)));
  const result = await Promise.race([proc.exited, late]);
  clearTimeout(timer);
  if (result === 'late') {
    proc.child.kill('SIGKILL');
    return { code: (await proc.exited).code, timedOut: true };
  }
  return { code: result.code, timedOut: false };
}

/** A page server on its own origin: `/?src=…` is a page with `<shopsync-panel src>`; the bundle is served beside it. */
export async function startPageServer(bundlePath: string): Promise<{ server: Server; origin: string; pageUrl: (src: string) => string; close: () => Promise<void> }> {
  const bundle = readFileSync(bundlePath);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    if (url.pathname === '/shopsync-panel.bundle.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(bundle);
      return;
    }
    if (url.pathname === '/') {
      const src = url.searchParams.get('src') ?? '';
      const attr = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ERP — catalog sync</title>` +
            `<script type="module" src="/shopsync-panel.bundle.js"></script></head>` +
            `<body><h1>ERP back office</h1><shopsync-panel src="${attr}"></shopsync-panel></body></html>`,
        );
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    pageUrl: (src) => `${origin}/?src=${encodeURIComponent(src)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    t = Math.max(t, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return t;
}

/** Why the widget bundle cannot be used as built (missing, or older than the sources it is built from), or undefined. */
export function staleBundle(bundlePath: string): string | undefined {
  let built: number;
  try {
    built = statSync(bundlePath).mtimeMs;
  } catch {
    return `${bundlePath} is missing: run npm run build first`;
  }
  for (const dir of ['packages/widget/src', 'packages/adapters/http/src/client', 'packages/adapters/http/src/shared']) {
    if (newest(join(ROOT, dir)) > built) return `${bundlePath} is older than ${dir}: run npm run build first`;
  }
  return undefined;
}

/** A whole number shown as text ("1,234" → 1234). */
export const num = (text: string | null): number => Number((text ?? '').replace(/[^\d]/g, ''));
