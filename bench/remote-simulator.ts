/**
 * A simulator in a child process of its own, for benchmarks: a store is another system, and the
 * client's event loop must not pay for its GraphQL execution. The bench file forks itself with
 * `--simulator`; the child serves the simulator and answers `report`, `clear` and `close`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ShopifySimulator, type SimulatorOptions } from '@shopsync/shopify/simulator';

/** Whether this process is the child a bench forked to serve its simulator. */
export const isSimulatorProcess = process.argv[2] === '--simulator';

/** What every report carries: the points, requests and root fields since the last clear. */
export interface BaseReport {
  /** Actual points charged since the last clear. */
  actual: number;
  throttled: number;
  requests: number;
  /** Root fields of the mutations sent since the last clear, counted. */
  mutations: Record<string, number>;
  /** Root fields of the queries sent since the last clear, counted. */
  queries: Record<string, number>;
  /** Actual points by root field (a request of several kinds of field counts under their names joined by `+`). */
  points: Record<string, number>;
}

/** The parent's handle on the child's simulator. */
export class RemoteSimulator<R extends BaseReport> {
  readonly #child: ChildProcess;
  url = '';
  shopDomain = '';
  primaryLocationId = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Forks `benchFile` (the caller's `import.meta.url` as a path) with `--simulator`, and waits until it serves. */
  static async start<R extends BaseReport>(benchFile: string): Promise<RemoteSimulator<R>> {
    const child = fork(benchFile, ['--simulator'], { execArgv: process.execArgv });
    const sim = new RemoteSimulator<R>(child);
    const [ready] = (await once(child, 'message')) as [{ url: string; shopDomain: string; primaryLocationId: string }];
    Object.assign(sim, ready);
    return sim;
  }

  /** The child's report, `arg` passed to its report function. */
  async report(arg: string): Promise<R> {
    this.#child.send({ type: 'report', arg });
    return ((await once(this.#child, 'message')) as [R])[0];
  }

  async clear(): Promise<void> {
    this.#child.send({ type: 'clear' });
    await once(this.#child, 'message');
  }

  async close(): Promise<void> {
    this.#child.send({ type: 'close' });
    await once(this.#child, 'exit');
  }
}

/** In the child: serves a simulator with these options; `extra` adds the bench's own figures to each report. */
export async function serveSimulator<E extends object>(options: SimulatorOptions, extra: (sim: ShopifySimulator, arg: string) => E): Promise<void> {
  const sim = await ShopifySimulator.start(options);
  process.on('message', (m: { type: 'report'; arg: string } | { type: 'clear' } | { type: 'close' }) => {
    if (m.type === 'report') {
      const log = sim.requests;
      const mutations: Record<string, number> = {};
      const queries: Record<string, number> = {};
      const points: Record<string, number> = {};
      for (const r of log) {
        for (const f of r.fields) (r.mutations > 0 ? mutations : queries)[f] = ((r.mutations > 0 ? mutations : queries)[f] ?? 0) + 1;
        const kind = [...new Set(r.fields)].sort().join('+');
        points[kind] = (points[kind] ?? 0) + (r.actualCost ?? 0);
      }
      const base: BaseReport = { actual: log.reduce((n, r) => n + (r.actualCost ?? 0), 0), throttled: sim.throttledCount, requests: log.length, mutations, queries, points };
      process.send!({ ...base, ...extra(sim, m.arg) });
    } else if (m.type === 'clear') {
      sim.clearLog();
      process.send!('cleared');
    } else void sim.close().then(() => process.exit(0));
  });
  process.send!({ url: sim.url, shopDomain: sim.shopDomain, primaryLocationId: sim.primaryLocationId });
}
