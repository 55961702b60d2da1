// Test helpers for shopsync adapters and hosts. Runner-agnostic: no node:test, no DOM.
export { runStorageConformance } from './conformance.js';
export { connectorRecord } from './registry-conformance.js';
export type { SuiteHost, ConformanceOptions } from './conformance.js';
export { FakeTarget } from './fake-target.js';
export type { FakeTargetOptions, FakeItemBehaviour } from './fake-target.js';
export { ManualClock, flush } from './manual-clock.js';
export { AssertionFailed, ok, equal, deepEqual, rejects } from './assert.js';
export { seededRandom } from './random.js';
