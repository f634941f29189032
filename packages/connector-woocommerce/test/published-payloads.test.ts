import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hmacSha256Base64 } from '@conecta/core/http';
import { expectOrderToMatch } from '@conecta/core/testing';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo } from './helpers.js';

// Payloads WooCommerce published (its REST API docs, its iOS app's test fixtures) and one a public client logged from
// a Brazilian store; tests/fixtures/platforms/woocommerce/SOURCES.md says where each comes from and what was changed.
const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/woocommerce/', import.meta.url));
const text = (name: string): string => readFileSync(`${DIR}${name}`, 'utf8');
const read = (name: string): unknown => JSON.parse(text(name));
const expected = (name: string): unknown => read(name.replace(/\.json$/, '.expected.json'));

describe('woocommerce: every published payload imports through the public API', () => {
  it.each([
    'order-727.json',
    'order-963-fee-coupon.json',
    'order-963-numeric-sku.json',
    'order-609-fully-refunded.json',
    'order-324-partially-refunded.json',
    'order-211-tax.json',
    'order-526-free-shipping.json',
    'order-3207-html-entities.json',
  ])('%s via getOrder', async (file) => {
    const fake = createWooCommerceFake();
    const id = fake.loadPublishedOrder(read(file) as Record<string, unknown>);
    const order = await connectTo(fake).getOrder(id);
    expect(order, 'imported').not.toBeNull();
    expectOrderToMatch(order!, expected(file), file);
    expect(fake.unknownRequests()).toEqual([]);
  });

  it.each(['orders-list-727-723.json', 'orders-list-ios.json'])('%s via listOrders', async (file) => {
    const fake = createWooCommerceFake();
    for (const order of read(file) as Array<Record<string, unknown>>) fake.loadPublishedOrder(order);
    const pages = await collect(connectTo(fake).listOrders());
    expect(pages.flatMap((page) => page.rejected)).toEqual([]);
    const orders = pages.flatMap((page) => page.orders);
    const want = expected(file) as Array<{ externalId: string }>;
    expect(orders.map((order) => order.externalId)).toEqual(want.map((order) => order.externalId));
    orders.forEach((order, index) => expectOrderToMatch(order, want[index], `${file} #${index}`));
  });

  it.each(['webhook-order-1211-cpf.json', 'webhook-order-1211-cnpj.json', 'webhook-order-1211-cnpj-alphanumeric.json'])('%s via parseWebhook, signed as WooCommerce signs', async (file) => {
    const fake = createWooCommerceFake();
    const body = text(file);
    const event = await connectTo(fake).parseWebhook!({
      rawBody: body,
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': 'order.updated',
        'x-wc-webhook-resource': 'order',
        'x-wc-webhook-event': 'updated',
        'x-wc-webhook-id': '3',
        'x-wc-webhook-delivery-id': 'published-1211',
        'x-wc-webhook-signature': hmacSha256Base64(fake.webhookSecret, body),
      },
    });
    expect(event.rejected).toEqual([]);
    expect(event.orders).toHaveLength(1);
    expectOrderToMatch(event.orders[0]!, expected(file), file);
  });
});
