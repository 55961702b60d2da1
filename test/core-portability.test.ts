/** @shopsync/core runs in browsers and Node alike: it imports only its own files and three portable libraries. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ALLOWED = /^(\.{1,2}\/|zod$|eventemitter3$|@noble\/hashes\/)/;
/** The testing entry may use fast-check too (portable as well): its optional peer dependency, for the queue's property suite. */
const ALLOWED_IN_TESTING = /^fast-check$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('@shopsync/core portability', () => {
  it('imports no Node built-in, no DOM library and nothing outside its allowed dependencies', () => {
    const files = sources('packages/core/src');
    assert.ok(files.length > 10);
    const offenders: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const testing = file.startsWith(join('packages/core/src/testing', '/'));
        if (!ALLOWED.test(m[1]!) && !(testing && ALLOWED_IN_TESTING.test(m[1]!))) offenders.push(`${file}: ${m[1]}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('is compiled without DOM or Node types, so using either fails the build', () => {
    const tsconfig = JSON.parse(readFileSync('packages/core/tsconfig.json', 'utf8')) as { compilerOptions: { types?: string[]; lib?: string[] } };
    assert.deepEqual(tsconfig.compilerOptions.types, []);
    const base = JSON.parse(readFileSync('tsconfig.base.json', 'utf8')) as { compilerOptions: { lib: string[] } };
    assert.ok(!base.compilerOptions.lib.some((l) => /dom/i.test(l)));
  });
});
