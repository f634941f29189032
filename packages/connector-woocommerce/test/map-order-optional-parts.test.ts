import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapWooCommerceOrder } from '../src/orders/map-order.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url));
/** WooCommerce's own `GET /orders/727` example (taxes 1.35, shipping 10.00, no fee lines, one meta entry). */
const order727 = () =>
  JSON.parse(readFileSync(`${DIR}order-727.json`, 'utf8')) as Record<string, unknown> & {
    line_items: Array<Record<string, unknown>>;
    billing: Record<string, unknown>;
  };

const map = (raw: unknown) => mapWooCommerceOrder(raw, {}, new Map([[0, { sku: 'FOO-93' }]]));

describe('woocommerce mapping: the parts the schema lets a store leave out', () => {
  it('an order without total_tax or fee_lines has no taxes and no fees in its breakdown', () => {
    const order = order727();
    delete order['total_tax'];
    delete order['fee_lines'];
    expect(map(order).totals).toMatchObject({ taxCents: 0, feesCents: 0, shippingCents: 1000, totalCents: 2935 });
  });

  it('a billing address that names only the company names the customer by it', () => {
    const order = order727();
    order.billing = { company: 'Comércio Exemplo Ltda', email: 'compras@example.com' };
    expect(map(order).customer).toEqual({ name: 'Comércio Exemplo Ltda', email: 'compras@example.com' });
    order.billing = { last_name: 'Doe', company: 'Ignored' };
    expect(map(order).customer.name).toBe('Doe');
  });

  it('keeps a variation id even when the parent product id is 0', () => {
    const order = order727();
    order.line_items[1]!['product_id'] = 0;
    expect(map(order).lines[1]!.productRef).toEqual({ variantId: '23' });
    order.line_items[1]!['variation_id'] = 0;
    expect(map(order).lines[1]!.productRef).toBeUndefined();
  });
});
