// `npm run api` / `npm run api:check`: the API report of every public entry point of every
// package, made by API Extractor from the declarations `tsc -b` writes (dist/**/*.d.ts: the npm
// scripts run `tsc -b` first). One report per entry point, checked in beside its package:
// `packages/core/api/core.api.md` for `@shopsync/core`, `core-internal.api.md` for
// `@shopsync/core/internal`, and so on.
//
//   node scripts/api.mjs               writes the reports (the public API changed on purpose: commit them)
//   node scripts/api.mjs --check       fails, naming the package and showing the difference, when a
//                                      report no longer matches the API (what CI runs)
//   node scripts/api.mjs --forgotten   lists the names an entry point's API uses but no entry point
//                                      of its package exports (writes no report)
//   Any other argument keeps the entry points whose name contains it (`node scripts/api.mjs core`).
//
// Settings shared by every entry point are in api-extractor.json at the root; this script adds
// each entry's d.ts and report name. An entry point is an `exports` target with `types`.
//
// tsc prints the members of an inferred union (and of a zod enum's record) in the order their
// types were first created, which an unrelated edit or an incremental build can change: every
// report is normalized (those members sorted) so that it changes only when the API does.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const forgotten = process.argv.includes('--forgotten');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
// api-extractor.json is JSON with comments.
const base = JSON.parse(readFileSync(join(ROOT, 'api-extractor.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));

/** Workspace package directories, from the root package.json's `workspaces`. */
function packageDirs() {
  return readJson(join(ROOT, 'package.json'))
    .workspaces.flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const parent = pattern.slice(0, -2);
      return readdirSync(join(ROOT, parent)).sort().map((name) => `${parent}/${name}`);
    })
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')));
}

/** Every entry point with declarations: `{ dir, specifier, dts, report }`. */
function entryPoints() {
  const out = [];
  for (const dir of packageDirs()) {
    const pkg = readJson(join(ROOT, dir, 'package.json'));
    const unscoped = pkg.name.replace(/^@[^/]+\//, '');
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target !== 'object' || !target.types) continue;
      const sub = subpath.replace(/^\.\/?/, '');
      out.push({
        dir,
        specifier: sub ? `${pkg.name}/${sub}` : pkg.name,
        dts: join(ROOT, dir, target.types),
        report: sub ? `${unscoped}-${sub.replaceAll('/', '-')}` : unscoped,
      });
    }
  }
  return out;
}

/**
 * The report with the members of every union, and of every zod enum's record
 * (`{ a: "a"; b: "b"; }`), in sorted order; its title names the entry point.
 */
function normalize(report, specifier) {
  const open = report.indexOf('```ts\n');
  const close = report.lastIndexOf('```');
  if (open < 0 || close <= open) return report;
  const code = report.slice(open + 6, close);
  const file = ts.createSourceFile('report.d.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const isEnumRecord = (node) =>
    ts.isTypeLiteralNode(node) &&
    node.members.length > 1 &&
    node.members.every((m) => ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) && m.name.getText(file).replace(/^"|"$/g, '') === m.type.literal.text);
  /** The node's text, its children normalized. */
  const text = (node) => {
    if (ts.isUnionTypeNode(node)) {
      const parts = node.types.map(text).sort();
      return node.getText(file).includes('\n') ? node.getText(file) : parts.join(' | ');
    }
    if (isEnumRecord(node)) {
      const members = node.members.map((m) => m.getText(file));
      const sorted = [...members].sort();
      let out = node.getText(file);
      const start = node.getStart(file);
      // Replace each member's span in order, from the last, with the member that sorts there.
      const spans = node.members.map((m) => [m.getStart(file) - start, m.end - start]);
      for (let i = spans.length - 1; i >= 0; i--) out = out.slice(0, spans[i][0]) + sorted[i] + out.slice(spans[i][1]);
      return out;
    }
    let out = '';
    let at = node.getStart(file);
    ts.forEachChild(node, (child) => {
      const start = child.getStart(file);
      out += code.slice(at, start) + text(child);
      at = child.end;
    });
    return out + code.slice(at, node.end);
  };
  let normalized = code.slice(0, file.getStart(file));
  let at = file.getStart(file);
  for (const statement of file.statements) {
    normalized += code.slice(at, statement.getStart(file)) + text(statement);
    at = statement.end;
  }
  normalized += code.slice(at);
  const title = report.slice(0, open).replace(/^## API Report File for "[^"]*"/, `## API Report File for "${specifier}"`);
  return title + '```ts\n' + normalized + report.slice(close);
}

/** A unified diff of two files (diff(1) when the machine has it). */
function difference(expected, actual) {
  const diff = spawnSync('diff', ['-u', '--label', 'checked in', '--label', 'the API now', expected, actual], { encoding: 'utf8' });
  if (diff.error) return `(diff(1) is not available: compare ${expected} with ${actual})`;
  return diff.stdout;
}

const tempFolder = join(ROOT, 'node_modules', '.cache', 'api-extractor');
rmSync(tempFolder, { recursive: true, force: true });
const all = entryPoints();
const entries = all.filter((e) => only.length === 0 || only.some((o) => e.specifier.includes(o)));
const programs = new Map();
const failures = [];
const unexported = [];

/** Whether another entry point of the entry's package exports `name` (API Extractor sees one at a time). */
function exportedBySibling(entry, name) {
  const program = programs.get(entry.dir)?.program;
  if (!program || !name) return false;
  const checker = program.getTypeChecker();
  return all.some((other) => {
    if (other.dir !== entry.dir || other === entry) return false;
    const file = program.getSourceFile(other.dts);
    const symbol = file && checker.getSymbolAtLocation(file);
    return !!symbol && checker.getExportsOfModule(symbol).some((s) => s.name === name);
  });
}

for (const entry of entries) {
  if (!existsSync(entry.dts)) {
    failures.push(`${entry.specifier}: ${relative(ROOT, entry.dts)} is missing: run \`npx tsc -b\` first.`);
    continue;
  }
  const projectFolder = join(ROOT, entry.dir);
  // API Extractor writes into a scratch folder; this script decides what reaches <package>/api/.
  const scratch = join(tempFolder, entry.report);
  mkdirSync(scratch, { recursive: true });
  const messageRules = forgotten
    ? { ...base.messages, extractorMessageReporting: { ...base.messages.extractorMessageReporting, 'ae-forgotten-export': { logLevel: 'warning', addToApiReportFile: false } } }
    : base.messages;
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(ROOT, 'api-extractor.json'),
    packageJsonFullPath: join(projectFolder, 'package.json'),
    configObject: {
      ...base,
      projectFolder,
      mainEntryPointFilePath: entry.dts,
      apiReport: { ...base.apiReport, reportFileName: entry.report, reportFolder: scratch, reportTempFolder: join(scratch, 'temp') },
      messages: messageRules,
    },
  });
  // One compiler program per package, shared by its entry points (they read the same d.ts files).
  if (!programs.has(entry.dir)) {
    const dts = all.filter((e) => e.dir === entry.dir && existsSync(e.dts)).map((e) => e.dts);
    programs.set(entry.dir, CompilerState.create(config, { additionalEntryPoints: dts }));
  }
  const messages = [];
  Extractor.invoke(config, {
    compilerState: programs.get(entry.dir),
    localBuild: true,
    messageCallback: (message) => {
      // Every message not turned off in api-extractor.json fails the run: the report is only as
      // good as the analysis behind it.
      message.handled = true;
      if (message.logLevel === 'none' || message.logLevel === 'verbose' || message.logLevel === 'info') return;
      if (message.messageId.startsWith('console-api-report-')) return; // the report is compared below
      if (message.messageId === 'ae-forgotten-export') {
        const name = /The symbol "([^"]+)"/.exec(message.text)?.[1]?.replace(/_\d+$/, '');
        if (!exportedBySibling(entry, name)) unexported.push(`${entry.specifier}: ${name} (${message.formatMessageWithLocation(ROOT).split(' - ')[0]})`);
        return;
      }
      messages.push(message.formatMessageWithLocation(ROOT));
    },
  });
  if (messages.length > 0) failures.push(`${entry.specifier}: API Extractor says:\n  ${messages.join('\n  ')}`);
  if (forgotten) continue;

  const made = join(scratch, `${entry.report}.api.md`);
  if (!existsSync(made)) {
    failures.push(`${entry.specifier}: API Extractor wrote no report.`);
    continue;
  }
  const report = normalize(readFileSync(made, 'utf8'), entry.specifier);
  writeFileSync(made, report);
  const reportPath = join(projectFolder, 'api', `${entry.report}.api.md`);
  const shown = relative(ROOT, reportPath);
  const same = existsSync(reportPath) && readFileSync(reportPath, 'utf8') === report;
  if (check) {
    if (!same) {
      failures.push(
        existsSync(reportPath)
          ? `${entry.specifier} (${entry.dir}): its public API no longer matches ${shown}.\n` +
              `If the change is meant, run \`npm run api\` and commit the report with it.\n${difference(reportPath, made)}`
          : `${entry.specifier} (${entry.dir}): ${shown} is missing: run \`npm run api\` and commit it.`,
      );
    }
  } else {
    if (!same) {
      mkdirSync(join(projectFolder, 'api'), { recursive: true });
      copyFileSync(made, reportPath);
    }
    console.log(`${entry.specifier.padEnd(34)} ${shown}${same ? '' : ' (updated)'}`);
  }
}

if (forgotten) {
  console.log(unexported.length ? unexported.join('\n') : 'Every name the API uses is exported.');
  process.exit(failures.length > 0 ? 1 : 0);
}

// Reports of entry points that no longer exist.
if (only.length === 0) {
  const expected = new Set(all.map((e) => join(ROOT, e.dir, 'api', `${e.report}.api.md`)));
  for (const dir of packageDirs()) {
    const folder = join(ROOT, dir, 'api');
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (!name.endsWith('.api.md') || expected.has(path)) continue;
      if (check) failures.push(`${relative(ROOT, path)}: no entry point of ${dir} has this report any more: run \`npm run api\` to remove it.`);
      else {
        rmSync(path);
        console.log(`removed ${relative(ROOT, path)} (its entry point is gone)`);
      }
    }
  }
}

if (failures.length > 0) {
  console.error(`\n${failures.join('\n\n')}\n`);
  console.error(`api${check ? ':check' : ''}: ${failures.length} problem(s) in ${entries.length} entry points.`);
  process.exit(1);
}
console.log(`api${check ? ':check' : ''}: ${entries.length} entry points, ${check ? 'every report matches' : 'reports written'}.`);
