/**
 * What the Shopify benchmarks share: pricing a document as Shopify's published rules price it
 * (the package's cost function on the exact document and a successful answer), and one timed
 * phase of the engine against the simulator in its child process, which must complete cleanly.
 */
import { performance } from 'node:perf_hooks';
import { parse } from 'graphql';
import type { Change, SyncEngine, SyncEvent } from '@shopsync/core';
import { actualCost, adminSchema } from '@shopsync/shopify/internal';
import type { BaseReport, RemoteSimulator } from './remote-simulator.js';

/** `gid://shopify/{type}/{n}`. */
export const gid = (type: string, n: number): string => `gid://shopify/${type}/${n}`;

/** The actual cost of a document whose root field is aliased `m`, given its answer, at `version`. */
export function pricer(version: string): (query: string, variables: Record<string, unknown>, answer: unknown) => number {
  const schema = adminSchema(version);
  return (query, variables, answer) => actualCost(schema, parse(query), variables, { m: answer }, undefined, version);
}

/** One timed run of the engine over `changes`, and the simulator's report after it. */
export interface Phase<R extends BaseReport> {
  ms: number;
  event: SyncEvent;
  report: R;
}

/** Enqueues `changes`, runs the engine once, and fails unless the run completed with nothing failed or left. */
export async function runPhase<R extends BaseReport>(engine: SyncEngine, sim: RemoteSimulator<R>, changes: Change[], options: { force?: boolean; reportArg?: string } = {}): Promise<Phase<R>> {
  await sim.clear();
  await engine.enqueue(changes, { force: options.force ?? false });
  const t0 = performance.now();
  const event = await engine.start();
  const ms = performance.now() - t0;
  const failed = event.iterations.reduce((n, it) => n + it.failed.categories + it.failed.products + it.failed.variants, 0);
  if (event.status !== 'completed' || failed > 0 || event.generalErrors.length || event.pending.products + event.pending.variants + event.pending.categories > 0) {
    throw new Error(`the sync did not complete cleanly: ${event.status}, ${failed} failed, ${JSON.stringify(event.generalErrors)}`);
  }
  return { ms, event, report: await sim.report(options.reportArg ?? '') };
}
