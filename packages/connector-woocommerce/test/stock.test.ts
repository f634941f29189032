import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

describe('stock push', () => {
  it('splits updates into batches of at most 100', async () => {
    const fake = createWooCommerceFake();
    const skus = Array.from({ length: 250 }, (_, index) => `SKU-${index}`);
    fake.seedProducts(skus);
    const progress: Array<[number, number]> = [];
    const result = await connectTo(fake).pushStock!(
      skus.map((sku, index) => ({ sku, quantityMilli: index * 1000 })),
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(fake.batchCalls()).toEqual([
      { path: '/products/batch', items: 100 },
      { path: '/products/batch', items: 100 },
      { path: '/products/batch', items: 50 },
    ]);
    expect(result.updated).toHaveLength(250);
    expect(fake.stockOf('SKU-249')).toBe(249_000);
    expect(progress).toEqual([[100, 250], [200, 250], [250, 250]]);
  });

  it('never sends more than 100 items even when batchSize asks for more', async () => {
    const fake = createWooCommerceFake();
    const skus = Array.from({ length: 120 }, (_, index) => `B-${index}`);
    fake.seedProducts(skus);
    await connectTo(fake, { batchSize: 500 }).pushStock!(skus.map((sku) => ({ sku, quantityMilli: 1000 })));
    expect(fake.batchCalls().map((call) => call.items)).toEqual([100, 20]);
  });

  it('finds a variation by SKU and updates it through its parent’s variations batch', async () => {
    const fake = createWooCommerceFake();
    const [blue] = fake.seedVariableProduct('CANECA', ['CANECA-AZUL', 'CANECA-VERDE']);
    const result = await connectTo(fake).pushStock!([{ sku: 'CANECA-AZUL', quantityMilli: 4_900 }]);
    expect(result).toEqual({ updated: ['CANECA-AZUL'], notFound: [], failed: [] });
    expect(fake.stockOf('CANECA-AZUL')).toBe(4_000); // whole units, rounded down
    expect(fake.batchCalls()).toEqual([{ path: `/products/${blue! - 1}/variations/batch`, items: 1 }]);
  });

  it('on stores whose SKU search skips variations, finds them only with variationSkuFallback', async () => {
    const fake = createWooCommerceFake({ legacySkuSearch: true });
    fake.seedVariableProduct('CANECA', ['CANECA-AZUL']);
    fake.seedProducts(['SIMPLE-1']);
    const levels = [
      { sku: 'CANECA-AZUL', quantityMilli: 2_000 },
      { sku: 'SIMPLE-1', quantityMilli: 1_000 },
    ];
    const without = await connectTo(fake).pushStock!(levels);
    expect(without.notFound).toEqual(['CANECA-AZUL']);
    const withFallback = await connectTo(fake, { variationSkuFallback: true }).pushStock!(levels);
    expect(withFallback.notFound).toEqual([]);
    expect(fake.stockOf('CANECA-AZUL')).toBe(2_000);
  });

  it('reports per-item errors returned inside a 200 batch answer', async () => {
    const fake = createWooCommerceFake({ batchLimit: 100 });
    fake.seedProducts(['OK-1']);
    const connector = connectTo(fake, {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const isBatch = new URL(request.url).pathname.endsWith('/batch');
        const response = await fake.handle(request);
        if (!isBatch) return response;
        const body = (await response.json()) as { update: Array<Record<string, unknown>> };
        body.update[0] = { id: body.update[0]!['id'], error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } };
        return Response.json(body);
      },
    });
    const result = await connector.pushStock!([{ sku: 'OK-1', quantityMilli: 1_000 }]);
    expect(result.failed).toEqual([{ sku: 'OK-1', code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.' }]);
    expect(result.updated).toEqual([]);
  });
});
