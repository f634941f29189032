import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, type PlatformOrder } from '@conecta/core';
import { comparableOrder } from '@conecta/core/testing';
import { mapWooCommerceOrder, WOOCOMMERCE_MAPPED_ORDER_FIELDS, WOOCOMMERCE_STATUS_LABELS, WooCommerceOrderSchema } from '../src/index.js';
import { createWooCommerceFake } from '../src/fake/index.js';
import { fieldFilter } from '../src/fake/fields.js';
import { collect, connectTo } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url));

/** Every order WooCommerce published in the fixtures: single orders, listed ones and webhook bodies. */
function publishedOrders(): Array<{ name: string; order: Record<string, unknown> }> {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
    .flatMap((name) => {
      const payload = JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as Record<string, unknown> | Array<Record<string, unknown>>;
      return (Array.isArray(payload) ? payload : [payload]).map((order, index) => ({ name: `${name} #${index}`, order }));
    });
}

const fieldsOf = (url: string) => new URL(url, 'http://store.test').searchParams.get('_fields');
const byId = (orders: PlatformOrder[]) => [...orders].sort((a, b) => Number(a.externalId) - Number(b.externalId));

describe('woocommerce: the order fields asked for', () => {
  it('are the fields the mapping reads, so an order mapped from them alone is the order mapped from the whole payload', () => {
    expect(WOOCOMMERCE_MAPPED_ORDER_FIELDS).toEqual(Object.keys(WooCommerceOrderSchema.shape));
    const published = publishedOrders();
    expect(published.length).toBeGreaterThanOrEqual(10);
    for (const { name, order } of published) {
      const reduced = fieldFilter(WOOCOMMERCE_MAPPED_ORDER_FIELDS.join(','))!(order) as Record<string, unknown>;
      // The fixtures carry more than the mapping reads (links, shipping, tax lines...): the reduction is real.
      expect(Object.keys(reduced).length, name).toBeLessThan(Object.keys(order).length);
      const whole = mapWooCommerceOrder(order, WOOCOMMERCE_STATUS_LABELS);
      const fromFields = mapWooCommerceOrder(reduced, WOOCOMMERCE_STATUS_LABELS);
      expect({ ...fromFields, raw: undefined }, name).toStrictEqual({ ...whole, raw: undefined });
    }
  });

  it('go with every order read: the listing head and snapshot and getOrder, and raw holds just those fields', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(250);
    const connector = connectTo(fake, { pageSize: 100 });
    const pages = await collect(connector.listOrders());
    const single = await connector.getOrder(ids[0]!);
    const orderReads = fake.requests().filter((entry) => new URL(entry.url, 'http://store.test').pathname.includes('/orders'));
    expect(orderReads.length).toBeGreaterThanOrEqual(5);
    for (const entry of orderReads) expect(fieldsOf(entry.url), entry.url).toBe(WOOCOMMERCE_MAPPED_ORDER_FIELDS.join(','));
    const orders = pages.flatMap((page) => page.orders);
    expect(orders).toHaveLength(250);
    for (const order of [...orders, single!]) {
      expect(Object.keys(order.raw as object).every((key) => WOOCOMMERCE_MAPPED_ORDER_FIELDS.includes(key))).toBe(true);
    }

    // The same store read for whole orders: the same canonical orders, with everything else in raw.
    const wholeFake = createWooCommerceFake();
    wholeFake.seedOrders(250);
    const whole = (await collect(connectTo(wholeFake, { pageSize: 100, orderFields: 'all' }).listOrders())).flatMap((page) => page.orders);
    expect(wholeFake.requests().every((entry) => fieldsOf(entry.url) === null)).toBe(true);
    expect(byId(whole).map(comparableOrder)).toStrictEqual(byId(orders).map(comparableOrder));
    expect(whole[0]!.raw).toHaveProperty('_links');
    expect(whole[0]!.raw).toHaveProperty('shipping');
  });

  it('add the fields a caller names to the mapped ones', async () => {
    const fake = createWooCommerceFake();
    const [id] = fake.seedOrders(1);
    const order = await connectTo(fake, { orderFields: ['shipping', 'customer_note', 'billing.company'] }).getOrder(id!);
    expect(fieldsOf(fake.requests()[0]!.url)).toBe([...WOOCOMMERCE_MAPPED_ORDER_FIELDS, 'shipping', 'customer_note', 'billing.company'].join(','));
    expect(order!.raw).toHaveProperty('shipping');
    expect(order!.raw).toHaveProperty('customer_note');
    expect(order!.raw).not.toHaveProperty('_links');
    // `billing` is asked for whole already: a sub-field of it changes nothing, as in WordPress.
    expect(Object.keys((order!.raw as { billing: object }).billing)).toContain('email');
  });

  it('refuses a value that is not a list of field names, naming the option', () => {
    const fake = createWooCommerceFake();
    for (const orderFields of ['some', ['billing,shipping'], [''], ['shipping.'], [7]] as unknown[]) {
      expect(() => connectTo(fake, { orderFields: orderFields as 'all' }), JSON.stringify(orderFields)).toThrow(ConfigurationError);
      expect(() => connectTo(fake, { orderFields: orderFields as 'all' })).toThrow(/orderFields/);
    }
  });
});

describe("the fake's _fields, as WordPress's rest_filter_response_fields applies it", () => {
  const order = { id: 1, status: 'processing', billing: { first_name: 'Ana', email: 'ana@example.com' }, line_items: [{ id: 7, sku: 'A' }], _links: { self: [] } };

  it('keeps the named fields of an answer, split on commas and spaces; no parameter keeps everything', () => {
    expect(fieldFilter(null)).toBeUndefined();
    expect(fieldFilter(' , ')).toBeUndefined();
    expect(fieldFilter('id, status,nothing')!(order)).toStrictEqual({ id: 1, status: 'processing' });
    expect(fieldFilter('id line_items')!(order)).toStrictEqual({ id: 1, line_items: [{ id: 7, sku: 'A' }] });
  });

  it('reads a dot as a nested field, ignores sub-fields of a field kept whole, and keeps no item of a list by a name', () => {
    expect(fieldFilter('billing.email')!(order)).toStrictEqual({ billing: { email: 'ana@example.com' } });
    expect(fieldFilter('billing,billing.email')!(order)).toStrictEqual({ billing: order.billing });
    expect(fieldFilter('billing.email,billing')!(order)).toStrictEqual({ billing: order.billing });
    expect(fieldFilter('line_items.sku')!(order)).toStrictEqual({ line_items: [] });
    expect(fieldFilter('line_items.0')!(order)).toStrictEqual({ line_items: [{ id: 7, sku: 'A' }] });
  });
});
