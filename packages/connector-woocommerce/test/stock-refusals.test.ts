import { AuthError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake, type WooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

/** A connector whose batch calls get `answer` instead of the fake's reply (lookups still reach the fake). */
function withBatchAnswer(fake: WooCommerceFake, answer: (request: Request) => Promise<Response> | Response) {
  return connectTo(fake, {
    http: { baseDelayMs: 1, maxDelayMs: 2 },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      return new URL(request.url).pathname.endsWith('/batch') ? answer(request) : fake.handle(request);
    },
  });
}

describe('stock push: what the store refuses', () => {
  it('pushes the last level given for a SKU listed twice, once', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['DUP-1']);
    const result = await connectTo(fake).pushStock!([
      { sku: 'DUP-1', quantityMilli: 9000 },
      { sku: 'DUP-1', quantityMilli: 2000 },
    ]);
    expect(result).toEqual({ updated: ['DUP-1'], notFound: [], failed: [] });
    expect(fake.stockOf('DUP-1')).toBe(2000);
    expect(fake.batchCalls()).toEqual([{ path: '/products/batch', items: 1 }]);
  });

  it('reports the SKUs of a batch the store refuses as failed, and pushes the next batch', async () => {
    // A store that lowered its batch limit below the connector's batch size answers 413 to the larger batch.
    const fake = createWooCommerceFake({ batchLimit: 2 });
    const skus = ['LIM-1', 'LIM-2', 'LIM-3', 'LIM-4', 'LIM-5'];
    fake.seedProducts(skus);
    const progress: Array<[number, number]> = [];
    const result = await connectTo(fake, { batchSize: 3 }).pushStock!(
      skus.map((sku) => ({ sku, quantityMilli: 5000 })),
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(result.updated).toEqual(['LIM-4', 'LIM-5']);
    expect(result.failed.map((failure) => failure.sku)).toEqual(['LIM-1', 'LIM-2', 'LIM-3']);
    for (const failure of result.failed) {
      expect(failure.code).not.toBe('');
      expect(failure.message).toContain('Unable to accept more than 2 items');
    }
    // The refused products keep not managing stock; the pushed ones manage it now.
    expect(skus.map((sku) => fake.stockOf(sku))).toEqual([undefined, undefined, undefined, 5000, 5000]);
    expect(progress).toEqual([[3, 5], [5, 5]]);
  });

  it('a push of whole batches makes exactly one call per batch', async () => {
    const fake = createWooCommerceFake();
    const skus = ['FULL-1', 'FULL-2', 'FULL-3', 'FULL-4'];
    fake.seedProducts(skus);
    const result = await connectTo(fake, { batchSize: 2 }).pushStock!(skus.map((sku) => ({ sku, quantityMilli: 1000 })));
    expect(result.updated).toEqual(skus);
    expect(fake.batchCalls()).toEqual([
      { path: '/products/batch', items: 2 },
      { path: '/products/batch', items: 2 },
    ]);
  });

  it('sends a batch again after a 503: absolute quantities make the retry safe', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['RETRY-1']);
    let refused = 0;
    const connector = withBatchAnswer(fake, (request) => {
      if (refused === 0) {
        refused += 1;
        return Response.json({ code: 'internal_server_error', message: 'There has been a critical error on this website.' }, { status: 503 });
      }
      return fake.handle(request);
    });
    const result = await connector.pushStock!([{ sku: 'RETRY-1', quantityMilli: 6000 }]);
    expect(refused).toBe(1);
    expect(result).toEqual({ updated: ['RETRY-1'], notFound: [], failed: [] });
    expect(fake.stockOf('RETRY-1')).toBe(6000);
  });

  it('stops with an AuthError when the batch call is refused for credentials, instead of reporting each SKU', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['AUTH-1', 'AUTH-2']);
    const connector = withBatchAnswer(fake, () =>
      Response.json({ code: 'woocommerce_rest_cannot_edit', message: 'Sorry, you are not allowed to edit this resource.', data: { status: 401 } }, { status: 401 }),
    );
    await expect(connector.pushStock!([{ sku: 'AUTH-1', quantityMilli: 1000 }, { sku: 'AUTH-2', quantityMilli: 1000 }])).rejects.toBeInstanceOf(AuthError);
  });

  it('reports every SKU failed when the batch answer holds no results for them', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['EMPTY-1', 'EMPTY-2']);
    // An answer without `update`, and an empty 200 (a caching proxy, a plugin that ends the request early).
    for (const answer of [() => Response.json({}), () => new Response(null, { status: 200 })]) {
      const connector = withBatchAnswer(fake, answer);
      const result = await connector.pushStock!([{ sku: 'EMPTY-1', quantityMilli: 1000 }, { sku: 'EMPTY-2', quantityMilli: 1000 }]);
      expect(result.updated).toEqual([]);
      expect(result.failed).toEqual([
        { sku: 'EMPTY-1', code: 'UPSTREAM', message: 'woocommerce: products/batch returned no result for id 501' },
        { sku: 'EMPTY-2', code: 'UPSTREAM', message: 'woocommerce: products/batch returned no result for id 502' },
      ]);
    }
  });

  it('matches results to products by numeric id, and reads an item error without code or message', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['ID-1', 'ID-2', 'ID-3']);
    const connector = withBatchAnswer(fake, () =>
      Response.json({ update: [{ id: '501', stock_quantity: 1 }, { id: 502, error: {} }, { id: 503, stock_quantity: 1 }] }),
    );
    const result = await connector.pushStock!(['ID-1', 'ID-2', 'ID-3'].map((sku) => ({ sku, quantityMilli: 1000 })));
    expect(result.updated).toEqual(['ID-3']);
    expect(result.failed).toEqual([
      { sku: 'ID-1', code: 'UPSTREAM', message: 'woocommerce: products/batch returned no result for id 501' },
      { sku: 'ID-2', code: 'UPSTREAM', message: 'update failed' },
    ]);
  });
});
