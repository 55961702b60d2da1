/**
 * The queue's algebra against a plain model (core's testing entry: `runQueueProperties`), on
 * MemoryStorage. Runs in Node and in Chromium; each durable adapter runs the same suite in its
 * own tests.
 */
import { describe, it } from 'node:test';
import { MemoryStorage } from '@shopsync/core';
import { runQueueProperties } from '@shopsync/core/testing';

runQueueProperties({ describe, it }, { name: 'memory', create: () => new MemoryStorage(), runs: 1_000 });
