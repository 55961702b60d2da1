// The story test renders the modules listed in story-modules.ts: that list must name every
// *.stories.ts file under stories/, each imported from its own path, and nothing else.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function storyFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) storyFiles(path, out);
    else if (entry.name.endsWith('.stories.ts')) out.push(relative(root, path).split('\\').join('/'));
  }
  return out.sort();
}

test('story-modules.ts lists every story module, each under its own path', () => {
  const text = readFileSync(join(here, 'story-modules.ts'), 'utf8');
  const imports = new Map([...text.matchAll(/^import \* as (\w+) from '\.\.\/(.+)\.js';$/gm)].map((m) => [m[1]!, `${m[2]}.ts`]));
  const entries = [...text.matchAll(/^\s+'(.+\.stories\.ts)': (\w+),$/gm)].map((m) => [m[1]!, m[2]!] as const);
  for (const [path, name] of entries) assert.equal(imports.get(name), path, `${path} is listed with the module imported from ${imports.get(name)}`);
  assert.deepEqual(entries.map(([path]) => path).sort(), storyFiles(root), 'STORY_MODULES and the *.stories.ts files differ');
  assert.deepEqual([...imports.values()].sort(), storyFiles(root), 'every story module is imported once');
});
