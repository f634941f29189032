import { describe, expect, it } from 'vitest';
import { ValidationError, type OrderPage } from '@conecta/core';
import { createRecompraConnector, decodeRecompraCursor, encodeRecompraCursor } from '../src/index.js';

const TOKEN = 'cursor-test-webhook-token';

async function collect(pages: AsyncIterable<OrderPage>): Promise<OrderPage[]> {
  const out: OrderPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Orders in the assumed wire shape; `updated_at` decides where the vendor sorts them. */
const order = (id: string | undefined, updatedAt: string) => ({
  ...(id === undefined ? {} : { id }),
  number: `R-${id ?? 'x'}`,
  status: 'paid',
  customer: { name: 'Ana' },
  items: [{ sku: 'RC-1', name: 'Café', quantity: '1', unit_price: '10.00' }],
  subtotal: '10.00',
  total: '10.00',
  created_at: '2024-05-01T09:00:00Z',
  updated_at: updatedAt,
});

/** The assumed listing: `updated_since` inclusive, sorted by `updated_at` then id, as the README describes. */
function listingOf(orders: Array<Record<string, unknown>>): typeof fetch {
  return async (input) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const since = url.searchParams.get('updated_since');
    const shown = orders.filter((entry) => since === null || Date.parse(String(entry['updated_at'])) >= Date.parse(since) || Number.isNaN(Date.parse(String(entry['updated_at']))));
    return Response.json({ orders: shown, has_more: false });
  };
}

const connector = (fetchImpl: typeof fetch) =>
  createRecompraConnector({ webhookToken: TOKEN, polling: { baseUrl: 'https://api.recompra.test/v1', apiToken: 'cursor-test-api-token' }, fetch: fetchImpl });

const T1 = '2024-05-01T12:00:00.000Z';
const T2 = '2024-05-01T12:00:05.000Z';

describe('recompra cursor text', () => {
  it('reads back exactly what it writes', () => {
    const cursor = encodeRecompraCursor({ since: T1, seen: ['500002', '500001'] });
    expect(decodeRecompraCursor(cursor)).toEqual({ since: T1, seen: ['500001', '500002'] });
    expect(decodeRecompraCursor(encodeRecompraCursor({ since: undefined, seen: [] }))).toEqual({ since: undefined, seen: [] });
  });

  it('refuses an instant it would not have written, naming Recompra.aí', () => {
    for (const since of ['2024-05-01T12:00:00Z', '2024-05-01T09:00:00.000-03:00', '2024-05-01 12:00:00', '2024-02-30T12:00:00.000Z', '2024-13-01T00:00:00.000Z', 'ontem']) {
      const text = JSON.stringify({ v: 1, since, seen: [] });
      let error: unknown;
      try {
        decodeRecompraCursor(text);
      } catch (caught) {
        error = caught;
      }
      expect(error, since).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message, since).toContain('not a Recompra.aí cursor');
      expect((error as ValidationError).path, since).toBe('cursor.since');
    }
  });
});

describe('listing past orders the mapping cannot even identify', () => {
  it('resumes from the cursor of an empty first listing with the orders added since', async () => {
    const orders: Array<Record<string, unknown>> = [];
    const first = await collect(connector(listingOf(orders)).listOrders());
    expect(first).toHaveLength(1);
    orders.push(order('A', T1));
    const next = await collect(connector(listingOf(orders)).listOrders({ cursor: first[0]!.cursor }));
    expect(next.flatMap((page) => page.orders.map((entry) => entry.externalId))).toEqual(['A']);
  });

  it('reports an order without id, moves past its instant, and reports it again only while it sits at the cursor', async () => {
    const orders = [order('A', T1), order(undefined, T2)];
    const first = await collect(connector(listingOf(orders)).listOrders());
    expect(first.flatMap((page) => page.orders.map((entry) => entry.externalId))).toEqual(['A']);
    expect(first.flatMap((page) => page.rejected.map((entry) => [entry.externalId, entry.error.path]))).toEqual([[undefined, 'id']]);
    const cursor = first.at(-1)!.cursor;
    expect(decodeRecompraCursor(cursor)).toEqual({ since: T2, seen: [] });
    // Asked again from T2: A is older and skipped; the unidentified order cannot be told apart, so it is not lost.
    const again = await collect(connector(listingOf(orders)).listOrders({ cursor }));
    expect(again.flatMap((page) => page.orders)).toEqual([]);
    expect(again.flatMap((page) => page.rejected.map((entry) => entry.externalId))).toEqual([undefined]);
  });

  it('moves a first listing past an unidentified order that is all it read', async () => {
    const first = await collect(connector(listingOf([order(undefined, T2)])).listOrders());
    expect(first.flatMap((page) => page.rejected.map((entry) => entry.externalId))).toEqual([undefined]);
    expect(decodeRecompraCursor(first.at(-1)!.cursor)).toEqual({ since: T2, seen: [] });
  });

  it('keeps the ids read at an instant when an unidentified order shares it', async () => {
    const orders = [order('A', T1), order(undefined, T1)];
    const first = await collect(connector(listingOf(orders)).listOrders());
    expect(decodeRecompraCursor(first.at(-1)!.cursor)).toEqual({ since: T1, seen: ['A'] });
    const again = await collect(connector(listingOf(orders)).listOrders({ cursor: first.at(-1)!.cursor }));
    expect(again.flatMap((page) => page.orders)).toEqual([]);
    expect(again.flatMap((page) => page.rejected.map((entry) => entry.externalId))).toEqual([undefined]);
  });

  it('reports an unidentified order with an unreadable instant at the cursor, and one that comes first in a first listing', async () => {
    const broken = { ...order(undefined, 'ontem') };
    const fromCursor = await collect(connector(listingOf([broken])).listOrders({ cursor: encodeRecompraCursor({ since: T1, seen: ['A'] }) }));
    expect(fromCursor.flatMap((page) => page.rejected.map((entry) => entry.externalId))).toEqual([undefined]);
    expect(decodeRecompraCursor(fromCursor.at(-1)!.cursor)).toEqual({ since: T1, seen: ['A'] });

    const unreadable = order('B', '2024-02-30T12:00:00Z');
    const first = await collect(connector(listingOf([unreadable, order('A', T1)])).listOrders());
    expect(first.flatMap((page) => page.rejected.map((entry) => [entry.externalId, entry.error.path]))).toEqual([['B', 'updated_at']]);
    expect(first.flatMap((page) => page.orders.map((entry) => entry.externalId))).toEqual(['A']);
  });
});
