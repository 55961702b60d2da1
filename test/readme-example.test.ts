/** The README's core example runs exactly as written and prints exactly what the README says. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function block(readme: string, marker: string): string {
  const at = readme.indexOf(`<!-- ${marker} -->`);
  assert.ok(at >= 0, `README has no ${marker} marker`);
  const m = /```\w*\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, `no code block after ${marker}`);
  return m[1]!;
}

describe('README', () => {
  it('the core example runs and prints what the README shows', () => {
    const readme = readFileSync('README.md', 'utf8');
    const code = block(readme, 'example:core');
    const expected = block(readme, 'example:core:output');
    // Inside the repository, so that '@shopsync/core' resolves as it would for a user.
    const dir = join('node_modules', '.cache', 'readme-example');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'example.mts');
    writeFileSync(file, code);
    const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], { encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.equal(run.stdout, expected);
  });

  it('names the two commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /npm test/);
  });
});
