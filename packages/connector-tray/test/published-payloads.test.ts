import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OrderPage, PlatformOrder } from '@conecta/core';
import { expectOrderToMatch } from '@conecta/core/testing';
import { createTrayConnector, parseNotification } from '../src/index.js';
import { createTrayFake, type TrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

// Payloads Tray published (its API documentation, current and 2021 versions); tests/fixtures/platforms/tray/SOURCES.md
// says where each comes from and what was changed. Each is served by the fake exactly as published.
const DIR = fileURLToPath(new URL('../../../tests/fixtures/platforms/tray/', import.meta.url));
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as Record<string, unknown>;
const expected = (name: string): unknown => read(name.replace(/\.json$/, '.expected.json'));

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

function storeWith(...records: Array<Record<string, unknown>>): TrayFake {
  const fake = createTrayFake();
  for (const record of records) fake.loadPublishedOrder(record);
  return fake;
}

describe('tray: every published payload imports through the public API', () => {
  it.each([
    ['complete-order-15-variant-without-reference.json', '15'],
    ['complete-order-85-cnpj.json', '85'],
    ['complete-order-85-cnpj-alphanumeric.json', '85'],
    ['detail-order-15.json', '15'],
    ['detail-order-1.json', '1'],
  ])('%s via getOrder', async (file, id) => {
    const fake = storeWith(read(file));
    const order = await createTrayConnector(connectorOptions(fake)).getOrder(id);
    expect(order, 'imported').not.toBeNull();
    expectOrderToMatch(order!, expected(file), file);
    expect(fake.unknownRequests()).toEqual([]);
  });

  it.each(['list-orders-coupon.json', 'list-orders-cancelled.json'])('%s via listOrders', async (file) => {
    const page = read(file);
    const fake = storeWith(...(page['Orders'] as Array<{ Order: Record<string, unknown> }>).map((entry) => entry.Order));
    const pages = await collect(createTrayConnector(connectorOptions(fake)).listOrders());
    const orders: PlatformOrder[] = pages.flatMap((entry) => entry.orders);
    expect(pages.flatMap((entry) => entry.rejected)).toEqual([]);
    const want = expected(file) as unknown[];
    expect(orders.map((order) => order.externalId)).toEqual(want.map((order) => (order as { externalId: string }).externalId));
    orders.forEach((order, index) => expectOrderToMatch(order, want[index], `${file} #${index}`));
  });

  it('webhook-order-update.json: the notification as published, form-encoded and as JSON, reads the order back', async () => {
    const file = 'webhook-order-update.json';
    const published = read(file);
    const want = expected(file) as { notification: unknown; orders: string[] };
    const fake = createTrayFake({ storeId: String(published['seller_id']) });
    // The order the notification names is not published; the fake's own order stands in under its id.
    fake.addOrder([{ reference: 'THR016-2', quantity: '1', price: '12.50' }], { id: String(published['scope_id']) });
    const connector = createTrayConnector(connectorOptions(fake, { credentials: { ...connectorOptions(fake).credentials, storeId: String(published['seller_id']) } }));
    const form = new URLSearchParams(Object.entries(published).map(([key, value]) => [key, String(value)])).toString();
    for (const [body, type] of [
      [form, 'application/x-www-form-urlencoded'],
      [JSON.stringify(published), 'application/json'],
    ] as const) {
      expect(parseNotification(body, type)).toEqual(want.notification);
      const event = await connector.parseWebhook!({ rawBody: body, headers: { 'content-type': type }, url: 'https://app.conecta.example/hooks/tray/wh-7c3f9a1e5d2b8f40' });
      expect(event.orders.map((order) => order.externalId)).toEqual(want.orders);
      expect(event.rejected).toEqual([]);
    }
  });
});
