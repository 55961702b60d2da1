import { describe, it } from 'node:test';
import { MemoryStorage } from '@shopsync/core';
import { runStorageConformance } from '@shopsync/core/testing';

runStorageConformance({ describe, it }, { name: 'memory', backend: 'memory', create: () => new MemoryStorage() });
