/** Writes one benchmark's table into bench/RESULTS.md, between markers named for it, leaving the others. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const FILE = new URL('./RESULTS.md', import.meta.url);

export function writeResults(name: string, command: string, table: string[][], notes: string[] = []): void {
  const header = table[0]!;
  const md = [
    `### ${name}`,
    '',
    `Command: \`${command}\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...table.slice(1).map((r) => `| ${r.join(' | ')} |`),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let text = existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
    : '# Benchmark results\n\nFigures are ratios against a baseline measured in the same run (machines here are noisy). Each section is rewritten by its command.\n';
  const block = `${start}\n${md}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, text);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
