import { describe, expect, it } from 'vitest';
import { ValidationError, instantToLocalDateTime, type Connector, type OrderPage } from '@conecta/core';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const ids = (pages: OrderPage[]) => pages.flatMap((page) => page.orders.map((order) => order.externalId));

describe('tray incremental listing', () => {
  it('splits a page inside one second and resumes without losing or repeating the rest of that second', async () => {
    const fake = createTrayFake();
    // The fake puts three orders in each store second: pages of 4 end in the middle of a second.
    const seeded = fake.seedOrders(9);
    const connector = createTrayConnector(connectorOptions(fake, { pageSize: 4 }));
    const first = (await connector.listOrders()[Symbol.asyncIterator]().next()).value as OrderPage;
    const cursor = JSON.parse(first.cursor) as { modified: string; ids: string[] };
    const lastSecond = first.orders.at(-1)!.updatedAt;
    const sharing = first.orders.filter((order) => order.updatedAt === lastSecond).map((order) => order.externalId);
    expect(sharing.length).toBeLessThan(3);
    expect(cursor.ids).toEqual(sharing);
    expect(cursor.modified).toBe(instantToLocalDateTime(lastSecond));

    const rest = await collect(connector.listOrders({ cursor: first.cursor }));
    expect([...ids([first]), ...ids(rest)]).toEqual(seeded);
  });

  it('picks up an order that lands in the cursor second after the cursor was saved', async () => {
    const fake = createTrayFake();
    const [a, b] = fake.seedOrders(2);
    const connector = createTrayConnector(connectorOptions(fake));
    const pages = await collect(connector.listOrders());
    expect(ids(pages)).toEqual([a, b]);
    const [c] = fake.seedOrders(1); // third order of the same store second
    expect(fake.expectedOrder(c!)).toBeDefined();
    const more = await collect(connector.listOrders({ cursor: pages.at(-1)!.cursor }));
    expect(ids(more)).toEqual([c]);
    const after = await collect(connector.listOrders({ cursor: more.at(-1)!.cursor }));
    expect(after).toEqual([]);
  });

  it('lists an order changed during the run again on the next run', async () => {
    const fake = createTrayFake();
    const seeded = fake.seedOrders(6);
    let changed = false;
    const connector = createTrayConnector(
      connectorOptions(fake, {
        concurrency: 1,
        // The first item read happens after the list snapshot: change an order Tray already listed.
        fetch: (input, init) => {
          const request = new Request(input, init);
          if (!changed && request.url.includes('/complete')) {
            changed = true;
            fake.modifyOrder(seeded[2]!, { status: 'ENVIADO' });
          }
          return fake.handle(request);
        },
      }),
    );
    const run = await collect(connector.listOrders());
    expect(ids(run)).toEqual(seeded);
    const again = await collect(connector.listOrders({ cursor: run.at(-1)!.cursor }));
    expect(ids(again)).toEqual([seeded[2]]);
    expect(again[0]!.orders[0]!.status).toBe('ENVIADO');
  });

  it('asks Tray only for the days since the cursor, with a bounded page size', async () => {
    const fake = createTrayFake({ startAt: new Date(Date.now() - 5 * 86_400_000).toISOString() });
    fake.seedOrders(3);
    const connector = createTrayConnector(connectorOptions(fake));
    const pages = await collect(connector.listOrders());
    expect(fake.requests()[0]!.url).not.toContain('modified=');
    const day = (JSON.parse(pages.at(-1)!.cursor) as { modified: string }).modified.slice(0, 10);
    fake.advanceClock(3 * 86_400);
    const [late] = fake.seedOrders(1);
    const before = fake.requests().length;
    const next = await collect(connector.listOrders({ cursor: pages.at(-1)!.cursor }));
    expect(ids(next)).toEqual([late]);
    const list = fake.requests().slice(before).find((entry) => entry.url.startsWith('/web_api/orders?'))!;
    const query = new URL(list.url, 'http://x').searchParams;
    expect(query.get('modified')).toMatch(new RegExp(`^${day},\\d{4}-\\d{2}-\\d{2}$`));
    expect(query.get('limit')).toBe('50');
    expect(query.get('sort')).toBe('id_asc');
  });

  it('starts from `since` on a first run', async () => {
    const fake = createTrayFake();
    fake.seedOrders(3);
    fake.advanceClock(10);
    const later = fake.seedOrders(2);
    const connector: Connector = createTrayConnector(connectorOptions(fake));
    const all = ids(await collect(connector.listOrders()));
    const since = (await connector.getOrder(later[0]!))!.updatedAt;
    expect(all).toHaveLength(5);
    expect(ids(await collect(connector.listOrders({ since })))).toEqual(later);
  });

  it('answers null for an order id the store does not have', async () => {
    const fake = createTrayFake();
    const connector = createTrayConnector(connectorOptions(fake));
    expect(await connector.getOrder('1')).toBeNull();
    expect(await connector.getOrder('abc')).toBeNull();
    expect(fake.requests().map((entry) => entry.status)).toEqual([404, 404]);
  });

  it('rejects a cursor it did not make', async () => {
    const connector = createTrayConnector(connectorOptions(createTrayFake()));
    await expect(collect(connector.listOrders({ cursor: '{"page":3}' }))).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists statuses from /orders/statuses, every one mapped by default', async () => {
    const fake = createTrayFake();
    const connector = createTrayConnector(connectorOptions(fake));
    const statuses = await connector.statuses();
    expect(statuses.map((status) => status.code)).toEqual(fake.statusNames());
    expect(connector.defaultStatusDictionary.entries['CANCELADO']?.state).toBe('cancelled');
    expect(connector.defaultStatusDictionary.entries['A ENVIAR']?.state).toBe('pending');
    expect(connector.defaultStatusDictionary.entries['AGUARDANDO PAGAMENTO']?.state).toBe('ignored');
  });
});

describe('tray listing order and cursors it refuses', () => {
  it('lists oldest change first, and the orders of one second by numeric id, whatever order Tray lists them in', async () => {
    const fake = createTrayFake();
    const line = [{ reference: 'TRAY-SKU-1', quantity: '1', price: '10.00' }];
    // The fake fills three orders per store second: 1000, 99 and 12 share one (ids of different lengths and of the
    // same length, added out of order), 100 and 11 the next; 11 then changes a second later.
    for (const id of ['1000', '99', '12', '100', '11']) fake.addOrder(line, { id });
    fake.advanceClock(1);
    fake.modifyOrder('11', { status: 'ENVIADO' });
    for (const listSort of ['id_asc', 'id_desc'] as const) {
      const pages = await collect(createTrayConnector(connectorOptions(fake, { listSort } as never)).listOrders());
      expect(ids(pages), listSort).toEqual(['12', '99', '1000', '100', '11']);
    }
  });

  it('refuses a cursor without an instant, or with one Tray would not write, naming Tray', async () => {
    const fake = createTrayFake();
    fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    for (const [cursor, path] of [
      ['{"v":1,"modified":null,"ids":[]}', 'cursor'],
      ['{"v":1,"modified":"x2024-05-01 10:00:00","ids":[]}', 'cursor.modified'],
      ['{"v":1,"modified":"2024-05-01 10:00:00x","ids":[]}', 'cursor.modified'],
    ] as const) {
      const error = await collect(connector.listOrders({ cursor })).catch((caught: unknown) => caught);
      expect(error, cursor).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).path, cursor).toBe(path);
      expect((error as ValidationError).message, cursor).toContain('not a Tray cursor');
      expect((error as ValidationError).subject, cursor).toBe('Tray cursor');
    }
    const empty = await collect(connector.listOrders({ cursor: '{"v":1,"modified":null,"ids":[]}' })).catch((caught: unknown) => caught);
    expect((empty as ValidationError).message).toContain('not a Tray cursor (no instant)');
    expect(fake.requests()).toEqual([]);
  });
});
