import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url));
const published = (name: string) => JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as Record<string, unknown>;

const lookups = (fake: ReturnType<typeof createWooCommerceFake>) =>
  fake.requests().filter((entry) => entry.method === 'GET' && /\/products\/\d+(\/variations\/\d+)?(\?|$)/.test(entry.url));

describe('woocommerce: SKUs of lines sent without one', () => {
  it('resolves a backlog through the variations, one lookup per variation, and none on the next run', async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(90);
    const connector = connectTo(fake);
    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    expect(orders).toHaveLength(90);
    const blank = orders.filter((order) => {
      const raw = order.raw as { line_items: Array<{ sku: string }> };
      return raw.line_items.some((line) => line.sku === '');
    });
    expect(blank.length, 'orders with a line sent with sku ""').toBeGreaterThan(20);
    for (const order of orders) {
      const expected = fake.expectedOrder(order.externalId);
      expect(order.lines.map((line) => line.sku)).toEqual(expected.lines.map((line) => line.sku));
      // Every line sent with sku "" is matched through its product; only a deleted product's line stays unmatched.
      expect(order.lines.map((line) => line.unmatched?.reason)).toEqual(expected.lines.map((line) => line.unmatched?.reason));
      // The fake's surcharges, coupons, fees and taxes all land in the breakdown: every total adds up, and the only
      // warning is the deleted product's line.
      const warned = order.warnings.map((warning) => ({ code: warning.code, ...('lineIndex' in warning ? { lineIndex: warning.lineIndex } : {}), ...('field' in warning ? { field: warning.field } : {}) }));
      expect(warned, `order ${order.externalId}`).toEqual(expected.warnings);
    }
    const variations = new Set(blank.flatMap((order) => order.lines.filter((line) => line.productRef?.variantId).map((line) => line.productRef!.variantId)));
    expect(lookups(fake)).toHaveLength(variations.size);
    expect(variations.size).toBeLessThan(blank.length);

    const before = lookups(fake).length;
    await collect(connector.listOrders());
    await connector.getOrder(blank[0]!.externalId);
    expect(lookups(fake).length, 'lookups on the second run').toBe(before);
  });

  it("keeps the docs' order 727 whole: its line without SKU is unmatched with the reason, the other line matched", async () => {
    const fake = createWooCommerceFake();
    const id = fake.loadPublishedOrder(published('order-727.json'));
    const order = await connectTo(fake).getOrder(id);
    expect(order!.lines.map((line) => line.sku ?? line.unmatched)).toEqual([
      { reason: 'sku-not-found', detail: 'the line has no SKU and the store has no product 93' },
      'Bar3',
    ]);
    expect(fake.requests().filter((entry) => entry.url.startsWith('/wp-json/wc/v3/products/93'))).toHaveLength(1);
  });

  it('finds the SKU of a line sent with sku "" once the product exists, and says when the product was deleted', async () => {
    const fake = createWooCommerceFake();
    fake.seedProducts(['TESTE-SIMPLES']);
    const raw = published('webhook-order-1211-cpf.json');
    const lines = raw['line_items'] as Array<Record<string, unknown>>;
    // The store's first product (id 501) stands in for the published line's product 11; the second line is deleted.
    lines[0]!['product_id'] = 501;
    Object.assign(lines[1]!, { product_id: 0, sku: null });
    const id = fake.loadPublishedOrder(raw);
    const order = await connectTo(fake).getOrder(id);
    expect(order!.lines.map((line) => line.sku ?? line.unmatched)).toEqual([
      'TESTE-SIMPLES',
      { reason: 'sku-not-found', detail: 'the product was deleted from the store (product_id 0)' },
    ]);
  });
});
