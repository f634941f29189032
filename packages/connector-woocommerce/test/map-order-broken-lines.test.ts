import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../tests/support/rejection.js';
import { createWooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url));
/** WooCommerce's own `GET /orders/727` example: line 315 sent with `sku: ""` (product 93), line 316 with its SKU. */
const order727 = () => JSON.parse(readFileSync(`${DIR}order-727.json`, 'utf8')) as Record<string, unknown> & { line_items: unknown[] };

const productLookups = (fake: ReturnType<typeof createWooCommerceFake>) => fake.requests().filter((entry) => entry.url.includes('/products'));

async function getOrderError(fake: ReturnType<typeof createWooCommerceFake>, order: Record<string, unknown>): Promise<ValidationError> {
  return rejectionOf(connectTo(fake).getOrder(fake.loadPublishedOrder(order)), ValidationError);
}

describe('woocommerce: lines too broken to look up', () => {
  it('a line whose product or variation id is not an integer costs no lookup, and the rejection names the id', async () => {
    for (const [field, value] of [['product_id', '93'], ['variation_id', null]] as const) {
      const fake = createWooCommerceFake();
      const order = order727();
      (order.line_items[0] as Record<string, unknown>)[field] = value;
      const error = await getOrderError(fake, order);
      expect(error.path).toBe(`line_items.0.${field}`);
      expect(productLookups(fake), field).toEqual([]);
    }
  });

  it('line items sent as an object (a PHP list with gaps) or a line that is null cost no lookup and are named', async () => {
    const cases: Array<[string, (order: ReturnType<typeof order727>) => void]> = [
      ['line_items', (order) => (order['line_items'] = Object.fromEntries(order.line_items.map((line, index) => [String(index * 2), line])) as never)],
      ['line_items.0', (order) => (order.line_items[0] = null)],
    ];
    for (const [path, breakIt] of cases) {
      const fake = createWooCommerceFake();
      const order = order727();
      breakIt(order);
      const error = await getOrderError(fake, order);
      expect(error.path).toBe(path);
      expect(productLookups(fake), path).toEqual([]);
    }
  });

  it('a SKU typed as spaces alone is no SKU: the line is looked up through its product', async () => {
    const fake = createWooCommerceFake();
    const order = order727();
    (order.line_items[0] as Record<string, unknown>)['sku'] = '  ';
    const id = fake.loadPublishedOrder(order);
    const mapped = (await connectTo(fake).getOrder(id))!;
    expect(mapped.lines[0]!.sku).toBeUndefined();
    expect(mapped.lines[0]!.unmatched).toEqual({ reason: 'sku-not-found', detail: 'the line has no SKU and the store has no product 93' });
    expect(productLookups(fake).map((entry) => entry.url)).toEqual(['/wp-json/wc/v3/products/93']);
  });
});

describe('woocommerce: a listing entry that is not an order', () => {
  it('is reported rejected while the rest of the page goes through', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(3);
    // A caching plugin or proxy that mangles one entry of a page: `null` where an order was.
    const connector = connectTo(fake, {
      fetch: async (input, init) => {
        const response = await fake.handle(new Request(input, init));
        if (!new URL(new Request(input, init).url).pathname.endsWith('/orders')) return response;
        const body = (await response.json()) as unknown[];
        return Response.json(body.length > 0 ? [...body, null] : body, { headers: response.headers });
      },
    });
    const pages: Array<{ orders: Array<{ externalId: string }>; rejected: Array<{ externalId?: string; error: ValidationError }> }> = [];
    for await (const page of connector.listOrders()) pages.push(page);
    expect(pages.flatMap((page) => page.orders.map((order) => order.externalId)).sort()).toEqual([...ids].sort());
    const rejected = pages.flatMap((page) => page.rejected);
    expect(rejected.length).toBeGreaterThan(0);
    for (const entry of rejected) {
      expect(entry.externalId).toBeUndefined();
      expect(entry.error).toBeInstanceOf(ValidationError);
    }
  });
});
