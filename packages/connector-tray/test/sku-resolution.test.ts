import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OrderPage } from '@conecta/core';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/tray/', import.meta.url));
const published = (name: string) => JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as Record<string, unknown>;

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const lookups = (fake: ReturnType<typeof createTrayFake>) => fake.requests().filter((entry) => entry.method === 'GET' && /\/products\/(variants\/)?\d+\?/.test(entry.url));

describe('tray: SKUs of items sent without reference', () => {
  it('resolves a backlog through the variants, one lookup per variant, and none on the next run', async () => {
    const fake = createTrayFake();
    const ids = fake.seedOrders(60);
    const connector = createTrayConnector(connectorOptions(fake, { rateLimit: { requests: 1000, burst: 1000 } }));
    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    expect(orders).toHaveLength(60);
    const withoutReference = orders.filter((order) => (order.raw as { ProductsSold: Array<{ ProductsSold: { reference: string } }> }).ProductsSold.some((item) => item.ProductsSold.reference === ''));
    expect(withoutReference.length, 'orders with an item whose reference is empty').toBeGreaterThanOrEqual(20);
    for (const order of orders) {
      expect(order.lines.map((line) => line.sku)).toEqual(fake.expectedOrder(order.externalId).lines.map((line) => line.sku));
      expect(order.lines.every((line) => line.unmatched === undefined)).toBe(true);
      // The fake's surcharges, coupons, fees and taxes all land in the breakdown; only the orders carrying an amount Tray
      // does not document warn (that amount, and the total it leaves unbalanced).
      const warned = order.warnings.map((warning) => ({ code: warning.code, ...('field' in warning ? { field: warning.field } : {}) }));
      expect(warned, `order ${order.externalId}`).toEqual(fake.expectedOrder(order.externalId).warnings);
    }
    const distinctVariants = new Set(orders.flatMap((order) => order.lines.filter((line) => line.productRef?.variantId).map((line) => line.productRef!.variantId)));
    expect(lookups(fake)).toHaveLength(distinctVariants.size);
    expect(distinctVariants.size).toBeLessThan(withoutReference.length);

    const before = lookups(fake).length;
    await connector.getOrder(ids[1]!);
    await collect(connector.listOrders());
    expect(lookups(fake).length, 'lookups on the second run').toBe(before);
  });

  it("reads the SKU from Tray's published variant and product records", async () => {
    const fake = createTrayFake();
    fake.loadPublishedCatalogue(published('variant-255.json'));
    fake.loadPublishedCatalogue(published('product.json'));
    const id = fake.addOrder([
      { reference: '', quantity: '1', price: '12.50', productId: '18', variantId: '255' },
      { reference: '', quantity: '2', price: '10.00', productId: '8' },
    ]);
    const order = await createTrayConnector(connectorOptions(fake)).getOrder(id);
    expect(order!.lines.map((line) => [line.sku, line.productRef])).toEqual([
      ['THR016-2', { productId: '18', variantId: '255' }],
      ['M01', { productId: '8' }],
    ]);
    expect(order!.warnings.filter((warning) => warning.code === 'line-unmatched')).toEqual([]);
  });

  it('keeps a line it cannot resolve, unmatched with the reason, and never borrows the product code for a variant', async () => {
    const fake = createTrayFake();
    fake.loadPublishedCatalogue(published('product.json'));
    const id = fake.addOrder([
      { reference: 'KEPT', quantity: '1', price: '1.00' },
      // Variant 204 of product 8 is listed on the product but Tray publishes no variant record for it.
      { reference: '', quantity: '1', price: '1.00', productId: '8', variantId: '204' },
      { reference: '', quantity: '1', price: '1.00', productId: '0', variantId: '0' },
    ]);
    const order = await createTrayConnector(connectorOptions(fake)).getOrder(id);
    expect(order!.lines.map((line) => line.sku ?? line.unmatched)).toEqual([
      'KEPT',
      { reason: 'sku-not-found', detail: 'the item has no reference and Tray has no variant 204' },
      { reason: 'sku-missing', detail: 'Tray sent the item without reference, variant_id or product_id' },
    ]);
    expect(order!.warnings.filter((warning) => warning.code === 'line-unmatched').map((warning) => warning.code === 'line-unmatched' && warning.lineIndex)).toEqual([1, 2]);
  });

  it('does not cache a failed lookup: the order fails this run and resolves on the next', async () => {
    const fake = createTrayFake();
    fake.loadPublishedCatalogue(published('variant-255.json'));
    const id = fake.addOrder([{ reference: '', quantity: '1', price: '12.50', productId: '18', variantId: '255' }]);
    let failing = true;
    const connector = createTrayConnector(
      connectorOptions(fake, {
        http: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
        fetch: (input, init) => {
          const request = new Request(input, init);
          if (failing && request.url.includes('/products/variants/255')) return Promise.resolve(new Response('{"message":"Internal"}', { status: 500 }));
          return fake.handle(request);
        },
      }),
    );
    await expect(connector.getOrder(id)).rejects.toMatchObject({ code: 'UPSTREAM' });
    failing = false;
    expect((await connector.getOrder(id))!.lines[0]!.sku).toBe('THR016-2');
  });
});
