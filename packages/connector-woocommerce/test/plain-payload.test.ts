import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { WooCommerceOrderSchema } from '../src/orders/map-order.js';
import { isPlainWooOrder } from '../src/orders/plain-payload.js';

const ABSENT = Symbol('absent');
const record = (entries: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== ABSENT));

/** Valid forms mostly, and the neighbours the schema refuses (or accepts) around them. */
const odd = fc.constantFrom<unknown>(ABSENT, undefined, null, '', '7', 7, -1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, {}, [], true);
const text = fc.oneof({ weight: 25, arbitrary: fc.constantFrom('129.90', '0.00', 'Camiseta', '2024-05-01T12:00:03', '') }, { weight: 1, arbitrary: odd });
const integer = fc.oneof({ weight: 25, arbitrary: fc.integer({ min: 0, max: 5000 }) }, { weight: 1, arbitrary: odd });
const optionalText = fc.oneof({ weight: 20, arbitrary: fc.constantFrom<unknown>(ABSENT, 'x', '') }, { weight: 1, arbitrary: odd });
const address = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ first_name: optionalText, last_name: optionalText, company: optionalText, email: fc.oneof(optionalText, fc.constant(null)), phone: optionalText, persontype: optionalText, cpf: optionalText, cnpj: optionalText, city: odd })
      .map(record),
  },
  { weight: 1, arbitrary: odd },
);
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({ id: integer, name: text, product_id: integer, variation_id: integer, quantity: fc.oneof(fc.integer({ min: 0, max: 5 }), odd), subtotal: text, total: text, sku: fc.oneof(fc.constantFrom<unknown>('SKU-1', '', null, 123, ABSENT), odd), taxes: odd })
      .map(record),
  },
  { weight: 1, arbitrary: odd },
);
const amounts = fc.oneof({ weight: 3, arbitrary: fc.array(fc.oneof(fc.record({ total: text, id: odd }).map(record), odd), { maxLength: 2 }) }, { weight: 1, arbitrary: odd });
const meta = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.record({ key: fc.oneof(fc.constant('_billing_cpf'), odd), value: odd, id: odd }).map(record), odd), { maxLength: 2 }) },
  { weight: 1, arbitrary: odd },
);
const payload = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .record({
        id: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 10_000 }) }, { weight: 1, arbitrary: odd }),
        number: fc.oneof(fc.constantFrom<unknown>('1073', 1073), odd),
        status: text,
        date_created_gmt: text,
        date_modified_gmt: text,
        discount_total: text,
        shipping_total: text,
        total_tax: fc.oneof(text, fc.constant(ABSENT)),
        total: text,
        billing: fc.oneof(address, fc.constant(ABSENT)),
        line_items: fc.oneof({ weight: 6, arbitrary: fc.array(line, { maxLength: 3 }) }, { weight: 1, arbitrary: odd }),
        fee_lines: fc.oneof(amounts, fc.constant(ABSENT)),
        refunds: fc.oneof(amounts, fc.constant(ABSENT)),
        meta_data: fc.oneof(meta, fc.constant(ABSENT)),
        currency: odd,
      })
      .map(record),
  },
  { weight: 1, arbitrary: odd },
);

describe('plain check of WooCommerce order payloads', () => {
  it('never accepts a payload the schema refuses, and accepts most that it accepts', () => {
    let accepted = 0;
    let both = 0;
    fc.assert(
      fc.property(payload, (raw) => {
        const plain = isPlainWooOrder(raw);
        const schema = WooCommerceOrderSchema.safeParse(raw).success;
        if (plain) expect(schema).toBe(true);
        if (schema) accepted += 1;
        if (schema && plain) both += 1;
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(both).toBeGreaterThan(accepted * 0.9);
  }, 60_000);

  it("accepts the fake store's payloads, as the real ones are shaped", async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(60, { status: 'processing' });
    const response = await fake.handle(new Request(`${fake.baseUrl}/wp-json/wc/v3/orders?per_page=100`, { headers: { authorization: `Basic ${btoa(`${fake.consumerKey}:${fake.consumerSecret}`)}` } }));
    const orders = (await response.json()) as unknown[];
    expect(orders).toHaveLength(60);
    for (const order of orders) expect(isPlainWooOrder(order)).toBe(true);
  });
});
