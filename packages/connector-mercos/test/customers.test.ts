import { describe, expect, it } from 'vitest';
import { collect, setup } from './helpers.js';

const customerReads = (fake: ReturnType<typeof setup>['fake']) => fake.requests().filter((entry) => entry.url.startsWith('/v1/clientes/'));

describe('mercos customers (orders name only cliente_id)', () => {
  it('reads each customer once for a backlog, and reports its document, name, e-mail and phone', async () => {
    const { fake, connector } = setup({ pageSize: { orders: 5 } });
    const ids = fake.seedOrders(12);
    const pages = await collect(connector.listOrders());
    const orders = pages.flatMap((page) => page.orders);
    expect(orders.map((order) => order.externalId)).toEqual(ids);
    // 12 orders, 3 pages, 3 customers: 3 reads, not 12.
    expect(customerReads(fake)).toHaveLength(3);
    for (const order of orders) {
      const expected = fake.expectedCustomer(order.externalId);
      expect(order.customer).toEqual({ name: expected.name, email: expected.email, document: expected.document, phone: expected.phone });
    }
    // CPF, numeric CNPJ and alphanumeric CNPJ customers all come through normalised.
    expect(new Set(orders.map((order) => order.customer.document))).toEqual(new Set(['46487899000110', '12ABC34501DE35', '52998224725']));

    await collect(connector.listOrders());
    expect(customerReads(fake)).toHaveLength(3);
  });

  it('reads again once the cache entry is older than customerCache.ttlMs', async () => {
    const { fake, make } = setup();
    fake.seedOrders(3);
    const connector = make({ customerCache: { ttlMs: 0 } });
    await collect(connector.listOrders());
    await collect(connector.listOrders());
    expect(customerReads(fake)).toHaveLength(6);
  });

  it('goes through the CompanyToken lane: a 429 on a customer read is waited out, not skipped', async () => {
    const { fake, connector } = setup();
    const [id] = fake.seedOrders(1);
    // Order page first, then the throttled customer read.
    const original = fake.handle.bind(fake);
    let throttled = false;
    (fake as { handle: typeof fake.handle }).handle = async (request) => {
      if (!throttled && new URL(request.url).pathname.includes('/v1/clientes/')) {
        throttled = true;
        fake.throttleNext(1, 0.2);
      }
      return original(request);
    };
    const order = await connector.getOrder(id!);
    expect(order?.customer.document).toBe(fake.expectedCustomer(id!).document);
    expect(fake.violations()).toEqual([]);
    expect(customerReads(fake).map((entry) => entry.status)).toEqual([429, 200]);
  });
});
