import { describe, expect, it } from 'vitest';
import { createTrayFake } from '../src/fake/index.js';

// The fake is the reference the connector is tested against, so its Tray habits are pinned down here.
describe('tray fake', () => {
  const call = async (fake: ReturnType<typeof createTrayFake>, path: string, init?: RequestInit) => {
    const separator = path.includes('?') ? '&' : '?';
    const response = await fake.handle(new Request(`${fake.baseUrl}${path}${separator}access_token=${fake.tokens().accessToken}`, init));
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };

  it("answers lists in Tray's envelope with string values and a paging object capped at 50", async () => {
    const fake = createTrayFake();
    fake.seedOrders(35);
    const first = await call(fake, '/orders');
    expect(first.body['paging']).toEqual({ total: 35, page: 1, offset: 0, limit: 30, maxLimit: 50 });
    const order = (first.body['Orders'] as Array<{ Order: Record<string, unknown> }>)[0]!.Order;
    expect(typeof order['total']).toBe('string');
    // List items carry ids only; the items themselves need /orders/:id/complete.
    for (const item of order['ProductsSold'] as Array<Record<string, unknown>>) expect(Object.keys(item)).toEqual(['id']);
    expect((await call(fake, '/orders?limit=51')).status).toBe(400);
  });

  it('wraps every complete item in ProductsSold and puts the SKU in reference', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const { body } = await call(fake, `/orders/${id}/complete`);
    const items = (body['Order'] as { ProductsSold: Array<{ ProductsSold: Record<string, string> }> }).ProductsSold;
    expect(items[0]!.ProductsSold['reference']).toBe(fake.expectedOrder(id!).lines[0]!.sku);
  });

  it('filters `modified` by whole local days, single or as a range', async () => {
    const fake = createTrayFake({ startAt: '2026-03-10T02:59:58Z' }); // 23:59:58 in São Paulo
    fake.seedOrders(6); // three on the 9th, three on the 10th (local)
    const count = async (filter: string) => ((await call(fake, `/orders?modified=${filter}`)).body['Orders'] as unknown[]).length;
    expect(await count('2026-03-09')).toBe(3);
    expect(await count('2026-03-10')).toBe(3);
    expect(await count('2026-03-09,2026-03-10')).toBe(6);
    expect((await call(fake, '/orders?modified=09/03/2026')).status).toBe(400);
  });

  it('repairs a malformed order: a valid price and a later modified time', async () => {
    const fake = createTrayFake();
    const { externalId } = fake.addMalformedOrder();
    const price = async () => {
      const { body } = await call(fake, `/orders/${externalId}/complete`);
      const order = body['Order'] as { modified: string; ProductsSold: Array<{ ProductsSold: Record<string, string> }> };
      return { price: order.ProductsSold[0]!.ProductsSold['price'], modified: order.modified };
    };
    const before = await price();
    expect(before.price).toBe('R$ 19,90 (promo)');
    fake.repairMalformedOrder(externalId);
    const after = await price();
    expect(after.price).toMatch(/^\d+\.\d{2}$/);
    expect(after.modified > before.modified).toBe(true);
    expect(() => fake.repairMalformedOrder(externalId)).toThrow(/not a malformed order/);
  });

  it('demands access_token and records unknown routes as 404', async () => {
    const fake = createTrayFake();
    const anonymous = await fake.handle(new Request(`${fake.baseUrl}/orders`));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error_code: number }).error_code).toBe(1099);
    expect((await call(fake, '/orders/1/full')).status).toBe(404);
    expect((await call(fake, '/variants')).status).toBe(404);
    expect(fake.unknownRequests()).toEqual(['GET /web_api/orders/1/full', 'GET /web_api/variants']);
  });

  it('answers 429 with the wait, and 5xx on demand', async () => {
    const fake = createTrayFake();
    fake.throttleNext(1, 7);
    fake.failNext(1, 502);
    const throttled = await call(fake, '/orders');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await call(fake, '/orders')).status).toBe(502);
    expect((await call(fake, '/orders')).status).toBe(200);
  });

  it('keeps its defaults for options passed as undefined', () => {
    const fake = createTrayFake({ accessToken: undefined, storeId: undefined });
    expect(fake.credentials.accessToken).toBe(createTrayFake().credentials.accessToken);
    expect(fake.storeId).toBe('391250');
  });

  it('spends a refresh token once', async () => {
    const fake = createTrayFake();
    const refresh = (token: string) => fake.handle(new Request(`${fake.baseUrl}/auth?refresh_token=${token}`));
    const first = await refresh(fake.credentials.refreshToken);
    expect(first.status).toBe(200);
    expect((await refresh(fake.credentials.refreshToken)).status).toBe(401);
    const body = (await first.json()) as { refresh_token: string; message: string };
    expect(body.message).toBe('Refreshed tokens');
    expect((await refresh(body.refresh_token)).status).toBe(200);
  });
});
