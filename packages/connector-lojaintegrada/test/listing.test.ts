import { UpstreamError, ValidationError, type OrderPage } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { advance, decodeCursor, encodeCursor, isAfter } from '../src/cursor.js';
import { collect, connectorFor, fakeWith } from './helpers.js';

const ids = (pages: OrderPage[]) => pages.flatMap((page) => page.orders.map((order) => order.externalId));

describe('lojaintegrada cursor', () => {
  it('round-trips the instant to the microsecond and the ids seen at it', () => {
    const position = { atMicros: 1_714_568_407_004_211, ids: ['1003', '1002'] };
    const decoded = decodeCursor(encodeCursor(position));
    expect(decoded.atMicros).toBe(position.atMicros);
    expect(decoded.ids.sort()).toEqual(['1002', '1003']);
  });

  it('tie-breaks on ids at the same instant and carries them across pages', () => {
    const first = advance(undefined, [
      { micros: 10, id: 'a' },
      { micros: 20, id: 'b' },
    ]);
    expect(first).toEqual({ atMicros: 20, ids: ['b'] });
    const second = advance(first, [{ micros: 20, id: 'c' }]);
    expect(second?.ids.sort()).toEqual(['b', 'c']);
    expect(isAfter(second, 20, 'b')).toBe(false);
    expect(isAfter(second, 20, 'd')).toBe(true);
    expect(isAfter(second, 19, 'z')).toBe(false);
    expect(advance(second, [{ micros: 30, id: 'e' }])).toEqual({ atMicros: 30, ids: ['e'] });
  });

  it('rejects a cursor it did not make, saying whose cursor it expected', () => {
    expect(() => decodeCursor('{"page":2}')).toThrowError(ValidationError);
    expect(() => decodeCursor('nope')).toThrowError(/not a lojaintegrada cursor/);
    // Core's shape for "no position yet": an LI listing never writes one, and it names no instant to resume from.
    const error = (() => {
      try {
        decodeCursor('{"v":1,"at":null,"ids":[]}');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('cursor.at');
    expect((error as ValidationError).message).toMatch(/not a lojaintegrada cursor \(no instant\)/);
    expect((error as ValidationError).subject).toBe('lojaintegrada cursor');
  });

  it('listOrders refuses a cursor without an instant before any request', async () => {
    const fake = fakeWith();
    fake.seedOrders(1);
    await expect(collect(connectorFor(fake).listOrders({ cursor: '{"v":1,"at":null,"ids":[]}' }))).rejects.toThrowError(ValidationError);
    expect(fake.requests()).toEqual([]);
  });
});

describe('lojaintegrada listing', () => {
  it('a page boundary inside one second neither repeats nor loses orders on resume', async () => {
    // 5 orders per second and pages of 3: every page ends in the middle of a second.
    const fake = fakeWith({ ordersPerSecond: 5 });
    const seeded = fake.seedOrders(10);
    const first = (await collect(connectorFor(fake, { pageSize: 3 }).listOrders()))[0]!;
    const cursor = JSON.parse(first.cursor) as { ids: string[] };
    expect(cursor.ids).toEqual(first.orders.map((order) => order.externalId).sort());
    const rest = await collect(connectorFor(fake, { pageSize: 3 }).listOrders({ cursor: first.cursor }));
    expect([...ids([first]), ...ids(rest)]).toEqual(seeded);
  });

  it('asks since_atualizado one second before the cursor, in LI local time', async () => {
    const fake = fakeWith();
    fake.seedOrders(3);
    const [page] = await collect(connectorFor(fake).listOrders());
    const before = fake.requests().length;
    await collect(connectorFor(fake).listOrders({ cursor: page!.cursor }));
    const search = fake.requests().slice(before).find((entry) => entry.url.includes('/pedido/search/'))!;
    // Seeded at 2024-05-01T13:00:01Z = 10:00:01 in São Paulo.
    expect(new URL(search.url, 'https://x').searchParams.get('since_atualizado')).toBe('2024-05-01T10:00:00');
  });

  it.each([['numero'], ['-numero'], ['data_modificacao']] as const)('lists oldest change first whatever the search order (%s)', async (searchOrder) => {
    const fake = fakeWith({ searchOrder });
    const seeded = fake.seedOrders(9);
    fake.modifyOrder(seeded[0]!);
    const listed = ids(await collect(connectorFor(fake, { pageSize: 4 }).listOrders()));
    expect(listed).toEqual([...seeded.slice(1), seeded[0]]);
  });

  it('loses nothing when since_atualizado turns out to be exclusive', async () => {
    const fake = fakeWith({ sinceInclusive: false, ordersPerSecond: 4 });
    const seeded = fake.seedOrders(8);
    const pages = await collect(connectorFor(fake, { pageSize: 2 }).listOrders());
    const first = pages[0]!;
    const rest = await collect(connectorFor(fake, { pageSize: 2 }).listOrders({ cursor: first.cursor }));
    expect([...ids([first]), ...ids(rest)]).toEqual(seeded);
  });

  it('an order changing mid-scan shifts the offset pages; the count check rescans and nothing is lost', async () => {
    const fake = fakeWith({ searchOrder: 'data_modificacao' });
    const seeded = fake.seedOrders(10);
    // After the first page (offsets 0-3) is read, an order on it changes and moves to the end: an offset scan
    // alone would skip the order that slid into offset 3.
    fake.beforeNextSearch(() => undefined);
    fake.beforeNextSearch(() => fake.modifyOrder(seeded[1]!));
    const listed = ids(await collect(connectorFor(fake, { pageSize: 4 }).listOrders()));
    expect([...listed].sort()).toEqual([...seeded].sort());
    expect(listed.at(-1)).toBe(seeded[1]);
    // One pass is three pages of 4; the short count forced a second pass.
    expect(fake.requests().filter((entry) => entry.url.includes('/pedido/search/'))).toHaveLength(6);
  });

  it('gives up with a retryable error when the store keeps changing under every scan', async () => {
    // Newest first, and a new order before every page: each one lands on a page already read.
    const fake = fakeWith({ searchOrder: '-numero' });
    fake.seedOrders(6);
    for (let request = 0; request < 20; request += 1) fake.beforeNextSearch(() => fake.seedOrders(1));
    const error = await collect(connectorFor(fake, { pageSize: 3, maxScanPasses: 2 }).listOrders()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(true);
  });

  it('starts at `since` inclusively', async () => {
    const fake = fakeWith({ ordersPerSecond: 1 });
    const seeded = fake.seedOrders(4);
    const all = await collect(connectorFor(fake).listOrders());
    const third = all[0]!.orders[2]!;
    const from = ids(await collect(connectorFor(fake).listOrders({ since: third.updatedAt })));
    expect(from).toEqual(seeded.slice(2));
  });

  it('reports an unreadable summary once and lists the rest', async () => {
    const fake = fakeWith();
    const seeded = fake.seedOrders(3);
    const broken = seeded[1]!;
    const connector = connectorFor(fake, {
      fetch: async (input, init) => {
        const response = await fake.handle(new Request(input, init));
        if (!new URL(new Request(input, init).url).pathname.includes('/pedido/search/')) return response;
        const body = (await response.json()) as { objects: Array<Record<string, unknown>> };
        for (const object of body.objects) if (String(object['numero']) === broken) object['data_modificacao'] = 'ontem';
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      },
    });
    const pages = await collect(connector.listOrders());
    expect(ids(pages)).toEqual(seeded.filter((id) => id !== broken));
    const rejected = pages.flatMap((page) => page.rejected);
    expect(rejected.map((entry) => [entry.externalId, entry.error.path])).toEqual([[broken, 'data_modificacao']]);
  });

  it('fetches a detail per order because search answers summaries', async () => {
    const fake = fakeWith();
    const seeded = fake.seedOrders(4);
    await collect(connectorFor(fake).listOrders());
    const details = fake.requests().filter((entry) => /^\/v1\/pedido\/\d+$/.test(entry.url));
    expect(details.map((entry) => entry.url.split('/').at(-1))).toEqual(seeded);
  });
});
