/**
 * The queue's algebra against a plain model (test/support/queue-properties.ts), on MemoryStorage.
 * Runs in Node and in Chromium; the durable adapters run the same properties in their own tests.
 */
import { describe, it } from 'node:test';
import { MemoryStorage } from '@shopsync/core';
import { runQueueProperties } from '../../../test/support/queue-properties.js';

runQueueProperties({ describe, it }, { name: 'memory', create: () => new MemoryStorage(), runs: 1_000 });
