// `npm test`: every test of the repository. Node tests (node:test + tsx, sources through the
// `source` export condition) first; browser tests join here as packages add them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git', 'storybook-static', 'test-output']);

function find(dir, match, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, match, out);
    else if (match(path)) out.push(relative('.', path));
  }
  return out;
}

const nodeTests = find('.', (p) => /\.test\.ts$/.test(p) && !/\.browser\.test\.ts$/.test(p)).sort();
const filter = process.argv.slice(2);
const selected = filter.length ? nodeTests.filter((f) => filter.some((x) => f.includes(x))) : nodeTests;

console.log(`node tests: ${selected.length} files`);
const result = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
