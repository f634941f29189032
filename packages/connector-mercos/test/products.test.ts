import { describe, expect, it } from 'vitest';
import { collect, setup } from './helpers.js';

const productRequests = (requests: Array<{ url: string }>) => requests.filter((entry) => entry.url.startsWith('/v1/produtos'));

describe('SKU join from the product codigo', () => {
  it('by id: one product request per product, however many orders and listings use it', async () => {
    const { fake, connector } = setup();
    const ids = fake.seedOrders(30); // 30 orders over the fake's 5 coded products and 1 without a code
    const first = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    fake.seedOrders(4);
    await collect(connector.listOrders({ cursor: undefined }));
    const byId = productRequests(fake.requests()).map((entry) => entry.url);
    expect(byId).toHaveLength(6);
    expect(new Set(byId).size).toBe(6);
    for (const url of byId) expect(url).toMatch(/^\/v1\/produtos\/\d+$/);
    for (const order of first) expect(order.lines.map((line) => line.sku)).toEqual(fake.expectedOrder(order.externalId).lines.map((line) => line.sku));
    expect(first.map((order) => order.externalId)).toEqual(ids);
  });

  it('catalog: mirrors /v1/produtos by alterado_apos and never asks by id', async () => {
    const { fake, make } = setup({ pageSize: { products: 3 }, recordsPerSecond: 2 });
    fake.seedOrders(6);
    const connector = make({ productLookup: 'catalog' });
    const orders = (await collect(connector.listOrders())).flatMap((page) => page.orders);
    for (const order of orders) expect(order.lines).toEqual(fake.expectedOrder(order.externalId).lines.map((line) => expect.objectContaining(line) as unknown));
    const urls = productRequests(fake.requests()).map((entry) => entry.url);
    expect(urls.every((url) => url.startsWith('/v1/produtos?'))).toBe(true);
    expect(urls.length, '5 products, 3 per page: the limited page was continued').toBe(2);
    await collect(connector.listOrders());
    expect(productRequests(fake.requests())).toHaveLength(urls.length);
  });
});
