// The docs say exactly which parts a host reaches through <shopsync-panel>: the panel's class
// JSDoc (from which the custom-elements manifest is generated) and the package README list the
// same parts, and they are the panel's own parts plus what its sections forward. Whether each
// one really restyles is parts.browser.test.ts's (in Chromium). Runs under Node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FORWARDED } from './forwarded-parts.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** `[name, description]` of every `@csspart` in a source file's JSDoc. */
const cssparts = (source: string) => [...source.matchAll(/@csspart ([\w-]+) - (.*)/g)].map((m) => [m[1]!, m[2]!.trim()]);
const names = (list: string) => list.split(',').map((s) => s.trim());

const panel = read('./panel.ts');
const documented = cssparts(panel);

describe('the parts <shopsync-panel> documents', () => {
  it('the README lists the same parts as the class JSDoc, with the same words', () => {
    const readme = read('../../README.md');
    const table = readme.slice(readme.indexOf('<!-- parts:start -->'), readme.indexOf('<!-- parts:end -->'));
    const rows = [...table.matchAll(/^\| `([\w-]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!]);
    assert.ok(rows.length > 0, 'the README has a parts table');
    assert.deepEqual(rows, documented);
  });

  it('are the panel’s own parts and what its sections forward, nothing more, nothing less', () => {
    const own = [...panel.matchAll(/\bpart="([\w-]+)"/g)].map((m) => m[1]!);
    const forwarded = Object.values(FORWARDED).flatMap(names);
    const declared = new Set([...own, ...forwarded]);
    assert.deepEqual([...declared].sort(), documented.map(([n]) => n).sort());
    assert.equal(new Set(documented.map(([n]) => n)).size, documented.length, 'each part documented once');
  });

  it('each section forwards every part it documents (and documents every part it forwards)', () => {
    const files: Record<keyof typeof FORWARDED, string> = {
      synchronization: '../synchronization/synchronization.ts',
      configuration: '../configuration/configuration.ts',
      logs: '../log-links/log-links.ts',
      history: '../history/history.ts',
      items: '../item-table/item-table.ts',
      events: '../event-list/event-list.ts',
    };
    for (const [section, file] of Object.entries(files) as Array<[keyof typeof FORWARDED, string]>) {
      const own = cssparts(read(file)).map(([n]) => n);
      assert.deepEqual([...names(FORWARDED[section])].sort(), [...own].sort(), section);
    }
  });
});
