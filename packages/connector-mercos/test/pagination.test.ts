import { UpstreamError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { decodeMercosCursor } from '../src/index.js';
import { alteradoAposOf, collect, setup } from './helpers.js';

describe('listOrders across MEUSPEDIDOS_LIMITOU_REGISTROS pages', () => {
  it('continues inside a second shared across a page boundary, losing and repeating nothing', async () => {
    // 4 orders per second and 5 per page: every page ends in the middle of a second.
    const { fake, connector } = setup({ pageSize: { orders: 5 }, recordsPerSecond: 4 });
    const ids = fake.seedOrders(23);

    const pages = await collect(connector.listOrders());
    const seen = pages.flatMap((page) => page.orders.map((order) => order.externalId));
    expect(seen).toEqual(ids);

    const split = pages.slice(1).filter((page, index) => page.orders[0]!.updatedAt === pages[index]!.orders.at(-1)!.updatedAt);
    expect(split.length, 'pages that begin in the second the previous page ended in').toBeGreaterThan(0);

    const limited = fake.requests().filter((entry) => entry.url.startsWith('/v2/pedidos?'));
    expect(limited.length).toBe(pages.length);
    // Each continuation asks from one second before the last stamp delivered, so the shared second comes back.
    const asked = alteradoAposOf(fake, '/v2/pedidos');
    for (const [index, page] of pages.slice(0, -1).entries()) {
      const { after } = decodeMercosCursor(page.cursor);
      const previousSecond = new Date(Date.parse(`${after.replace(' ', 'T')}Z`) - 1000).toISOString().slice(0, 19).replace('T', ' ');
      expect(asked[index + 1]).toBe(previousSecond);
    }
  });

  it('a cursor saved in the middle of a second resumes with exactly the remaining orders', async () => {
    const { fake, connector } = setup({ pageSize: { orders: 5 }, recordsPerSecond: 4 });
    const ids = fake.seedOrders(18);
    const pages = await collect(connector.listOrders());
    for (const [index, page] of pages.entries()) {
      const before = pages.slice(0, index + 1).flatMap((p) => p.orders.map((o) => o.externalId));
      const rest = await collect(connector.listOrders({ cursor: page.cursor }));
      expect([...before, ...rest.flatMap((p) => p.orders.map((o) => o.externalId))]).toEqual(ids);
    }
  });

  it('fails loudly when more orders share one second than a page holds', async () => {
    // The 5 catalog products and the first 7 orders are stamped in the same second.
    const { fake, connector } = setup({ pageSize: { orders: 5 }, recordsPerSecond: 12 });
    fake.seedOrders(10);
    const error = await collect(connector.listOrders()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(/shares 2026-03-02 09:00:00/);
  });

  it('starts at `since` (Brasília wall time, one second before, as Mercos filters strictly after)', async () => {
    const { fake, connector } = setup({ recordsPerSecond: 1 });
    const ids = fake.seedOrders(6); // 09:00:00 .. 09:00:05 local = 12:00:00Z .. 12:00:05Z; products take earlier seconds
    const orders = (await collect(connector.listOrders({ since: '2026-03-02T12:00:07Z' }))).flatMap((page) => page.orders);
    expect(alteradoAposOf(fake, '/v2/pedidos')[0]).toBe('2026-03-02 09:00:06');
    expect(orders.map((order) => order.externalId)).toEqual(ids.slice(-4));
    expect(orders[0]!.updatedAt).toBe('2026-03-02T12:00:07.000Z');
  });

  it('sends registros_por_pagina when configured', async () => {
    const { fake, make } = setup({ recordsPerSecond: 1 });
    fake.seedOrders(7);
    const pages = await collect(make({ ordersPerPage: 3 }).listOrders());
    // Each continuation gets the last delivered order again (its second is asked again) and drops it.
    expect(pages.map((page) => page.orders.length)).toEqual([3, 2, 2]);
    expect(fake.requests()[0]!.url).toContain('registros_por_pagina=3');
  });

  it('rejects a cursor that is not its own', async () => {
    const { connector } = setup();
    await expect(collect(connector.listOrders({ cursor: '{"page":2}' }))).rejects.toThrow(/cursor/);
  });
});
