// `npm start`: builds the widget's bundle when it is missing or older than its sources, then runs
// the demo (demo/server.ts) from source. Arguments after `--` go to the demo (`npm start -- --help`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = 'packages/widget/dist/shopsync-panel.bundle.js';
const SOURCES = ['packages/widget/src', 'packages/core/src', 'packages/adapters/http/src'];

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

const stale = !existsSync(BUNDLE) || SOURCES.some((dir) => existsSync(dir) && newest(dir) > statSync(BUNDLE).mtimeMs);
if (stale) {
  console.log('Building the packages (the page loads the widget bundle)…');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const demo = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'demo/server.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the demo from the terminal itself; wait while it saves its store and pauses its run.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
