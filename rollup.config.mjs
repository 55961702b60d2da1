// One build for every package: each export of a package.json that names a `source` (.ts)
// and a `default` (.js) is bundled from the one to the other as ESM, dependencies external.
// Declarations come from `tsc -b` (npm run build:types), which runs first. A package's
// `programs` ([{ source, default }]) are built the same way: the modules its `bin` scripts run,
// which are no import a user makes (so no `exports` entry). A package may also
// name a `selfContained` entry ({ source, default }): bundled with every dependency and minified,
// for a plain <script type="module"> (the widget's `shopsync-panel.bundle.js`).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Workspace package directories, from the root package.json's `workspaces`. */
function packageDirs() {
  return readJson('package.json')
    .workspaces.flatMap((pattern) =>
      pattern.endsWith('/*') && existsSync(pattern.slice(0, -2))
        ? readdirSync(pattern.slice(0, -2)).sort().map((name) => join(pattern.slice(0, -2), name))
        : [pattern],
    )
    .filter((dir) => existsSync(join(dir, 'package.json')));
}

/** The rollup configuration of one package, or null if it exports nothing built. */
export function packageConfig(dir) {
  const pkg = readJson(join(dir, 'package.json'));
  const input = {};
  for (const target of [...Object.values(pkg.exports ?? {}), ...(pkg.programs ?? [])]) {
    if (typeof target !== 'object' || !target.source || !target.default) continue;
    input[target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = join(dir, target.source);
  }
  if (Object.keys(input).length === 0) return null;
  const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  const external = (id) => id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));
  return {
    input,
    external,
    output: { dir: join(dir, 'dist'), format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    plugins: [nodeResolve({ exportConditions: ['source'] }), esbuild({ target: 'es2022', tsconfig: join(dir, 'tsconfig.json') })],
  };
}

/** The self-contained bundle of one package, or null if it names none. */
export function selfContainedConfig(dir) {
  const entry = readJson(join(dir, 'package.json')).selfContained;
  if (!entry?.source || !entry?.default) return null;
  return {
    input: join(dir, entry.source),
    output: { file: join(dir, entry.default), format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: [nodeResolve({ exportConditions: ['source'], browser: true }), esbuild({ target: 'es2022', minify: true, tsconfig: join(dir, 'tsconfig.json') })],
  };
}

export default packageDirs()
  .flatMap((dir) => [packageConfig(dir), selfContainedConfig(dir)])
  .filter(Boolean);
