/**
 * Text the store sends back (GraphQL error messages) is cut to a bounded length before it goes
 * into errors: with the token removed, and never inside a surrogate pair (half an emoji is not
 * valid Unicode, and would be stored or sent as U+FFFD).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionError } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import { TOKEN } from './helpers.js';

const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('text from the store, bounded', () => {
  it('a long GraphQL error is cut at a character boundary, the token removed', async () => {
    // Every odd offset puts the cut between the two halves of an emoji.
    for (const pad of [0, 1]) {
      const message = `${TOKEN} ${'a'.repeat(pad)}${'😀'.repeat(1_500)}`;
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message }] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retry: { maxAttempts: 1, baseMs: 0, maxMs: 0 } });
        const config = { id: 'c', shopDomain: 'scrub.myshopify.com', apiVersion: '2025-01', enabled: true, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en', locations: {}, publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false };
        const err = await target.connect({ connectorId: 'c', config, signal: new AbortController().signal, log: () => undefined }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof ConnectionError, String(err));
        assert.ok(err.message.length < 1_100, `bounded: ${err.message.length}`);
        assert.ok(err.message.includes('…'), 'cut');
        assert.ok(wellFormed(err.message), `pad ${pad}: ends ${JSON.stringify(err.message.slice(-3))}`);
        assert.ok(!err.message.includes(TOKEN));
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
  });
});
