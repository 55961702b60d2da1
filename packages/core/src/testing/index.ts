/**
 * Test helpers for shopsync storage adapters and hosts, runner-agnostic (no node:test, no DOM):
 * the storage conformance suite and the queue's property suite (fast-check, loaded when it runs)
 * that every `StorageAdapter` must pass, a fake target whose answers a test scripts, a clock a
 * test moves by hand, and seeded randomness.
 *
 * @packageDocumentation
 * @module @shopsync/core/testing
 */
export { runStorageConformance } from './conformance.js';
export { connectorRecord } from './registry-conformance.js';
export type { SuiteHost, ConformanceOptions } from './conformance.js';
export type { NewerStorage, StorageErrorConformance } from './errors-conformance.js';
export { runQueueProperties } from './queue-properties.js';
export type { QueuePropertyOptions } from './queue-properties.js';
export { FakeTarget } from './fake-target.js';
export type { FakeTargetOptions, FakeItemBehaviour } from './fake-target.js';
export { ManualClock, flush } from './manual-clock.js';
export { seededRandom } from './random.js';
export { toQueueEntries } from '../queue/queue.js';
